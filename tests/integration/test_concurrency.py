"""Many runs at once against one server: nothing duplicated, nothing lost, no false success."""

import concurrent.futures

from test_server_assumptions import DEMO_VARS, declared_members, deploy, members, queues, role_result, rows

PARAM = "telephony.callcenter.xswitch_queue_param"
QUEUE = "telephony.callcenter.xswitch_queue"


def test_ten_concurrent_deploys_of_the_demo_center(sim, play):
    # A slow database widens the window between each uniqueness check and its insert.
    sim.config("xswitch", write_latency=0.2)
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        runs = list(pool.map(lambda dummy: play([deploy()]), range(10)))
    for run in runs:
        result = run[0]
        assert "Traceback" not in run.stdout
        if result.get("failed"):
            # A run may lose a race it cannot absorb, but it must say what happened.
            assert result.get("msg"), run.stdout
    sim.config("xswitch", write_latency=0)
    logins = [row["login"] for row in rows(sim, "users")]
    assert sorted(logins) == sorted(["system", "admin"] + [a["login"] for a in DEMO_VARS["xswitch_center_agents"]])
    names = [row["name"] for row in rows(sim, "queues")]
    assert sorted(names) == sorted(q["name"] for q in DEMO_VARS["xswitch_center_queues"])
    for name in names:
        keys = [row["k"] for row in sim.api("xswitch", "GET", "queues/%s/extra_params" % queues(sim)[name]["id"]).json()]
        assert len(keys) == len(set(keys)), (name, keys)
    again = play([deploy(), role_result("xswitch_center_result")])
    assert not again[0].get("failed"), again.stdout
    assert again[1]["xswitch_center_result"]["changed"] is False
    assert dict((name, members(sim, name)) for name in declared_members()) == declared_members()


def test_concurrent_toggles_never_report_a_state_they_did_not_reach(sim, play):
    play([{QUEUE: {"name": "tq"}}, {PARAM: {"queue": "tq", "params": {"wait-timeout": 300}}}])
    task = {PARAM: {"queue": "tq", "params": [{"name": "wait-timeout", "value": 300, "enabled": False}]}}
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        runs = list(pool.map(lambda dummy: play([task]), range(10)))
    queue_id = queues(sim)["tq"]["id"]
    param = sim.api("xswitch", "GET", "queues/%s/extra_params" % queue_id).json()[0]
    outcomes = [run[0] for run in runs]
    for outcome in outcomes:
        assert not outcome.get("failed") or "did not reach the state" in outcome["msg"] \
            or "toggle" in outcome["msg"], outcome
    if not any(outcome.get("failed") for outcome in outcomes):
        # Every run ends with a read after its own last toggle: the last one to end saw the
        # final state, so all reporting success means the flag is where they wanted it.
        assert str(param["disabled"]) == "1"
    rerun = play([task])[0]
    assert not rerun.get("failed")
    param = sim.api("xswitch", "GET", "queues/%s/extra_params" % queue_id).json()[0]
    assert str(param["disabled"]) == "1"
