"""xswitch_agent through real ansible-playbook runs against the simulator."""

import concurrent.futures
import hashlib

import pytest

AGENT = "telephony.callcenter.xswitch_agent"
ALICE = {"login": "1006", "name": "Alice", "extn": "1006", "password": "Alice-Pw-1",
         "context": "context-1",
         "agent_info": {"status": "Available", "max_no_answer": 5, "hardware_phone_only": False}}


def task(**options):
    return {AGENT: options}


def alice(**changes):
    """The agent task for ALICE with some options changed."""
    options = dict(ALICE)
    options.update(changes)
    return {AGENT: options}


def user_by_login(sim, login):
    rows = sim.api("xswitch", "GET", "users", params={"perPage": 1000}).json()["data"]
    return next((row for row in rows if row["login"] == login), None)


def writes(sim):
    return sim.stats("xswitch")["writes"]


def test_agent_lifecycle(sim, play):
    run = play([
        alice(),
        alice(),
        alice(agent_info={"status": "Available", "max_no_answer": "5",
                          "hardware_phone_only": "no"}),
        alice(agent_info={"status": "On Break", "max_no_answer": 5}, update_status="always"),
    ])
    created, again, same_by_meaning, one_field = run.results
    assert created["changed"] is True and not created.get("failed")
    assert created["id"] and created["agent"]["login"] == "1006"
    assert created["agent"]["type"] == "AGENT"
    assert created["agent"]["status"] == "Available"
    assert created["agent"]["max_no_answer"] == "5"
    assert again["changed"] is False
    assert same_by_meaning["changed"] is False
    assert one_field["changed"] is True
    assert one_field["diff"]["before"] == {"agent_info": {"status": "Available"}}
    assert one_field["diff"]["after"] == {"agent_info": {"status": "On Break"}}
    stored = user_by_login(sim, "1006")
    assert stored["status"] == "On Break"
    expected = hashlib.md5(b"1006:xswitch.cn:Alice-Pw-1").hexdigest()
    assert stored["ha1"] == expected


def test_unchanged_rerun_sends_no_write(sim, play):
    play([alice()])
    before = writes(sim)
    run = play([alice()])
    assert run[0]["changed"] is False
    assert writes(sim) == before


def test_check_mode_sends_no_write_and_predicts(sim, play):
    play([alice()])
    before = writes(sim)
    run = play([
        alice(agent_info={"status": "Logged Out"}, update_status="always"),
        alice(login="1007", extn="1007"),
        task(login="1006", state="absent"),
    ], check=True)
    changed_field, new_agent, deleted = run.results
    assert writes(sim) == before
    assert changed_field["changed"] is True
    # FreeSWITCH's spelling is accepted and shown as the API document writes it.
    assert changed_field["diff"]["after"] == {"agent_info": {"status": "Out"}}
    assert new_agent["changed"] is True and deleted["changed"] is True
    assert new_agent["agent"]["login"] == "1007" and new_agent["agent"]["status"] == "Available"
    assert "password" not in new_agent["agent"] and "agent_info" not in new_agent["agent"]
    assert user_by_login(sim, "1007") is None
    assert user_by_login(sim, "1006")["status"] == "Available"


def test_password_compared_by_ha1(sim, play):
    play([alice()])
    before = writes(sim)
    run = play([alice()])
    assert run[0]["changed"] is False and writes(sim) == before
    assert sim.stats("xswitch")["requests"].get("PUT /api/users/change_password", 0) == 0
    run = play([alice(password="Alice-Pw-2", old_password="Alice-Pw-1")])
    assert run[0]["changed"] is True and run[0]["password_changed"] is True
    assert run[0]["diff"]["after"]["password"] == "******** (changed)"
    assert sim.stats("xswitch")["requests"]["PUT /api/users/change_password"] == 1
    stored = user_by_login(sim, "1006")
    assert stored["ha1"] == hashlib.md5(b"1006:xswitch.cn:Alice-Pw-2").hexdigest()
    run = play([alice(password="Alice-Pw-2"),
                alice(password="Alice-Pw-3", update_password="on_create")])
    assert run[0]["changed"] is False and run[1]["changed"] is False


def test_server_without_ha1_changes_every_run_and_warns(sim, play):
    play([alice()])
    sim.config("xswitch", omit_ha1=True, super_admin_resets_password=True)
    run = play([alice(), alice(password=None)])
    assert run[0]["changed"] is True
    assert any("no ha1" in warning for warning in run[0]["warnings"])
    assert run[1]["changed"] is False


def test_refused_password_change_is_a_clear_error(sim, play):
    play([alice()])
    # The default, as XUI: a change without old_password is refused, even for a super admin.
    run = play([alice(password="New-Pw-9"),
                alice(password="New-Pw-9", old_password="Alice-Pw-1")])
    assert run[0]["failed"] is True
    assert "old_password" in run[0]["msg"] and "1006" in run[0]["msg"]
    assert "New-Pw-9" not in run.stdout and "Alice-Pw-1" not in run.stdout
    assert run[1]["changed"] is True and not run[1].get("failed")


def test_absent_and_absent_again(sim, play):
    play([alice()])
    run = play([task(login="1006", state="absent"), task(login="1006", state="absent")])
    assert run[0]["changed"] is True
    assert run[1]["changed"] is False
    assert user_by_login(sim, "1006") is None


def test_a_user_of_another_type_becomes_an_agent(sim, play):
    reply = sim.api("xswitch", "POST", "users", json={
        "login": "3001", "name": "Bob", "extn": "3001", "password": "Bob-Pw-1", "type": "USER"})
    assert reply.status_code == 200
    run = play([task(login="3001", name="Bob", extn="3001", password="Bob-Pw-1"),
                task(login="3001", name="Bob", extn="3001", password="Bob-Pw-1")])
    assert run[0]["changed"] is True
    assert run[0]["diff"]["before"]["type"] == "USER"
    assert run[0]["diff"]["after"]["type"] == "AGENT"
    assert user_by_login(sim, "3001")["type"] == "AGENT"
    assert run[1]["changed"] is False


def test_list_of_200_agents_in_one_task(sim, play):
    team = [{"login": str(5000 + n), "extn": str(5000 + n), "password": "Team-Pw-%d" % n,
             "agent_info": {"max_no_answer": 4}} for n in range(200)]
    run = play([{AGENT: {"agents": team}}])
    assert run[0]["changed"] is True
    assert len(run[0]["results"]) == 200
    assert all(entry["action"] == "created" for entry in run[0]["results"])
    stats_before = sim.stats("xswitch")
    run = play([{AGENT: {"agents": team}}])
    stats_after = sim.stats("xswitch")
    assert run[0]["changed"] is False
    assert stats_after["writes"] == stats_before["writes"]
    reads = (stats_after["requests"].get("GET /api/users", 0)
             - stats_before["requests"].get("GET /api/users", 0))
    assert reads == 1  # one paged read covers every agent
    assert stats_after["total"] - stats_before["total"] == 1


def test_exclusive_removes_exactly_the_unnamed_agents(sim, play):
    sim.api("xswitch", "POST", "users", json={
        "login": "3001", "name": "Bob", "extn": "3001", "password": "Bob-Pw-1", "type": "USER"})
    team = [{"login": str(n), "extn": str(n), "password": "Pw-%d-x" % n} for n in (101, 102, 103)]
    play([{AGENT: {"agents": team}}])
    check = play([{AGENT: {"agents": team[:1], "exclusive": True}}], check=True)
    planned = sorted(entry["login"] for entry in check[0]["results"] if entry["action"] == "deleted")
    assert planned == ["102", "103"]
    run = play([{AGENT: {"agents": team[:1], "exclusive": True}}])
    deleted = sorted(entry["login"] for entry in run[0]["results"] if entry["action"] == "deleted")
    assert deleted == ["102", "103"]
    logins = set(row["login"] for row in
                 sim.api("xswitch", "GET", "users", params={"perPage": 1000}).json()["data"])
    assert logins == {"system", "admin", "3001", "101"}


def test_validation_errors_name_the_item_and_write_nothing(sim, play):
    cases = [
        ({"agents": [{"extn": "1", "password": "p-1-x"}]}, "agents[0]: missing required arguments: login"),
        ({"agents": [{"login": "7001", "extn": "7001", "password": "x-pw-1",
                      "agent_info": {"status": "Bogus"}}]}, "agents[0] (login 7001)"),
        ({"agents": [{"login": "7002", "agent_info": {"lag": "abc"}}]}, "agents[0] (login 7002)"),
        ({"agents": [{"login": "7003", "extn": "7003", "password": "p-3-x"},
                     {"login": "7003", "extn": "7003", "password": "p-3-x"}]},
         "agents[1] (login 7003): login 7003 is named twice"),
        ({"agents": [{"login": "7004", "extn": "7004", "password": "p-4-x"},
                     {"login": "7005"}]}, "agents[1] (login 7005): extn and password are required"),
        ({"login": "7006", "agent_info": {"status": "Bogus"}}, "status"),
    ]
    run = play([task(**options) for options, dummy in cases])
    for result, (options, expected) in zip(run.results, cases):
        assert result["failed"] is True, options
        assert expected in result["msg"], (expected, result["msg"])
    assert writes(sim) == 0


def test_extn_change_is_refused_before_any_write(sim, play):
    play([alice()])
    before = writes(sim)
    newcomer = dict(ALICE, login="1008", extn="1008")
    run = play([{AGENT: {"agents": [newcomer, dict(ALICE, extn="9999")]}}])
    assert run[0]["failed"] is True
    assert "agents[1] (login 1006): extn cannot be changed" in run[0]["msg"]
    assert writes(sim) == before
    assert user_by_login(sim, "1008") is None


def test_secrets_never_reach_the_output(sim, play):
    run = play([alice(), alice(password="Second-Pw-7")], verbosity=4)
    assert "Alice-Pw-1" not in run.stdout and "Second-Pw-7" not in run.stdout
    assert sim.token not in run.stdout
    stored = user_by_login(sim, "1006")
    assert stored["ha1"] not in run.stdout and stored["ha1b"] not in run.stdout


def test_login_with_username_and_password_and_token_expiry(sim, play):
    connection = {"xswitch_url": sim.xswitch_url, "xswitch_username": "admin",
                  "xswitch_password": sim.admin_password}
    sim.faults("xswitch", route="^PUT /api/users/", count=1, expire_token=True)
    run = play([alice(), alice(name="Alice B")], xswitch=connection)
    assert run[0]["changed"] is True
    assert run[1]["changed"] is True and not run[1].get("failed")
    assert sim.stats("xswitch")["requests"]["POST /api/sessions"] >= 3
    bad = play([alice()], xswitch=dict(connection, xswitch_password="wrong-pw"))
    assert bad[0]["failed"] is True and "xswitch_username" in bad[0]["msg"]
    assert "wrong-pw" not in bad.stdout


def test_busy_server_is_retried(sim, play):
    sim.faults("xswitch", route="^GET /api/users", count=2, status=503, retry_after=1)
    run = play([alice()])
    assert run[0]["changed"] is True and not run[0].get("failed")


def test_parallel_runs_converge(sim, play):
    """Four runs create the same agents at once: the duplicate-key race is absorbed."""
    team = [{"login": str(6000 + n), "extn": str(6000 + n), "password": "Par-Pw-%d" % n}
            for n in range(15)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda dummy: play([{AGENT: {"agents": team}}]), range(4)))
    for run in runs:
        assert not run[0].get("failed"), run[0].get("msg")
    created = [entry["login"] for run in runs for entry in run[0]["results"]
               if entry["action"] == "created"]
    assert sorted(created) == sorted(agent["login"] for agent in team)
    rows = sim.api("xswitch", "GET", "users", params={"perPage": 1000}).json()["data"]
    assert len([row for row in rows if row["login"].startswith("60")]) == 15


@pytest.mark.parametrize("writes", [1, 4], ids=["one-at-a-time", "four-at-once"])
def test_a_failure_midway_says_what_was_applied(sim, play, writes):
    """2001 exists and is updated first; the create of 2002 then fails. One write at a time,
    2003 is never sent; four at once, its create was in flight and finishes."""
    team = [{"login": str(n), "extn": str(n), "password": "Pw-%d-x" % n,
             "agent_info": {"max_no_answer": 4}} for n in (2001, 2002, 2003)]
    play([{AGENT: dict(team[0], agent_info={"max_no_answer": 3})}])
    sim.faults("xswitch", route="^POST /api/users$", count=1, status=500,
               body={"code": 500, "message": "disk full"})
    posts = sim.stats("xswitch")["requests"].get("POST /api/users", 0)
    run = play([{AGENT: {"agents": team, "max_concurrent_writes": writes}}])
    assert run[0]["failed"] is True and run[0]["changed"] is True
    assert "POST /api/users failed: HTTP 500: disk full" in run[0]["msg"]
    assert user_by_login(sim, "2001")["max_no_answer"] == "4"
    if writes == 1:
        failed, created = "2002", []
        assert user_by_login(sim, "2003") is None
    else:
        # The two creates went out together; the fault took the first to arrive.
        failed = "2002" if user_by_login(sim, "2002") is None else "2003"
        created = ["2003" if failed == "2002" else "2002"]
        assert user_by_login(sim, created[0]) is not None
    assert "stopped at %s, which may be partly applied" % failed in run[0]["msg"]
    assert run[0]["applied"] == ["2001"] + created
    assert "applied before the failure: %s;" % ", ".join(["2001"] + created) in run[0]["msg"]
    assert sim.stats("xswitch")["requests"]["POST /api/users"] - posts == 1 + len(created)
    rerun = play([{AGENT: {"agents": team}}])
    actions = dict((entry["login"], entry["action"]) for entry in rerun[0]["results"])
    expected = dict((login, "created" if login not in ["2001"] + created else "unchanged")
                    for login in ("2001", "2002", "2003"))
    assert actions == expected


def test_a_create_whose_reply_is_lost_is_not_replayed(sim, play):
    sim.faults("xswitch", route="^POST /api/users$", count=1, drop=True, after_handling=True)
    run = play([alice()])
    assert run[0]["failed"] is True
    assert "POST /api/users failed (the connection closed before the reply came" in run[0]["msg"]
    assert sim.stats("xswitch")["requests"]["POST /api/users"] == 1
    rerun = play([alice(), alice()])
    assert not rerun[0].get("failed") and rerun[1]["changed"] is False
    assert sim.stats("xswitch")["requests"]["POST /api/users"] == 1
