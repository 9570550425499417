"""Simotel API v4 queues: add, search, update (the "Queue Edit" page), remove, as the wiki's
6-queues pages show them."""

import re

import pytest

DONE = "Requested operation is done successfully"

# The request of the wiki's "Queue Add" page (1-queues_add.md), verbatim.
WIKI_QUEUE = {
    "name": "NasimTelecom", "number": "9009", "strategy": "ringall", "ringinuse": "no",
    "call_record": "yes", "setinterfacevar": "yes", "autofill": "yes", "setqueuevar": "yes",
    "setqueueentryvar": "yes", "persistentmembers": "no", "shared_lastcall": "no",
    "announce_holdtime": "no", "announce_position": "yes", "joinempty": "strict",
    "leavewhenempty": "yes", "reportholdtime": "no", "maxlen": "0", "announce_frequency": "120",
    "min_announce_frequency": "60", "periodic_announce_frequency": "120",
    "music": "gole orkideh", "queue_callswaiting": "queue-callswaiting",
    "queue_thankyou": "queue-thankyou", "queue_thereare": "queue-thereare",
    "queue_youarenext": "queue-youarenext", "retry": "5", "servicelevel": "60", "timeout": "30",
    "weight": "10", "wrapuptime": "1", "monitor_type": "MixMonitor", "monitor_format": "wav",
    "more_options": "",
}


def ok(reply):
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert set(body) == {"success", "message", "data"}
    return body


def search(pbx, number="", name="", alike="false"):
    return ok(pbx("pbx/queues/search", {"alike": alike,
                                        "conditions": {"name": name, "number": number}}))


def test_add_then_search_as_the_wiki_shows(pbx):
    added = ok(pbx("pbx/queues/add", WIKI_QUEUE))
    assert added["success"] == 1 and added["message"] == DONE
    assert set(added["data"]) == {"_id"} and re.fullmatch(r"[0-9a-f]{24}", added["data"]["_id"])
    found = search(pbx, number="9009")
    assert found["success"] == 1 and found["message"] == ""
    [queue] = found["data"]
    # The search reply's keys in its order: _id, the request's fields, date.
    assert list(queue) == ["_id"] + list(WIKI_QUEUE) + ["date"]
    assert queue["_id"] == added["data"]["_id"]
    assert {k: queue[k] for k in WIKI_QUEUE} == WIKI_QUEUE
    assert all(isinstance(value, str) for value in queue.values())


def test_add_existing_number_is_success_0(pbx):
    ok(pbx("pbx/queues/add", {"name": "a", "number": "9010"}))
    again = ok(pbx("pbx/queues/add", {"name": "b", "number": "9010"}))
    assert again == {"success": 0, "message": "this queue already exists", "data": None}
    assert [q["name"] for q in search(pbx, number="9010")["data"]] == ["a"]


@pytest.mark.parametrize("body, field", [({"number": "9011"}, "name"),
                                         ({"name": "x"}, "number")])
def test_add_missing_field(pbx, body, field):
    reply = ok(pbx("pbx/queues/add", body))
    assert reply == {"success": 0, "message": "Field '%s':value is missing" % field,
                     "data": None}
    assert search(pbx, number="9011")["data"] == []


def test_search_alike_and_exact(pbx):
    for number in ("9100", "9101", "8100"):
        ok(pbx("pbx/queues/add", {"name": "sales " + number, "number": number}))
    assert [q["number"] for q in search(pbx, number="910", alike="true")["data"]] == \
        ["9100", "9101"]
    assert search(pbx, number="910", alike="false")["data"] == []
    assert [q["number"] for q in search(pbx, name="SALES 8", alike="true")["data"]] == ["8100"]
    everything = [q["number"] for q in search(pbx, alike="true")["data"]]
    assert {"10000", "10001", "9100", "9101", "8100"} <= set(everything)
    missing = ok(pbx("pbx/queues/search", {"conditions": {"number": "9100"}}))
    assert missing["success"] == 0 and missing["message"] == "Field 'alike':value is missing"


def test_update_changes_only_what_is_sent(pbx):
    queue_id = ok(pbx("pbx/queues/add", {"name": "n", "number": "9200",
                                         "timeout": "30"}))["data"]["_id"]
    reply = ok(pbx("pbx/queues/update", {"_id": queue_id, "name": "renamed", "weight": 7}))
    assert reply == {"success": 1, "message": DONE, "data": ""}
    [queue] = search(pbx, number="9200")["data"]
    assert (queue["name"], queue["timeout"], queue["weight"]) == ("renamed", "30", "7")


def test_update_number_keeps_members_and_refuses_a_taken_one(pbx):
    queue_id = ok(pbx("pbx/queues/add", {"name": "n", "number": "9300"}))["data"]["_id"]
    ok(pbx("pbx/queues/addagent", {"queue": "9300", "source": "5", "agent": "5"}))
    taken = ok(pbx("pbx/queues/update", {"_id": queue_id, "number": "10000"}))
    assert taken["success"] == 0 and taken["message"] == "this queue already exists"
    ok(pbx("pbx/queues/update", {"_id": queue_id, "number": "9301"}))
    moved = ok(pbx("pbx/queues/removeagent", {"queue": "9301", "agent": "5"}))
    assert moved["data"]["ok"] == 1


def test_update_and_remove_unknown_id(pbx):
    for service in ("pbx/queues/update", "pbx/queues/remove"):
        reply = ok(pbx(service, {"_id": "603c8d9ffc909f2e766d40d3"}))
        assert reply == {"success": 0, "message": "Requested operation failed", "data": None}
        assert ok(pbx(service, {}))["message"] == "Field '_id':value is missing"


def test_remove_takes_its_members_with_it(pbx):
    queue_id = ok(pbx("pbx/queues/add", {"name": "n", "number": "9400"}))["data"]["_id"]
    ok(pbx("pbx/queues/addagent", {"queue": "9400", "source": "5", "agent": "5"}))
    removed = ok(pbx("pbx/queues/remove", {"_id": queue_id}))
    assert removed == {"success": 1, "message": DONE, "data": ""}
    assert search(pbx, number="9400")["data"] == []
    ok(pbx("pbx/queues/add", {"name": "n", "number": "9400"}))
    again = ok(pbx("pbx/queues/addagent", {"queue": "9400", "source": "5", "agent": "5"}))
    assert again["data"]["ok"] == 1


@pytest.mark.parametrize("position, accepted, refused",
                         [("_id", "_id", "id_"), ("id_", "id_", "_id")])
def test_remove_id_field_switch(sim, pbx, position, accepted, refused):
    sim.config("simotel", pbx_queue_remove_id_field=position)
    queue_id = ok(pbx("pbx/queues/add", {"name": "n", "number": "9500"}))["data"]["_id"]
    bad = ok(pbx("pbx/queues/remove", {refused: queue_id}))
    assert bad["message"] == "Field '%s':value is missing" % position
    assert ok(pbx("pbx/queues/remove", {accepted: queue_id}))["success"] == 1


def test_remove_id_field_either(sim, pbx):
    sim.config("simotel", pbx_queue_remove_id_field="either")
    for field in ("_id", "id_"):
        queue_id = ok(pbx("pbx/queues/add", {"name": "n", "number": "9600"}))["data"]["_id"]
        assert ok(pbx("pbx/queues/remove", {field: queue_id}))["success"] == 1


def test_unknown_queue_wording_switch(sim, pbx):
    sim.config("simotel", pbx_messages={"queue_not_found": "queue not found"})
    reply = ok(pbx("pbx/queues/remove", {"_id": "603c8d9ffc909f2e766d40d3"}))
    assert reply["success"] == 0 and reply["message"] == "queue not found"


def test_search_is_not_a_write_and_the_rest_are(sim, pbx):
    search(pbx)
    assert sim.stats("simotel")["writes"] == 0
    ok(pbx("pbx/queues/add", {"name": "n", "number": "9700"}))
    assert sim.stats("simotel")["writes"] == 1


def test_initial_queues_are_searchable(pbx):
    found = search(pbx, number="10000")["data"]
    assert [q["number"] for q in found] == ["10000"]
    assert re.fullmatch(r"[0-9a-f]{24}", found[0]["_id"])
