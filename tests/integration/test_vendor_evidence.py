"""What the vendor's own code and pages show, held against the collection end to end.

Each test stands for a fact of docs/api/xswitch.md taken from the vendor's web client
(xswitch-cn/CherryPBX), XUI (seven1240/xui) or the vendor's pages: logins that lock, logouts,
deletes of nothing answered 500, paging without pageCount, password changes that go by the
session and are confirmed by the hash.
"""

import hashlib
import sqlite3

AGENT = "telephony.callcenter.xswitch_agent"
AGENT_INFO = "telephony.callcenter.xswitch_agent_info"


def agent(login, **options):
    body = {"login": login, "name": "Agent " + login, "extn": login, "password": "Pw-" + login + "-1"}
    body.update(options)
    return {AGENT: body}


def sessions_post(sim):
    return sim.stats("xswitch")["requests"].get("POST /api/sessions", 0)


def open_sessions(sim):
    connection = sqlite3.connect("file:%s?mode=ro" % sim.db_path, uri=True, timeout=30)
    try:
        return connection.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
    finally:
        connection.close()


def signed_in(sim, password=None):
    return {"xswitch_url": sim.xswitch_url, "xswitch_username": sim.admin_login,
            "xswitch_password": password or sim.admin_password}


def user_row(sim, login):
    rows = sim.api("xswitch", "GET", "users", params={"perPage": 1000}).json()["data"]
    return next((row for row in rows if row["login"] == login), None)


def test_a_refused_login_is_sent_once_for_all_items(sim, play):
    run = play([{AGENT: {"agents": [
        {"login": "2001", "name": "A", "extn": "2001", "password": "Pw-2001-1"},
        {"login": "2002", "name": "B", "extn": "2002", "password": "Pw-2002-1"},
        {"login": "2003", "name": "C", "extn": "2003", "password": "Pw-2003-1"}]}}],
        xswitch=signed_in(sim, password="Not-The-Password-9"))
    assert run[0]["failed"] is True and "login refused" in run[0]["msg"]
    assert "Not-The-Password-9" not in run.stdout
    assert sessions_post(sim) == 1


def test_a_locked_login_is_a_clear_error_and_is_not_tried_again(sim, play):
    assert sim.config("xswitch")["login_lockout"] is True
    for dummy in range(5):
        refused = sim.api("xswitch", "POST", "sessions", auth=False,
                          json={"login": sim.admin_login, "password": "wrong"})
        assert refused.status_code == 403
    before = sessions_post(sim)
    # The right password now: the lock holds for two hours whatever is sent.
    run = play([{AGENT_INFO: {}}, {AGENT_INFO: {}}], xswitch=signed_in(sim))
    for result in run.results:
        assert result["failed"] is True
        assert "login refused" in result["msg"] and "locked" in result["msg"].lower()
    # One attempt per module run, none repeated inside a run.
    assert sessions_post(sim) - before == 2
    assert sim.admin_password not in run.stdout


def test_without_lockout_the_right_password_still_works(sim, play):
    sim.config("xswitch", login_lockout=False)
    for dummy in range(6):
        sim.api("xswitch", "POST", "sessions", auth=False,
                json={"login": sim.admin_login, "password": "wrong"})
    run = play([{AGENT_INFO: {}}], xswitch=signed_in(sim))
    assert not run[0].get("failed"), run[0]


def test_a_run_that_logged_in_logs_out_at_the_end(sim, play):
    before = open_sessions(sim)
    run = play([agent("2101"), agent("2101", state="absent"), {AGENT_INFO: {}}],
               xswitch=signed_in(sim))
    assert [result.get("failed", False) for result in run.results] == [False, False, False]
    requests_seen = sim.stats("xswitch")["requests"]
    assert requests_seen.get("POST /api/sessions") == 3
    assert requests_seen.get("DELETE /api/sessions") == 3
    assert open_sessions(sim) == before


def test_a_failed_run_logs_out_too(sim, play):
    sim.faults("xswitch", route="^POST /api/users$", status=400,
               body={"code": 400, "message": "refused by a test"}, count=1)
    run = play([agent("2102")], xswitch=signed_in(sim))
    assert run[0]["failed"] is True and "refused by a test" in run[0]["msg"]
    requests_seen = sim.stats("xswitch")["requests"]
    assert requests_seen.get("POST /api/sessions") == 1
    assert requests_seen.get("DELETE /api/sessions") == 1


def test_a_given_token_is_never_logged_out(sim, play):
    run = play([{AGENT_INFO: {}}])
    assert not run[0].get("failed")
    assert "DELETE /api/sessions" not in sim.stats("xswitch")["requests"]


def test_a_delete_answered_500_is_settled_by_a_read(sim, play):
    play([agent("2201"), agent("2202")])
    # Applied, then answered 500 "{}" (as XUI answers a delete that deleted nothing).
    sim.faults("xswitch", route="^DELETE /api/users/", status=500, body={}, after_handling=True,
               count=1)
    run = play([agent("2201", state="absent")])
    assert run[0]["changed"] is True and not run[0].get("failed"), run[0]
    assert user_row(sim, "2201") is None
    # Not applied, answered 500: still there when read, so a failure with the server's text.
    sim.faults("xswitch", route="^DELETE /api/users/", status=500,
               body={"code": 500, "message": "violates foreign key"}, count=1)
    run = play([agent("2202", state="absent")])
    assert run[0]["failed"] is True
    assert "still there" in run[0]["msg"] and "violates foreign key" in run[0]["msg"]
    assert user_row(sim, "2202") is not None


def test_paging_without_page_count_and_by_page_size(sim, play):
    logins = ["23%02d" % number for number in range(12)]
    items = [{"login": login, "name": "N" + login, "extn": login, "password": "Pw-%s-1" % login}
             for login in logins]
    for position in ({"page_count_in_reply": False, "max_per_page": 5},
                     {"page_size_param": "page_size", "max_per_page": 5, "paging": "honoured"}):
        sim.reset()
        sim.config("xswitch", **position)
        run = play([{AGENT: {"agents": items}}, {AGENT: {"agents": items}}, {AGENT_INFO: {}}])
        assert run[0]["changed"] is True and not run[0].get("failed"), (position, run[0])
        assert run[1]["changed"] is False, (position, run[1])
        listed = sorted(agent["login"] for agent in run[2]["agents"])
        assert [login for login in listed if login.startswith("23")] == logins, position


def test_a_password_change_goes_by_the_agents_own_session(sim, play):
    # XUI's change_password changes the signed-in user and ignores the body's id.
    sim.config("xswitch", change_password_target="session")
    admin_before = user_row(sim, sim.admin_login)["ha1"]
    play([agent("2401")])
    run = play([agent("2401", password="Pw-2401-2", old_password="Pw-2401-1")])
    assert run[0]["changed"] is True and not run[0].get("failed"), run[0]
    stored = user_row(sim, "2401")
    assert stored["ha1"] == hashlib.md5(b"2401:xswitch.cn:Pw-2401-2").hexdigest()
    assert user_row(sim, sim.admin_login)["ha1"] == admin_before
    # The agent's session was closed after the change.
    requests_seen = sim.stats("xswitch")["requests"]
    assert requests_seen.get("DELETE /api/sessions") == requests_seen.get("POST /api/sessions")


def test_a_reset_that_changed_another_users_password_is_a_failure(sim, play):
    # A server where a super admin may reset without old_password, but that goes by the
    # session: the reset lands on the connected account, and the hash read back shows it.
    sim.config("xswitch", change_password_target="session", super_admin_resets_password=True)
    play([agent("2402")])
    run = play([agent("2402", password="Pw-2402-2")])
    assert run[0]["failed"] is True, run[0]
    assert "2402" in run[0]["msg"] and "did not" in run[0]["msg"]
    assert "Pw-2402-2" not in run.stdout
    assert user_row(sim, "2402")["ha1"] == hashlib.md5(b"2402:xswitch.cn:Pw-2402-1").hexdigest()


def test_a_wrong_old_password_is_refused_before_any_write(sim, play):
    play([agent("2403")])
    before = sim.stats("xswitch")["writes"]
    run = play([agent("2403", password="Pw-2403-2", old_password="Not-It-1")])
    assert run[0]["failed"] is True and "old_password" in run[0]["msg"]
    assert sim.stats("xswitch")["writes"] == before
    assert sessions_post(sim) == 0
