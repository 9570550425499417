"""The smoke test of the version matrix (`make matrix`): the demo deployed twice with the
ansible-core of the virtual environment that runs it, the second run changing nothing.
``MATRIX_ANSIBLE_CORE`` (set by scripts/matrix.sh) names the version that must be running."""

import os
import re
import subprocess
import sys

import pytest

from packaging_support import BIN, REPO, tool
from simulator.testing import Simulator


def ansible_core_version():
    done = subprocess.run([tool("ansible"), "--version"], capture_output=True, text=True, check=True)
    return re.search(r"core ([0-9.]+)", done.stdout).group(1)


def test_the_expected_ansible_core_runs():
    expected = os.environ.get("MATRIX_ANSIBLE_CORE")
    if not expected:
        pytest.skip("MATRIX_ANSIBLE_CORE is not set (only make matrix sets it)")
    assert ansible_core_version() == expected


def collections_path(tmp_path):
    staged = os.environ.get("CALLCENTER_COLLECTIONS_PATH")
    if staged:
        return staged
    os.makedirs(str(tmp_path / "collections" / "ansible_collections" / "telephony"))
    os.symlink(REPO, str(tmp_path / "collections" / "ansible_collections" / "telephony" / "callcenter"))
    return str(tmp_path / "collections")


def test_demo_twice(tmp_path):
    with Simulator() as sim:
        env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""),
                   ANSIBLE_COLLECTIONS_PATH=collections_path(tmp_path), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                   XSWITCH_URL=sim.xswitch_url, XSWITCH_TOKEN=sim.token,
                   PBX_URL=sim.simotel_url, PBX_API_KEY=sim.pbx_api_key,
                   PBX_USERNAME=sim.pbx_username, PBX_PASSWORD=sim.pbx_password)
        for name in ("XSWITCH_USERNAME", "XSWITCH_PASSWORD", "ANSIBLE_COLLECTIONS_PATHS"):
            env.pop(name, None)
        command = [tool("ansible-playbook"), "-i", os.path.join(REPO, "playbooks", "inventory", "localhost.yml"),
                   os.path.join(REPO, "playbooks", "demo.yml")]
        runs = [subprocess.run(command, env=env, cwd=str(tmp_path), capture_output=True, text=True,
                               timeout=600, check=False) for dummy in range(2)]
    for done in runs:
        assert done.returncode == 0, done.stdout + done.stderr
    first, second = (re.search(r"localhost\s+: ok=\d+\s+changed=(\d+)", done.stdout) for done in runs)
    assert int(first.group(1)) > 0
    assert int(second.group(1)) == 0, runs[1].stdout
