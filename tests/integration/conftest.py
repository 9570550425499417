"""Integration tests: real ansible-playbook runs against the simulator.

Each test hands a list of tasks to ``play``; every task is registered and never stops the
play, and the registered results come back as a list, so a test can assert on each outcome
and on the simulator's request counts around it.
"""

import json
import os
import pathlib
import sqlite3
import subprocess
import sys
import tempfile

import pytest
import yaml

from simulator.testing import Simulator

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def collections_path():
    """The staged collection from ``make stage``, else a link to this checkout."""
    staged = os.environ.get("CALLCENTER_COLLECTIONS_PATH")
    if staged:
        return staged
    root = tempfile.mkdtemp(prefix="callcenter-collections-")
    os.makedirs(os.path.join(root, "ansible_collections", "telephony"))
    os.symlink(REPO, os.path.join(root, "ansible_collections", "telephony", "callcenter"))
    return root


COLLECTIONS = collections_path()


def server_secrets(sim):
    """What the simulator's database holds that is as good as a password: every user's and
    extension's ha1/ha1b and password, session tokens and API keys."""
    connection = sqlite3.connect("file:%s?mode=ro" % sim.db_path, uri=True, timeout=30)
    try:
        rows = []
        for table in ("users", "extensions"):
            rows += connection.execute("SELECT ha1, ha1b, password FROM %s" % table).fetchall()
        keys = [row[0] for row in connection.execute("SELECT token FROM sessions")]
        keys += [row[0] for row in connection.execute("SELECT key FROM api_keys")]
    finally:
        connection.close()
    values = set(value for row in rows for value in row[:2] if value)
    values.update(value for row in rows for value in row[2:] if value and len(value) >= 8)
    values.update(key for key in keys if key and len(key) >= 8)
    return values


@pytest.fixture(scope="module")
def sim():
    # One server per test module, never per session: ansible-test's runner forks.
    with Simulator() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(sim):
    sim.reset()
    yield


class PlaybookRun:
    def __init__(self, results, stdout, returncode):
        self.results = results
        self.stdout = stdout
        self.returncode = returncode

    def __getitem__(self, index):
        return self.results[index]


@pytest.fixture
def play(sim, tmp_path):
    """``play(tasks, check=False, diff=True, verbosity=0, xswitch=None, pbx=None, env=None)``.

    ``xswitch``/``pbx`` replace the connection defaults given to the module groups.
    """

    def run(tasks, check=False, diff=True, verbosity=0, xswitch=None, pbx=None, env=None):
        # A directory per run, so that runs may go in parallel threads.
        workdir = pathlib.Path(tempfile.mkdtemp(dir=str(tmp_path)))
        out_file = workdir / "results.json"
        body = []
        for index, task in enumerate(tasks):
            task = dict(task)
            task.setdefault("name", "task %d" % index)
            task["register"] = "r%d" % index
            task["ignore_errors"] = True
            body.append(task)
        collected = "{{ [%s] | to_json }}" % ", ".join("r%d" % i for i in range(len(tasks)))
        body.append({"name": "collect results", "ansible.builtin.copy": {
            "dest": str(out_file), "content": collected, "mode": "0600"}, "check_mode": False})
        # The default connection travels in the environment, as users are told to pass
        # secrets: a failing task's source lines, which Ansible prints, then hold none.
        connection = {
            "XSWITCH_URL": sim.xswitch_url, "XSWITCH_TOKEN": sim.token,
            "PBX_URL": sim.simotel_url, "PBX_API_KEY": sim.pbx_api_key,
            "PBX_USERNAME": sim.pbx_username, "PBX_PASSWORD": sim.pbx_password}
        if xswitch is not None:
            for name in ("XSWITCH_URL", "XSWITCH_TOKEN"):
                connection.pop(name)
        if pbx is not None:
            for name in ("PBX_URL", "PBX_API_KEY", "PBX_USERNAME", "PBX_PASSWORD"):
                connection.pop(name)
        playbook = [{
            "name": "integration", "hosts": "localhost", "gather_facts": False,
            "module_defaults": {"group/telephony.callcenter.xswitch": xswitch or {},
                                "group/telephony.callcenter.pbx": pbx or {}},
            "tasks": body}]
        book = workdir / "playbook.yml"
        book.write_text(yaml.safe_dump(playbook, sort_keys=False))
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
                   "-i", "localhost,", "-c", "local",
                   "-e", "ansible_python_interpreter=%s" % sys.executable, str(book)]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        if verbosity:
            command.append("-" + "v" * verbosity)
        environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
                           ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
                           ANSIBLE_LOCAL_TEMP=str(workdir / "tmp"),
                           ANSIBLE_RETRY_FILES_ENABLED="0")
        for name in ("XSWITCH_URL", "XSWITCH_TOKEN", "XSWITCH_USERNAME", "XSWITCH_PASSWORD",
                     "PBX_URL", "PBX_API_KEY", "PBX_USERNAME", "PBX_PASSWORD"):
            environment.pop(name, None)
        environment.update(connection)
        environment.update(env or {})
        done = subprocess.run(command, env=environment, cwd=str(workdir), capture_output=True,
                              text=True, timeout=600, check=False)
        if not out_file.exists():
            raise AssertionError("the playbook did not finish:\n%s\n%s" % (done.stdout, done.stderr))
        return PlaybookRun(json.loads(out_file.read_text()), done.stdout + done.stderr,
                           done.returncode)

    return run
