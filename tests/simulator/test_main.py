"""``python -m simulator`` itself: settings from the environment, the banner,
refusing remote addresses, clean stop, the database file."""

import json
import os
import re
import socket
import subprocess
import sys

import requests

from simulator.testing import REPO_ROOT, Simulator


def run_briefly(env, timeout=20):
    full = dict(os.environ, SIM_XSWITCH_PORT="0", SIM_SIMOTEL_PORT="0")
    full.update(env)
    return subprocess.run([sys.executable, "-m", "simulator"], cwd=REPO_ROOT, env=full,
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_refuses_non_loopback_address():
    result = run_briefly({"SIM_HOST": "0.0.0.0"})
    assert result.returncode == 2
    assert "SIM_ALLOW_REMOTE" in result.stderr
    assert "simulator ready" not in result.stdout


def test_refuses_bad_settings():
    for env in ({"SIM_PBX_AUTH": "sometimes"}, {"SIM_TOKEN_TTL": "soon"},
                {"SIM_XSWITCH_PORT": "http"}):
        result = run_briefly(env)
        assert result.returncode == 2, env
        assert result.stderr.startswith("simulator: ")


def test_help_lists_the_environment():
    result = subprocess.run([sys.executable, "-m", "simulator", "--help"], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=20, check=False)
    assert result.returncode == 0
    for name in ("SIM_HOST", "SIM_DB", "SIM_ADMIN_PASSWORD", "SIM_PBX_AUTH", "SIM_TLS"):
        assert name in result.stdout


def test_banner_defaults_and_clean_stop_removes_temporary_db():
    sim = Simulator(env={"SIM_DB": ""})
    with sim:
        out = sim.output
        assert re.search(r"^xswitch_url: http://127\.0\.0\.1:\d+$", out, re.M)
        assert re.search(r"^simotel_url: http://127\.0\.0\.1:\d+$", out, re.M)
        assert (sim.admin_password, sim.token) == ("SimAdmin-2026", "sim-xswitch-dev-key")
        assert (sim.pbx_username, sim.pbx_password, sim.pbx_api_key, sim.pbx_auth) == \
            ("sadr", "", "SAMPLE_API_KEY", "both")
        db_path = re.search(r"^db: (.*) \(temporary\)$", out, re.M).group(1)
        assert os.path.exists(db_path)
    assert sim.returncode == 0
    assert "simulator stopping" in sim.output
    assert not os.path.exists(db_path)


def test_credentials_from_environment():
    env = {"SIM_ADMIN_PASSWORD": "Other-Admin-1", "SIM_XSWITCH_TOKEN": "my-dev-key",
           "SIM_PBX_USERNAME": "api", "SIM_PBX_PASSWORD": "pbx-secret",
           "SIM_PBX_API_KEY": "KEY-2", "SIM_PBX_AUTH": "key", "SIM_TOKEN_TTL": "60"}
    with Simulator(env=env) as sim:
        assert (sim.admin_password, sim.token, sim.pbx_api_key, sim.pbx_auth) == \
            ("Other-Admin-1", "my-dev-key", "KEY-2", "key")
        login = requests.post(sim.xswitch_url + "/api/sessions",
                              json={"login": "admin", "password": "Other-Admin-1"}, timeout=10)
        assert login.status_code == 200 and login.json()["expires_in"] == 60
        assert sim.api("xswitch", "GET", "users").status_code == 200
        key_only = requests.post(sim.simotel_url + "/api/v4/pbx/queues/batchremoveagent",
                                 json={"agents": [{"queue": "10000", "agent": "570"}]},
                                 headers={"X-APIKEY": "KEY-2"}, timeout=10)
        assert key_only.status_code == 200


def test_sim_db_keeps_state_across_restarts(tmp_path):
    db = str(tmp_path / "state.sqlite3")
    with Simulator(env={"SIM_DB": db}) as sim:
        assert sim.api("xswitch", "POST", "users",
                       json={"login": "kept", "password": "p"}).status_code == 200
        assert "(new)" in sim.output
    with Simulator(env={"SIM_DB": db, "SIM_ADMIN_PASSWORD": "Changed-2"}) as sim:
        assert "(kept)" in sim.output
        assert sim.api("xswitch", "GET", "users",
                       params={"login": "kept"}).json()["rowCount"] == 1
        login = requests.post(sim.xswitch_url + "/api/sessions",
                              json={"login": "admin", "password": "Changed-2"}, timeout=10)
        assert login.status_code == 200


def test_port_in_use_fails_cleanly():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = run_briefly({"SIM_SIMOTEL_PORT": str(port)})
    assert result.returncode == 1
    assert "simulator: cannot listen" in result.stderr
    assert "simulator ready" not in result.stdout


def test_refuses_bad_xswitch_config():
    for value in ('{"no_such_switch": true}', '{"paging": "sometimes"}', '{"omit_ha1": 1}',
                  '["paging"]', '{broken'):
        result = run_briefly({"SIM_XSWITCH_CONFIG": value})
        assert result.returncode == 2, value
        assert result.stderr.startswith("simulator: SIM_XSWITCH_CONFIG"), result.stderr
        assert "Traceback" not in result.stderr
        assert "simulator ready" not in result.stdout


def test_xswitch_config_from_environment_holds_across_resets():
    preset = {"paging": "ignored", "queue_reads_type": True, "ha1_user": "extn"}
    with Simulator(env={"SIM_XSWITCH_CONFIG": json.dumps(preset)}) as sim:
        assert {key: sim.config("xswitch")[key] for key in preset} == preset
        sim.config("xswitch", paging="honoured")
        sim.reset("xswitch")
        assert {key: sim.config("xswitch")[key] for key in preset} == preset
        assert sim.config("xswitch")["omit_ha1"] is False
        queue_id = sim.api("xswitch", "POST", "queues",
                           json={"name": "q", "type": "fifo"}).json()["data"]
        assert sim.api("xswitch", "GET", "queues/" + queue_id).json()["type"] == "fifo"
