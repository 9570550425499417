"""python -m simulator start|stop|status, as a user runs it."""

import os
import socket
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def simulator(state, *words):
    environment = dict(os.environ, SIM_STATE_DIR=str(state))
    return subprocess.run([sys.executable, "-m", "simulator"] + list(words), cwd=REPO,
                          env=environment, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def state(tmp_path):
    yield tmp_path
    simulator(tmp_path, "stop")


def test_start_status_stop(state):
    xswitch, simotel = free_port(), free_port()
    assert simulator(state, "status").returncode == 3
    started = simulator(state, "start", "--port", str(xswitch), "--simotel-port", str(simotel))
    assert started.returncode == 0, started.stderr
    assert "xswitch_url: http://127.0.0.1:%d" % xswitch in started.stdout
    pid = int((state / "simulator.pid").read_text())
    with socket.create_connection(("127.0.0.1", simotel), timeout=5):
        pass
    status = simulator(state, "status")
    assert status.returncode == 0 and "running (pid %d" % pid in status.stdout
    again = simulator(state, "start", "--port", str(free_port()), "--simotel-port", str(free_port()))
    assert again.returncode == 1 and "already running (pid %d" % pid in again.stderr
    stopped = simulator(state, "stop")
    assert stopped.returncode == 0 and "stopped (pid %d)" % pid in stopped.stdout
    assert not (state / "simulator.pid").exists()
    assert simulator(state, "status").returncode == 3


def test_a_busy_port_is_named_with_its_holder(state):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        started = simulator(state, "start", "--port", str(port), "--simotel-port", str(free_port()))
    assert started.returncode == 1
    assert "port %d (the XSwitch API) is in use by pid %d" % (port, os.getpid()) in started.stderr
    assert not (state / "simulator.pid").exists()


def test_an_unknown_argument_is_refused(state):
    refused = simulator(state, "start", "--prot", "1")
    assert refused.returncode == 2 and "unknown argument '--prot'" in refused.stderr
