"""xswitch_agent_info through real ansible-playbook runs against the simulator."""

INFO = "telephony.callcenter.xswitch_agent_info"
AGENT = "telephony.callcenter.xswitch_agent"


def make_agents(sim, play, *logins):
    run = play([{AGENT: {"agents": [{"login": login, "extn": login, "password": "Pw-%s-x" % login}
                                    for login in logins]}}])
    assert run[0]["changed"] is True


def add_to_queue(sim, queue, login):
    queue_id = sim.api("xswitch", "POST", "queues", json={
        "name": queue, "type": "callcenter", "strategy": "ring-all"}).json()["data"]
    users = sim.api("xswitch", "GET", "users", params={"login": login}).json()["data"]
    user = next(row for row in users if row["login"] == login)
    reply = sim.api("xswitch", "POST", "queues/%s/agents" % queue_id,
                    json={"agents": [{"agent_id": str(user["id"]), "agent_name": login}]})
    assert reply.status_code == 200


def test_all_agents_and_one_with_queues_and_extensions(sim, play):
    make_agents(sim, play, "1006", "1007")
    sim.api("xswitch", "POST", "users", json={
        "login": "3001", "name": "Bob", "extn": "3001", "password": "Bob-Pw-1", "type": "USER"})
    add_to_queue(sim, "support", "1006")
    before = sim.stats("xswitch")["writes"]
    run = play([{INFO: {}},
                {INFO: {"login": "1006", "include_queues": True, "include_extensions": True}},
                {INFO: {"login": "3001"}},
                {INFO: {"login": "nobody"}}], check=True)
    everyone, alice, not_agent, nobody = run.results
    assert sorted(agent["login"] for agent in everyone["agents"]) == ["1006", "1007"]
    assert everyone["changed"] is False
    assert alice["agent"]["login"] == "1006" and alice["agent"]["queues"] == ["support"]
    extension = alice["agent"]["extensions"][0]
    assert extension["extn"] == "1006"
    assert extension["password"] == extension["ha1"] == "********"
    assert alice["agent"]["ha1"] == "********"
    assert "Pw-1006-x" not in run.stdout
    assert not_agent["agents"] == [] and "agent" not in not_agent
    assert nobody["agents"] == []
    assert sim.stats("xswitch")["writes"] == before


def test_finds_by_login_when_the_server_ignores_the_filter(sim, play):
    make_agents(sim, play, "1006", "1007", "1008")
    sim.config("xswitch", ignore_login_filter=True)
    run = play([{INFO: {"login": "1007"}}])
    assert [agent["login"] for agent in run[0]["agents"]] == ["1007"]
