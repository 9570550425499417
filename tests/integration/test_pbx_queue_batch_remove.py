"""pbx_queue_batch_remove through real ansible-playbook runs against the simulator."""

import base64

MODULE = "telephony.callcenter.pbx_queue_batch_remove"
ROUTE = "POST /api/v4/pbx/queues/batchremoveagent"
DOCUMENTED_PAIRS = [{"queue": "10000", "agent": "570"}, {"queue": "10000", "agent": "553"}]


def task(**options):
    return {MODULE: options}


def removals(sim):
    """How many batchremoveagent requests the simulator has seen."""
    return sim.stats("simotel")["requests"].get(ROUTE, 0)


def is_member(sim, queue, agent):
    """Whether ``agent`` is in ``queue``: pausing works only for a member (and changes
    nothing else the tests look at)."""
    reply = sim.api("simotel", "POST", "pbx/queues/batchpauseagent",
                    json={"agents": [{"queue": queue, "agent": agent}]})
    assert reply.status_code == 200, reply.text
    return reply.json()["data"]["Data"][0]["ok"] == 1


def add_members(sim, pairs):
    items = [{"queue": pair["queue"], "source": pair["agent"], "agents": pair["agent"],
              "penalty": ""} for pair in pairs]
    reply = sim.api("simotel", "POST", "pbx/queues/batchaddagent", json={"agents": items})
    assert reply.status_code == 200, reply.text
    assert all(item["ok"] == 1 for item in reply.json()["data"]["Data"]), reply.text


def by_pair(result):
    return dict(((entry["queue"], entry["agent"]), entry) for entry in result["results"])


def test_documented_request_removes_both_and_a_repeat_is_unchanged(sim, play):
    run = play([task(agents=DOCUMENTED_PAIRS), task(agents=DOCUMENTED_PAIRS)])
    first, again = run.results
    assert not first.get("failed"), first.get("msg")
    assert first["changed"] is True
    assert first["results"] == [
        {"queue": "10000", "agent": "570", "status": "removed", "message": "Removed successfully"},
        {"queue": "10000", "agent": "553", "status": "removed", "message": "Removed successfully"}]
    assert first["counts"] == {"removed": 2, "absent": 0, "failed": 0}
    assert first["batches"] == 1
    assert "queue 10000 agent 570: member" in first["diff"]["before"]
    assert first["diff"]["after"] == ""
    assert not first.get("failed") and not again.get("failed"), again.get("msg")
    assert again["changed"] is False
    assert [entry["status"] for entry in again["results"]] == ["absent", "absent"]
    assert again["counts"] == {"removed": 0, "absent": 2, "failed": 0}
    assert removals(sim) == 2
    assert not is_member(sim, "10000", "570") and not is_member(sim, "10000", "553")
    assert is_member(sim, "10000", "554")


def test_mixed_items_are_reported_one_by_one(sim, play):
    agents = [{"queue": "10000", "agent": "570"},      # member
              {"queue": "10000", "agent": "999"},      # not in the queue
              {"queue": "99999", "agent": "570"},      # no such queue
              {"queue": "10001", "agent": "600"}]      # member
    run = play([task(agents=agents)])
    result = run[0]
    assert result["failed"] is True
    assert result["changed"] is True
    outcome = by_pair(result)
    assert outcome[("10000", "570")]["status"] == "removed"
    assert outcome[("10000", "999")]["status"] == "absent"
    assert outcome[("99999", "570")]["status"] == "failed"
    assert "No such queue" in outcome[("99999", "570")]["message"]
    assert outcome[("10001", "600")]["status"] == "removed"
    assert result["counts"] == {"removed": 2, "absent": 1, "failed": 1}
    assert "1 of 4 pairs could not be removed" in result["msg"]
    assert "queue 99999 agent 570 (Unable to remove interface from queue: No such queue)" \
        in result["msg"]
    assert "queue 10000 agent 570" not in result["msg"]
    assert not is_member(sim, "10000", "570") and not is_member(sim, "10001", "600")


def test_250_items_go_out_in_exactly_3_requests(sim, play):
    pairs = [{"queue": "10000" if n % 2 else "10001", "agent": str(7000 + n)}
             for n in range(250)]
    add_members(sim, pairs)
    before = removals(sim)
    total = sim.stats("simotel")["total"]
    run = play([task(agents=pairs, batch_size=100)])
    result = run[0]
    assert not result.get("failed"), result.get("msg")
    assert removals(sim) - before == 3
    assert sim.stats("simotel")["total"] - total == 3
    assert result["batches"] == 3
    assert result["counts"] == {"removed": 250, "absent": 0, "failed": 0}
    assert [(e["queue"], e["agent"]) for e in result["results"]] == \
        [(p["queue"], p["agent"]) for p in pairs]
    assert not is_member(sim, "10000", "7001") and not is_member(sim, "10001", "7248")
    # A repeat finds them all gone; 249 per request still needs 2 requests for 250.
    before = removals(sim)
    again = play([task(agents=pairs, batch_size=249)])[0]
    assert not again.get("failed"), again.get("msg")
    assert again["changed"] is False and again["counts"]["absent"] == 250
    assert again["batches"] == 2 and removals(sim) - before == 2


def test_each_auth_mode_is_accepted_as_the_account_requires(sim, play):
    basic = {"pbx_url": sim.simotel_url, "pbx_username": sim.pbx_username,
             "pbx_password": sim.pbx_password}
    key = {"pbx_url": sim.simotel_url, "pbx_api_key": sim.pbx_api_key}
    both = dict(basic, pbx_api_key=sim.pbx_api_key)
    item = [{"queue": "10000", "agent": "570"}]
    for mode, good, bad in (("basic", basic, key), ("key", key, basic), ("both", both, key)):
        sim.reset("simotel")
        sim.config("simotel", pbx_auth=mode)
        refused = play([task(agents=item)], pbx=bad)[0]
        assert refused["failed"] is True, mode
        assert "HTTP 401" in refused["msg"] and "credentials refused" in refused["msg"], mode
        assert refused["changed"] is False
        assert refused["results"][0]["status"] == "failed"
        accepted = play([task(agents=item)], pbx=good)[0]
        assert not accepted.get("failed"), (mode, accepted.get("msg"))
        assert accepted["changed"] is True, mode


def test_wrong_credentials_are_a_clear_error_without_secrets(sim, play):
    sim.config("simotel", pbx_password="Right-Basic-Pw-1", pbx_api_key="Right-Key-0042")
    # The secrets come from the environment: a failed task makes ansible-playbook print the
    # playbook lines above it, and a playbook that spells a secret out would show it there.
    run = play([task(agents=DOCUMENTED_PAIRS)], verbosity=4,
               pbx={"pbx_url": sim.simotel_url, "pbx_username": sim.pbx_username},
               env={"PBX_PASSWORD": "Wrong-Basic-Pw-9", "PBX_API_KEY": "Wrong-Key-7731"})
    result = run[0]
    assert result["failed"] is True
    assert "HTTP 401" in result["msg"]
    assert "BasicAuth or ApiKey is invalid" in result["msg"]
    assert "pbx_username/pbx_password and pbx_api_key" in result["msg"]
    for secret in ("Wrong-Basic-Pw-9", "Wrong-Key-7731", "Right-Basic-Pw-1", "Right-Key-0042"):
        assert secret not in run.stdout
    sim.config("simotel", pbx_password=sim.pbx_password, pbx_api_key=sim.pbx_api_key)
    assert is_member(sim, "10000", "570")


def test_denied_service_is_a_403_with_advice(sim, play):
    sim.config("simotel", pbx_denied_services=["pbx/queues/batchremoveagent"])
    result = play([task(agents=DOCUMENTED_PAIRS)])[0]
    assert result["failed"] is True
    assert "HTTP 403" in result["msg"] and "permission denied" in result["msg"]
    assert result["changed"] is False


def test_a_refused_client_address_names_the_allowed_ips(sim, play):
    sim.config("simotel", pbx_refuse_clients=True)
    result = play([task(agents=DOCUMENTED_PAIRS)])[0]
    assert result["failed"] is True and result["changed"] is False
    assert "HTTP 403" in result["msg"] and "IP is not permitted" in result["msg"]
    assert "allowed IPs" in result["msg"]
    sim.config("simotel", pbx_refuse_clients=[])
    assert is_member(sim, "10000", "570")


def test_a_missing_field_is_http_200_success_0_and_fails_naming_it(sim, play):
    # The server's documented answer to a body without the field: HTTP 200, success 0.
    sim.config("simotel", pbx_messages={})
    sim.faults("simotel", route="batchremoveagent", count=1, status=200,
               body={"success": 0, "message": "Field 'agents':value is missing", "data": None})
    result = play([task(agents=DOCUMENTED_PAIRS)])[0]
    assert result["failed"] is True and result["changed"] is False
    assert "Field 'agents':value is missing" in result["msg"]
    assert [r["status"] for r in result["results"]] == ["failed", "failed"]


def test_a_wrong_address_gets_the_web_servers_404_page_and_advice(sim, play):
    wrong = {"pbx_url": sim.simotel_url + "/simotel", "pbx_api_key": sim.pbx_api_key,
             "pbx_username": sim.pbx_username, "pbx_password": sim.pbx_password}
    result = play([task(agents=DOCUMENTED_PAIRS)], pbx=wrong)[0]
    assert result["failed"] is True and result["changed"] is False
    assert "HTTP 404" in result["msg"] and "check pbx_url" in result["msg"]
    assert "<html" not in result["msg"].lower() and "404 page" in result["msg"]
    assert is_member(sim, "10000", "570")


def test_a_refused_request_stops_later_batches(sim, play):
    sim.faults("simotel", route="batchremoveagent", count=1, status=400,
               body={"success": 0, "message": "Unable to parse content", "data": None})
    agents = [{"queue": "10000", "agent": "570"}, {"queue": "10000", "agent": "553"},
              {"queue": "10001", "agent": "600"}]
    result = play([task(agents=agents, batch_size=2)])[0]
    assert result["failed"] is True
    assert removals(sim) == 1
    assert result["batches"] == 1
    assert "HTTP 400" in result["msg"] and "could not read the request body" in result["msg"]
    assert "request 1 of 2 failed, the later ones were not sent" in result["msg"]
    assert result["results"][0]["message"] == \
        "not removed: the server refused the request: HTTP 400: Unable to parse content"
    statuses = [entry["status"] for entry in result["results"]]
    assert statuses == ["failed", "failed", "failed"]
    assert result["results"][2]["message"] == "not sent: an earlier batch failed"
    assert is_member(sim, "10001", "600")


def test_check_mode_sends_nothing(sim, play):
    total = sim.stats("simotel")["total"]
    agents = DOCUMENTED_PAIRS + [{"queue": "10001", "agent": "600"}]
    result = play([task(agents=agents, batch_size=2)], check=True)[0]
    assert sim.stats("simotel")["total"] == total
    assert result["changed"] is True and not result.get("failed")
    assert result["batches"] == 2
    assert result["requests"] == [{"agents": DOCUMENTED_PAIRS},
                                  {"agents": [{"queue": "10001", "agent": "600"}]}]
    assert [entry["status"] for entry in result["results"]] == ["unconfirmed"] * 3
    assert any("cannot be confirmed" in warning for warning in result["warnings"])
    # A drift gate tells "would try" from "would change": every item and the msg say why.
    assert result["msg"].startswith("would try to remove 3 pairs in 2 requests: ")
    assert "the server cannot be asked first" in result["msg"]
    assert all("the server cannot be asked first" in entry["message"] for entry in result["results"])
    assert result["diff"]["before"] == ("queue 10000 agent 570: member, unconfirmed\n"
                                        "queue 10000 agent 553: member, unconfirmed\n"
                                        "queue 10001 agent 600: member, unconfirmed\n")
    assert result["diff"]["after"] == ""
    assert is_member(sim, "10000", "570")


def test_numbers_are_converted_and_duplicates_sent_once(sim, play):
    agents = [{"queue": 10000, "agent": 570}, {"queue": "10000", "agent": "570"},
              {"queue": " 10000", "agent": 553}, {"queue": 10000, "agent": 570}]
    result = play([task(agents=agents)])[0]
    assert not result.get("failed"), result.get("msg")
    assert [(e["queue"], e["agent"], e["status"]) for e in result["results"]] == [
        ("10000", "570", "removed"), ("10000", "553", "removed")]
    assert removals(sim) == 1
    assert not result.get("warnings")


def test_an_empty_list_sends_nothing(sim, play):
    total = sim.stats("simotel")["total"]
    run = play([task(agents=[]), task(agents=[])], check=False)
    assert sim.stats("simotel")["total"] == total
    for result in run.results:
        assert result["changed"] is False and not result.get("failed")
        assert result["results"] == [] and result["batches"] == 0


def test_input_errors_name_the_item_and_send_nothing(sim, play):
    cases = [
        ({"agents": [{"queue": "10000", "agent": "570"}, {"queue": "10000", "agent": "553"},
                     {"queue": "10000", "agent": "554"}, {"agent": "600"}]},
         "agents[3]: missing required arguments: queue"),
        ({"agents": [{"queue": "10000", "agent": ""}]}, "agents[0] (queue 10000): agent must not be empty"),
        ({"agents": [{"queue": "  ", "agent": "570"}]}, "agents[0] (agent 570): queue must not be empty"),
        ({"agents": [{"queue": "10000", "agent": ["570"]}]}, "agents[0] (queue 10000): agent must be"),
        ({"agents": [{"queue": "10000", "agent": "570", "penalty": 1}]}, "agents[0]"),
        ({"agents": DOCUMENTED_PAIRS, "batch_size": 0}, "batch_size must be at least 1"),
        ({"agents": DOCUMENTED_PAIRS, "absent_patterns": ["not (there"]}, "absent_patterns[0]"),
    ]
    total = sim.stats("simotel")["total"]
    run = play([task(**options) for options, dummy in cases])
    for result, (options, expected) in zip(run.results, cases):
        assert result["failed"] is True, options
        assert expected in result["msg"], (expected, result["msg"])
    assert sim.stats("simotel")["total"] == total


def test_a_busy_server_is_retried(sim, play):
    sim.faults("simotel", route="batchremoveagent", count=2, status=503, retry_after=1)
    result = play([task(agents=DOCUMENTED_PAIRS)])[0]
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is True and result["batches"] == 1
    assert removals(sim) == 3


def test_a_reply_lost_after_the_removal_is_replayed_safely(sim, play):
    sim.faults("simotel", route="batchremoveagent", count=1, drop=True, after_handling=True)
    result = play([task(agents=DOCUMENTED_PAIRS)])[0]
    assert not result.get("failed"), result.get("msg")
    assert removals(sim) == 2
    # The first request removed both; its reply was lost, the replay finds them gone. They
    # count as removed by this run, with a warning: never "no change".
    assert [entry["status"] for entry in result["results"]] == ["removed", "removed"]
    assert all(entry["replayed"] is True for entry in result["results"])
    assert result["changed"] is True and result["counts"]["removed"] == 2
    assert any("sent again" in warning for warning in result["warnings"])
    assert not is_member(sim, "10000", "570") and not is_member(sim, "10000", "553")


def test_success_0_with_per_item_results_is_judged_item_by_item(sim, play):
    body = {"success": 0, "message": "some agents could not be removed", "data": {
        "Data": [{"agent": "999", "message": "Unable to remove interface: Not there", "ok": 0,
                  "queue": "10000"},
                 {"agent": "570", "message": "Removed successfully", "ok": 1,
                  "queue": "10000"}],
        "ok": 0}}
    sim.faults("simotel", route="batchremoveagent", count=1, status=200, body=body)
    result = play([task(agents=[{"queue": "10000", "agent": "570"},
                                {"queue": "10000", "agent": "999"}])])[0]
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is True
    # Matched by queue and agent, not by position.
    assert [(e["agent"], e["status"]) for e in result["results"]] == [
        ("570", "removed"), ("999", "absent")]


def test_success_0_without_items_and_missing_answers_fail_clearly(sim, play):
    # One fault per run: the simulator consumes every matching fault on a request.
    sim.faults("simotel", route="batchremoveagent", count=1, status=200,
               body={"success": 0, "message": "License expired", "data": None})
    refused = play([task(agents=DOCUMENTED_PAIRS)])[0]
    sim.faults("simotel", route="batchremoveagent", count=1, status=200, body={
        "success": 1, "message": "", "data": {"Data": [
            {"agent": "570", "message": "Removed successfully", "ok": 1, "queue": "10000"}],
            "ok": 1}})
    partial = play([task(agents=DOCUMENTED_PAIRS)])[0]
    assert refused["failed"] is True and "License expired" in refused["msg"]
    assert refused["changed"] is False
    assert partial["failed"] is True and partial["changed"] is True
    outcome = by_pair(partial)
    assert outcome[("10000", "570")]["status"] == "removed"
    assert outcome[("10000", "553")]["status"] == "failed"
    assert "no result for this queue and agent" in outcome[("10000", "553")]["message"]


def test_custom_absent_patterns(sim, play):
    agents = [{"queue": "10000", "agent": "999"}]
    run = play([task(agents=agents, absent_patterns=[]),
                task(agents=agents, absent_patterns=["NOT THERE"])])
    strict, custom = run.results
    assert strict["failed"] is True and strict["results"][0]["status"] == "failed"
    assert not custom.get("failed") and custom["results"][0]["status"] == "absent"


def test_secrets_never_reach_verbose_output(sim, play):
    sim.config("simotel", pbx_password="Basic-Secret-5150", pbx_api_key="Key-Secret-8086")
    connection = {"pbx_url": sim.simotel_url, "pbx_username": sim.pbx_username}
    secrets = {"PBX_PASSWORD": "Basic-Secret-5150", "PBX_API_KEY": "Key-Secret-8086"}
    agents = DOCUMENTED_PAIRS + [{"queue": "99999", "agent": "1"}]
    run = play([task(agents=agents), task(agents=DOCUMENTED_PAIRS)], pbx=connection, env=secrets,
               verbosity=4)
    assert run[0]["changed"] is True and run[0]["failed"] is True
    assert run[1]["changed"] is False
    assert "Basic-Secret-5150" not in run.stdout and "Key-Secret-8086" not in run.stdout
    encoded = base64.b64encode(("%s:Basic-Secret-5150" % sim.pbx_username).encode()).decode()
    assert encoded not in run.stdout
    # The run did print the module's results, so the check above looked at real output.
    assert "Removed successfully" in run.stdout
