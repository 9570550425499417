"""xswitch_queue, xswitch_queue_param, xswitch_queue_member and xswitch_queue_info through
real ansible-playbook runs against the simulator."""

import concurrent.futures

QUEUE = "telephony.callcenter.xswitch_queue"
PARAM = "telephony.callcenter.xswitch_queue_param"
MEMBER = "telephony.callcenter.xswitch_queue_member"
INFO = "telephony.callcenter.xswitch_queue_info"
AGENT = "telephony.callcenter.xswitch_agent"

# The API document's queue, as its POST example writes it.
TEST2 = {"name": "test2", "type": "callcenter", "strategy": "agent-with-fewest-calls",
         "description": "test", "template": "default", "cti_template": "callcenter",
         "moh_sound": 411, "auto_record": True}
# The API document's parameter examples.
DOCUMENTED_PARAMS = {"announce-sound": "1",
                     "overflow-capacity-action": {"action": "transfer", "data": "1009"},
                     "discard-abandoned-after": 600,
                     "abandoned-resume-allowed": True}


def requests_of(sim, route):
    return sim.stats("xswitch")["requests"].get(route, 0)


def writes(sim):
    return sim.stats("xswitch")["writes"]


def queue_row(sim, name):
    rows = sim.api("xswitch", "GET", "queues", params={"perPage": 1000}).json()["data"]
    return next((row for row in rows if row["name"] == name), None)


def params_of(sim, name):
    row = queue_row(sim, name)
    return dict((param["k"], param) for param in
                sim.api("xswitch", "GET", "queues/%s/extra_params" % row["id"]).json())


def members_of(sim, name):
    row = queue_row(sim, name)
    rows = sim.api("xswitch", "GET", "queues/%s/agents" % row["id"],
                   params={"perPage": 1000}).json()["data"]
    return sorted(member["agent_name"] for member in rows)


def make_agents(play, *logins):
    run = play([{AGENT: {"agents": [{"login": login, "extn": login, "password": "Pw-%s-x" % login}
                                    for login in logins]}}])
    assert not run[0].get("failed"), run[0].get("msg")


def test_the_documented_queue_and_its_rerun(sim, play):
    run = play([{QUEUE: TEST2}, {QUEUE: TEST2},
                {QUEUE: dict(TEST2, moh_sound="411", auto_record="yes")}])
    created, again, by_meaning = run.results
    assert created["changed"] is True and created["queue"]["strategy"] == "agent-with-fewest-calls"
    assert created["queue"]["moh_sound"]["media_id"] == "411"
    assert again["changed"] is False and by_meaning["changed"] is False
    assert requests_of(sim, "POST /api/queues") == 1
    assert requests_of(sim, "PUT /api/queues/<id>") == 0


def test_media_compares_by_id_and_by_path(sim, play):
    play([{QUEUE: TEST2}])
    run = play([
        {QUEUE: {"name": "test2", "greeting": "phrase:welcome@xui"}},
        {QUEUE: {"name": "test2", "greeting": {"media_path": "phrase:welcome@xui"}}},
        {QUEUE: {"name": "test2", "moh_sound": {"media_id": 411}}},
        {QUEUE: {"name": "test2", "moh_sound": 204}},
    ])
    path_set, same_path, same_id, other_id = run.results
    assert path_set["changed"] is True
    assert path_set["diff"]["after"] == {"greeting": {"media_path": "phrase:welcome@xui"}}
    assert same_path["changed"] is False and same_id["changed"] is False
    assert other_id["changed"] is True
    assert queue_row(sim, "test2")["moh_sound"]["media_id"] == "204"


def test_type_change_and_wrong_strategy_are_refused(sim, play):
    play([{QUEUE: TEST2}])
    before = writes(sim)
    run = play([{QUEUE: {"name": "test2", "type": "fifo"}},
                {QUEUE: {"name": "test2", "strategy": "ringall"}},
                {QUEUE: {"name": "new-fifo", "type": "fifo", "strategy": "ring-all"}},
                {QUEUE: {"queues": [{"name": "a1", "strategy": "ring-all"},
                                    {"name": "a2", "type": "fifo", "strategy": "top-down"}]}}])
    assert "type cannot be changed on an existing queue" in run[0]["msg"]
    assert "strategy ringall is not a callcenter strategy" in run[1]["msg"]
    assert "strategy ring-all is not a fifo strategy" in run[2]["msg"]
    assert "queues[1] (name a2): strategy top-down is not a fifo strategy" in run[3]["msg"]
    assert all(result["failed"] for result in run.results)
    assert writes(sim) == before
    assert queue_row(sim, "a1") is None


def test_queue_list_form_and_exclusive(sim, play):
    queues = [{"name": "support", "strategy": "longest-idle-agent"},
              {"name": "sales", "strategy": "ring-all"},
              {"name": "callback", "type": "fifo", "strategy": "ringall"}]
    run = play([{QUEUE: {"queues": queues}}, {QUEUE: {"queues": queues}},
                {QUEUE: {"queues": queues[:1], "exclusive": True}}])
    assert run[0]["changed"] is True and run[1]["changed"] is False
    deleted = sorted(entry["name"] for entry in run[2]["results"] if entry["action"] == "deleted")
    assert deleted == ["callback", "sales"]
    assert queue_row(sim, "sales") is None and queue_row(sim, "support") is not None


def test_queue_check_mode_and_absent(sim, play):
    play([{QUEUE: TEST2}])
    before = writes(sim)
    check = play([{QUEUE: dict(TEST2, strategy="random")}, {QUEUE: {"name": "test2", "state": "absent"}},
                  {QUEUE: {"name": "brand-new"}}], check=True)
    assert [result["changed"] for result in check.results] == [True, True, True]
    assert check[0]["diff"]["after"] == {"strategy": "random"}
    assert writes(sim) == before
    run = play([{QUEUE: {"name": "test2", "state": "absent"}}, {QUEUE: {"name": "test2", "state": "absent"}}])
    assert run[0]["changed"] is True and run[1]["changed"] is False


def test_the_documented_params_and_their_rerun(sim, play):
    play([{QUEUE: TEST2}])
    run = play([{PARAM: {"queue": "test2", "params": DOCUMENTED_PARAMS}},
                {PARAM: {"queue": "test2", "params": DOCUMENTED_PARAMS}}])
    assert run[0]["changed"] is True and run[0]["realm"] == "CC"
    assert run[1]["changed"] is False
    stored = params_of(sim, "test2")
    assert stored["abandoned-resume-allowed"]["v"] == "true"
    assert stored["discard-abandoned-after"]["v"] == "600"
    assert stored["overflow-capacity-action"]["v"].replace(" ", "") in (
        '{"action":"transfer","data":"1009"}', '{"data":"1009","action":"transfer"}')
    # The API document's update example: a new value is one PUT, then unchanged.
    run = play([{PARAM: {"queue": "test2", "params": {"discard-abandoned-after": "700"}}},
                {PARAM: {"queue": "test2", "params": {"discard-abandoned-after": 700}}}])
    assert run[0]["changed"] is True and run[1]["changed"] is False
    assert run[0]["diff"]["before"] == {"discard-abandoned-after": {"value": 600}}
    assert requests_of(sim, "PUT /api/queues/<id>/extra_params/<pid>") == 1


def test_action_values_compare_as_json(sim, play):
    play([{QUEUE: TEST2}, {PARAM: {"queue": "test2", "params": DOCUMENTED_PARAMS}}])
    before = writes(sim)
    run = play([{PARAM: {"queue": "test2", "params": {
        "overflow-capacity-action": '{ "data" : "1009", "action" : "transfer" }'}}},
        {PARAM: {"queue": "test2", "params": [
            {"name": "overflow-capacity-action", "value": {"data": "1009", "action": "transfer"}}]}}])
    assert run[0]["changed"] is False and run[1]["changed"] is False
    assert writes(sim) == before
    run = play([{PARAM: {"queue": "test2", "params": {"overflow-capacity-action": {"action": "hangup"}}}}])
    assert run[0]["changed"] is True


def test_enable_and_disable_are_idempotent(sim, play):
    play([{QUEUE: TEST2}, {PARAM: {"queue": "test2", "params": DOCUMENTED_PARAMS}}])
    off = {"queue": "test2", "params": [{"name": "announce-sound", "value": "1", "enabled": False}]}
    on = {"queue": "test2", "params": [{"name": "announce-sound", "enabled": True}]}
    run = play([{PARAM: off}, {PARAM: off}, {PARAM: on}, {PARAM: on}])
    assert [result["changed"] for result in run.results] == [True, False, True, False]
    assert run[0]["diff"]["after"] == {"announce-sound": {"enabled": False}}
    assert requests_of(sim, "PUT /api/queues/<id>/extra_params/<pid>") == 2
    assert params_of(sim, "test2")["announce-sound"]["disabled"] in (0, "0")
    created_off = play([{PARAM: {"queue": "test2", "params": [
        {"name": "wait-timeout", "value": 120, "enabled": False}]}}])
    assert created_off[0]["changed"] is True
    assert params_of(sim, "test2")["wait-timeout"]["disabled"] in (1, "1")


def test_fifo_queue_importance_and_exclusive_params(sim, play):
    fifo = {"name": "FIFO2", "type": "fifo", "strategy": "ringall"}
    run = play([{QUEUE: fifo}, {PARAM: {"queue": "FIFO2", "params": {"importance": 0}}},
                {PARAM: {"queue": "FIFO2", "params": {"importance": "0"}}}])
    assert run[1]["realm"] == "FIFO"
    assert run[2]["changed"] is False
    assert params_of(sim, "FIFO2")["importance"]["v"] == "0"
    check = play([{PARAM: {"queue": "FIFO2", "params": {"importance": 0}, "exclusive": True}}],
                 check=True)
    planned = sorted(entry["name"] for entry in check[0]["results"] if entry["action"] == "deleted")
    run = play([{PARAM: {"queue": "FIFO2", "params": {"importance": 0}, "exclusive": True}}])
    deleted = sorted(entry["name"] for entry in run[0]["results"] if entry["action"] == "deleted")
    assert planned == deleted and deleted
    assert list(params_of(sim, "FIFO2")) == ["importance"]
    run = play([{PARAM: {"queue": "FIFO2", "params": ["importance"], "state": "absent"}},
                {PARAM: {"queue": "FIFO2", "params": ["importance"], "state": "absent"}}])
    assert run[0]["changed"] is True and run[1]["changed"] is False


def test_param_check_mode_sends_no_write(sim, play):
    play([{QUEUE: TEST2}, {PARAM: {"queue": "test2", "params": DOCUMENTED_PARAMS}}])
    before = writes(sim)
    run = play([{PARAM: {"queue": "test2", "params": {"discard-abandoned-after": 1, "wait-timeout": 3}}},
                {PARAM: {"queue": "test2", "params": [{"name": "announce-sound", "enabled": False}]}}],
               check=True)
    assert run[0]["changed"] is True and run[1]["changed"] is True
    assert writes(sim) == before


def test_param_validation_errors_write_nothing(sim, play):
    play([{QUEUE: TEST2}])
    before = writes(sim)
    run = play([{PARAM: {"queue": "test2", "params": {"announce-sound": "1", "no-such-key": 1}}},
                {PARAM: {"queue": "no-such-queue", "params": {"announce-sound": "1"}}},
                {PARAM: {"queue": "test2", "params": {"importance": 0}}},
                {PARAM: {"queue": "test2", "params": [
                    {"name": "announce-sound", "value": 1, "enabled": "maybe"}]}},
                {PARAM: {"queue": "test2", "params": "announce-sound"}}])
    assert "unknown CC parameter no-such-key of queue test2" in run[0]["msg"]
    assert "queue no-such-queue does not exist" in run[1]["msg"]
    assert "unknown CC parameter importance" in run[2]["msg"]
    assert "params[0] (name announce-sound): enabled must be a boolean" in run[3]["msg"]
    assert "params must be a mapping" in run[4]["msg"]
    assert all(result["failed"] for result in run.results)
    assert writes(sim) == before


def test_members_in_one_request_rerun_and_exclusive(sim, play):
    make_agents(play, "1001", "1002", "1003", "1004")
    play([{QUEUE: TEST2}])
    run = play([{MEMBER: {"queue": "test2", "agents": ["1001", "1002", "1003"]}},
                {MEMBER: {"queue": "test2", "agents": ["1001", "1002", "1003"]}}])
    assert run[0]["changed"] is True and run[1]["changed"] is False
    assert requests_of(sim, "POST /api/queues/<id>/agents") == 1
    assert run[0]["diff"] == {"before": {"members": []},
                              "after": {"members": ["1001", "1002", "1003"]}}
    assert members_of(sim, "test2") == ["1001", "1002", "1003"]
    before = writes(sim)
    check = play([{MEMBER: {"queue": "test2", "agents": ["1002", "1004"], "exclusive": True}}],
                 check=True)
    assert check[0]["diff"]["after"] == {"members": ["1002", "1004"]}
    assert writes(sim) == before
    assert members_of(sim, "test2") == ["1001", "1002", "1003"]
    run = play([{MEMBER: {"queue": "test2", "agents": ["1002", "1004"], "exclusive": True}},
                {MEMBER: {"queue": "test2", "agents": ["1004"], "state": "absent"}},
                {MEMBER: {"queue": "test2", "agents": ["1004"], "state": "absent"}}])
    removed = sorted(entry["agent"] for entry in run[0]["results"] if entry["action"] == "deleted")
    assert removed == ["1001", "1003"]
    assert [result["changed"] for result in run.results] == [True, True, False]
    assert members_of(sim, "test2") == ["1002"]
    assert sorted(member["agent_name"] for member in run[1]["members"]) == ["1002"]


def test_member_errors_write_nothing(sim, play):
    make_agents(play, "1001")
    play([{QUEUE: TEST2}])
    before = writes(sim)
    run = play([{MEMBER: {"queue": "test2", "agents": ["1001", "9999"]}},
                {MEMBER: {"queue": "nope", "agents": ["1001"]}}])
    assert "agents[1] (agent 9999): agent 9999 does not exist" in run[0]["msg"]
    assert "queue nope does not exist" in run[1]["msg"]
    assert writes(sim) == before
    assert members_of(sim, "test2") == []


def test_queue_info(sim, play):
    make_agents(play, "1001")
    play([{QUEUE: TEST2}, {PARAM: {"queue": "test2", "params": DOCUMENTED_PARAMS}},
          {MEMBER: {"queue": "test2", "agents": ["1001"]}},
          {QUEUE: {"name": "other", "strategy": "random"}}])
    run = play([{INFO: {}}, {INFO: {"name": "test2", "include_params": True, "include_members": True}},
                {INFO: {"name": "none"}}], check=True)
    assert sorted(queue["name"] for queue in run[0]["queues"]) == ["other", "test2"]
    queue = run[1]["queue"]
    assert sorted(param["k"] for param in queue["params"]) == sorted(DOCUMENTED_PARAMS)
    assert [member["agent_name"] for member in queue["members"]] == ["1001"]
    assert run[2]["queues"] == [] and "queue" not in run[2]


def test_parallel_member_runs_converge(sim, play):
    """Four runs add the same members at once: the duplicate-member refusal is absorbed."""
    logins = [str(n) for n in range(1101, 1107)]
    make_agents(play, *logins)
    play([{QUEUE: TEST2}])
    # Each add waits before it is handled, so every run reads the members before any add lands.
    sim.faults("xswitch", route="^POST /api/queues/[0-9]+/agents$", count=4, latency=1.5)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda dummy: play([{MEMBER: {"queue": "test2", "agents": logins}}]),
                             range(4)))
    for run in runs:
        assert not run[0].get("failed"), run[0].get("msg")
    assert members_of(sim, "test2") == logins


def test_check_mode_of_a_whole_new_queue(sim, play):
    """A dry run of a center not deployed yet: the queue, its parameters and its members are
    all reported as to be added, nothing is written, and nothing fails."""
    run = play([
        {AGENT: {"agents": [{"login": "1201", "extn": "1201", "password": "Pw-1201-x"}]}},
        {QUEUE: {"name": "fresh", "type": "fifo", "strategy": "ringall"}},
        {PARAM: {"queue": "fresh", "params": {"importance": 0}}},
        {MEMBER: {"queue": "fresh", "agents": ["1201"]}},
    ], check=True)
    assert [result["changed"] for result in run.results] == [True, True, True, True]
    assert not any(result.get("failed") for result in run.results)
    assert run[2]["realm"] == "FIFO" and run[2]["queue_id"] is None
    assert any("queue fresh does not exist" in warning for warning in run[2]["warnings"])
    assert any("agent 1201 does not exist" in warning for warning in run[3]["warnings"])
    assert run[3]["diff"]["after"] == {"members": ["1201"]}
    assert writes(sim) == 0
    real = play([{PARAM: {"queue": "fresh", "params": {"importance": 0}}}])
    assert real[0]["failed"] is True and "queue fresh does not exist" in real[0]["msg"]


def test_many_queues_in_one_run_read_each_list_once(sim, play):
    make_agents(play, "7001", "7002", "7003")
    fifo = {"name": "qc", "type": "fifo", "strategy": "ringall"}
    play([{QUEUE: {"queues": [{"name": "qa"}, {"name": "qb"}, fifo]}}])
    before = sim.stats("xswitch")["requests"]
    run = play([
        {MEMBER: {"queues": [{"name": "qa", "agents": ["7001", "7002"]},
                             {"name": "qb", "agents": ["7003"]},
                             {"name": "qc", "agents": []}]}},
        {PARAM: {"queues": [{"name": "qa", "params": {"wait-timeout": 300}},
                            {"name": "qb", "params": {"wait-timeout": 200, "capacity": 5}},
                            {"name": "qc", "params": {"importance": 3}}]}},
    ])
    after = sim.stats("xswitch")["requests"]
    members, params = run.results
    assert members["changed"] is True and members["msg"] == "members: 3 added, 0 removed, 0 unchanged"
    assert [q["name"] for q in members["queues"]] == ["qa", "qb", "qc"]
    assert [len(q["results"]) for q in members["queues"]] == [2, 1, 0]
    assert params["msg"] == "params: 3 created, 1 updated, 0 deleted, 0 unchanged"
    assert [q["realm"] for q in params["queues"]] == ["CC", "CC", "FIFO"]
    assert members_of(sim, "qa") == ["7001", "7002"] and members_of(sim, "qb") == ["7003"]
    assert params_of(sim, "qb")["capacity"]["v"] == "5"
    # One queue list and one user list per module run, each dictionary once.
    assert after["GET /api/queues"] - before.get("GET /api/queues", 0) == 2
    assert after["GET /api/users"] - before.get("GET /api/users", 0) == 1
    assert after["GET /api/dicts/realm/<realm>"] - before.get("GET /api/dicts/realm/<realm>", 0) == 2
    rerun = play([{MEMBER: {"queues": [{"name": "qa", "agents": ["7001", "7002"]},
                                       {"name": "qb", "agents": ["7003"]}]}}])
    assert rerun[0]["changed"] is False


def test_an_error_in_one_queue_writes_nothing_in_any(sim, play):
    make_agents(play, "7101")
    play([{QUEUE: {"queues": [{"name": "qd"}, {"name": "qe"}]}}])
    before = writes(sim)
    run = play([
        {MEMBER: {"queues": [{"name": "qd", "agents": ["7101"]},
                             {"name": "qe", "agents": ["no-such-agent"]}]}},
        {PARAM: {"queues": [{"name": "qd", "params": {"wait-timeout": 300}},
                            {"name": "qe", "params": {"not-a-key": 1}}]}},
        {MEMBER: {"queues": [{"name": "qd", "agents": []}], "exclusive": True}},
    ])
    assert run[0]["failed"] and "queues[1].agents[0] (agent no-such-agent)" in run[0]["msg"]
    assert run[1]["failed"] and "not-a-key" in run[1]["msg"] and "queue qe" in run[1]["msg"]
    assert run[2]["failed"] and "allow_delete_all" in run[2]["msg"]
    assert writes(sim) == before
