"""Brownfield adoption: playbooks/export.yml writes a live XSwitch as the xswitch_center role's
variables, and deploying that file with the role (even with exclusive) changes nothing.

The export runs as users run it, ``ansible-playbook telephony.callcenter.export -e
export_file=PATH``, with the connection in the environment as conftest's ``play`` passes it.
"""

import importlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile

import pytest
import yaml

from conftest import COLLECTIONS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLE = "telephony.callcenter.xswitch_center"
AGENT = "telephony.callcenter.xswitch_agent"
QUEUE = "telephony.callcenter.xswitch_queue"
PARAM = "telephony.callcenter.xswitch_queue_param"
MEMBER = "telephony.callcenter.xswitch_queue_member"

with open(os.path.join(REPO, "playbooks", "demo.yml")) as demo_file:
    DEMO_VARS = yaml.safe_load(demo_file)[0]["vars"]

# Keys that must never be in an export, and a SIP digest (ha1/ha1b) anywhere in its text.
SECRET_KEYS = frozenset(("password", "extn_password", "old_password", "vm_password", "ha1", "ha1b",
                         "token", "xswitch_token", "xswitch_password"))
DIGEST = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32}(?![0-9A-Fa-f])")


class ExportRun:
    def __init__(self, done, path):
        self.returncode = done.returncode
        self.output = done.stdout + done.stderr
        self.path = path

    @property
    def text(self):
        with open(self.path) as handle:
            return handle.read()

    @property
    def data(self):
        return yaml.safe_load(self.text)


@pytest.fixture
def export(sim, tmp_path):
    """``export(name="center.yml", extra=(), connection_env=True, relative=False)``: runs the
    export playbook against the simulator, writing ``name`` in a fresh directory (None: no
    export_file; relative: the name as given, relative to the directory it runs in)."""

    def run(name="center.yml", extra=(), connection_env=True, relative=False):
        workdir = tempfile.mkdtemp(dir=str(tmp_path))
        path = os.path.join(workdir, name) if name else None
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
                   "-i", "localhost,", "-c", "local",
                   "-e", "ansible_python_interpreter=%s" % sys.executable,
                   "telephony.callcenter.export"]
        if name is not None:
            command += ["-e", "export_file=%s" % ((name if relative else path) or "")]
        command += [arg.replace("{workdir}", workdir) for arg in extra]
        # The connection as conftest's play passes it: in the environment, nothing else inherited.
        environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
                           ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
                           ANSIBLE_LOCAL_TEMP=os.path.join(workdir, "tmp"),
                           ANSIBLE_RETRY_FILES_ENABLED="0")
        for variable in ("XSWITCH_URL", "XSWITCH_TOKEN", "XSWITCH_USERNAME", "XSWITCH_PASSWORD",
                         "PBX_URL", "PBX_API_KEY", "PBX_USERNAME", "PBX_PASSWORD"):
            environment.pop(variable, None)
        if connection_env:
            environment.update(XSWITCH_URL=sim.xswitch_url, XSWITCH_TOKEN=sim.token)
        done = subprocess.run(command, env=environment, cwd=workdir, capture_output=True, text=True,
                              timeout=600, check=False)
        return ExportRun(done, path)

    return run


def deploy(variables, **extra):
    return {"ansible.builtin.include_role": {"name": ROLE}, "vars": dict(variables, **extra)}


def role_result():
    return {"ansible.builtin.debug": {"var": "xswitch_center_result"}}


def assert_no_secret(run, sim):
    """No password key, no hash, no token in the file; 'password' only in its comments."""
    text = run.text

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                assert str(key).lower() not in SECRET_KEYS, key
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(run.data)
    assert sim.token not in text
    assert not DIGEST.search(text), DIGEST.search(text).group(0)
    assert "ha1" not in text
    body = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in body if "password" in line.lower()]
    assert "********" not in text


def assert_reapplied_without_change(sim, play, variables):
    """The role deploys the exported variables exclusively: nothing changes, nothing is written."""
    before = sim.stats("xswitch")["writes"]
    run = play([deploy(variables, xswitch_center_exclusive=True), role_result()])
    applied, summary = run.results
    assert not applied.get("failed"), run.stdout
    result = summary["xswitch_center_result"]
    assert result["changed"] is False, (result, run.stdout)
    assert sim.stats("xswitch")["writes"] == before, run.stdout
    return result


def test_the_demo_center_exported_deploys_exclusively_with_no_change(sim, play, export):
    deployed = play([deploy(DEMO_VARS)])[0]
    assert not deployed.get("failed"), deployed

    run = export()
    assert run.returncode == 0, run.output
    assert_no_secret(run, sim)
    text, data = run.text, run.data
    assert text.startswith("# ")
    header = text.split("\n---\n")[0]
    assert "xswitch_center_update_password: on_create" in header
    assert "needs a password" in header
    assert list(data) == ["xswitch_center_domain", "xswitch_center_agents", "xswitch_center_queues"]

    assert data["xswitch_center_domain"] == "xswitch.cn"
    agents = data["xswitch_center_agents"]
    assert [agent["login"] for agent in agents] == sorted(a["login"] for a in DEMO_VARS["xswitch_center_agents"])
    defaults = DEMO_VARS["xswitch_center_agent_defaults"]
    for declared, agent in zip(DEMO_VARS["xswitch_center_agents"], agents):
        assert set(agent) == {"login", "name", "extn", "context", "agent_info"}, agent
        assert (agent["name"], agent["extn"]) == (declared["name"], declared["extn"])
        assert "status" not in agent["agent_info"]
        for setting in ("max_no_answer", "wrap_up_time"):
            wanted = declared.get("agent_info", {}).get(setting, defaults[setting])
            assert agent["agent_info"][setting] == wanted

    queues = data["xswitch_center_queues"]
    declared_queues = dict((queue["name"], queue) for queue in DEMO_VARS["xswitch_center_queues"])
    assert [queue["name"] for queue in queues] == sorted(declared_queues)
    for queue in queues:
        declared = declared_queues[queue["name"]]
        assert queue["members"] == sorted(declared["members"])
        assert queue["type"] == declared.get("type", "callcenter")
        assert queue["strategy"] == declared["strategy"]
        assert queue["description"] == declared["description"]
        assert queue["auto_record"] is declared.get("auto_record", False)
        for key, value in declared["params"].items():
            assert queue["params"][key] == value or str(queue["params"][key]) == str(value), (key, queue)
    support = queues[-1]
    assert support["moh_sound"] == 411
    assert isinstance(support["greeting"], int)
    assert support["params"]["overflow-capacity-action"] == {"action": "transfer", "data": "1009"}

    summary = assert_reapplied_without_change(sim, play, data)
    assert int(summary["agents"]["unchanged"]) == 8 and int(summary["queues"]["unchanged"]) == 3
    assert int(summary["members"]["unchanged"]) == 8

    # The same center gives the same bytes, whatever page size the server reads in.
    sim.config("xswitch", max_per_page=3)
    again = export("again.yml")
    assert again.returncode == 0, again.output
    assert again.text == text


@pytest.mark.parametrize("position", [{}, {"agent_spelling": "freeswitch"}, {"queue_reads_type": True},
                                      {"new_members_disabled": True}],
                         ids=lambda position: ",".join("%s=%s" % item for item in position.items()) or "default")
def test_a_center_built_by_hand_round_trips(sim, play, export, position):
    sim.config("xswitch", **position)
    built = play([
        {AGENT: {"agents": [
            {"login": "ann", "name": "Ann", "extn": "2001", "password": "Ann-Pw-2001", "domain": "a.example",
             "context": "ctx-a", "agent_info": {"status": "On Break", "agent_type": "uuid-standby", "lag": 4,
                                                "hardware_phone_only": True, "level": 2, "position": 3}},
            {"login": "bob", "name": "Bob", "extn": "2002", "password": "Bob-Pw-2002", "domain": "b.example"},
            {"login": "cy", "extn": "2003", "password": "Cy-Pw-2003"}]}},
        {QUEUE: {"queues": [
            {"name": "zeta", "strategy": "round-robin", "moh_sound": "/srv/sounds/custom-hold.wav"},
            {"name": "alpha", "type": "fifo", "strategy": "enterprise"},
            # Stored as "Nobody answers {{ ever }} {% raw %}": the task's own text is templated.
            {"name": "empty", "strategy": "ring-all",
             "description": "Nobody answers {{ '{{' }} ever }} {{ '{%' }} raw %}"}]}},
        {PARAM: {"queue": "zeta", "params": [
            {"name": "wait-timeout", "value": 120},
            {"name": "capacity", "value": 30, "enabled": False},
            {"name": "wait-timeout-action", "value": {"data": "2001", "action": "transfer"}}]}},
        {MEMBER: {"queue": "zeta", "agents": ["cy", "ann"]}},
        {MEMBER: {"queue": "alpha", "agents": ["bob"]}},
    ])
    for index, result in enumerate(built.results):
        assert not result.get("failed"), (index, result)
    stored = sim.api("xswitch", "GET", "queues", params={"perPage": 100}).json()["data"]
    assert [q["description"] for q in stored if q["name"] == "empty"] == [
        "Nobody answers {{ ever }} {% raw %}"]

    run = export()
    assert run.returncode == 0, run.output
    assert_no_secret(run, sim)
    data = run.data
    assert "xswitch_center_domain" not in data
    agents = dict((agent["login"], agent) for agent in data["xswitch_center_agents"])
    assert list(agents) == ["ann", "bob", "cy"]
    assert [agents[login].get("domain") for login in agents] == ["a.example", "b.example", "xswitch.cn"]
    ann = agents["ann"]
    assert ann["context"] == "ctx-a"
    assert ann["agent_info"]["agent_type"] in ("standBy", "uuid-standby")
    assert (ann["agent_info"]["lag"], ann["agent_info"]["level"], ann["agent_info"]["position"]) == (4, 2, 3)
    assert ann["agent_info"]["hardware_phone_only"] is True
    assert "status" not in ann["agent_info"]
    assert agents["cy"]["name"] == "cy"

    queues = dict((queue["name"], queue) for queue in data["xswitch_center_queues"])
    assert list(queues) == ["alpha", "empty", "zeta"]
    assert queues["alpha"]["type"] == "fifo" and queues["alpha"]["members"] == ["bob"]
    assert queues["empty"]["members"] == [] and "params" not in queues["empty"]
    # Jinja markers come out as expressions that print them, so the role gets the text back.
    assert queues["empty"]["description"] == "Nobody answers {{ '{{' }} ever }} {{ '{%' }} raw %}"
    zeta = queues["zeta"]
    assert zeta["moh_sound"] == "/srv/sounds/custom-hold.wav"
    assert zeta["members"] == ["ann", "cy"]
    # A disabled parameter: the list form, sorted by key, every entry with its flag.
    assert zeta["params"] == [
        {"name": "capacity", "value": 30, "enabled": False},
        {"name": "wait-timeout", "value": 120, "enabled": True},
        {"name": "wait-timeout-action", "value": {"action": "transfer", "data": "2001"}, "enabled": True}]

    assert_reapplied_without_change(sim, play, data)


def test_an_empty_server_exports_empty_lists(sim, play, export):
    run = export()
    assert run.returncode == 0, run.output
    assert run.data == {"xswitch_center_agents": [], "xswitch_center_queues": []}
    assert_no_secret(run, sim)
    assert sim.stats("xswitch")["writes"] == 0
    assert_reapplied_without_change(sim, play, run.data)


def test_the_connection_can_come_from_a_variable_and_the_file_path_be_relative(sim, play, export, tmp_path):
    play([{AGENT: {"login": "7001", "extn": "7001", "password": "Pw-7001-x"}}])
    connection = tmp_path / "connection.yml"
    connection.write_text(yaml.safe_dump({"export_xswitch_connection": {
        "xswitch_url": sim.xswitch_url, "xswitch_token": sim.token}}))
    run = export("center.yml", extra=["-e", "@%s" % connection], connection_env=False, relative=True)
    assert run.returncode == 0, run.output
    assert [agent["login"] for agent in run.data["xswitch_center_agents"]] == ["7001"]
    assert_no_secret(run, sim)


@pytest.mark.parametrize("name", [None, ""], ids=["missing", "empty"])
def test_without_export_file_the_playbook_fails_before_reading(sim, export, name):
    run = export(name)
    assert run.returncode != 0
    assert "Name the file to write the variables to: -e export_file=PATH" in run.output
    assert sim.stats("xswitch")["total"] == 0


def test_a_member_that_is_not_an_agent_fails_the_export(sim, play, export):
    # The modules refuse the super admin as a member; a center set up by hand may have it.
    built = play([{QUEUE: {"name": "ops"}}])
    assert not built[0].get("failed"), built[0]
    queue_id = [q for q in sim.api("xswitch", "GET", "queues", params={"perPage": 1000}).json()["data"]
                if q["name"] == "ops"][0]["id"]
    added = sim.api("xswitch", "POST", "queues/%s/agents" % queue_id,
                    json={"agents": [{"agent_id": "1", "agent_name": "admin"}]})
    assert added.status_code == 200, added.text
    run = export()
    assert run.returncode != 0
    assert "queue ops has members that are not agents (agent_id 1, agent_name admin)" in run.output
    assert not os.path.exists(run.path)


# The filter itself --------------------------------------------------------------------------
def filter_module():
    if COLLECTIONS not in sys.path:
        sys.path.insert(0, COLLECTIONS)
    return importlib.import_module("ansible_collections.telephony.callcenter.plugins.filter.xswitch_center_vars")


def test_the_filter_exports_every_agent_setting_the_module_manages_but_status():
    names = [name for name, dummy in filter_module().AGENT_SETTINGS]
    assert "status" not in names
    for name in ("agent_type", "max_no_answer", "wrap_up_time", "hardware_phone_only", "position"):
        assert name in names


def test_the_filter_is_deterministic_and_copies_no_secret():
    shape = filter_module().xswitch_center_vars
    agents = [{"id": n, "login": "a%02d" % n, "name": "A%d" % n, "extn": str(100 + n), "domain": "d",
               "type": "AGENT", "ha1": "0" * 32, "password": "x", "status": "Available", "lag": str(n),
               "hardware_phone_only": "", "vm_password": "secret"} for n in range(12)]
    queues = [{"id": str(n), "name": "q%02d" % n, "cti_template": "callcenter", "token": "t",
               "params": [{"realm": "CC", "k": "k%d" % m, "v": str(m), "disabled": 0} for m in range(5)]
               + [{"realm": "FIFO", "k": "importance", "v": "1", "disabled": 0}],
               "members": [{"agent_id": str(m), "agent_name": str(100 + m)} for m in range(n)]}
              for n in range(6)]
    expected = shape(agents, queues)
    text = json.dumps(expected)
    for secret in ("ha1", "password", "token", "0" * 32, "Available"):
        assert secret not in text
    assert expected["xswitch_center_domain"] == "d"
    assert expected["xswitch_center_queues"][3]["members"] == ["a00", "a01", "a02"]
    assert expected["xswitch_center_queues"][1]["params"] == {"k0": 0, "k1": 1, "k2": 2, "k3": 3, "k4": 4}
    for number in range(5):
        shuffle = random.Random(number)
        agents_read, queues_read = list(agents), [dict(queue) for queue in queues]
        shuffle.shuffle(agents_read)
        shuffle.shuffle(queues_read)
        for queue in queues_read:
            queue["params"], queue["members"] = list(queue["params"]), list(queue["members"])
            shuffle.shuffle(queue["params"])
            shuffle.shuffle(queue["members"])
        assert json.dumps(shape(agents_read, queues_read)) == text


@pytest.mark.parametrize("stored, exported", [
    ("300", 300), ("0", 0), ("1.5", 1.5), ("true", True), ("false", False),
    ('{"data":"1009","action":"transfer"}', {"action": "transfer", "data": "1009"}), ("[1,2]", [1, 2]),
    # Kept as the text stored: writing the value back must store the same thing.
    ("007", "007"), ("1e3", "1e3"), (" 5", " 5"), ('"x"', '"x"'), ("null", "null"), ("", ""),
    ("phrase:welcome@xui", "phrase:welcome@xui"), ("True", "True"),
])
def test_parameter_values(stored, exported):
    value = filter_module().export_value(stored)
    assert value == exported and type(value) is type(exported)


@pytest.mark.parametrize("stored, exported", [
    ('{"media_id": "411", "media_path": "/x/hold.wav", "media_type": "FILE"}', 411),
    ({"media_id": "204", "media_path": "phrase:welcome@xui"}, 204),
    ('{"media_id": "", "media_path": "/srv/a.wav"}', "/srv/a.wav"),
    ({"media_path": "123"}, {"media_path": "123"}),
    ("", None), (None, None), ("{}", None), (17, 17), ("/srv/b.wav", "/srv/b.wav"),
])
def test_media(stored, exported):
    assert filter_module().export_media(stored) == exported
