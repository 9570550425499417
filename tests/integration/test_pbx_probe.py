"""pbx_probe against the Simotel simulator set to each switch position: it must report exactly
that position, write nothing without scratch or in check mode, and leave nothing behind."""

import base64
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from conftest import COLLECTIONS
from simulator import assumed
from simulator.simotel import config_options
from simulator.settings import Settings

PROBE = "telephony.callcenter.pbx_probe"
QUEUE = "10000"

# Switches that are the credentials themselves, or the server's and the account's settings.
NOT_PROBED = {"pbx_username", "pbx_password", "pbx_api_key", "pbx_refuse_clients",
              "pbx_denied_services"}

# One position other than the default for every switch the probe settles (every position
# of the choice switches).
NON_DEFAULT = [
    ("pbx_auth", "basic"),
    ("pbx_auth", "key"),
    ("pbx_batchadd_agent_field", "agent"),
    ("pbx_batchadd_agent_field", "either"),
    ("pbx_single_failure", "envelope"),
    ("pbx_ping_methods", ["POST"]),
    ("pbx_ping_methods", ["PUT", "GET"]),
    ("pbx_queue_remove_id_field", "id_"),
    ("pbx_queue_remove_id_field", "either"),
    ("pbx_pause_repeat", "refuse"),
    ("pbx_messages", {"not_member_remove": "Agent is not in queue"}),
    ("pbx_messages", {"already_member": "Agent already exists", "added": "Done",
                      "queue_not_found": "Queue not found", "no_queue_add": "No queue",
                      "not_found_pause": "Not a member", "removed": "Gone",
                      "paused": "Paused", "resumed": "Resumed", "no_queue_remove": "No queue!"}),
]

DEFAULTS = dict((name, option.default) for name, option in config_options(Settings()).items()
                if name not in NOT_PROBED)


def case_id(case):
    return "%s=%s" % (case[0], json.dumps(case[1], sort_keys=True)[:30])


def test_every_probed_switch_has_a_non_default_case():
    assert set(name for name, dummy in NON_DEFAULT) == set(DEFAULTS)
    assert all(DEFAULTS[name] != value for name, value in NON_DEFAULT)


def test_the_probe_knows_the_simulator_wordings():
    sys.path.insert(0, COLLECTIONS)
    try:
        from ansible_collections.telephony.callcenter.plugins.module_utils import simotel_probe
    finally:
        sys.path.remove(COLLECTIONS)
    assert simotel_probe.SIMULATOR_MESSAGES == assumed.SIMOTEL_MESSAGES


def tables(sim):
    connection = sqlite3.connect("file:%s?mode=ro" % sim.db_path, uri=True, timeout=30)
    try:
        return dict(
            queues=sorted(connection.execute("SELECT number, id, name FROM pbx_queues")),
            members=sorted(connection.execute(
                "SELECT queue, agent, source, penalty, paused FROM pbx_members")))
    finally:
        connection.close()


def probe(play, sim, **options):
    return play([{PROBE: options}])[0]


def scratch_probe(play, sim, **options):
    return probe(play, sim, scratch=True, scratch_queue=QUEUE, **options)


def test_defaults_are_all_settled(sim, play):
    sim.config("simotel", pbx_auth="both")
    before = tables(sim)
    result = scratch_probe(play, sim)
    assert not result.get("failed"), result.get("msg")
    assert result["simulator_config"] == DEFAULTS
    assert result["leftovers"] == [] and tables(sim) == before
    assert result["changed"] is True and result["scratch_agent"].startswith("99")
    values = dict((found["point"], found["value"]) for found in result["findings"])
    assert values["addagent of an agent already there"] == assumed.SIMOTEL_MESSAGES["already_member"]
    assert values["removeagent of an agent not there"] == assumed.SIMOTEL_MESSAGES["not_member_remove"]
    assert values["batchremoveagent of an agent not there"] == \
        assumed.SIMOTEL_MESSAGES["not_member_remove"]


@pytest.mark.parametrize("switch,position", NON_DEFAULT, ids=[case_id(c) for c in NON_DEFAULT])
def test_each_position_is_reported(sim, play, switch, position):
    sim.config("simotel", **dict({"pbx_auth": "both"}, **{switch: position}))
    before = tables(sim)
    result = scratch_probe(play, sim)
    assert not result.get("failed"), result.get("msg")
    assert result["simulator_config"] == dict(DEFAULTS, **{switch: position})
    assert result["leftovers"] == []
    assert tables(sim) == before


def test_a_given_scratch_agent_is_used(sim, play):
    before = tables(sim)
    result = scratch_probe(play, sim, scratch_agent="777")
    assert not result.get("failed"), result.get("msg")
    assert result["scratch_agent"] == "777"
    bodies = [item["body"] for found in result["findings"] for item in found["evidence"]
              if item["service"] == "pbx/queues/addagent"]
    assert bodies and all(body["agent"] == "777" for body in bodies)
    assert tables(sim) == before


def test_an_agent_already_in_the_queue_is_left_alone(sim, play):
    before = tables(sim)
    result = scratch_probe(play, sim, scratch_agent="570")
    assert result["failed"] is True and "570" in result["msg"] and "already" in result["msg"]
    assert result["leftovers"] == []
    assert tables(sim) == before
    assert sim.stats("simotel")["requests"].get("POST /api/v4/pbx/queues/removeagent", 0) == 0


def test_without_scratch_it_only_pings(sim, play):
    sim.config("simotel", pbx_auth="key", pbx_ping_methods=["PUT"])
    result = probe(play, sim)
    assert not result.get("failed"), result.get("msg")
    stats = sim.stats("simotel")
    assert stats["writes"] == 0
    assert set(route.split(" ", 1)[1] for route in stats["requests"]) == {"/api/v4/setting/ping/act"}
    assert result["changed"] is False and "scratch_agent" not in result
    assert result["simulator_config"] == {"pbx_auth": "key", "pbx_ping_methods": ["PUT"]}


def test_check_mode_sends_no_write(sim, play):
    run = play([{PROBE: {"scratch": True, "scratch_queue": QUEUE}}], check=True)
    assert not run[0].get("failed"), run[0].get("msg")
    assert sim.stats("simotel")["writes"] == 0
    assert any("check mode" in warning for warning in run[0]["warnings"])
    assert set(run[0]["simulator_config"]) == {"pbx_auth", "pbx_ping_methods"}


def test_scratch_needs_a_queue(sim, play):
    result = probe(play, sim, scratch=True)
    assert result["failed"] is True and "scratch_queue" in result["msg"]
    assert sim.stats("simotel")["total"] == 0


def test_only_the_key_given(sim, play):
    sim.config("simotel", pbx_auth="key")
    run = play([{PROBE: {}}], pbx={"pbx_url": sim.simotel_url, "pbx_api_key": sim.pbx_api_key})
    found = [f for f in run[0]["findings"] if f["switch"] == "pbx_auth"][0]
    assert found["value"] == "key" and "only the API key" in found["note"]
    assert [item["credentials"] for item in found["evidence"]] == ["none"]


def test_wrong_credentials_fail_with_advice(sim, play):
    run = play([{PROBE: {}}], env={"PBX_API_KEY": "wrong-key-123", "PBX_USERNAME": "nobody",
                                   "PBX_PASSWORD": "wrong-pass-456"}, verbosity=4)
    assert run[0]["failed"] is True and "BasicAuth or ApiKey is invalid" in run[0]["msg"]
    assert run[0]["msg"].startswith("the probe stopped: the ping failed") and "Traceback" not in run[0]["msg"]
    assert run[0]["findings"][0]["switch"] == "pbx_ping_methods" and run[0]["simulator_config"] == {}
    assert "wrong-key-123" not in run.stdout and "wrong-pass-456" not in run.stdout


def test_no_secret_in_the_result(sim, play):
    sim.config("simotel", pbx_password="s3cret-Basic-pass", pbx_auth="both")
    run = play([{PROBE: {"scratch": True, "scratch_queue": QUEUE}}], verbosity=4,
               pbx={"pbx_url": sim.simotel_url, "pbx_api_key": sim.pbx_api_key,
                    "pbx_username": sim.pbx_username, "pbx_password": "s3cret-Basic-pass"})
    assert not run[0].get("failed"), run[0].get("msg")
    text = json.dumps(run[0]) + run.stdout
    assert sim.pbx_api_key not in text and "s3cret-Basic-pass" not in text
    basic = base64.b64encode(("%s:s3cret-Basic-pass" % sim.pbx_username).encode()).decode()
    assert basic not in text


def test_a_failure_midway_still_cleans_up(sim, play):
    before = tables(sim)
    # The agent is in the queue when the pause fails: it must still go.
    sim.faults("simotel", route="^POST /api/v4/pbx/queues/pauseagent$", status=500, count=10)
    result = scratch_probe(play, sim)
    assert result["failed"] is True and "pauseagent" in result["msg"]
    assert result["leftovers"] == []
    sim.clear_faults("simotel")
    assert tables(sim) == before


def test_a_failure_with_a_scratch_queue_still_cleans_up(sim, play):
    before = tables(sim)
    # The first remove of the scratch queue fails: the queue must still go.
    sim.faults("simotel", route="^POST /api/v4/pbx/queues/remove$", status=500, count=1)
    result = scratch_probe(play, sim)
    assert result["leftovers"] == []
    assert tables(sim) == before


def test_a_leftover_is_named(sim, play):
    # Every removal fails: the scratch agent stays, and the task says so.
    sim.faults("simotel", route="^POST /api/v4/pbx/queues/(removeagent|pauseagent)$",
               status=500, count=100)
    result = scratch_probe(play, sim, scratch_agent="888")
    sim.clear_faults("simotel")
    assert result["failed"] is True
    assert {"kind": "member", "queue": QUEUE, "agent": "888"} in result["leftovers"]
    assert any("888" in warning for warning in result["warnings"])
    sim.api("simotel", "POST", "pbx/queues/removeagent", json={"queue": QUEUE, "agent": "888"})


def run_playbook(sim, tmp_path, environment, *extra):
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
               "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=%s" % sys.executable,
               "-e", "report_file=%s" % (tmp_path / "pbx-probe")] + list(extra) + [
                   "telephony.callcenter.probe"]
    base = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1",
                ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_RETRY_FILES_ENABLED="0")
    for name in ("XSWITCH_URL", "XSWITCH_TOKEN", "XSWITCH_USERNAME", "XSWITCH_PASSWORD",
                 "PBX_URL", "PBX_API_KEY", "PBX_USERNAME", "PBX_PASSWORD"):
        base.pop(name, None)
    base.update(environment)
    return subprocess.run(command, env=base, cwd=str(tmp_path), capture_output=True, text=True,
                          timeout=600, check=False)


def pbx_environment(sim):
    return dict(PBX_URL=sim.simotel_url, PBX_API_KEY=sim.pbx_api_key,
                PBX_USERNAME=sim.pbx_username, PBX_PASSWORD=sim.pbx_password)


def test_the_playbook_probes_both_servers(sim, tmp_path):
    before = tables(sim)
    sim.config("simotel", pbx_single_failure="envelope")
    environment = dict(pbx_environment(sim), XSWITCH_URL=sim.xswitch_url,
                       XSWITCH_USERNAME=sim.admin_login, XSWITCH_PASSWORD=sim.admin_password)
    done = run_playbook(sim, tmp_path, environment, "-e", "probe_scratch=true",
                        "-e", "probe_pbx_queue=%s" % QUEUE, "-e", "probe_pbx_agent=4242")
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((tmp_path / "pbx-probe.json").read_text())
    assert data["pbx"]["simulator_config"] == dict(DEFAULTS, pbx_single_failure="envelope")
    assert data["pbx"]["leftovers"] == [] and data["leftovers"] == []
    assert data["simulator_config"]["delete_absent_status"] == 500
    markdown = (tmp_path / "pbx-probe.md").read_text()
    assert "# XSwitch probe" in markdown and "# Simotel probe" in markdown
    assert "scratch agent `4242` in queue `10000`" in markdown
    assert "| single-pair failure form | pbx_single_failure | \"envelope\" | yes |" in markdown
    assert '"pbx_single_failure": "envelope"' in markdown
    assert sim.pbx_api_key not in markdown + done.stdout
    assert tables(sim) == before


def test_the_playbook_probes_simotel_alone(sim, tmp_path):
    sim.config("simotel", pbx_auth="basic")
    done = run_playbook(sim, tmp_path, pbx_environment(sim))
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((tmp_path / "pbx-probe.json").read_text())
    assert set(data) == {"pbx"}
    assert data["pbx"]["simulator_config"]["pbx_auth"] == "basic"
    assert "# XSwitch probe" not in (tmp_path / "pbx-probe.md").read_text()
    assert sim.stats("simotel")["writes"] == 0 and sim.stats("xswitch")["total"] == 0


def test_the_playbook_wants_a_queue_for_simotel_scratch(sim, tmp_path):
    done = run_playbook(sim, tmp_path, pbx_environment(sim), "-e", "probe_scratch=true")
    assert done.returncode != 0 and "probe_pbx_queue" in done.stdout
    assert sim.stats("simotel")["total"] == 0


def test_a_queue_it_may_not_create_leaves_that_point_open(sim, play):
    sim.config("simotel", pbx_denied_services=["pbx/queues/add"])
    before = tables(sim)
    result = scratch_probe(play, sim)
    assert not result.get("failed"), result.get("msg")
    expected = dict(DEFAULTS)
    del expected["pbx_queue_remove_id_field"]
    # The no-such-queue and unknown-id wordings were not seen either: the defaults stay.
    assert result["simulator_config"] == expected
    found = [f for f in result["findings"] if f.get("switch") == "pbx_queue_remove_id_field"][0]
    assert found["determined"] is False and "Access denied" in found["note"]
    assert any("scratch_create_queue" in warning for warning in result["warnings"])
    assert tables(sim) == before


def test_without_scratch_queues(sim, play):
    result = scratch_probe(play, sim, scratch_create_queue=False)
    assert not result.get("failed"), result.get("msg")
    assert "pbx_queue_remove_id_field" not in result["simulator_config"]
    stats = sim.stats("simotel")["requests"]
    assert not any(route.startswith("POST /api/v4/pbx/queues/") and route.rsplit("/", 1)[1] in
                   ("add", "search", "remove") for route in stats)
