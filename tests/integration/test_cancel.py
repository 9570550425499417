"""Runs that are cancelled, killed or doubled, on a whole center.

AWX cancels a job with SIGTERM, Ctrl-C sends SIGINT, a dying controller sends nothing (as
``kill -9`` of ansible-playbook). Each test starts a real ansible-playbook of the
``xswitch_center`` role, stops it while it writes, and measures on the server what was
written after the stop; then a re-run reaches the declared state and a third run writes
nothing.
"""

import concurrent.futures
import os
import signal
import subprocess
import sys
import time

import pytest
import yaml

from benchmarks.center import center_vars
from conftest import COLLECTIONS
from test_server_assumptions import rows

AGENTS, QUEUES = 300, 6
# The writes in flight when the signal comes: max_concurrent_writes, by default 4.
IN_FLIGHT = 4


def write_playbook(workdir, sim):
    book = workdir / "center.yml"
    book.write_text(yaml.safe_dump([{
        "name": "center", "hosts": "localhost", "gather_facts": False,
        "vars": center_vars(AGENTS, QUEUES),
        "roles": ["telephony.callcenter.xswitch_center"]}], sort_keys=False))
    environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1",
                       ANSIBLE_LOCAL_TEMP=str(workdir / "tmp"), ANSIBLE_RETRY_FILES_ENABLED="0",
                       XSWITCH_URL=sim.xswitch_url, XSWITCH_TOKEN=sim.token)
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
               "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=%s" % sys.executable, str(book)]
    return command, environment


def processes_running(marker):
    """Pids of the processes whose command line names ``marker`` (the playbook's path)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % name, "rb") as handle:
                if marker.encode() in handle.read():
                    found.append(int(name))
        except OSError:
            continue
    return found


def writes(sim):
    return sim.stats("xswitch")["writes"]


def wait_for_writes(sim, count, process, limit=120):
    deadline = time.monotonic() + limit
    while writes(sim) < count:
        assert process.poll() is None, "the run ended before %d writes" % count
        assert time.monotonic() < deadline, "fewer than %d writes in %d s" % (count, limit)
        time.sleep(0.01)


def writes_once_quiet(sim, quiet=2.0, limit=60):
    """The write count once it has not moved for ``quiet`` seconds."""
    deadline = time.monotonic() + limit
    last, since = writes(sim), time.monotonic()
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, "the server was still written to after %d s" % limit
        time.sleep(0.2)
        now = writes(sim)
        if now != last:
            last, since = now, time.monotonic()
    return last


def run_to_end(command, environment, cwd):
    return subprocess.run(command, env=environment, cwd=cwd, capture_output=True, text=True,
                          timeout=900, check=False)


def recap(output):
    line = next(line for line in output.splitlines() if line.startswith("localhost"))
    return dict(part.split("=") for part in line.split(":", 1)[1].split())


def assert_declared_and_still(sim, command, environment, cwd):
    again = run_to_end(command, environment, cwd)
    assert again.returncode == 0, again.stdout + again.stderr
    logins = [row["login"] for row in rows(sim, "users")]
    assert len(logins) == len(set(logins)), "an agent was created twice"
    assert sorted(logins) == sorted(["system", "admin"] + [
        a["login"] for a in center_vars(AGENTS, QUEUES)["xswitch_center_agents"]])
    before = writes(sim)
    third = run_to_end(command, environment, cwd)
    assert third.returncode == 0, third.stdout + third.stderr
    assert recap(third.stdout)["changed"] == "0", third.stdout
    assert writes(sim) == before, "a converged center was written to"


@pytest.mark.parametrize("signum, at", [
    (signal.SIGTERM, 40), (signal.SIGTERM, 300),
    (signal.SIGINT, 40),
    (signal.SIGKILL, 40), (signal.SIGKILL, 300),
], ids=["sigterm-early", "sigterm-late", "sigint-early", "sigkill-early", "sigkill-late"])
def test_a_stopped_run_stops_writing_and_the_next_run_completes(sim, tmp_path, signum, at):
    # Slow writes keep the run busy long enough to be stopped while it writes.
    sim.config("xswitch", write_latency=0.01)
    command, environment = write_playbook(tmp_path, sim)
    process = subprocess.Popen(command, env=environment, cwd=str(tmp_path),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        wait_for_writes(sim, at, process)
        os.kill(process.pid, signum)
        at_signal = writes(sim)
        process.wait(timeout=60)
        after = writes_once_quiet(sim)
        assert after - at_signal <= IN_FLIGHT, (
            "%d writes after %s" % (after - at_signal, signal.Signals(signum).name))
    finally:
        # ansible-core leaves its worker behind after a kill -9 of ansible-playbook.
        for pid in processes_running(str(tmp_path / "center.yml")):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    sim.config("xswitch", write_latency=0)
    assert_declared_and_still(sim, command, environment, str(tmp_path))


def test_two_controllers_on_one_center_at_once(sim, tmp_path):
    sim.config("xswitch", write_latency=0.002)
    command, environment = write_playbook(tmp_path, sim)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda dummy: run_to_end(command, environment, str(tmp_path)),
                             range(2)))
    for run in runs:
        assert "Traceback" not in run.stdout + run.stderr
    sim.config("xswitch", write_latency=0)
    assert_declared_and_still(sim, command, environment, str(tmp_path))
