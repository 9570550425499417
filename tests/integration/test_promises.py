"""Promises the README makes, each with a test that fails when the code keeping it goes."""

from test_server_assumptions import queues, users

AGENT = "telephony.callcenter.xswitch_agent"
PARAM = "telephony.callcenter.xswitch_queue_param"
QUEUE = "telephony.callcenter.xswitch_queue"
TOGGLE_ROUTE = "PUT /api/queues/<id>/extra_params/<pid>"


def test_the_admin_user_is_never_deleted_even_as_an_agent(sim, play):
    sim.api("xswitch", "PUT", "users/1", json={"type": "AGENT"})
    assert users(sim)["admin"]["type"] == "AGENT"
    run = play([{AGENT: {"agents": [{"login": "5001", "extn": "5001", "password": "Pw-5001-x"}],
                         "exclusive": True}},
                {AGENT: {"login": "admin", "state": "absent"}}])
    # The exclusive list leaves the super admin alone; naming it is refused before any write.
    assert not run[0].get("failed")
    assert run[1]["failed"] is True and run[1]["changed"] is False
    assert "`admin` is the server's super admin; the collection never changes it" in run[1]["msg"]
    assert "admin" in users(sim) and "system" in users(sim)


def toggle_setup(sim, play):
    play([{QUEUE: {"name": "tg"}}, {PARAM: {"queue": "tg", "params": {"capacity": 5}}}])
    return {PARAM: {"queue": "tg", "params": [{"name": "capacity", "value": 5, "enabled": False}]}}


def capacity_disabled(sim):
    rows = sim.api("xswitch", "GET", "queues/%s/extra_params" % queues(sim)["tg"]["id"]).json()
    return str(rows[0]["disabled"]) == "1"


def toggles(sim):
    return sim.stats("xswitch")["requests"].get(TOGGLE_ROUTE, 0)


def test_a_busy_toggle_is_sent_once_and_the_rerun_converges(sim, play):
    task = toggle_setup(sim, play)
    sim.faults("xswitch", route="^PUT /api/queues/[0-9]+/extra_params/[0-9]+$", count=1, status=503)
    before = toggles(sim)
    result = play([task])[0]
    assert result["failed"] and "HTTP 503" in result["msg"]
    assert toggles(sim) - before == 1 and not capacity_disabled(sim)
    assert play([task])[0]["changed"] is True and capacity_disabled(sim)


def test_a_toggle_whose_reply_is_lost_is_read_back_not_replayed(sim, play):
    task = toggle_setup(sim, play)
    sim.faults("xswitch", route="^PUT /api/queues/[0-9]+/extra_params/[0-9]+$", count=1,
               drop=True, after_handling=True)
    before = toggles(sim)
    result = play([task])[0]
    assert not result.get("failed"), result
    assert result["changed"] is True and any("reply to the toggle was lost" in w for w in result["warnings"])
    assert toggles(sim) - before == 1 and capacity_disabled(sim)
    assert play([task])[0]["changed"] is False
