"""xswitch_probe against the simulator set to each switch position: it must report exactly
that position, write nothing without scratch or in check mode, and leave nothing behind."""

import json
import os
import pathlib
import sqlite3
import subprocess
import sys

import pytest

from conftest import COLLECTIONS
from simulator import xswitch

PROBE = "telephony.callcenter.xswitch_probe"

# Switches that are knobs of the simulation, not behaviour a server shows through the API.
NOT_PROBED = {"write_latency", "token_ttl"}

# One position other than the default for every switch the probe settles.
NON_DEFAULT = [
    ("ignore_login_filter", True),
    ("omit_ha1", True),
    ("max_per_page", 3),
    ("super_admin_resets_password", True),
    ("change_password_target", "session"),
    ("login_lockout", False),
    ("delete_queue_cascades", True),
    ("delete_absent_status", 404),
    ("page_size_param", "page_size"),
    ("page_count_in_reply", False),
    ("queue_reads_type", True),
    ("ha1_user", "extn"),
    ("delete_user_cascades", True),
    ("member_delete_route", False),
    ("paging", "ignored"),
    ("agent_info_on_create", False),
    ("new_members_disabled", True),
    ("agent_spelling", "freeswitch"),
    ("users_me", False),
]

DEFAULTS = dict((name, option.default) for name, option in xswitch.CONFIG_OPTIONS.items()
                if name not in NOT_PROBED)


def test_every_probed_switch_has_a_non_default_case():
    assert set(name for name, dummy in NON_DEFAULT) == set(DEFAULTS)
    assert all(DEFAULTS[name] != value for name, value in NON_DEFAULT)


def table_counts(sim):
    connection = sqlite3.connect("file:%s?mode=ro" % sim.db_path, uri=True, timeout=30)
    try:
        return dict((table, connection.execute("SELECT COUNT(*) FROM %s" % table).fetchone()[0])
                    for table in ("users", "extensions", "queues", "queue_members",
                                  "queue_params"))
    finally:
        connection.close()


def signed_in(sim):
    return {"xswitch_url": sim.xswitch_url, "xswitch_username": sim.admin_login,
            "xswitch_password": sim.admin_password}


def probe(play, sim, **options):
    return play([{PROBE: options}], xswitch=signed_in(sim))[0]


def check_against(result, expected):
    """Every switch the probe settled has the expected position."""
    config = result["simulator_config"]
    wrong = dict((name, (value, expected[name])) for name, value in config.items()
                 if expected.get(name) != value)
    assert not wrong, wrong


def test_defaults_are_all_settled(sim, play):
    before = table_counts(sim)
    result = probe(play, sim, scratch=True)
    assert not result.get("failed"), result.get("msg")
    assert result["simulator_config"] == DEFAULTS
    assert result["leftovers"] == [] and table_counts(sim) == before
    assert result["changed"] is True and result["prefix"].startswith("ccprobe-")


@pytest.mark.parametrize("switch,position", NON_DEFAULT, ids=[name for name, dummy in NON_DEFAULT])
def test_each_position_is_reported(sim, play, switch, position):
    sim.config("xswitch", **{switch: position})
    before = table_counts(sim)
    result = probe(play, sim, scratch=True)
    assert not result.get("failed"), result.get("msg")
    assert result["simulator_config"].get(switch) == position
    check_against(result, dict(DEFAULTS, **{switch: position}))
    assert result["leftovers"] == []
    assert table_counts(sim) == before


def test_without_scratch_it_only_reads(sim, play):
    writes = sim.stats("xswitch")["writes"]
    sim.config("xswitch", page_count_in_reply=False, ignore_login_filter=True)
    result = probe(play, sim)
    assert not result.get("failed"), result.get("msg")
    assert sim.stats("xswitch")["writes"] == writes
    assert result["changed"] is False and "prefix" not in result
    config = result["simulator_config"]
    assert config["page_count_in_reply"] is False and config["ignore_login_filter"] is True
    # What needs writes is not asked.
    assert "delete_absent_status" not in config and "change_password_target" not in config


def test_check_mode_sends_no_write(sim, play):
    writes = sim.stats("xswitch")["writes"]
    run = play([{PROBE: {"scratch": True}}], check=True, xswitch=signed_in(sim))
    assert not run[0].get("failed"), run[0].get("msg")
    assert sim.stats("xswitch")["writes"] == writes
    assert any("check mode" in warning for warning in run[0]["warnings"])


def test_no_secret_in_the_result(sim, play):
    run = play([{PROBE: {"scratch": True}}], xswitch=signed_in(sim), verbosity=4)
    assert not run[0].get("failed"), run[0].get("msg")
    text = json.dumps(run[0]) + run.stdout
    assert sim.admin_password not in text
    stored = sim.api("xswitch", "GET", "users/1").json()
    for key in ("ha1", "ha1b"):
        assert stored[key] not in text
    excerpts = [item["excerpt"] for found in run[0]["findings"] for item in found["evidence"]]
    assert excerpts and not any('"ha1": "' in text and '"ha1": "********"' not in text
                                for text in excerpts)


def test_a_failure_midway_still_cleans_up(sim, play):
    before = table_counts(sim)
    # The queue POST fails: agents were created by then and must go.
    sim.faults("xswitch", route="^POST /api/queues$", status=500, count=10)
    result = probe(play, sim, scratch=True)
    assert result["failed"] is True and "/api/queues" in result["msg"]
    sim.clear_faults("xswitch")
    assert table_counts(sim) == before


def test_the_playbook_writes_both_reports(sim, tmp_path):
    report = tmp_path / "pbx-probe"
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
               "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=%s" % sys.executable,
               "-e", "report_file=%s" % report, "-e", "probe_scratch=true",
               "telephony.callcenter.probe"]
    environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1",
                       ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_RETRY_FILES_ENABLED="0",
                       XSWITCH_URL=sim.xswitch_url, XSWITCH_USERNAME=sim.admin_login,
                       XSWITCH_PASSWORD=sim.admin_password)
    environment.pop("XSWITCH_TOKEN", None)
    done = subprocess.run(command, env=environment, cwd=str(tmp_path), capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(pathlib.Path(str(report) + ".json").read_text())
    assert data["simulator_config"] == DEFAULTS and data["leftovers"] == []
    markdown = pathlib.Path(str(report) + ".md").read_text()
    assert "| status of a DELETE of nothing | delete_absent_status | 500 | yes |" in markdown
    assert '"change_password_target": "id"' in markdown
    assert sim.admin_password not in markdown + done.stdout
