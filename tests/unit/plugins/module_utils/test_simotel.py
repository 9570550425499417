# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest

from ansible_collections.telephony.callcenter.plugins.module_utils import http_client
from ansible_collections.telephony.callcenter.plugins.module_utils.api_assumptions import (
    SIMOTEL_ABSENT_PATTERNS,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import ApiError
from ansible_collections.telephony.callcenter.plugins.module_utils.simotel import (
    ABSENT,
    BATCH_REMOVE_SERVICE,
    FAILED,
    REMOVED,
    SimotelClient,
    batch_add_item,
    batch_answers,
    chunks,
    classify,
    compile_patterns,
    match_answers,
    member_key,
    remove_members,
    service_path,
)
from ansible_collections.telephony.callcenter.tests.unit.plugins.module_utils.scripted_server import (
    Reply,
)

DEFAULT_PATTERNS = compile_patterns(SIMOTEL_ABSENT_PATTERNS)
REMOVED_570 = {"agent": "570", "message": "Removed successfully", "ok": 1, "queue": "10000"}
REMOVED_553 = {"agent": "553", "message": "Removed successfully", "ok": 1, "queue": "10000"}
NOT_THERE_553 = {"agent": "553", "message": "Unable to remove interface: Not there", "ok": 0,
                 "queue": "10000"}


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    monkeypatch.setattr(http_client, "BACKOFF_FACTOR", 0.01)
    monkeypatch.setattr(http_client, "BACKOFF_JITTER", 0.0)


def client_for(server, **params):
    options = dict(pbx_url=server.url, pbx_api_key="Key-Unit-4711", pbx_username="sadr",
                   pbx_password="Pw-Unit-0815", retries=0, timeout=5)
    options.update(params)
    return SimotelClient(options)


def envelope(data, success=1, message=""):
    return Reply(200, {"success": success, "message": message, "data": data})


# -- the client --------------------------------------------------------------------------

def test_service_path_is_lower_case_under_api_v4():
    assert service_path("/PBX/Queues/BatchRemoveAgent/") == "/api/v4/pbx/queues/batchremoveagent"


def test_batch_sends_the_documented_request_with_both_credentials(server):
    server.script = [envelope({"Data": [REMOVED_570, REMOVED_553], "ok": 1})]
    body = [{"queue": "10000", "agent": "570"}, {"queue": "10000", "agent": "553"}]
    answers = client_for(server).batch(BATCH_REMOVE_SERVICE, body)
    assert answers == [REMOVED_570, REMOVED_553]
    sent = server.requests[0]
    assert sent["method"] == "POST" and sent["path"] == "/api/v4/pbx/queues/batchremoveagent"
    assert sent["body"] == {"agents": body}
    assert sent["headers"]["X-APIKEY"] == "Key-Unit-4711"
    expected = base64.b64encode(b"sadr:Pw-Unit-0815").decode()
    assert sent["headers"]["Authorization"] == "Basic " + expected
    assert sent["headers"]["Content-Type"] == "application/json"


def test_key_only_and_basic_only_send_only_what_is_given(server):
    server.script = [envelope({"Data": [], "ok": 1})]
    client_for(server, pbx_username=None, pbx_password=None).batch(BATCH_REMOVE_SERVICE, [])
    client_for(server, pbx_api_key=None, pbx_password=None).batch(BATCH_REMOVE_SERVICE, [])
    key_only, basic_only = server.requests
    assert "Authorization" not in key_only["headers"]
    assert key_only["headers"]["X-APIKEY"] == "Key-Unit-4711"
    assert "X-APIKEY" not in basic_only["headers"]
    assert basic_only["headers"]["Authorization"] == "Basic " + base64.b64encode(b"sadr:").decode()


def test_a_url_ending_in_api_v4_is_accepted(server):
    server.script = [envelope({"Data": [], "ok": 1})]
    client_for(server, pbx_url=server.url + "/API/v4/").call("pbx/queues/batchremoveagent", {})
    assert server.requests[0]["path"] == "/api/v4/pbx/queues/batchremoveagent"


def test_success_0_with_per_item_results_returns_the_items(server):
    server.script = [envelope({"Data": [REMOVED_570, NOT_THERE_553], "ok": 0}, success=0,
                              message="some items failed")]
    answers = client_for(server).batch(BATCH_REMOVE_SERVICE, [{"queue": "10000", "agent": "570"}])
    assert answers == [REMOVED_570, NOT_THERE_553]


def test_success_0_without_items_raises_the_servers_message(server):
    server.script = [envelope(None, success=0, message="License expired")]
    with pytest.raises(ApiError) as caught:
        client_for(server).batch(BATCH_REMOVE_SERVICE, [{"queue": "1", "agent": "2"}])
    assert caught.value.api_message == "License expired"
    assert "did not carry out the request" in str(caught.value)


def test_success_without_items_is_an_error(server):
    server.script = [envelope({"ok": 1})]
    with pytest.raises(ApiError) as caught:
        client_for(server).batch(BATCH_REMOVE_SERVICE, [{"queue": "1", "agent": "2"}])
    assert "no per-item results" in str(caught.value)


def test_call_keeps_raising_on_success_0_and_returns_data(server):
    server.script = [envelope({"x": 1}), envelope({"Data": [REMOVED_570]}, success="0",
                                                  message="nope")]
    client = client_for(server)
    assert client.call("pbx/queues/addagent", {"queue": "1"}) == {"x": 1}
    with pytest.raises(ApiError) as caught:
        client.call("pbx/queues/addagent", {"queue": "1"})
    assert caught.value.api_message == "nope"


@pytest.mark.parametrize("body", [
    {"message": "no envelope"},
    ["not", "a", "dict"],
    {"success": "maybe", "message": "", "data": None},
])
def test_a_reply_that_is_not_the_envelope_is_an_error(server, body):
    server.script = [Reply(200, body)]
    with pytest.raises(ApiError) as caught:
        client_for(server).call("pbx/queues/batchremoveagent", {})
    assert "success" in str(caught.value)


@pytest.mark.parametrize("status, advice", [
    (400, "could not read the request body"),
    (401, "credentials refused: check pbx_username/pbx_password and pbx_api_key"),
    (403, "permission denied"),
    (404, "check pbx_url"),
    (405, "expects POST"),
    (415, "application/json"),
    (501, "does not offer this service"),
])
def test_refusals_carry_advice(server, status, advice):
    server.script = [Reply(status, {"success": 0, "message": "refused", "data": None})]
    with pytest.raises(ApiError) as caught:
        client_for(server).batch(BATCH_REMOVE_SERVICE, [{"queue": "1", "agent": "2"}])
    assert caught.value.status == status
    assert advice in str(caught.value)
    assert "refused" in str(caught.value)


def test_errors_never_carry_the_secrets(server):
    server.script = [Reply(401, {"success": 0, "data": None,
                                 "message": "key Key-Unit-4711 / Pw-Unit-0815 is invalid"})]
    with pytest.raises(ApiError) as caught:
        client_for(server).batch(BATCH_REMOVE_SERVICE, [{"queue": "1", "agent": "2"}])
    text = str(caught.value)
    assert "Key-Unit-4711" not in text and "Pw-Unit-0815" not in text
    assert "********" in text


# The wiki's "Common Response Messages" (2-settings.md): each text gets its own advice.
@pytest.mark.parametrize("status, message, advice", [
    (401, "BasicAuth or ApiKey is missing", "no credentials reached the server"),
    (401, "BasicAuth or ApiKey is invalid", "wrong or incomplete"),
    (403, "IP is not permitted", "allowed IPs"),
    (403, '"pbx/queues/batchremoveagent";Access denied', "API Accounts"),
    (400, "Unable to parse content", "could not read the request body"),
    (405, "Method not allowed", "HTTP method"),
    (415, "Unsupported Media Type", "content type"),
    (501, "Requested service does not exist", "does not offer this service"),
])
def test_documented_error_texts_carry_their_own_advice(server, status, message, advice):
    server.script = [Reply(status, {"success": 0, "message": message, "data": None})]
    with pytest.raises(ApiError) as caught:
        client_for(server).batch(BATCH_REMOVE_SERVICE, [{"queue": "1", "agent": "2"}])
    assert caught.value.status == status
    assert advice in str(caught.value) and message in str(caught.value)


def test_an_html_404_names_the_address_not_the_page(server):
    page = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"
    server.script = [Reply(404, page, headers={"Content-Type": "text/html"}, raw=True)]
    with pytest.raises(ApiError) as caught:
        client_for(server).batch(BATCH_REMOVE_SERVICE, [{"queue": "1", "agent": "2"}])
    text = str(caught.value)
    assert caught.value.status == 404 and "check pbx_url" in text
    assert "<html>" not in text and "404 page" in text


def test_a_200_reply_that_is_not_json_is_an_error(server):
    server.script = [Reply(200, "<html>login</html>", headers={"Content-Type": "text/html"},
                           raw=True)]
    with pytest.raises(ApiError) as caught:
        client_for(server).single("pbx/queues/removeagent", {"queue": "1", "agent": "2"})
    assert "not JSON" in str(caught.value)


def test_single_reads_the_outcome_in_data(server):
    server.script = [envelope({"message": "Removed successfully", "ok": 1}),
                     envelope({"message": "Unable to remove interface: Not there", "ok": 0}),
                     envelope(None, success=0, message="Field 'queue':value is missing")]
    client = client_for(server)
    body = {"queue": "999", "agent": "557"}
    assert client.single("pbx/queues/removeagent", body) == (True, "Removed successfully")
    assert client.single("pbx/queues/removeagent", body) == (
        False, "Unable to remove interface: Not there")
    assert client.single("pbx/queues/removeagent", body) == (
        False, "Field 'queue':value is missing")
    assert server.requests[0]["body"] == body


@pytest.mark.parametrize("data", [None, "", {"message": "Removed successfully"},
                                  {"message": "x", "ok": "maybe"}, ["ok"]])
def test_single_without_a_readable_outcome_is_an_error(server, data):
    server.script = [envelope(data)]
    with pytest.raises(ApiError) as caught:
        client_for(server).single("pbx/queues/removeagent", {"queue": "1", "agent": "2"})
    assert "data.ok" in str(caught.value)


def test_single_outcome_classified_like_a_batch_item(server):
    server.script = [envelope({"message": "Unable to remove interface: Not there", "ok": 0})]
    ok, message = client_for(server).single("pbx/queues/removeagent", {"queue": "1", "agent": "2"})
    assert classify({"ok": ok, "message": message}, DEFAULT_PATTERNS)[0] == ABSENT


def test_ping(server):
    text = "If the 'Ping' event is enabled in the settings menu, you'll receive it when it's sent"
    server.script = [Reply(200, {"success": 1, "message": text, "data": None}),
                     Reply(401, {"success": 0, "message": "BasicAuth or ApiKey is invalid",
                                 "data": None})]
    client = client_for(server)
    assert client.ping() == text
    assert server.requests[0]["path"] == "/api/v4/setting/ping/act"
    assert server.requests[0]["method"] == "POST" and server.requests[0]["body"] == {}
    with pytest.raises(ApiError) as caught:
        client.ping()
    assert caught.value.status == 401 and "wrong or incomplete" in str(caught.value)


def test_ping_success_0_is_an_error(server):
    server.script = [Reply(200, {"success": 0, "message": "Requested operation failed",
                                 "data": None})]
    with pytest.raises(ApiError) as caught:
        client_for(server).ping()
    assert "Requested operation failed" in str(caught.value)


def test_batch_add_item_carries_both_agent_fields():
    assert batch_add_item(10000, 570) == {"queue": "10000", "source": "570", "agent": "570",
                                          "agents": "570", "penalty": ""}
    assert batch_add_item("10000", "553", source="sip", penalty=2)["source"] == "sip"
    assert batch_add_item("10000", "553", penalty=2)["penalty"] == "2"


def test_batch_add_answers_are_matched_by_agents():
    answers = [{"agents": "553", "message": "Added successfully", "ok": 1, "penalty": "",
                "queue": "10000", "source": "553"},
               {"agents": "570", "message": "Added successfully", "ok": 1, "penalty": "",
                "queue": "10000", "source": "570"}]
    matched, unexpected = match_answers([("10000", "570"), ("10000", "553")], answers)
    assert matched == [answers[1], answers[0]] and unexpected == []


def test_batch_remove_is_replayed_after_a_busy_reply(server):
    server.script = [Reply(503, {"success": 0, "message": "busy", "data": None}),
                     envelope({"Data": [REMOVED_570], "ok": 1})]
    results, batches, error, dummy = remove_members(
        client_for(server, retries=2), [("10000", "570")], 100, DEFAULT_PATTERNS)
    assert error is None and batches == 1
    assert results[0]["status"] == REMOVED
    assert len(server.requests) == 2


def test_plain_call_is_not_replayed_after_a_busy_reply(server):
    server.script = [Reply(503, {"success": 0, "message": "busy", "data": None}),
                     envelope({"x": 1})]
    with pytest.raises(ApiError):
        client_for(server, retries=2).call("pbx/queues/addagent", {"queue": "1"})
    assert len(server.requests) == 1


# -- answers and classification ----------------------------------------------------------

def test_batch_answers_shapes():
    assert batch_answers({"Data": [1], "ok": 1}) == [1]
    assert batch_answers({"data": [2]}) == [2]
    assert batch_answers([3]) == [3]
    assert batch_answers({"ok": 1}) is None
    assert batch_answers(None) is None
    assert batch_answers("text") is None


def test_member_key_is_text():
    assert member_key(10000, 570) == ("10000", "570")
    assert member_key(" 10000 ", "570\n") == ("10000", "570")
    assert member_key(10000.0, None) == ("10000", "")


@pytest.mark.parametrize("answer, status", [
    ({"ok": 1, "message": "Removed successfully"}, REMOVED),
    ({"ok": "1", "message": "Removed successfully"}, REMOVED),
    ({"ok": True, "message": ""}, REMOVED),
    ({"ok": 0, "message": "Unable to remove interface: Not there"}, ABSENT),
    ({"ok": "0", "message": "agent is NOT IN QUEUE 10000"}, ABSENT),
    ({"ok": 0, "message": "Agent 570 is not in the queue"}, ABSENT),
    ({"ok": 0, "message": "not a member of this queue"}, ABSENT),
    ({"ok": 0, "message": "Unable to remove interface from queue: No such queue"}, FAILED),
    ({"ok": 0, "message": ""}, FAILED),
    ({"ok": 0}, FAILED),
    ({"message": "Removed successfully"}, FAILED),
    ({"ok": None, "message": "Not there"}, FAILED),
    ({"ok": "perhaps", "message": "Not there"}, FAILED),
])
def test_classify(answer, status):
    assert classify(answer, DEFAULT_PATTERNS)[0] == status


def test_classify_messages():
    assert classify(None, DEFAULT_PATTERNS) == (
        FAILED, "the server's reply has no result for this queue and agent")
    assert classify({"ok": 0, "message": "No such queue"}, DEFAULT_PATTERNS) == (
        FAILED, "No such queue")
    assert classify({"ok": 0}, DEFAULT_PATTERNS)[1] == \
        "the server did not remove it and gave no reason"
    assert "no ok" in classify({"message": "x"}, DEFAULT_PATTERNS)[1]


def test_classify_without_patterns_fails_every_item_not_removed():
    assert classify(NOT_THERE_553, [])[0] == FAILED
    assert classify(REMOVED_570, [])[0] == REMOVED


def test_compile_patterns_is_case_insensitive_and_names_a_bad_one():
    patterns = compile_patterns(["gone AWAY"])
    assert classify({"ok": 0, "message": "Agent Gone Away"}, patterns)[0] == ABSENT
    with pytest.raises(ValueError) as caught:
        compile_patterns(["fine", "not (closed"])
    assert "absent_patterns[1] (not (closed)" in str(caught.value)


def test_match_answers_by_queue_and_agent_not_by_position():
    pairs = [("10000", "570"), ("10000", "553"), ("10001", "570")]
    answers = [{"queue": 10001, "agent": 570, "ok": 0, "message": "No such queue"},
               NOT_THERE_553,
               {"queue": "10000", "agent": "999", "ok": 1, "message": "Removed successfully"}]
    matched, unexpected = match_answers(pairs, answers)
    assert matched == [None, NOT_THERE_553, answers[0]]
    assert unexpected == [answers[2]]


def test_match_answers_without_names_falls_back_to_position():
    pairs = [("10000", "570"), ("10000", "553")]
    answers = [{"ok": 1, "message": "Removed successfully"}, "junk"]
    matched, unexpected = match_answers(pairs, answers)
    assert matched == [answers[0], None]
    assert unexpected == []


def test_chunks():
    assert chunks(list(range(5)), 2) == [[0, 1], [2, 3], [4]]
    assert chunks(list(range(250)), 100)[2] == list(range(200, 250))
    assert chunks([], 100) == []


# -- batches -------------------------------------------------------------------------------

def test_remove_members_sends_batches_and_classifies(server):
    server.script = [envelope({"Data": [REMOVED_570, NOT_THERE_553], "ok": 0}),
                     envelope({"Data": [{"queue": "99999", "agent": "1", "ok": 0,
                                         "message": "No such queue"}], "ok": 0})]
    pairs = [("10000", "570"), ("10000", "553"), ("99999", "1")]
    results, batches, error, unexpected = remove_members(
        client_for(server), pairs, 2, DEFAULT_PATTERNS)
    assert error is None and batches == 2 and unexpected == []
    assert [r["status"] for r in results] == [REMOVED, ABSENT, FAILED]
    assert results[2] == {"queue": "99999", "agent": "1", "status": FAILED,
                          "message": "No such queue"}
    assert [len(request["body"]["agents"]) for request in server.requests] == [2, 1]


def test_remove_members_stops_at_a_refused_request(server):
    server.script = [envelope({"Data": [REMOVED_570], "ok": 1}),
                     Reply(403, {"success": 0, "message": "Access denied", "data": None})]
    pairs = [("10000", "570"), ("10000", "553"), ("10000", "554")]
    results, batches, error, dummy = remove_members(
        client_for(server), pairs, 1, DEFAULT_PATTERNS)
    assert batches == 2 and len(server.requests) == 2
    assert error.status == 403 and "permission denied" in str(error)
    assert [r["status"] for r in results] == [REMOVED, FAILED, FAILED]
    assert results[1]["message"] == \
        "not removed: the server refused the request: HTTP 403: Access denied"
    assert results[2]["message"] == "not sent: an earlier batch failed"


def test_remove_members_masks_secrets_in_item_messages(server):
    server.script = [envelope({"Data": [{"queue": "1", "agent": "2", "ok": 0,
                                         "message": "bad key Key-Unit-4711"}], "ok": 0})]
    results = remove_members(client_for(server), [("1", "2")], 100, DEFAULT_PATTERNS)[0]
    assert results[0]["message"] == "bad key ********"


def test_a_lost_connection_is_an_unknown_outcome(free_port):
    client = SimotelClient(dict(pbx_url="http://127.0.0.1:%d" % free_port, pbx_api_key="k-123",
                                retries=0, timeout=2))
    results, batches, error, dummy = remove_members(
        client, [("10000", "570")], 100, DEFAULT_PATTERNS)
    assert batches == 1 and error is not None and error.status is None
    assert results[0]["message"].startswith("outcome unknown: the request failed: cannot reach")
