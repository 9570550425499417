"""pbx_queue_member through real ansible-playbook runs against the simulator.

The simulator's Simotel starts with queue 10000 (agents 570, 553, 554) and queue 10001
(agents 570, 600).
"""

import base64

MODULE = "telephony.callcenter.pbx_queue_member"
ROUTES = dict((state, "POST /api/v4/pbx/queues/%s" % service) for state, service in (
    ("present", "batchaddagent"), ("absent", "batchremoveagent"),
    ("paused", "batchpauseagent"), ("resumed", "batchresumeagent")))
NEW = [{"queue": "10000", "agent": "700"}, {"queue": "10000", "agent": "701", "penalty": 2},
       {"queue": "10000", "agent": "570"}]


def task(**options):
    return {MODULE: options}


def sent(sim, state):
    return sim.stats("simotel")["requests"].get(ROUTES[state], 0)


def member_writes(sim):
    return sum(sent(sim, state) for state in ROUTES)


def is_member(sim, queue, agent):
    """Whether ``agent`` is in ``queue``: adding it again is refused only for a member (the
    simulator's default wording); a non-member so added is taken out again."""
    item = {"queue": queue, "agents": agent, "agent": agent, "source": agent, "penalty": ""}
    reply = sim.api("simotel", "POST", "pbx/queues/batchaddagent", json={"agents": [item]})
    assert reply.status_code == 200, reply.text
    answer = reply.json()["data"]["Data"][0]
    if answer["ok"] == 1:
        sim.api("simotel", "POST", "pbx/queues/batchremoveagent",
                json={"agents": [{"queue": queue, "agent": agent}]})
        return False
    assert "Already there" in answer["message"], answer
    return True


def statuses(result):
    return [(entry["queue"], entry["agent"], entry["status"]) for entry in result["results"]]


def test_create_then_rerun_is_unchanged(sim, play):
    run = play([task(agents=NEW), task(agents=NEW)])
    first, again = run.results
    assert not first.get("failed"), first.get("msg")
    assert first["changed"] is True
    assert statuses(first) == [("10000", "700", "added"), ("10000", "701", "added"),
                               ("10000", "570", "unchanged")]
    assert first["results"][0]["message"] == "Added successfully"
    assert "Already there" in first["results"][2]["message"]
    assert first["counts"] == {"added": 2, "unchanged": 1, "failed": 0}
    assert first["msg"] == "added 2, unchanged 1, failed 0 (1 request)"
    assert first["diff"]["before"] == ""
    assert first["diff"]["after"] == ("queue 10000 agent 700: member\n"
                                      "queue 10000 agent 701: member\n")
    assert not again.get("failed"), again.get("msg")
    assert again["changed"] is False
    assert [entry["status"] for entry in again["results"]] == ["unchanged"] * 3
    assert again["diff"] == {"before": "", "after": "", "before_header": "queue members",
                             "after_header": "queue members"}
    assert sent(sim, "present") == 2
    assert is_member(sim, "10000", "700") and is_member(sim, "10000", "701")


def test_penalty_and_source_reach_the_server(sim, play):
    sim.config("simotel", pbx_batchadd_agent_field="agent")
    result = play([task(agents=[{"queue": 10001, "agent": 702, "source": "SIP/702",
                                 "penalty": "3"}])])[0]
    assert not result.get("failed"), result.get("msg")
    assert statuses(result) == [("10001", "702", "added")]
    assert is_member(sim, "10001", "702")


def test_either_field_of_batchaddagent_is_read(sim, play):
    # The wiki's table names the agent field "agents", its example "agent": both are sent.
    for field in ("agents", "agent"):
        sim.reset("simotel")
        sim.config("simotel", pbx_batchadd_agent_field=field)
        result = play([task(agents=[{"queue": "10000", "agent": "703"}])])[0]
        assert not result.get("failed"), (field, result.get("msg"))
        assert statuses(result) == [("10000", "703", "added")], field
        assert is_member(sim, "10000", "703"), field


def test_absent_removes_and_a_rerun_is_unchanged(sim, play):
    pairs = [{"queue": "10000", "agent": "570"}, {"queue": "10001", "agent": "600"},
             {"queue": "10000", "agent": "999"}]
    run = play([task(agents=pairs, state="absent"), task(agents=pairs, state="absent")])
    first, again = run.results
    assert not first.get("failed"), first.get("msg")
    assert first["changed"] is True
    assert statuses(first) == [("10000", "570", "removed"), ("10001", "600", "removed"),
                               ("10000", "999", "unchanged")]
    assert first["counts"] == {"removed": 2, "unchanged": 1, "failed": 0}
    assert first["diff"]["before"] == ("queue 10000 agent 570: member\n"
                                       "queue 10001 agent 600: member\n")
    assert first["diff"]["after"] == ""
    assert again["changed"] is False and not again.get("failed"), again.get("msg")
    assert sent(sim, "absent") == 2
    assert not is_member(sim, "10000", "570") and is_member(sim, "10001", "570")


def test_pause_and_resume_where_the_server_refuses_a_repeat(sim, play):
    sim.config("simotel", pbx_pause_repeat="refuse")
    pair = [{"queue": "10000", "agent": "553"}]
    run = play([task(agents=pair, state="paused"), task(agents=pair, state="paused"),
                task(agents=pair, state="resumed"), task(agents=pair, state="resumed")])
    paused, again, resumed, resumed_again = run.results
    for result in run.results:
        assert not result.get("failed"), result.get("msg")
    assert paused["changed"] is True and statuses(paused) == [("10000", "553", "paused")]
    assert paused["diff"]["before"] == "queue 10000 agent 553: member, not paused\n"
    assert paused["diff"]["after"] == "queue 10000 agent 553: member, paused\n"
    assert again["changed"] is False and statuses(again) == [("10000", "553", "unchanged")]
    assert "Already paused" in again["results"][0]["message"]
    assert resumed["changed"] is True and statuses(resumed) == [("10000", "553", "resumed")]
    assert resumed_again["changed"] is False
    assert "Not paused" in resumed_again["results"][0]["message"]
    assert sent(sim, "paused") == 2 and sent(sim, "resumed") == 2


def test_pause_where_the_server_repeats_it_as_asterisk_does(sim, play):
    # Asterisk says a pause succeeded whether or not the member was paused: each run reports
    # it as done, never as unchanged on a guess.
    pair = [{"queue": "10000", "agent": "553"}]
    run = play([task(agents=pair, state="paused"), task(agents=pair, state="paused")])
    for result in run.results:
        assert not result.get("failed"), result.get("msg")
        assert result["changed"] is True and statuses(result) == [("10000", "553", "paused")]


def test_pausing_a_non_member_fails_naming_the_pair(sim, play):
    result = play([task(agents=[{"queue": "10000", "agent": "553"},
                                {"queue": "10000", "agent": "999"}], state="paused")])[0]
    assert result["failed"] is True and result["changed"] is True
    assert statuses(result) == [("10000", "553", "paused"), ("10000", "999", "failed")]
    assert "1 of 2 pairs could not be paused: queue 10000 agent 999 (Interface not found)" \
        in result["msg"]
    assert "queue 10000 agent 999: membership unknown, not paused" in result["diff"]["after"]


def test_adding_to_a_missing_queue_fails_naming_the_pair(sim, play):
    result = play([task(agents=[{"queue": "10000", "agent": "704"},
                                {"queue": "99999", "agent": "704"}])])[0]
    assert result["failed"] is True and result["changed"] is True
    assert statuses(result) == [("10000", "704", "added"), ("99999", "704", "failed")]
    assert "queue 99999 agent 704 (Unable to add interface to queue: No such queue)" \
        in result["msg"]
    assert "added 1, unchanged 0, failed 1" in result["msg"]


def test_check_mode_writes_nothing_and_says_the_server_cannot_be_asked(sim, play):
    total = sim.stats("simotel")["total"]
    pairs = [{"queue": item["queue"], "agent": item["agent"]} for item in NEW]
    run = play([task(agents=NEW, batch_size=2), task(agents=pairs, state="absent")], check=True)
    add, remove = run.results
    assert sim.stats("simotel")["total"] == total
    assert not add.get("failed") and add["changed"] is True
    assert add["batches"] == 2
    assert add["requests"][0]["agents"][1] == {"queue": "10000", "agent": "701", "agents": "701",
                                               "source": "701", "penalty": "2"}
    assert [entry["status"] for entry in add["results"]] == ["unconfirmed"] * 3
    for entry in add["results"]:
        assert "cannot list a queue's members" in entry["message"]
        assert "cannot be asked first" in entry["message"]
    assert "cannot be asked first" in add["msg"] and add["msg"].startswith("would add 3 pairs")
    assert any("cannot list a queue's members" in warning for warning in add["warnings"])
    assert add["counts"] == {"added": 0, "unchanged": 0, "failed": 0}
    assert add["diff"]["before"] == ""
    assert "queue 10000 agent 700: member\n" in add["diff"]["after"]
    assert remove["msg"].startswith("would remove 3 pairs in 1 request")
    assert remove["diff"]["before"].startswith("queue 10000 agent 700: member, unconfirmed\n")
    assert not is_member(sim, "10000", "700")


def test_bad_input_is_refused_before_any_write_naming_the_item(sim, play):
    cases = [
        ({"agents": NEW + [{"agent": "600"}]}, "agents[3]: missing required arguments: queue"),
        ({"agents": [{"queue": "10000", "agent": ""}]},
         "agents[0] (queue 10000): agent must not be empty"),
        ({"agents": [{"queue": "10000", "agent": True}]},
         "agents[0] (queue 10000): agent must be a string or a whole number"),
        ({"agents": NEW + [{"queue": "10000", "agent": "705", "penalty": -1}]},
         "agents[3] (queue 10000, agent 705): penalty must be a whole number of 0 or more"),
        ({"agents": [{"queue": "10000", "agent": "705", "penalty": "high"}]},
         "agents[0] (queue 10000, agent 705): penalty must be a whole number"),
        ({"agents": [{"queue": "10000", "agent": "705", "source": ""}]},
         "agents[0] (queue 10000, agent 705): source must not be empty"),
        ({"agents": [{"queue": "10000", "agent": "570", "penalty": 1}], "state": "absent"},
         "agents[0] (queue 10000, agent 570): penalty applies only to state present, not absent"),
        ({"agents": [{"queue": "10000", "agent": "705", "penalty": 1},
                     {"queue": 10000, "agent": 705, "penalty": 2}]},
         "agents[1] (queue 10000, agent 705): the same queue and agent as agents[0] with "
         "another source or penalty"),
        ({"agents": NEW, "batch_size": 0}, "batch_size must be at least 1"),
        ({"agents": NEW, "unchanged_patterns": ["already (there"]}, "unchanged_patterns[0]"),
        ({"agents": NEW, "state": "gone"}, "state"),
    ]
    total = sim.stats("simotel")["total"]
    run = play([task(**options) for options, dummy in cases])
    for result, (options, expected) in zip(run.results, cases):
        assert result["failed"] is True, options
        assert expected in result["msg"], (expected, result["msg"])
    assert sim.stats("simotel")["total"] == total
    assert not is_member(sim, "10000", "700")


def test_duplicates_are_sent_once_and_numbers_as_text(sim, play):
    agents = [{"queue": 10000, "agent": 706}, {"queue": "10000", "agent": "706"},
              {"queue": " 10000", "agent": 707, "penalty": 1},
              {"queue": 10000, "agent": 707, "penalty": "1"}]
    result = play([task(agents=agents)])[0]
    assert not result.get("failed"), result.get("msg")
    assert statuses(result) == [("10000", "706", "added"), ("10000", "707", "added")]
    assert sent(sim, "present") == 1


def test_250_items_go_out_in_exactly_3_requests(sim, play):
    pairs = [{"queue": "10000" if n % 2 else "10001", "agent": str(8000 + n)}
             for n in range(250)]
    result = play([task(agents=pairs, batch_size=100)])[0]
    assert not result.get("failed"), result.get("msg")
    assert sent(sim, "present") == 3 and result["batches"] == 3
    assert result["counts"] == {"added": 250, "unchanged": 0, "failed": 0}
    assert [(e["queue"], e["agent"]) for e in result["results"]] == \
        [(p["queue"], p["agent"]) for p in pairs]


def test_a_busy_server_is_retried(sim, play):
    # 429: the request was not processed, so the retry is no replay.
    sim.faults("simotel", route="batchaddagent", count=2, status=429, retry_after=1)
    result = play([task(agents=NEW)])[0]
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is True
    assert result["counts"] == {"added": 2, "unchanged": 1, "failed": 0}
    assert sent(sim, "present") == 3
    assert not any(entry.get("replayed") for entry in result["results"])


def test_a_503_may_come_after_the_add_so_its_retry_is_a_replay(sim, play):
    # A 503 to a POST may come from a proxy after the server acted: an "already there" of the
    # retried batch may be this run's own addition, so it counts as added, with a warning.
    sim.faults("simotel", route="batchaddagent", count=1, status=503, retry_after=1)
    result = play([task(agents=NEW)])[0]
    assert not result.get("failed"), result.get("msg")
    assert sent(sim, "present") == 2
    assert result["counts"] == {"added": 3, "unchanged": 0, "failed": 0}
    assert result["results"][2]["replayed"] is True
    assert any("sent again" in warning for warning in result["warnings"])


def test_a_reply_lost_after_the_add_is_replayed_and_counts_as_added(sim, play):
    sim.faults("simotel", route="batchaddagent", count=1, drop=True, after_handling=True)
    result = play([task(agents=NEW)])[0]
    assert not result.get("failed"), result.get("msg")
    assert sent(sim, "present") == 2
    # The first request added 700 and 701; its reply was lost. The replay finds every pair
    # there already: all three count as added by this run, with a warning, never "no change".
    assert [entry["status"] for entry in result["results"]] == ["added"] * 3
    assert all(entry["replayed"] is True for entry in result["results"])
    assert "counted as added" in result["results"][0]["message"]
    assert result["changed"] is True
    assert any("sent again" in warning and "count as added" in warning
               for warning in result["warnings"])
    assert is_member(sim, "10000", "700")


def test_a_refused_batch_stops_the_later_ones(sim, play):
    sim.faults("simotel", route="batchaddagent", count=1, status=400,
               body={"success": 0, "message": "Unable to parse content", "data": None})
    result = play([task(agents=NEW, batch_size=2)])[0]
    assert result["failed"] is True and result["changed"] is False
    assert sent(sim, "present") == 1 and result["batches"] == 1
    assert "request 1 of 2 failed, the later ones were not sent" in result["msg"]
    assert "HTTP 400" in result["msg"] and "could not read the request body" in result["msg"]
    assert result["results"][0]["message"] == \
        "not added: the server refused the request: HTTP 400: Unable to parse content"
    assert result["results"][2]["message"] == "not sent: an earlier batch failed"
    assert not is_member(sim, "10000", "700")


def test_a_server_error_leaves_the_outcome_unknown(sim, play):
    sim.faults("simotel", route="batchremoveagent", count=4, status=503)
    result = play([task(agents=[{"queue": "10000", "agent": "570"}], state="absent",
                        retries=1)])[0]
    assert result["failed"] is True
    assert "HTTP 503" in result["msg"]
    assert result["results"][0]["message"].startswith("outcome unknown: the request failed: HTTP 503")


def test_wordings_are_a_switch_and_unchanged_patterns_follow_them(sim, play):
    sim.config("simotel", pbx_messages={"already_member": "Member exists in this queue"})
    pair = [{"queue": "10000", "agent": "570"}]
    run = play([task(agents=pair), task(agents=pair, unchanged_patterns=["member exists"]),
                task(agents=pair, unchanged_patterns=[])])
    default, custom, strict = run.results
    assert default["failed"] is True and statuses(default) == [("10000", "570", "failed")]
    assert "Member exists in this queue" in default["msg"]
    assert not custom.get("failed") and statuses(custom) == [("10000", "570", "unchanged")]
    sim.config("simotel", pbx_messages={})
    assert strict["failed"] is True and statuses(strict) == [("10000", "570", "failed")]


def test_the_pbx_group_carries_the_connection(sim, play):
    connection = {"pbx_url": sim.simotel_url, "pbx_api_key": sim.pbx_api_key,
                  "pbx_username": sim.pbx_username, "pbx_password": sim.pbx_password}
    result = play([task(agents=NEW[:1])], pbx=connection)[0]
    assert not result.get("failed"), result.get("msg")
    assert statuses(result) == [("10000", "700", "added")]


def test_secrets_never_reach_verbose_output(sim, play):
    sim.config("simotel", pbx_password="Basic-Secret-6161", pbx_api_key="Key-Secret-9097")
    connection = {"pbx_url": sim.simotel_url, "pbx_username": sim.pbx_username}
    secrets = {"PBX_PASSWORD": "Basic-Secret-6161", "PBX_API_KEY": "Key-Secret-9097"}
    agents = NEW + [{"queue": "99999", "agent": "1"}]
    pairs = [{"queue": item["queue"], "agent": item["agent"]} for item in NEW]
    run = play([task(agents=agents), task(agents=NEW),
                task(agents=pairs, state="absent")], pbx=connection, env=secrets, verbosity=4)
    assert run[0]["changed"] is True and run[0]["failed"] is True
    assert run[1]["changed"] is False
    assert run[2]["changed"] is True
    for secret in ("Basic-Secret-6161", "Key-Secret-9097"):
        assert secret not in run.stdout
    encoded = base64.b64encode(("%s:Basic-Secret-6161" % sim.pbx_username).encode()).decode()
    assert encoded not in run.stdout
    # The run did print the module's results, so the checks above looked at real output.
    assert "Added successfully" in run.stdout and "Removed successfully" in run.stdout


def test_wrong_credentials_fail_clearly_without_writing(sim, play):
    sim.config("simotel", pbx_password="Right-Basic-Pw-2", pbx_api_key="Right-Key-0043")
    run = play([task(agents=NEW)], verbosity=4,
               pbx={"pbx_url": sim.simotel_url, "pbx_username": sim.pbx_username},
               env={"PBX_PASSWORD": "Wrong-Basic-Pw-8", "PBX_API_KEY": "Wrong-Key-7732"})
    result = run[0]
    assert result["failed"] is True and result["changed"] is False
    assert "HTTP 401" in result["msg"] and "BasicAuth or ApiKey is invalid" in result["msg"]
    for secret in ("Wrong-Basic-Pw-8", "Wrong-Key-7732", "Right-Basic-Pw-2", "Right-Key-0043"):
        assert secret not in run.stdout
