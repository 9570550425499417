"""SIM_TLS=1: both servers speak HTTPS with a certificate usable as its own CA."""

import ipaddress
import os
import socket
import ssl
import urllib.parse

import pytest
import requests
from cryptography import x509

from simulator.testing import Simulator


@pytest.fixture(scope="module")
def tls_sim():
    with Simulator(tls=True) as simulator:
        yield simulator


def test_urls_are_https_and_cert_is_written(tls_sim):
    assert tls_sim.xswitch_url.startswith("https://127.0.0.1:")
    assert tls_sim.simotel_url.startswith("https://127.0.0.1:")
    assert tls_sim.cert_path and os.path.isfile(tls_sim.cert_path)
    key_path = os.path.join(os.path.dirname(tls_sim.cert_path), "key.pem")
    assert os.stat(key_path).st_mode & 0o077 == 0


def test_certificate_names_and_ca_flag(tls_sim):
    with open(tls_sim.cert_path, "rb") as handle:
        cert = x509.load_pem_x509_certificate(handle.read())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert ipaddress.ip_address("127.0.0.1") in names.get_values_for_type(x509.IPAddress)
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_both_servers_verify_with_cert_as_ca(tls_sim):
    tls_sim.reset()
    xs = tls_sim.api("xswitch", "GET", "users")
    assert xs.status_code == 200 and xs.json()["rowCount"] == 2
    pbx = tls_sim.api("simotel", "POST", "pbx/queues/batchremoveagent",
                      json={"agents": [{"queue": "10000", "agent": "570"}]})
    assert pbx.status_code == 200 and pbx.json()["data"]["ok"] == 1
    assert tls_sim.stats("xswitch")["total"] == 1


def test_hostname_localhost_verifies_too(tls_sim):
    port = urllib.parse.urlsplit(tls_sim.xswitch_url).port
    context = ssl.create_default_context(cafile=tls_sim.cert_path)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.version() in ("TLSv1.2", "TLSv1.3")


def test_unverified_without_the_ca(tls_sim):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(tls_sim.xswitch_url + "/_sim/stats", timeout=5)


def test_plain_http_is_not_served(tls_sim):
    plain = tls_sim.xswitch_url.replace("https://", "http://")
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(plain + "/_sim/stats", timeout=5)


def test_silent_client_does_not_stall_the_server(tls_sim):
    port = urllib.parse.urlsplit(tls_sim.xswitch_url).port
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        reply = requests.get(tls_sim.xswitch_url + "/_sim/stats", verify=tls_sim.cert_path,
                             timeout=3)
        assert reply.status_code == 200


def test_drop_fault_over_tls(tls_sim):
    tls_sim.faults("xswitch", route="^GET /api/users$", count=1, drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        tls_sim.api("xswitch", "GET", "users")
    assert tls_sim.api("xswitch", "GET", "users").status_code == 200
