"""Simotel API v4: the documented request verbatim, auth, errors and the queue
member services."""

import base64

import pytest
import requests

import documented_examples as doc
from documented_examples import assert_shape

BATCH_REMOVE = "pbx/queues/batchremoveagent"


def raw_post(sim, path, data, headers):
    return requests.post(sim.simotel_url + path, data=data, headers=headers, timeout=10)


def envelope_ok(reply, status):
    assert reply.status_code == status, reply.text
    body = reply.json()
    assert set(body) == {"success", "message", "data"}
    return body


def test_documented_request_verbatim(sim):
    reply = raw_post(sim, doc.SIMOTEL_PATH, doc.SIMOTEL_BODY.encode(), doc.SIMOTEL_HEADERS)
    assert reply.status_code == 200
    assert reply.json() == doc.SIMOTEL_REPLY
    assert_shape(reply.json(), doc.SIMOTEL_REPLY)


def test_documented_request_twice_reports_absent_agents(sim):
    raw_post(sim, doc.SIMOTEL_PATH, doc.SIMOTEL_BODY.encode(), doc.SIMOTEL_HEADERS)
    reply = raw_post(sim, doc.SIMOTEL_PATH, doc.SIMOTEL_BODY.encode(), doc.SIMOTEL_HEADERS)
    body = envelope_ok(reply, 200)
    assert_shape(body, doc.SIMOTEL_REPLY)
    assert body["data"]["ok"] == 0
    assert [item["ok"] for item in body["data"]["Data"]] == [0, 0]
    assert {item["message"] for item in body["data"]["Data"]} == {
        "Unable to remove interface: Not there"}


def test_documented_javascript_example_needs_its_own_key(sim):
    reply = raw_post(sim, doc.SIMOTEL_PATH, doc.SIMOTEL_BODY, doc.SIMOTEL_JS_HEADERS)
    assert reply.status_code == 401
    sim.config("simotel", pbx_api_key=doc.SIMOTEL_JS_HEADERS["X-APIKEY"])
    reply = raw_post(sim, doc.SIMOTEL_PATH, doc.SIMOTEL_BODY, doc.SIMOTEL_JS_HEADERS)
    assert reply.status_code == 200 and reply.json() == doc.SIMOTEL_REPLY


def test_unknown_queue_and_mixed_batch(pbx):
    reply = pbx(BATCH_REMOVE, {"agents": [{"queue": "10001", "agent": "600"},
                                          {"queue": "99999", "agent": "570"},
                                          {"queue": "10001", "agent": "553"}]})
    body = envelope_ok(reply, 200)
    assert body["success"] == 1
    assert body["data"]["ok"] == 0
    assert body["data"]["Data"] == [
        {"agent": "600", "message": "Removed successfully", "ok": 1, "queue": "10001"},
        {"agent": "570", "message": "Unable to remove interface from queue: No such queue",
         "ok": 0, "queue": "99999"},
        {"agent": "553", "message": "Unable to remove interface: Not there", "ok": 0,
         "queue": "10001"},
    ]


def test_numbers_are_accepted_as_queue_and_agent(pbx):
    body = envelope_ok(pbx(BATCH_REMOVE, {"agents": [{"queue": 10000, "agent": 554}]}), 200)
    assert body["data"]["Data"][0] == {"agent": "554", "message": "Removed successfully",
                                       "ok": 1, "queue": "10000"}


def test_add_pause_resume_remove(pbx):
    add = pbx("pbx/queues/batchaddagent", {"agents": [
        {"queue": "10000", "source": "sip", "agent": "700", "penalty": "2"},
        {"queue": "10000", "source": "sip", "agent": "570", "penalty": "0"},
        {"queue": "12345", "source": "sip", "agent": "700", "penalty": "0"}]})
    body = envelope_ok(add, 200)
    assert [i["ok"] for i in body["data"]["Data"]] == [1, 0, 0]
    assert body["data"]["Data"][1]["message"] == "Unable to add interface: Already there"
    assert body["data"]["ok"] == 0
    paused = envelope_ok(pbx("pbx/queues/batchpauseagent",
                             {"agents": [{"queue": "10000", "agent": "700"},
                                         {"queue": "10000", "agent": "999"}]}), 200)
    assert [i["ok"] for i in paused["data"]["Data"]] == [1, 0]
    resumed = envelope_ok(pbx("pbx/queues/batchresumeagent",
                              {"agents": [{"queue": "10000", "agent": "700"}]}), 200)
    assert resumed["data"]["ok"] == 1
    removed = envelope_ok(pbx(BATCH_REMOVE, {"agents": [{"queue": "10000", "agent": "700"}]}),
                          200)
    assert removed["data"]["Data"][0]["ok"] == 1


def test_single_add_and_remove(pbx):
    added = envelope_ok(pbx("pbx/queues/addagent", {"queue": "10001", "agent": "800",
                                                    "source": "sip", "penalty": 1}), 200)
    assert added["success"] == 1 and added["data"]["ok"] == 1
    again = envelope_ok(pbx("pbx/queues/addagent", {"queue": "10001", "agent": "800"}), 200)
    assert again["success"] == 0
    removed = envelope_ok(pbx("pbx/queues/removeagent", {"queue": "10001", "agent": "800"}), 200)
    assert removed["success"] == 1 and removed["message"] == "Removed successfully"


def test_path_and_content_type_are_case_insensitive(sim):
    headers = dict(doc.SIMOTEL_HEADERS, **{"Content-Type": "Application/Json; charset=UTF-8"})
    reply = raw_post(sim, "/Api/V4/PBX/Queues/BatchRemoveAgent/", doc.SIMOTEL_BODY, headers)
    assert reply.status_code == 200 and reply.json() == doc.SIMOTEL_REPLY


@pytest.mark.parametrize("headers", [
    {},
    {"X-APIKEY": "SAMPLE_API_KEY"},
    {"Authorization": "Basic c2Fkcjo="},
    {"X-APIKEY": "wrong", "Authorization": "Basic c2Fkcjo="},
    {"X-APIKEY": "SAMPLE_API_KEY",
     "Authorization": "Basic " + base64.b64encode(b"sadr:wrong").decode()},
    {"X-APIKEY": "SAMPLE_API_KEY", "Authorization": "Basic !!!"},
])
def test_401_missing_or_wrong_credentials(sim, headers):
    headers = dict(headers, **{"Content-Type": "application/json"})
    reply = raw_post(sim, doc.SIMOTEL_PATH, doc.SIMOTEL_BODY, headers)
    assert reply.status_code == 401
    assert reply.json() == {"success": 0,
                            "message": "BasicAuth or ApiKey is missing / is invalid",
                            "data": None}


def test_auth_modes(sim):
    key_only = {"X-APIKEY": "SAMPLE_API_KEY", "Content-Type": "application/json"}
    basic_only = {"Authorization": "Basic c2Fkcjo=", "Content-Type": "application/json"}
    body = '{"agents": [{"queue": "10000", "agent": "1"}]}'
    assert sim.config("simotel", pbx_auth="key")["pbx_auth"] == "key"
    assert raw_post(sim, doc.SIMOTEL_PATH, body, key_only).status_code == 200
    assert raw_post(sim, doc.SIMOTEL_PATH, body, basic_only).status_code == 401
    sim.config("simotel", pbx_auth="basic")
    assert raw_post(sim, doc.SIMOTEL_PATH, body, basic_only).status_code == 200
    assert raw_post(sim, doc.SIMOTEL_PATH, body, key_only).status_code == 401


def test_403_denied_service_and_refused_client(sim, pbx):
    sim.config("simotel", pbx_denied_services=["pbx/queues/batchremoveagent"])
    denied = envelope_ok(pbx(BATCH_REMOVE, {"agents": [{"queue": "10000", "agent": "570"}]}),
                         403)
    assert denied["success"] == 0
    assert pbx("pbx/queues/batchaddagent",
               {"agents": [{"queue": "10000", "agent": "5"}]}).status_code == 200
    sim.config("simotel", pbx_denied_services=[], pbx_refuse_clients=["127.0.0.0/8"])
    envelope_ok(pbx(BATCH_REMOVE, {"agents": [{"queue": "10000", "agent": "570"}]}), 403)
    sim.config("simotel", pbx_refuse_clients=["10.1.2.3"])
    envelope_ok(pbx(BATCH_REMOVE, {"agents": [{"queue": "10000", "agent": "570"}]}), 200)
    sim.config("simotel", pbx_refuse_clients=True)
    envelope_ok(pbx(BATCH_REMOVE, {"agents": [{"queue": "10000", "agent": "570"}]}), 403)


def test_400_bad_json_and_bad_input(sim, pbx):
    envelope_ok(pbx(BATCH_REMOVE, data="{not json", headers={"Content-Type": "application/json"}),
                400)
    envelope_ok(pbx(BATCH_REMOVE, data="[1, 2]", headers={"Content-Type": "application/json"}),
                400)
    envelope_ok(pbx(BATCH_REMOVE, {"agent": "570"}), 400)
    envelope_ok(pbx(BATCH_REMOVE, {"agents": [{"queue": "10000"}]}), 400)


def test_405_wrong_method(pbx):
    for method in ("GET", "PUT", "DELETE"):
        envelope_ok(pbx(BATCH_REMOVE, method=method), 405)


def test_415_wrong_content_type(pbx):
    reply = pbx(BATCH_REMOVE, data=doc.SIMOTEL_BODY, headers={"Content-Type": "text/plain"})
    envelope_ok(reply, 415)
    reply = pbx(BATCH_REMOVE, data=doc.SIMOTEL_BODY,
                headers={"Content-Type": "application/x-www-form-urlencoded"})
    envelope_ok(reply, 415)


def test_501_unknown_service(pbx):
    envelope_ok(pbx("pbx/queues/nosuchthing", {"agents": []}), 501)
    envelope_ok(pbx("pbx/users/search", {}), 501)


def test_404_outside_api_v4(sim):
    reply = sim.api("simotel", "POST", "/api/v3/pbx/queues/batchremoveagent", json={})
    envelope_ok(reply, 404)


def test_state_is_reset(sim, pbx):
    pbx(BATCH_REMOVE, {"agents": [{"queue": "10000", "agent": "570"}]})
    sim.reset("simotel")
    again = pbx(BATCH_REMOVE, {"agents": [{"queue": "10000", "agent": "570"}]}).json()
    assert again["data"]["ok"] == 1
