"""xswitch_center: a whole center in one module run, through real ansible-playbook runs
against the simulator."""

import json

CENTER = "telephony.callcenter.xswitch_center"
AGENT = "telephony.callcenter.xswitch_agent"
QUEUE = "telephony.callcenter.xswitch_queue"
MEMBER = "telephony.callcenter.xswitch_queue_member"


def agent(login, **extra):
    return dict({"login": login, "name": "Agent %s" % login, "extn": login,
                 "password": "Center-Pw-%s-x" % login}, **extra)


def center(**extra):
    """Three agents, a call-center queue with parameters and two members, a FIFO queue."""
    args = {"domain": "xswitch.cn",
            "agent_defaults": {"status": "Available", "max_no_answer": 3},
            "agents": [agent("9001"), agent("9002", agent_info={"max_no_answer": 5}), agent("9003")],
            "queues": [{"name": "support", "strategy": "longest-idle-agent",
                        "params": {"wait-timeout": 300, "abandoned-resume-allowed": True},
                        "members": ["9001", "9002"]},
                       {"name": "night", "type": "fifo", "strategy": "enterprise",
                        "members": ["9003"]}]}
    args.update(extra)
    return args


def writes(sim):
    return sim.stats("xswitch")["writes"]


def users(sim):
    rows = sim.api("xswitch", "GET", "users", params={"perPage": 1000}).json()["data"]
    return dict((row["login"], row) for row in rows)


def queue_rows(sim):
    rows = sim.api("xswitch", "GET", "queues", params={"perPage": 1000}).json()["data"]
    return dict((row["name"], row) for row in rows)


def members_of(sim, name):
    queue_id = queue_rows(sim)[name]["id"]
    rows = sim.api("xswitch", "GET", "queues/%s/agents" % queue_id,
                   params={"perPage": 1000}).json()["data"]
    return sorted(row["agent_name"] for row in rows)


def params_of(sim, name):
    queue_id = queue_rows(sim)[name]["id"]
    rows = sim.api("xswitch", "GET", "queues/%s/extra_params" % queue_id).json()
    return dict((row["k"], row["v"]) for row in rows)


def test_a_center_is_deployed_in_one_run_and_its_rerun_changes_nothing(sim, play):
    first = play([{CENTER: center()}])[0]
    assert not first.get("failed"), first.get("msg")
    assert first["changed"] is True
    assert first["counts"] == {
        "agents": {"created": 3, "updated": 0, "deleted": 0, "unchanged": 0},
        "queues": {"created": 2, "updated": 0, "deleted": 0, "unchanged": 0},
        "params": {"created": 2, "updated": 0, "deleted": 0, "unchanged": 0},
        "members": {"created": 3, "updated": 0, "deleted": 0, "unchanged": 0}}
    assert first["msg"].startswith("agents: 3 created, 0 updated, 0 deleted, 0 unchanged; queues: 2 created")
    assert first["msg"].endswith("members: 3 added, 0 removed, 0 unchanged")
    assert sorted(entry["login"] for entry in first["changes"]["agents"]) == ["9001", "9002", "9003"]
    assert members_of(sim, "support") == ["9001", "9002"]
    assert members_of(sim, "night") == ["9003"]
    assert params_of(sim, "support")["wait-timeout"] == "300"
    found = users(sim)
    # agent_defaults under each agent's own agent_info; the agent's setting wins.
    assert str(found["9001"]["max_no_answer"]) == "3" and str(found["9002"]["max_no_answer"]) == "5"
    assert found["9001"]["status"] == "Available" and found["9003"]["domain"] == "xswitch.cn"

    before = writes(sim)
    again = play([{CENTER: center()}])[0]
    assert again["changed"] is False, again
    assert writes(sim) == before
    assert again["changes"] == {"agents": [], "queues": [], "params": [], "members": []}
    assert again["counts"]["members"]["unchanged"] == 3 and again["counts"]["agents"]["unchanged"] == 3


def test_the_same_center_deployed_by_the_four_modules_is_unchanged(sim, play):
    args = center()
    queues = [dict((key, value) for key, value in queue.items() if key not in ("params", "members"))
              for queue in args["queues"]]
    agents = [dict(item, domain="xswitch.cn",
                   agent_info=dict(args["agent_defaults"], **item.get("agent_info", {})))
              for item in args["agents"]]
    built = play([{AGENT: {"agents": agents}}, {QUEUE: {"queues": queues}},
                  {"telephony.callcenter.xswitch_queue_param": {
                      "queue": "support", "params": args["queues"][0]["params"]}},
                  {MEMBER: {"queues": [{"name": q["name"], "agents": q["members"], "exclusive": True}
                                       for q in args["queues"]]}}])
    assert not any(result.get("failed") for result in built), built.results
    before = writes(sim)
    run = play([{CENTER: args}])[0]
    assert run["changed"] is False, run["changes"]
    assert writes(sim) == before


def test_check_mode_writes_nothing_and_predicts_the_whole_center(sim, play):
    run = play([{CENTER: center()}], check=True)[0]
    assert not run.get("failed"), run.get("msg")
    assert writes(sim) == 0
    assert run["changed"] is True
    # Parameters and members of queues that do not exist yet are predicted as added,
    # without a warning about a missing queue or agent: the same run creates them.
    assert run["counts"]["params"]["created"] == 2 and run["counts"]["members"]["created"] == 3
    assert not [w for w in run.get("warnings", []) if "does not exist" in w]
    assert users(sim).get("9001") is None


def test_diff_shows_what_changed_and_no_secret(sim, play):
    play([{CENTER: center()}])
    changed = center(queues=[{"name": "support", "params": {"wait-timeout": 200},
                              "members": ["9001", "9003"]}])
    run = play([{CENTER: changed}], diff=True)[0]
    assert run["changed"] is True
    assert run["diff"]["before"]["members"]["support"] == ["9001", "9002"]
    assert run["diff"]["after"]["members"]["support"] == ["9001", "9003"]
    assert run["diff"]["after"]["params"]["support"]["wait-timeout"]["value"] in (200, "200")
    assert run["counts"]["members"] == {"created": 1, "updated": 0, "deleted": 1, "unchanged": 1}
    text = json.dumps(run)
    for login in ("9001", "9002", "9003"):
        assert "Center-Pw-%s-x" % login not in text


def test_bad_input_anywhere_is_refused_before_any_write(sim, play):
    cases = [
        (center(queues=[{"name": "support", "members": "9001"}]),
         'queues[0] (name support).members: must be a list of agent logins, such as ["9001"]'),
        (center(queues=[{"name": "support", "members": ["9001", "9999"]}]),
         "queues[0] (name support).members: agent 9999 does not exist and is not in agents"),
        (center(queues=[{"name": "support", "params": {"no-such-key": 1}}]),
         "unknown CC parameter no-such-key of queue support"),
        (center(queues=[{"name": "support", "params": [{"name": "wait-timeout", "colour": 1}]}]),
         "queues[0] (name support).params[0]: unknown keys colour"),
        (center(agents=[agent("9001"), {"login": "9005", "name": "No extension"}]),
         "extn and password are required to create agent 9005"),
    ]
    run = play([{CENTER: args} for args, dummy in cases])
    for result, (dummy, message) in zip(run.results, cases):
        assert result.get("failed"), result
        assert message in result["msg"], result["msg"]
    assert writes(sim) == 0


def test_a_failure_after_some_writes_names_what_was_applied(sim, play):
    # Adding members is the last write of the run; the agents and queues are in by then.
    sim.faults("xswitch", route="^POST /api/queues/[^/]+/agents", count=10, status=500)
    run = play([{CENTER: center()}])[0]
    assert run.get("failed")
    assert "applied before the failure:" in run["msg"]
    for applied in ("agent: 9001", "queue: support", "queue support: wait-timeout"):
        assert applied in run["msg"], run["msg"]
    assert run["changed"] is True
    assert "9001" in users(sim) and members_of(sim, "support") == []


def test_a_read_that_fails_among_the_queues_read_together_stops_the_run_before_its_writes(
        sim, play):
    play([{CENTER: center()}])
    before = writes(sim)
    # Every read of a queue's members fails; the parameter reads that go out with them succeed.
    sim.faults("xswitch", route="^GET /api/queues/[^/]+/agents", count=1000, status=503)
    wanted = center(max_concurrent_writes=8, retries=0)
    wanted["queues"][0]["params"] = {"wait-timeout": 301}
    run = play([{CENTER: wanted}])[0]
    assert run.get("failed") and "503" in run["msg"], run
    assert "/agents" in run["msg"] and run["changed"] is False, run["msg"]
    assert writes(sim) == before
    assert params_of(sim, "support")["wait-timeout"] == "300"


def test_exclusive_deletes_what_the_lists_do_not_name_and_ends_memberships_first(sim, play):
    play([{CENTER: center()}])
    smaller = center(agents=[agent("9001"), agent("9002")],
                     queues=[{"name": "support", "members": ["9001"]}], exclusive=True)
    run = play([{CENTER: smaller}])[0]
    assert not run.get("failed"), run.get("msg")
    assert run["counts"]["agents"]["deleted"] == 1 and run["counts"]["queues"]["deleted"] == 1
    assert "9003" not in users(sim) and "9001" in users(sim)
    assert set(queue_rows(sim)) == {"support"}
    assert members_of(sim, "support") == ["9001"]
    # Never the system or admin users.
    assert "admin" in users(sim)


def test_left_out_lists_and_members_are_left_alone(sim, play):
    play([{CENTER: center()}])
    before = writes(sim)
    run = play([{CENTER: {"queues": [{"name": "support"}, {"name": "night"}], "exclusive": True}},
                {CENTER: {"agents": [], "queues": [], "exclusive": True}}])
    assert not any(result.get("failed") for result in run.results), run.results
    assert run[0]["changed"] is False and run[1]["changed"] is False
    assert writes(sim) == before
    assert set(queue_rows(sim)) == {"support", "night"}
    assert members_of(sim, "support") == ["9001", "9002"]


def test_members_empty_list_empties_the_queue(sim, play):
    play([{CENTER: center()}])
    run = play([{CENTER: {"queues": [{"name": "support", "members": []}]}}])[0]
    assert not run.get("failed"), run.get("msg")
    assert run["counts"]["members"]["deleted"] == 2
    assert members_of(sim, "support") == []


def test_a_queue_and_an_agent_another_run_created_first_get_their_params_and_members(sim, play):
    # The server stores the create, then answers with the unique-key refusal, as when another
    # run's create of the same object won the race. The run converges on the stored object,
    # which its earlier reads never saw, and must still set its parameters and members.
    duplicate = '{"code": 500, "message": "pq: duplicate key value violates unique constraint \\"%s\\""}'
    sim.faults("xswitch", route="^POST /api/queues$", count=1, status=500, after_handling=True,
               body=duplicate % "queues_name_key")
    sim.faults("xswitch", route="^POST /api/users$", count=1, status=500, after_handling=True,
               body=duplicate % "users_login_key")
    # One agent and one queue, so that no other create makes the run read everything back.
    small = center(agents=[agent("9001")],
                   queues=[{"name": "support", "params": {"wait-timeout": 300}, "members": ["9001"]}])
    run = play([{CENTER: small}])[0]
    assert not run.get("failed"), run.get("msg")
    assert [fault["remaining"] for fault in sim.faults("xswitch")] == [0, 0]
    assert members_of(sim, "support") == ["9001"]
    assert params_of(sim, "support")["wait-timeout"] == "300"
    again = play([{CENTER: small}])[0]
    assert again["changed"] is False, again["changes"]
