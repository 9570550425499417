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
        {"queue": "10000", "source": "sip", "agents": "700", "penalty": "2"},
        {"queue": "10000", "source": "sip", "agents": "570", "penalty": "0"},
        {"queue": "12345", "source": "sip", "agents": "700", "penalty": "0"}]})
    body = envelope_ok(add, 200)
    assert [i["ok"] for i in body["data"]["Data"]] == [1, 0, 0]
    assert body["data"]["Data"][1]["message"] == "Unable to add interface: Already there"
    assert body["data"]["ok"] == 0
    paused = envelope_ok(pbx("pbx/queues/batchpauseagent",
                             {"agents": [{"queue": "10000", "agent": "700"},
                                         {"queue": "10000", "agent": "999"}]}), 200)
    assert [i["ok"] for i in paused["data"]["Data"]] == [1, 0]
    assert paused["data"]["Data"][0] == {"agent": "700", "message": "Paused successfully",
                                         "ok": 1, "queue": "10000"}
    resumed = envelope_ok(pbx("pbx/queues/batchresumeagent",
                              {"agents": [{"queue": "10000", "agent": "700"}]}), 200)
    assert resumed["data"] == {"Data": [{"agent": "700", "message": "UnPaused successfully",
                                         "ok": 1, "queue": "10000"}], "ok": 1}
    removed = envelope_ok(pbx(BATCH_REMOVE, {"agents": [{"queue": "10000", "agent": "700"}]}),
                          200)
    assert removed["data"]["Data"][0]["ok"] == 1


# The replies of the wiki's single-pair pages (6-queues/5-8), verbatim.
SINGLE_PAGES = [
    ("pbx/queues/addagent", {"queue": "10001", "source": "557", "agent": "557", "penalty": "1"},
     "Added successfully"),
    ("pbx/queues/pauseagent", {"queue": "10001", "agent": "557"}, "Paused successfully"),
    ("pbx/queues/resumeagent", {"queue": "10001", "agent": "557"}, "UnPaused successfully"),
    ("pbx/queues/removeagent", {"queue": "10001", "agent": "557"}, "Removed successfully"),
]


def test_single_pair_services_answer_in_data(pbx):
    for service, body, text in SINGLE_PAGES:
        reply = envelope_ok(pbx(service, body), 200)
        assert reply == {"success": 1, "message": "", "data": {"message": text, "ok": 1}}, service


def test_single_pair_failure_in_data_by_default(pbx):
    again = envelope_ok(pbx("pbx/queues/removeagent", {"queue": "10001", "agent": "557"}), 200)
    assert again == {"success": 1, "message": "",
                     "data": {"message": "Unable to remove interface: Not there", "ok": 0}}
    dup = envelope_ok(pbx("pbx/queues/addagent",
                          {"queue": "10001", "source": "570", "agent": "570"}), 200)
    assert dup["success"] == 1 and dup["data"] == {
        "message": "Unable to add interface: Already there", "ok": 0}


def test_single_pair_failure_in_envelope_switch(sim, pbx):
    sim.config("simotel", pbx_single_failure="envelope")
    again = envelope_ok(pbx("pbx/queues/removeagent", {"queue": "10001", "agent": "557"}), 200)
    assert again == {"success": 0, "message": "Unable to remove interface: Not there",
                     "data": None}
    ok = envelope_ok(pbx("pbx/queues/removeagent", {"queue": "10001", "agent": "600"}), 200)
    assert ok["data"] == {"message": "Removed successfully", "ok": 1}


@pytest.mark.parametrize("repeat, second_ok, second_message", [
    ("again", 1, "Paused successfully"),
    ("refuse", 0, "Unable to pause interface: Already paused"),
])
def test_pause_repeat_switch(sim, pbx, repeat, second_ok, second_message):
    sim.config("simotel", pbx_pause_repeat=repeat)
    pair = {"agents": [{"queue": "10000", "agent": "553"}]}
    first = envelope_ok(pbx("pbx/queues/batchpauseagent", pair), 200)["data"]["Data"][0]
    second = envelope_ok(pbx("pbx/queues/batchpauseagent", pair), 200)["data"]["Data"][0]
    assert (first["ok"], first["message"]) == (1, "Paused successfully")
    assert (second["ok"], second["message"]) == (second_ok, second_message)
    resumed = envelope_ok(pbx("pbx/queues/batchresumeagent", pair), 200)["data"]["Data"][0]
    again = envelope_ok(pbx("pbx/queues/batchresumeagent", pair), 200)["data"]["Data"][0]
    assert (resumed["ok"], resumed["message"]) == (1, "UnPaused successfully")
    assert again["ok"] == second_ok
    if repeat == "refuse":
        assert again["message"] == "Unable to unpause interface: Not paused"


def test_undocumented_wordings_are_a_switch(sim, pbx):
    sim.config("simotel", pbx_messages={"not_member_remove": "Agent is not in queue"})
    body = envelope_ok(pbx(BATCH_REMOVE, {"agents": [{"queue": "10001", "agent": "1"}]}), 200)
    assert body["data"]["Data"][0]["message"] == "Agent is not in queue"
    refused = sim.api("simotel", "POST", "/_sim/config", json={"pbx_messages": {"nope": "x"}})
    assert refused.status_code == 400 and "nope" in refused.text


def test_batchadd_reply_items_as_the_wiki_shows(pbx):
    body = envelope_ok(pbx("pbx/queues/batchaddagent", {"agents": [
        {"queue": "10000", "source": "571", "agents": "571", "penalty": ""}]}), 200)
    assert body == {"success": 1, "message": "", "data": {"Data": [
        {"agents": "571", "message": "Added successfully", "ok": 1, "penalty": "",
         "queue": "10000", "source": "571"}], "ok": 1}}


@pytest.mark.parametrize("position, accepted, refused", [
    ("agents", "agents", "agent"),
    ("agent", "agent", "agents"),
])
def test_batchadd_agent_field_switch(sim, pbx, position, accepted, refused):
    sim.config("simotel", pbx_batchadd_agent_field=position)
    good = envelope_ok(pbx("pbx/queues/batchaddagent", {"agents": [
        {"queue": "10000", "source": "572", accepted: "572", "penalty": ""}]}), 200)
    assert good["data"]["Data"][0]["ok"] == 1 and good["data"]["Data"][0]["agents"] == "572"
    bad = envelope_ok(pbx("pbx/queues/batchaddagent", {"agents": [
        {"queue": "10000", "source": "573", refused: "573", "penalty": ""}]}), 200)
    assert bad == {"success": 0, "message": "Field '%s':value is missing" % position,
                   "data": None}


def test_batchadd_agent_field_either(sim, pbx):
    sim.config("simotel", pbx_batchadd_agent_field="either")
    for field, agent in (("agent", "574"), ("agents", "575")):
        body = envelope_ok(pbx("pbx/queues/batchaddagent", {"agents": [
            {"queue": "10000", "source": agent, field: agent}]}), 200)
        assert body["data"]["ok"] == 1


def test_missing_field_is_200_success_0(pbx):
    for service, body, field in [
            (BATCH_REMOVE, {"agent": "570"}, "agents"),
            (BATCH_REMOVE, {"agents": [{"queue": "10000"}]}, "agent"),
            ("pbx/queues/removeagent", {"agent": "570"}, "queue"),
            ("pbx/queues/addagent", {"queue": "10000", "agent": "570"}, "source")]:
        reply = envelope_ok(pbx(service, body), 200)
        assert reply == {"success": 0, "message": "Field '%s':value is missing" % field,
                         "data": None}, service


def test_path_and_content_type_are_case_insensitive(sim):
    headers = dict(doc.SIMOTEL_HEADERS, **{"Content-Type": "Application/Json; charset=UTF-8"})
    reply = raw_post(sim, "/Api/V4/PBX/Queues/BatchRemoveAgent/", doc.SIMOTEL_BODY, headers)
    assert reply.status_code == 200 and reply.json() == doc.SIMOTEL_REPLY


def test_401_no_credentials_is_missing(sim):
    reply = raw_post(sim, doc.SIMOTEL_PATH, doc.SIMOTEL_BODY, {"Content-Type": "application/json"})
    assert reply.status_code == 401
    assert reply.json() == {"success": 0, "message": "BasicAuth or ApiKey is missing",
                            "data": None}


@pytest.mark.parametrize("headers", [
    {"X-APIKEY": "SAMPLE_API_KEY"},
    {"Authorization": "Basic c2Fkcjo="},
    {"X-APIKEY": "wrong", "Authorization": "Basic c2Fkcjo="},
    {"X-APIKEY": "SAMPLE_API_KEY",
     "Authorization": "Basic " + base64.b64encode(b"sadr:wrong").decode()},
    {"X-APIKEY": "SAMPLE_API_KEY", "Authorization": "Basic !!!"},
])
def test_401_wrong_or_incomplete_credentials_is_invalid(sim, headers):
    headers = dict(headers, **{"Content-Type": "application/json"})
    reply = raw_post(sim, doc.SIMOTEL_PATH, doc.SIMOTEL_BODY, headers)
    assert reply.status_code == 401
    assert reply.json() == {"success": 0, "message": "BasicAuth or ApiKey is invalid",
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


def test_400_unable_to_parse_content(sim, pbx):
    for data in ("{not json", "[1, 2]", ""):
        reply = envelope_ok(pbx(BATCH_REMOVE, data=data,
                                headers={"Content-Type": "application/json"}), 400)
        assert reply["message"] == "Unable to parse content"


def test_405_method_not_allowed(pbx):
    for method in ("GET", "PUT", "DELETE"):
        assert envelope_ok(pbx(BATCH_REMOVE, method=method), 405)["message"] == \
            "Method not allowed"


def test_415_unsupported_media_type(pbx):
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        reply = pbx(BATCH_REMOVE, data=doc.SIMOTEL_BODY, headers={"Content-Type": content_type})
        assert envelope_ok(reply, 415)["message"] == "Unsupported Media Type"


def test_501_requested_service_does_not_exist(pbx):
    for service in ("pbx/queues/nosuchthing", "pbx/users/search", "pbx/queues/edit"):
        reply = envelope_ok(pbx(service, {"agents": []}), 501)
        assert reply == {"success": 0, "message": "Requested service does not exist",
                         "data": None}


def test_403_texts(sim, pbx):
    sim.config("simotel", pbx_refuse_clients=True)
    assert envelope_ok(pbx(BATCH_REMOVE, {"agents": []}), 403)["message"] == \
        "IP is not permitted"
    sim.config("simotel", pbx_refuse_clients=[], pbx_denied_services=[BATCH_REMOVE])
    assert envelope_ok(pbx(BATCH_REMOVE, {"agents": []}), 403)["message"] == \
        '"pbx/queues/batchremoveagent";Access denied'


def test_404_outside_api_v4_is_an_html_page(sim):
    for path in ("/api/v3/pbx/queues/batchremoveagent", "/pbx/queues/batchremoveagent", "/"):
        reply = sim.api("simotel", "POST", path, json={})
        assert reply.status_code == 404
        assert reply.headers["Content-Type"].startswith("text/html")
        assert "<h1>Not Found</h1>" in reply.text
        with pytest.raises(ValueError):
            reply.json()


PING_REPLY = {"success": 1, "data": None,
              "message": "If the 'Ping' event is enabled in the settings menu, "
                         "you'll receive it when it's sent"}


def test_ping_as_the_wiki_shows(sim, pbx):
    assert envelope_ok(pbx("setting/ping/act", {}), 200) == PING_REPLY
    # The cURL example: PUT with an empty body.
    reply = pbx("setting/ping/act", method="PUT", data="",
                headers={"Content-Type": "application/json"})
    assert envelope_ok(reply, 200) == PING_REPLY
    stats = sim.stats("simotel")
    assert stats["writes"] == 0, stats


def test_ping_checks_address_and_credentials(sim, pbx):
    reply = sim.api("simotel", "POST", "setting/ping/act", auth=False, json={})
    assert envelope_ok(reply, 401)["message"] == "BasicAuth or ApiKey is missing"
    sim.config("simotel", pbx_refuse_clients=True)
    assert envelope_ok(pbx("setting/ping/act", {}), 403)["message"] == "IP is not permitted"


def test_ping_methods_switch(sim, pbx):
    sim.config("simotel", pbx_ping_methods=["POST"])
    assert envelope_ok(pbx("setting/ping/act", {}, method="PUT"), 405)["success"] == 0
    assert envelope_ok(pbx("setting/ping/act", {}), 200) == PING_REPLY


def test_state_is_reset(sim, pbx):
    pbx(BATCH_REMOVE, {"agents": [{"queue": "10000", "agent": "570"}]})
    sim.reset("simotel")
    again = pbx(BATCH_REMOVE, {"agents": [{"queue": "10000", "agent": "570"}]}).json()
    assert again["data"]["ok"] == 1
