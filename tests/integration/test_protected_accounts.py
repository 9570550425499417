"""The accounts the collection never changes (docs/protected-accounts.md), on every path that
writes users or queue members: refused before any write, in check mode too, with the item and
the reason; exclusive lists leave their rows alone."""

import pytest

AGENT = "telephony.callcenter.xswitch_agent"
QUEUE = "telephony.callcenter.xswitch_queue"
MEMBER = "telephony.callcenter.xswitch_queue_member"
CENTER = "telephony.callcenter.xswitch_center"
ME = "GET /api/users/me"

SUPER_ADMIN = "`admin` is the server's super admin; queue members must be agents"
SYSTEM = "`system` is the server's system user; queue members must be agents"
OPS_PASSWORD = "Pw-ops-xx"  # as setup() creates it


def writes(sim):
    return sim.stats("xswitch")["writes"]


def reads_of_me(sim):
    return sim.stats("xswitch")["requests"].get(ME, 0)


def users(sim):
    rows = sim.api("xswitch", "GET", "users", params={"perPage": 1000}).json()["data"]
    return dict((row["login"], row) for row in rows)


def queue_id(sim, name):
    rows = sim.api("xswitch", "GET", "queues", params={"perPage": 1000}).json()["data"]
    return next(row["id"] for row in rows if row["name"] == name)


def member_ids(sim, name):
    rows = sim.api("xswitch", "GET", "queues/%s/agents" % queue_id(sim, name),
                   params={"perPage": 1000}).json()["data"]
    return sorted(int(row["agent_id"]) for row in rows)


def add_rows(sim, name, *user_ids):
    """Member rows written past the collection, as the web console could."""
    reply = sim.api("xswitch", "POST", "queues/%s/agents" % queue_id(sim, name),
                    json={"agents": [{"agent_id": str(user_id), "agent_name": str(user_id)}
                                     for user_id in user_ids]})
    assert reply.status_code == 200, reply.text


def plain_user(sim, login):
    reply = sim.api("xswitch", "POST", "users", json={
        "login": login, "name": login, "extn": login, "password": "Plain-Pw-%s-x" % login,
        "type": "USER"})
    assert reply.status_code == 200, reply.text
    return users(sim)[login]


def setup(play, *logins, queues=("support",)):
    tasks = [{AGENT: {"agents": [{"login": login, "extn": login, "password": "Pw-%s-xx" % login}
                                 for login in logins]}}] if logins else []
    tasks += [{QUEUE: {"queues": [{"name": name} for name in queues]}}] if queues else []
    for result in play(tasks).results:
        assert not result.get("failed"), result.get("msg")


def signed_in_as(sim, login, password):
    return {"xswitch_url": sim.xswitch_url, "xswitch_username": login, "xswitch_password": password}


def token_of(sim, login, password):
    reply = sim.api("xswitch", "POST", "sessions", auth=False,
                    json={"login": login, "password": password})
    assert reply.status_code == 200, reply.text
    return {"xswitch_url": sim.xswitch_url, "xswitch_token": reply.json()["token"]}


def refused(result, *texts):
    assert result.get("failed") is True, result
    for text in texts:
        assert text in result["msg"], result["msg"]


# Queue members -----------------------------------------------------------------------
@pytest.mark.parametrize("check", [False, True], ids=["run", "check"])
def test_queue_member_refuses_the_system_user_and_the_super_admin(sim, play, check):
    setup(play, "7001")
    before = writes(sim)
    single, listed = play([
        {MEMBER: {"queue": "support", "agents": ["7001", "admin"]}},
        {MEMBER: {"queues": [{"name": "support", "agents": ["system", "7001"]}]}},
    ], check=check).results
    refused(single, "agents[1] (agent admin): " + SUPER_ADMIN, "nothing was changed")
    refused(listed, "queues[0].agents[0] (agent system): " + SYSTEM)
    assert writes(sim) == before and member_ids(sim, "support") == []


def test_queue_member_refuses_a_plain_user_and_points_to_xswitch_agent(sim, play):
    setup(play)
    plain_user(sim, "6001")
    before = writes(sim)
    for check in (False, True):
        result = play([{MEMBER: {"queue": "support", "agents": ["6001"]}}], check=check)[0]
        refused(result, "agents[0] (agent 6001): `6001` is a user of type USER, not an agent; "
                        "queue members must be agents: make it one with "
                        "telephony.callcenter.xswitch_agent first")
    assert writes(sim) == before
    # Made an agent, it may join.
    made = play([{AGENT: {"login": "6001"}},
                 {MEMBER: {"queue": "support", "agents": ["6001"]}}]).results
    assert made[0]["changed"] is True and made[0]["agent"]["type"] == "AGENT", made[0]
    assert made[1]["changed"] is True, made[1].get("msg")


def test_queue_member_never_removes_the_super_admin(sim, play):
    setup(play, "7001")
    add_rows(sim, "support", 1)
    before = writes(sim)
    result = play([{MEMBER: {"queue": "support", "agents": ["admin"], "state": "absent"}}])[0]
    refused(result, "`admin` is the server's super admin; its queue memberships are never changed")
    assert writes(sim) == before and member_ids(sim, "support") == [1]


def test_exclusive_member_lists_keep_the_protected_rows(sim, play):
    setup(play, "7001", "7002", queues=("support", "sales", "night"))
    ids = users(sim)
    agent_1, agent_2 = int(ids["7001"]["id"]), int(ids["7002"]["id"])
    for name in ("support", "sales", "night"):
        add_rows(sim, name, 0, 1, agent_2)
    results = play([
        {MEMBER: {"queue": "support", "agents": ["7001"], "exclusive": True}},
        {CENTER: {"queues": [{"name": "sales", "members": ["7001"]}]}},
        {CENTER: {"agents": [{"login": "7001"}, {"login": "7002"}],
                  "queues": [{"name": "support"}, {"name": "sales"}, {"name": "night", "members": []}],
                  "exclusive": True}},
    ]).results
    for result in results:
        assert not result.get("failed"), result.get("msg")
    # The other agent's row goes, the system user's and the super admin's stay.
    assert member_ids(sim, "support") == sorted([0, 1, agent_1])
    assert member_ids(sim, "sales") == sorted([0, 1, agent_1])
    assert member_ids(sim, "night") == [0, 1]


# xswitch_center ----------------------------------------------------------------------
@pytest.mark.parametrize("exclusive", [False, True], ids=["plain", "exclusive"])
@pytest.mark.parametrize("check", [False, True], ids=["run", "check"])
def test_center_refuses_protected_members_before_any_write(sim, play, exclusive, check):
    plain_user(sim, "6001")
    before = writes(sim)
    args = {"agents": [{"login": "9001", "extn": "9001", "password": "Center-Pw-9001"}],
            "queues": [{"name": "support", "members": ["9001", "admin"]},
                       {"name": "night", "members": ["system", "6001"]}],
            "exclusive": exclusive}
    result = play([{CENTER: args}], check=check)[0]
    refused(result, "queues[0] (name support).members: " + SUPER_ADMIN,
            "queues[1] (name night).members: " + SYSTEM,
            "queues[1] (name night).members: `6001` is a user of type USER, not an agent; queue "
            "members must be agents: add it to agents, or make it one with "
            "telephony.callcenter.xswitch_agent first")
    assert writes(sim) == before and "9001" not in users(sim)


def test_center_makes_a_plain_user_it_names_an_agent_and_a_member(sim, play):
    plain_user(sim, "6001")
    args = {"agents": [{"login": "6001"}], "queues": [{"name": "support", "members": ["6001"]}]}
    check = play([{CENTER: args}], check=True)[0]
    assert not check.get("failed"), check.get("msg")
    done = play([{CENTER: args}])[0]
    assert not done.get("failed"), done.get("msg")
    assert users(sim)["6001"]["type"] == "AGENT"
    assert member_ids(sim, "support") == [int(users(sim)["6001"]["id"])]


def test_center_refuses_the_super_admin_as_an_agent(sim, play):
    before = writes(sim)
    result = play([{CENTER: {"agents": [{"login": "admin", "name": "Boss"}]}}])[0]
    refused(result, "agents[0] (login admin): `admin` is the server's super admin; the "
                    "collection never changes it")
    assert writes(sim) == before


# Agents ------------------------------------------------------------------------------
@pytest.mark.parametrize("check", [False, True], ids=["run", "check"])
def test_xswitch_agent_refuses_the_fixed_accounts(sim, play, check):
    before = writes(sim)
    results = play([
        {AGENT: {"login": "admin", "name": "Boss"}},
        {AGENT: {"login": "system", "agent_info": {"max_no_answer": 3}}},
        {AGENT: {"login": "admin", "state": "absent"}},
        {AGENT: {"agents": [{"login": "7009", "extn": "7009", "password": "Pw-7009-xx"},
                            {"login": "admin", "password": "New-Pw-2026-x"}]}},
    ], check=check).results
    refused(results[0], "agent admin: `admin` is the server's super admin; the collection never changes it")
    refused(results[1], "agent system: `system` is the server's system user")
    refused(results[2], "agent admin: `admin` is the server's super admin")
    refused(results[3], "agents[1] (login admin): `admin` is the server's super admin")
    assert writes(sim) == before and "7009" not in users(sim)


@pytest.mark.parametrize("check", [False, True], ids=["run", "check"])
def test_the_login_signed_in_with_is_never_changed(sim, play, check):
    setup(play, "ops", "7001")
    ops = signed_in_as(sim, "ops", OPS_PASSWORD)
    before = writes(sim)
    results = play([
        {AGENT: {"login": "ops", "name": "Renamed"}},
        {AGENT: {"login": "ops", "password": "Other-Pw-2026-x"}},
        {AGENT: {"login": "ops", "state": "absent"}},
        {MEMBER: {"queue": "support", "agents": ["ops"]}},
    ], check=check, xswitch=ops).results
    connected = "`ops` is the account this task is connected as (xswitch_username)"
    for result in results[:3]:
        refused(result, "agent ops: " + connected + "; the collection never changes it")
    refused(results[3], "agents[0] (agent ops): " + connected)
    assert writes(sim) == before and users(sim)["ops"]["name"] == "ops"
    # exclusive leaves it alone and deletes the others.
    if not check:
        purge = play([{AGENT: {"agents": [{"login": "7002", "extn": "7002", "password": "Pw-7002-xx"}],
                               "exclusive": True}}], xswitch=ops)[0]
        assert not purge.get("failed"), purge.get("msg")
        left = users(sim)
        assert "ops" in left and "7001" not in left and "7002" in left


def test_a_token_protects_the_user_the_server_says_it_belongs_to(sim, play):
    setup(play, "ops", "7001")
    ops = token_of(sim, "ops", OPS_PASSWORD)
    ops_id = int(users(sim)["ops"]["id"])
    add_rows(sim, "support", ops_id)
    before, me_before = writes(sim), reads_of_me(sim)
    results = play([
        {AGENT: {"login": "ops", "name": "Renamed"}},
        {AGENT: {"login": "ops", "state": "absent"}},
        {MEMBER: {"queue": "support", "agents": ["ops"], "state": "absent"}},
        {CENTER: {"agents": [{"login": "ops", "name": "Renamed"}]}},
    ], xswitch=ops).results
    belongs = "`ops` is the account this task is connected as (the user xswitch_token belongs to"
    for result in results:
        refused(result, belongs)
    assert writes(sim) == before and reads_of_me(sim) - me_before == len(results)
    # An exclusive list that leaves it out keeps its membership; a run that writes nothing to
    # an existing user does not ask.
    me_before = reads_of_me(sim)
    kept = play([{MEMBER: {"queue": "support", "agents": ["7001"], "exclusive": True}},
                 {AGENT: {"login": "ops"}}], xswitch=ops).results
    assert not kept[0].get("failed"), kept[0].get("msg")
    assert kept[1]["changed"] is False
    assert member_ids(sim, "support") == sorted([ops_id, int(users(sim)["7001"]["id"])])
    assert reads_of_me(sim) - me_before == 1


def test_without_users_me_a_token_protects_the_fixed_accounts_only_and_says_so(sim, play):
    setup(play, "ops", queues=())
    ops = token_of(sim, "ops", OPS_PASSWORD)
    sim.config("xswitch", users_me=False)
    admin, renamed = play([{AGENT: {"login": "admin", "name": "Boss"}},
                           {AGENT: {"login": "ops", "name": "Renamed"}}], xswitch=ops).results
    refused(admin, "`admin` is the server's super admin")
    assert renamed["changed"] is True, renamed.get("msg")
    assert any("does not answer GET /api/users/me" in warning and "ids 0 and 1" in warning
               for warning in renamed.get("warnings", [])), renamed.get("warnings")
    assert users(sim)["ops"]["name"] == "Renamed"


def test_a_users_me_reply_that_names_no_user_is_an_error(sim, play):
    setup(play, "ops", queues=())
    sim.faults("xswitch", route="^GET /api/users/me", status=200, body={"code": 200, "data": {}})
    before = writes(sim)
    result = play([{AGENT: {"login": "ops", "name": "Renamed"}}])[0]
    refused(result, "GET /api/users/me", "names no user")
    assert writes(sim) == before


# The offboarding role ----------------------------------------------------------------
def test_offboarding_refuses_the_super_admin_and_deletes_nobody(sim, play):
    setup(play, "7001", queues=())
    before = writes(sim)
    results = play([
        {"ansible.builtin.include_role": {"name": "telephony.callcenter.callcenter_offboarding",
                                          "apply": {"ignore_errors": True}},
         "vars": {"callcenter_offboarding_xswitch_logins": ["7001", "admin"]}},
        {"ansible.builtin.set_fact": {"offboarding_run": "{{ callcenter_offboarding_xswitch_run }}"}},
    ]).results
    run = results[1]["ansible_facts"]["offboarding_run"]
    refused(run, "agents[1] (login admin): `admin` is the server's super admin; the collection "
                 "never changes it")
    assert writes(sim) == before and "7001" in users(sim)
