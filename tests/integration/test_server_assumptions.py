"""The collection is right whichever way a real server settles what the API document does not.

Each behaviour the document leaves open is a simulator switch (``/_sim/config``, see
docs/api/xswitch.md). The example center of the demo is deployed, re-applied (no change),
one member is removed and two agents are offboarded under every position of every switch:
each run ends in the declared state, checked through the API, or fails with a message that
names the assumption, with nothing written.
"""

import hashlib
import os

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = "telephony.callcenter.xswitch_agent"
MEMBER = "telephony.callcenter.xswitch_queue_member"
QUEUE = "telephony.callcenter.xswitch_queue"

with open(os.path.join(REPO, "playbooks", "demo.yml")) as demo_file:
    DEMO_VARS = yaml.safe_load(demo_file)[0]["vars"]

# Every position other than the default, of every switch that settles a guess.
NON_DEFAULT_POSITIONS = [
    {"queue_reads_type": True},
    {"ha1_user": "extn"},
    {"delete_user_cascades": True},
    {"delete_queue_cascades": True},
    {"delete_absent_status": 404},
    {"member_delete_route": False},
    {"max_per_page": 3},
    {"agent_info_on_create": False},
    {"agent_spelling": "freeswitch"},
    {"new_members_disabled": True},
    {"omit_ha1": True},
    {"ignore_login_filter": True},
    {"page_size_param": "page_size"},
    {"page_count_in_reply": False},
    {"page_count_in_reply": False, "max_per_page": 3},
    {"super_admin_resets_password": True},
    {"change_password_target": "session"},
    {"login_lockout": False},
]


def position_id(position):
    return ",".join("%s=%s" % item for item in position.items()) or "default"


def deploy(**extra):
    return {"ansible.builtin.include_role": {"name": "telephony.callcenter.xswitch_center"},
            "vars": dict(DEMO_VARS, **extra)}


def offboard(logins):
    # The role's own tasks may fail: their results are read from the variables it registers.
    return {"ansible.builtin.include_role": {"name": "telephony.callcenter.callcenter_offboarding",
                                             "apply": {"ignore_errors": True}},
            "vars": {"callcenter_offboarding_xswitch_logins": logins}}


def role_result(name):
    return {"ansible.builtin.debug": {"var": name}}


def rows(sim, path):
    """Every row of a paged list, whatever page size the server uses."""
    found, page = [], 1
    while True:
        reply = sim.api("xswitch", "GET", path, params={"perPage": 1000, "page": page}).json()
        found.extend(reply["data"])
        if len(found) >= reply["rowCount"] or not reply["data"]:
            return found
        page += 1


def users(sim):
    return dict((row["login"], row) for row in rows(sim, "users"))


def queues(sim):
    return dict((row["name"], row) for row in rows(sim, "queues"))


def members(sim, queue_name):
    queue_id = queues(sim)[queue_name]["id"]
    by_id = dict((str(row["id"]), login) for login, row in users(sim).items())
    return sorted(by_id.get(str(row["agent_id"]), "?" + str(row["agent_id"]))
                  for row in rows(sim, "queues/%s/agents" % queue_id))


def declared_members():
    return dict((queue["name"], sorted(queue["members"])) for queue in DEMO_VARS["xswitch_center_queues"])


@pytest.mark.parametrize("position", NON_DEFAULT_POSITIONS + [{}], ids=position_id)
def test_demo_center_under_every_position(sim, play, position):
    sim.config("xswitch", **position)
    run = play([deploy(), role_result("xswitch_center_result"),
                deploy(), role_result("xswitch_center_result")])
    first, first_summary, again, again_summary = run.results
    assert not first.get("failed"), run.stdout
    assert first_summary["xswitch_center_result"]["changed"] is True
    assert not again.get("failed"), run.stdout
    assert again_summary["xswitch_center_result"]["changed"] is False, run.stdout
    on_server = users(sim)
    for agent in DEMO_VARS["xswitch_center_agents"]:
        stored = on_server[agent["login"]]
        settings = dict(DEMO_VARS["xswitch_center_agent_defaults"], **agent.get("agent_info", {}))
        assert stored["type"] == "AGENT"
        assert stored["max_no_answer"] == str(settings["max_no_answer"])
        assert stored["wrap_up_time"] == str(settings["wrap_up_time"])
        assert stored["status"] == "Available"
    assert dict((name, members(sim, name)) for name in declared_members()) == declared_members()

    removal = play([{MEMBER: {"queue": "support", "agents": ["1004"], "state": "absent"}}])[0]
    leaving = play([offboard(["1007", "1008"]), role_result("callcenter_offboarding_xswitch_run"),
                    role_result("callcenter_offboarding_result")])
    agents_run = leaving[1]["callcenter_offboarding_xswitch_run"]
    if position.get("member_delete_route") is False:
        # The route is a guess; without it nothing can be removed, and both say so.
        assert removal.get("failed") and "still in queue support" in removal["msg"], removal
        assert "DELETE /api/queues/" in removal["msg"] and "assumed" in removal["msg"]
        assert removal["changed"] is False
        assert "1004" in members(sim, "support")
        assert agents_run.get("failed") and "the agent was not deleted" in agents_run["msg"]
        assert "1007" in users(sim) and "1008" in users(sim)
        assert members(sim, "callback") == ["1007", "1008"]
        return
    assert removal["changed"] is True and not removal.get("failed")
    assert members(sim, "support") == ["1001", "1002", "1003"]
    assert not agents_run.get("failed"), leaving.stdout
    summary = leaving[2]["callcenter_offboarding_result"]
    assert int(summary["xswitch"]["deleted"]) == 2 and int(summary["xswitch"]["queues_left"]) == 2
    assert "1007" not in users(sim) and "1008" not in users(sim)
    # Memberships are gone whether or not the server ends them with the user.
    assert rows(sim, "queues/%s/agents" % queues(sim)["callback"]["id"]) == []


def test_a_server_that_ignores_paging_fails_before_any_write(sim, play):
    many = [{"login": str(2000 + n), "extn": str(2000 + n), "password": "Pw-%d-x" % n}
            for n in range(25)]
    play([{AGENT: {"agents": many}}])
    sim.config("xswitch", paging="ignored")
    before = sim.stats("xswitch")["writes"]
    result = play([{AGENT: {"agents": many[:3], "exclusive": True}}])[0]
    assert result.get("failed")
    assert "ignores paging: 20 of 27 rows read" in result["msg"]
    assert sim.stats("xswitch")["writes"] == before
    sim.config("xswitch", paging="honoured")
    assert len(users(sim)) == 27


def test_agent_settings_go_with_the_create_and_are_put_only_where_they_did_not_stick(sim, play):
    agents = [{"login": str(3000 + n), "extn": str(3000 + n), "password": "Pw-%d-x" % n,
               "agent_info": {"max_no_answer": 7, "status": "Available"}} for n in range(4)]
    agents.append({"login": "3100", "extn": "3100", "password": "Pw-3100-x"})
    play([{AGENT: {"agents": agents}}])
    honoured = sim.stats("xswitch")["requests"]
    assert honoured.get("PUT /api/users/<id>", 0) == 0
    sim.reset()
    sim.config("xswitch", agent_info_on_create=False)
    result = play([{AGENT: {"agents": agents}}])[0]
    assert not result.get("failed"), result
    ignored = sim.stats("xswitch")["requests"]
    # The four agents with settings get one PUT each; the one without none.
    assert ignored.get("PUT /api/users/<id>", 0) == 4
    assert all(users(sim)[str(3000 + n)]["max_no_answer"] == "7" for n in range(4))


def test_a_password_hashed_from_the_extension_is_recognised(sim, play):
    sim.config("xswitch", ha1_user="extn")
    agent = {"login": "agent-ann", "extn": "4001", "password": "Ann-Pw-1"}
    changed = dict(agent, password="Ann-Pw-2", old_password="Ann-Pw-1")
    run = play([{AGENT: agent}, {AGENT: agent}, {AGENT: changed}])
    created, again, new_password = run.results
    stored = users(sim)["agent-ann"]
    assert stored["ha1"] == hashlib.md5(b"4001:xswitch.cn:Ann-Pw-2").hexdigest()
    assert created["changed"] is True
    assert again["changed"] is False and "password_changed" not in again
    assert new_password["changed"] is True and new_password["password_changed"] is True


def test_members_are_named_by_extension(sim, play):
    run = play([{AGENT: {"login": "agent-bo", "extn": "4002", "password": "Bo-Pw-1"}},
                {QUEUE: {"name": "q1"}},
                {MEMBER: {"queue": "q1", "agents": ["agent-bo"]}},
                {MEMBER: {"queue": "q1", "agents": ["agent-bo"]}}])
    assert run[2]["changed"] is True and run[3]["changed"] is False
    row = rows(sim, "queues/%s/agents" % queues(sim)["q1"]["id"])[0]
    assert row["agent_name"] == "4002"


def test_a_member_that_reads_back_disabled_is_reported(sim, play):
    sim.config("xswitch", new_members_disabled=True)
    run = play([{AGENT: {"login": "4003", "extn": "4003", "password": "Cy-Pw-1"}},
                {QUEUE: {"name": "q2"}},
                {MEMBER: {"queue": "q2", "agents": ["4003"]}},
                {MEMBER: {"queue": "q2", "agents": ["4003"]}}])
    for added in (run[2], run[3]):
        assert added["results"][0]["disabled"] is True
        assert any("reads back disabled" in warning for warning in added["warnings"])


def test_spellings_of_both_families_compare_equal(sim, play):
    sim.config("xswitch", agent_spelling="freeswitch")
    agent = {"login": "4004", "extn": "4004", "password": "Di-Pw-1",
             "agent_info": {"status": "Out", "agent_type": "standBy"}}
    run = play([{AGENT: agent}, {AGENT: dict(agent, update_status="always")},
                {AGENT: dict(agent, update_status="always",
                             agent_info={"status": "Logged Out", "agent_type": "uuid-standby"})}])
    assert run[0]["changed"] is True and not run[0].get("failed"), run[0]
    assert run[1]["changed"] is False and run[2]["changed"] is False
    stored = users(sim)["4004"]
    assert (stored["status"], stored["agent_type"]) == ("Logged Out", "uuid-standby")
    sim.reset()
    play([{AGENT: agent}])
    stored = users(sim)["4004"]
    assert (stored["status"], stored["agent_type"]) == ("Out", "standBy")


def test_live_status_is_set_on_create_and_enforced_only_when_asked(sim, play):
    agent = {"login": "4005", "extn": "4005", "password": "Ed-Pw-1",
             "agent_info": {"status": "Available"}}
    play([{AGENT: agent}])
    user_id = users(sim)["4005"]["id"]
    # The agent takes a break at work.
    sim.api("xswitch", "PUT", "users/%s" % user_id, json={"status": "On Break"})
    run = play([{AGENT: agent}, {AGENT: dict(agent, update_status="always")}])
    assert run[0]["changed"] is False
    assert run[1]["changed"] is True
    assert run[1]["diff"]["after"] == {"agent_info": {"status": "Available"}}
    assert users(sim)["4005"]["status"] == "Available"


def test_queue_type_unknown_to_the_server_is_never_a_change(sim, play):
    # Reads without type: the type comes from cti_template; template, which reads do not
    # return, is never compared.
    play([{QUEUE: {"name": "f1", "type": "fifo", "strategy": "ringall", "template": "default"}}])
    queue_id = queues(sim)["f1"]["id"]
    assert "type" not in sim.api("xswitch", "GET", "queues/%s" % queue_id).json()
    run = play([{QUEUE: {"name": "f1", "type": "fifo", "strategy": "ringall",
                         "template": "other"}},
                {QUEUE: {"name": "f1", "type": "callcenter"}}])
    assert run[0]["changed"] is False and not run[0].get("failed")
    assert run[0]["queue"]["type"] == "fifo"
    assert run[1].get("failed") and "type cannot be changed" in run[1]["msg"]


def test_the_role_refuses_members_given_as_a_string(sim, play):
    queues_var = [{"name": "q9", "members": "9001"}, {"name": "q8", "members": ["9002"]}]
    # The module refuses it before any write.
    with pytest.raises(AssertionError) as caught:
        play([deploy(xswitch_center_queues=queues_var, xswitch_center_agents=[])])
    assert 'queues[0] (name q9).members: must be a list of agent logins, such as ["9001"]' in str(
        caught.value)
    assert queues(sim) == {} and sim.stats("xswitch")["writes"] == 0
