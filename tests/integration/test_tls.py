"""TLS settings of the modules against the simulator speaking HTTPS with a self-signed
certificate."""

import pytest

from simulator.testing import Simulator

INFO = "telephony.callcenter.xswitch_agent_info"


@pytest.fixture(scope="module")
def sim():
    # Replaces the plain-HTTP simulator of conftest for this module.
    with Simulator(tls=True) as running:
        yield running


def connection(sim, **options):
    options.update(xswitch_url=sim.xswitch_url, xswitch_token=sim.token)
    return options


def test_self_signed_certificate_is_refused_by_default(sim, play):
    run = play([{INFO: {}}], xswitch=connection(sim))
    assert run[0]["failed"] is True
    assert "validate_certs" in run[0]["msg"]
    assert sim.token not in run.stdout


def test_ca_path_verifies_the_server(sim, play):
    run = play([{INFO: {}}], xswitch=connection(sim, ca_path=sim.cert_path),
               env={"REQUESTS_CA_BUNDLE": "/nonexistent/ca.pem"})
    assert not run[0].get("failed"), run[0].get("msg")
    assert run[0]["agents"] == []


def test_environment_bundle_does_not_override_validate_certs_false(sim, play):
    run = play([{INFO: {}}], xswitch=connection(sim, validate_certs=False),
               env={"REQUESTS_CA_BUNDLE": "/nonexistent/ca.pem",
                    "CURL_CA_BUNDLE": "/nonexistent/ca.pem"})
    assert not run[0].get("failed"), run[0].get("msg")


def test_validate_certs_from_the_environment(sim, play):
    run = play([{INFO: {}}], xswitch=connection(sim),
               env={"XSWITCH_VALIDATE_CERTS": "false"})
    assert not run[0].get("failed"), run[0].get("msg")
