"""Fixtures of the simulator's own tests.

``sim`` starts one simulator per test module (never per session: some test
runners fork and would leak the process) and every test that uses it starts
from the initial state.
"""

import pytest

from simulator.testing import Simulator


@pytest.fixture(scope="module")
def sim():
    with Simulator() as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def _fresh_state(request):
    """Reset the module's simulator before each test that uses it."""
    if "sim" in request.fixturenames:
        request.getfixturevalue("sim").reset()


@pytest.fixture
def xs(sim):
    """Authenticated XSwitch request helper: xs("GET", "users") -> Response."""
    def call(method, path, **kw):
        return sim.api("xswitch", method, path, **kw)
    return call


@pytest.fixture
def pbx(sim):
    """Authenticated Simotel request helper: pbx("pbx/queues/addagent", {...})."""
    def call(service, body=None, method="POST", **kw):
        if body is not None:
            kw["json"] = body
        return sim.api("simotel", method, service, **kw)
    return call
