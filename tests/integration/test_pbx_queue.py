"""pbx_queue through real ansible-playbook runs against the simulator."""

import base64

QUEUE = "telephony.callcenter.pbx_queue"
SEARCH = "POST /api/v4/pbx/queues/search"
WRITES = ("POST /api/v4/pbx/queues/add", "POST /api/v4/pbx/queues/update",
          "POST /api/v4/pbx/queues/remove")

# The wiki's "Queue Add" example (6-queues/1-queues_add.md), as a task writes it.
WIKI_QUEUE = {"number": "9009", "name": "NasimTelecom", "strategy": "ringall", "ringinuse": False,
              "call_record": True, "joinempty": "strict", "leavewhenempty": True, "maxlen": 0,
              "announce_frequency": 120, "music": "gole orkideh", "retry": 5, "ring_timeout": 30,
              "weight": 10, "wrapuptime": 1, "monitor_type": "MixMonitor"}


def requests_of(sim, route):
    return sim.stats("simotel")["requests"].get(route, 0)


def writes(sim):
    return sum(requests_of(sim, route) for route in WRITES)


def queue_row(sim, number):
    reply = sim.api("simotel", "POST", "pbx/queues/search",
                    json={"alike": "false", "conditions": {"number": number}})
    assert reply.status_code == 200, reply.text
    found = reply.json()["data"]
    return found[0] if found else None


def test_create_then_rerun_unchanged_and_by_meaning(sim, play):
    by_meaning = dict(WIKI_QUEUE, ring_timeout="30", ringinuse="no", call_record="yes",
                      joinempty="Strict")
    run = play([{QUEUE: WIKI_QUEUE}, {QUEUE: WIKI_QUEUE}, {QUEUE: by_meaning}])
    created, again, same = run.results
    assert not created.get("failed"), created.get("msg")
    assert created["changed"] is True
    row = queue_row(sim, "9009")
    assert (row["name"], row["strategy"], row["ringinuse"], row["call_record"], row["timeout"],
            row["joinempty"]) == ("NasimTelecom", "ringall", "no", "yes", "30", "strict")
    assert created["id"] == row["_id"] and created["queue"]["_id"] == row["_id"]
    assert again["changed"] is False and not again.get("failed"), again.get("msg")
    assert same["changed"] is False and not same.get("failed"), same.get("msg")
    assert requests_of(sim, "POST /api/v4/pbx/queues/add") == 1
    assert requests_of(sim, "POST /api/v4/pbx/queues/update") == 0


def test_update_sends_only_what_differs_and_diff_shows_it(sim, play):
    play([{QUEUE: WIKI_QUEUE}])
    run = play([{QUEUE: {"number": "9009", "ring_timeout": 20, "strategy": "rrmemory",
                         "call_record": True}}])
    result = run[0]
    assert result["changed"] is True, result.get("msg")
    assert result["diff"] == {"before": {"ring_timeout": 30, "strategy": "ringall"},
                              "after": {"ring_timeout": 20, "strategy": "rrmemory"}}
    row = queue_row(sim, "9009")
    assert (row["timeout"], row["strategy"], row["name"]) == ("20", "rrmemory", "NasimTelecom")


def test_check_mode_writes_nothing_and_predicts(sim, play):
    before = writes(sim)
    run = play([{QUEUE: WIKI_QUEUE},
                {QUEUE: {"number": "10000", "name": "renamed"}},
                {QUEUE: {"number": "10001", "state": "absent"}},
                {QUEUE: {"queues": [{"number": "9100", "name": "a"}], "exclusive": True}}],
               check=True)
    created, renamed, deleted, listed = run.results
    assert all(r["changed"] is True and not r.get("failed") for r in run.results), run.results
    assert created["diff"]["after"]["name"] == "NasimTelecom"
    assert renamed["diff"] == {"before": {"name": "queue 10000"}, "after": {"name": "renamed"}}
    assert deleted["diff"]["after"] == {}
    assert listed["counts"] == {"created": 1, "updated": 0, "deleted": 2, "unchanged": 0}
    assert writes(sim) == before
    assert queue_row(sim, "9009") is None and queue_row(sim, "10001")["name"] == "queue 10001"


def test_absent_deletes_and_a_rerun_is_unchanged(sim, play):
    play([{QUEUE: WIKI_QUEUE}])
    run = play([{QUEUE: {"number": "9009", "state": "absent"}},
                {QUEUE: {"number": "9009", "state": "absent"}}])
    gone, again = run.results
    assert gone["changed"] is True and again["changed"] is False
    assert gone["diff"]["before"]["name"] == "NasimTelecom"
    assert queue_row(sim, "9009") is None


def test_list_form_with_exclusive(sim, play):
    queues = [{"number": "9009", "name": "support", "strategy": "rrmemory"},
              {"number": "10000", "name": "queue 10000"}]
    run = play([{QUEUE: {"queues": queues, "exclusive": True}},
                {QUEUE: {"queues": queues, "exclusive": True}}])
    first, second = run.results
    assert not first.get("failed"), first.get("msg")
    assert first["counts"] == {"created": 1, "updated": 0, "deleted": 1, "unchanged": 1}
    assert [(r["number"], r["action"]) for r in first["results"]] == [
        ("9009", "created"), ("10000", "unchanged"), ("10001", "deleted")]
    assert first["msg"] == "queues: 1 created, 0 updated, 1 deleted, 1 unchanged"
    assert second["changed"] is False
    assert queue_row(sim, "10001") is None


def test_empty_list_with_exclusive_is_refused(sim, play):
    before = writes(sim)
    run = play([{QUEUE: {"queues": [], "exclusive": True}},
                {QUEUE: {"queues": [], "exclusive": True, "allow_delete_all": True}}],
               check=True)
    refused, allowed = run.results
    assert refused["failed"] is True and "allow_delete_all" in refused["msg"]
    assert allowed["changed"] is True and allowed["counts"]["deleted"] == 2
    assert writes(sim) == before


def test_bad_input_is_refused_before_any_write_naming_the_item(sim, play):
    before = writes(sim)
    run = play([
        {QUEUE: {"queues": [{"number": "9200", "name": "ok"},
                            {"number": "9201"},
                            {"number": "9202", "name": "x", "joinempty": "sometimes"},
                            {"number": "9203", "name": "y", "ring_timeout": -1},
                            {"number": "9200", "name": "twice"}]}},
        {QUEUE: {"number": "9300", "strategy": "ringall"}},
    ])
    listed, single = run.results
    assert listed["failed"] is True and single["failed"] is True
    assert "Invalid input, nothing was changed" in listed["msg"]
    assert "queues[2] (number 9202): joinempty must be one of yes, no, strict" in listed["msg"]
    assert "queues[3] (number 9203): ring_timeout must not be negative" in listed["msg"]
    assert "queues[4] (number 9200): number 9200 is named twice" in listed["msg"]
    assert "name is required to create queue 9300" in single["msg"]
    assert writes(sim) == before
    assert queue_row(sim, "9200") is None


def test_missing_name_on_create_in_a_list_names_the_item(sim, play):
    before = writes(sim)
    run = play([{QUEUE: {"queues": [{"number": "9400", "name": "ok"}, {"number": "9401"}]}}])
    assert run[0]["failed"] is True
    assert "queues[1] (number 9401): name is required to create queue 9401" in run[0]["msg"]
    assert writes(sim) == before


def test_one_search_reads_every_queue(sim, play):
    queues = [{"number": str(9500 + n), "name": "q%d" % n, "ring_timeout": 10 + n} for n in range(5)]
    play([{QUEUE: {"queues": queues}}])
    searches = requests_of(sim, SEARCH)
    run = play([{QUEUE: {"queues": queues}}])
    assert run[0]["changed"] is False
    assert requests_of(sim, SEARCH) - searches == 1


def test_a_search_reply_that_does_not_parse_is_an_error(sim, play):
    sim.faults("simotel", route="pbx/queues/search", count=1, status=200,
               body={"success": 1, "message": "", "data": {"not": "a list"}})
    before = writes(sim)
    run = play([{QUEUE: WIKI_QUEUE}])
    assert run[0]["failed"] is True
    assert "not a list of queues" in run[0]["msg"]
    assert writes(sim) == before


def test_a_refused_write_fails_with_the_servers_text(sim, play):
    sim.config("simotel", pbx_denied_services=["pbx/queues/add"])
    run = play([{QUEUE: WIKI_QUEUE}])
    assert run[0]["failed"] is True and run[0]["changed"] is False
    assert "HTTP 403" in run[0]["msg"] and "Access denied" in run[0]["msg"]
    assert "API Accounts" in run[0]["msg"]


def test_remove_works_under_either_id_field(sim, play):
    for position in ("_id", "id_"):
        sim.reset("simotel")
        sim.config("simotel", pbx_queue_remove_id_field=position)
        run = play([{QUEUE: {"number": "10001", "state": "absent"}}])
        assert run[0]["changed"] is True and not run[0].get("failed"), (position, run[0])
        assert queue_row(sim, "10001") is None, position


def test_secrets_never_reach_verbose_output(sim, play):
    sim.config("simotel", pbx_password="Queue-Basic-Pw-31", pbx_api_key="Queue-Key-0077")
    run = play([{QUEUE: WIKI_QUEUE}, {QUEUE: dict(WIKI_QUEUE, ring_timeout=25)}], verbosity=4,
               pbx={"pbx_url": sim.simotel_url, "pbx_username": sim.pbx_username},
               env={"PBX_PASSWORD": "Queue-Basic-Pw-31", "PBX_API_KEY": "Queue-Key-0077"})
    assert all(not r.get("failed") for r in run.results), run.results
    encoded = base64.b64encode(("%s:Queue-Basic-Pw-31" % sim.pbx_username).encode()).decode()
    for secret in ("Queue-Basic-Pw-31", "Queue-Key-0077", encoded):
        assert secret not in run.stdout
    sim.config("simotel", pbx_password=sim.pbx_password, pbx_api_key=sim.pbx_api_key)
    assert queue_row(sim, "9009")["timeout"] == "25"


def test_a_failed_write_names_what_was_applied_before_it(sim, play):
    sim.faults("simotel", route="pbx/queues/update", count=1, status=500,
               body={"success": 0, "message": "Requested operation failed", "data": None})
    run = play([{QUEUE: {"queues": [{"number": "9009", "name": "support"},
                                    {"number": "10000", "name": "renamed"}]}}])
    result = run[0]
    assert result["failed"] is True and result["changed"] is True
    assert "HTTP 500" in result["msg"] and "Requested operation failed" in result["msg"]
    assert "applied before the failure: 9009" in result["msg"]
    assert queue_row(sim, "9009")["name"] == "support"
    assert queue_row(sim, "10000")["name"] == "queue 10000"


def test_success_without_effect_is_a_failure(sim, play):
    # The update is answered "done" but never reaches the server's data.
    sim.faults("simotel", route="pbx/queues/update", count=1, status=200,
               body={"success": 1, "message": "Requested operation is done successfully",
                     "data": ""})
    run = play([{QUEUE: {"number": "10000", "name": "renamed"}}])
    assert run[0]["failed"] is True
    assert "did not reach the state" in run[0]["msg"]
    assert queue_row(sim, "10000")["name"] == "queue 10000"
