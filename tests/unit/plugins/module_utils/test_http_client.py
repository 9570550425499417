# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

import pytest

from ansible_collections.telephony.callcenter.plugins.module_utils import http_client
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import (
    MIB,
    ApiError,
    HttpClient,
)

from ansible_collections.telephony.callcenter.tests.unit.plugins.module_utils.scripted_server import Reply


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    """Keep backoff sleeps short; Retry-After is a server's word and stays as it is."""
    monkeypatch.setattr(http_client, "BACKOFF_FACTOR", 0.05)
    monkeypatch.setattr(http_client, "BACKOFF_JITTER", 0.0)


def test_busy_reply_then_success_is_retried(server):
    server.script = [Reply(503, {"message": "busy"}), Reply(200, {"ok": 1})]
    status, reply = HttpClient(server.url, retries=3).request("GET", "/api/users")
    assert (status, reply) == (200, {"ok": 1})
    assert len(server.requests) == 2


def test_retries_give_up_with_the_last_status(server):
    server.script = [Reply(502, {"message": "bad gateway"})]
    with pytest.raises(ApiError) as caught:
        HttpClient(server.url, retries=2).request("GET", "/api/queues")
    assert caught.value.status == 502
    assert len(server.requests) == 3


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(server, status):
    server.script = [Reply(status, {"message": "slow down"}, {"Retry-After": "1"}),
                     Reply(200, {"ok": 1})]
    started = time.monotonic()
    HttpClient(server.url, retries=3).request("GET", "/api/users")
    assert time.monotonic() - started >= 0.95
    assert len(server.requests) == 2


def test_post_is_not_replayed_after_a_read_timeout(server):
    server.script = [Reply(200, {"code": 200, "data": "7"}, delay=1.5)]
    client = HttpClient(server.url, retries=3, timeout=0.5)
    with pytest.raises(ApiError) as caught:
        client.request("POST", "/api/users", body={"login": "1001"})
    assert ("POST /api/users failed (no complete reply from %s within timeout 0.5 s, attempt 1, "
            "not repeated; the request may have been applied)" % server.url) == str(caught.value)
    time.sleep(1.2)  # let a replay, if any, arrive
    assert len(server.requests) == 1


def test_post_is_not_replayed_after_a_busy_reply_that_asks_to_retry(server):
    # urllib3 retries a 503 with Retry-After by itself; the POST rule must not.
    server.script = [Reply(503, {"message": "busy"}, {"Retry-After": "1"}), Reply(200, {"code": 200})]
    with pytest.raises(ApiError) as caught:
        HttpClient(server.url, retries=3).request("POST", "/api/users", body={"login": "1"})
    assert caught.value.status == 503
    assert len(server.requests) == 1


def test_post_is_not_replayed_after_a_busy_reply(server):
    server.script = [Reply(503, {"message": "busy"}), Reply(200, {"code": 200})]
    with pytest.raises(ApiError) as caught:
        HttpClient(server.url, retries=3).request("POST", "/api/queues", body={"name": "q"})
    assert caught.value.status == 503
    assert len(server.requests) == 1


def test_get_is_replayed_after_a_read_timeout(server):
    server.script = [Reply(200, {"late": 1}, delay=1.0), Reply(200, {"ok": 1})]
    status, reply = HttpClient(server.url, retries=2, timeout=0.4).request("GET", "/api/users")
    assert reply == {"ok": 1}
    assert len(server.requests) == 2


def test_a_non_idempotent_put_can_opt_out_of_replays(server):
    server.script = [Reply(503, {"message": "busy"}), Reply(200, {"code": 200})]
    with pytest.raises(ApiError):
        HttpClient(server.url, retries=3).request(
            "PUT", "/api/queues/1/extra_params/2", body={"action": "toggle"}, replay_safe=False)
    assert len(server.requests) == 1


def test_a_post_that_never_connected_is_retried(free_port):
    """Connection refused proves the request never reached the server, so a POST may retry."""
    from http.server import BaseHTTPRequestHandler, HTTPServer
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    def start_late():
        time.sleep(0.3)
        late = HTTPServer(("127.0.0.1", free_port), Handler)
        late.handle_request()
        late.server_close()

    starter = threading.Thread(target=start_late)
    starter.start()
    HttpClient("http://127.0.0.1:%d" % free_port, retries=6).request("POST", "/api/users", body={})
    starter.join(5)
    assert received == ["/api/users"]


def test_error_names_method_path_status_and_api_message_without_secrets(server):
    message = "duplicate key value violates unique constraint; password S3cret-Pw was given"
    server.script = [Reply(500, {"code": 500, "message": message})]
    client = HttpClient(server.url, retries=0, headers={"X-XTRA-AUTH-ID": "tok-123456"},
                        secrets=["S3cret-Pw", "tok-123456"])
    with pytest.raises(ApiError) as caught:
        client.request("POST", "/api/users", body={"login": "1001", "password": "S3cret-Pw"})
    text = str(caught.value)
    assert text.startswith("POST /api/users failed: HTTP 500: duplicate key value")
    assert "S3cret-Pw" not in text
    assert "tok-123456" not in text
    assert caught.value.status == 500


def test_unreachable_server_is_a_clear_error(free_port):
    client = HttpClient("http://127.0.0.1:%d" % free_port, retries=1)
    with pytest.raises(ApiError) as caught:
        client.request("GET", "/api/users")
    assert caught.value.status is None
    assert "GET /api/users failed" in str(caught.value)
    assert "cannot reach http://127.0.0.1:%d" % free_port in str(caught.value)


def test_environment_ca_bundle_does_not_override_validate_certs_false(tls_server, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca-bundle.pem")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/nonexistent/ca-bundle.pem")
    tls_server.script = [Reply(200, {"ok": 1})]
    status, reply = HttpClient(tls_server.url, validate_certs=False, retries=0).request("GET", "/x")
    assert reply == {"ok": 1}


def test_ca_path_verifies_a_self_signed_server(tls_server, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca-bundle.pem")
    tls_server.script = [Reply(200, {"ok": 1})]
    client = HttpClient(tls_server.url, ca_path=tls_server.cert_file, retries=0)
    assert client.request("GET", "/x")[1] == {"ok": 1}


def test_validate_certs_refuses_an_unknown_certificate(tls_server, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with pytest.raises(ApiError) as caught:
        HttpClient(tls_server.url, retries=0).request("GET", "/x")
    assert "validate_certs" in str(caught.value)
    assert tls_server.requests == []


def test_one_session_keeps_the_connection_alive(server):
    server.script = [Reply(200, {"ok": 1})]
    client = HttpClient(server.url)
    for dummy in range(3):
        client.request("GET", "/api/users")
    assert len(server.requests) == 3
    assert len(set(entry["peer"] for entry in server.requests)) == 1


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"])
def test_a_corporate_ca_bundle_from_the_environment_is_honoured(tls_server, monkeypatch, variable):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv(variable, tls_server.cert_file)
    tls_server.script = [Reply(200, {"ok": 1})]
    assert HttpClient(tls_server.url, retries=0).request("GET", "/x")[1] == {"ok": 1}


def test_too_many_requests_is_retried_for_a_write_too(server):
    server.script = [Reply(429, {"message": "slow down"}, {"Retry-After": "1"}),
                     Reply(200, {"code": 200, "data": "7"})]
    started = time.monotonic()
    status, reply = HttpClient(server.url, retries=3).request("POST", "/api/users", body={})
    assert reply == {"code": 200, "data": "7"}
    assert time.monotonic() - started >= 0.95
    assert len(server.requests) == 2


@pytest.mark.parametrize("body", ["<html><body>Please log in</body></html>", '{"data": [{"id": 1'])
def test_a_success_that_is_not_json_is_an_error(server, body):
    server.script = [Reply(200, body, {"Content-Type": "text/html"}, raw=True)]
    with pytest.raises(ApiError) as caught:
        HttpClient(server.url, retries=0).request("GET", "/api/users")
    assert "GET /api/users" in str(caught.value) and "not JSON" in str(caught.value)


def test_an_error_page_is_masked_before_it_is_cut(server):
    secret = "Sup3r-Secret-Value"
    # The secret straddles the 200th character, where the text is cut.
    page = "x" * 190 + secret + " and the ha1 " + "0123456789abcdef" * 2
    server.script = [Reply(500, page, raw=True)]
    with pytest.raises(ApiError) as caught:
        HttpClient(server.url, retries=0, secrets=[secret]).request("GET", "/api/users")
    text = str(caught.value)
    assert "Sup3r" not in text and "********" in text


def test_encoded_credentials_and_url_userinfo_are_masked(server, free_port):
    server.script = [Reply(500, {"message": "echo: Basic dXNlcjpQYXNzLXdvcmQtOQ== "
                                            "ha1 0123456789abcdef0123456789abcdef"})]
    client = HttpClient(server.url, retries=0, auth=("user", "Pass-word-9"))
    with pytest.raises(ApiError) as caught:
        client.request("GET", "/x")
    assert "dXNlcjpQYXNzLXdvcmQtOQ==" not in str(caught.value)
    assert "0123456789abcdef0123456789abcdef" not in str(caught.value)
    unreachable = HttpClient("http://admin:Url-Pw-77@127.0.0.1:%d" % free_port, retries=0)
    with pytest.raises(ApiError) as caught:
        unreachable.request("GET", "/x")
    assert "Url-Pw-77" not in str(caught.value) and "admin:" not in str(caught.value)
    assert "cannot reach http://127.0.0.1:%d" % free_port in str(caught.value)


def test_a_404_under_a_url_with_a_path_hints_at_the_base_url(server):
    server.script = [Reply(404, {"message": "not found"})]
    with pytest.raises(ApiError) as caught:
        HttpClient(server.url + "/api", retries=0).request("GET", "/api/users")
    assert "the URL has the path /api" in str(caught.value)


# -- timeout is a deadline for each attempt; max_reply_size --------------------------------
TRICKLED = {"data": "x" * 400}  # about 410 bytes: 41 s at a byte each 0.1 s


@pytest.mark.parametrize("retries", [0, 2])
def test_a_trickled_body_fails_at_the_deadline_of_each_attempt(server, retries):
    server.script = [Reply(200, TRICKLED, trickle=0.1)]
    client = HttpClient(server.url, retries=retries, timeout=0.5)
    started = time.monotonic()
    with pytest.raises(ApiError) as caught:
        client.request("GET", "/api/users", params={"login": "1001"})
    elapsed = time.monotonic() - started
    attempts = retries + 1
    # Each attempt runs to its deadline; backoff (patched above) is 0 s, then 0.1 s.
    assert attempts * 0.5 - 0.05 <= elapsed <= attempts * 0.5 + 0.1 * (attempts > 2) + 0.6
    assert len(server.requests) == attempts
    assert str(caught.value) == ("GET /api/users failed (no complete reply from %s within "
                                 "timeout 0.5 s, attempt %d of %d)" % (server.url, attempts, attempts))
    assert "login" not in str(caught.value)


def test_a_trickled_reply_to_a_post_is_not_replayed_and_may_have_been_applied(server):
    server.script = [Reply(200, TRICKLED, trickle=0.1)]
    started = time.monotonic()
    with pytest.raises(ApiError) as caught:
        HttpClient(server.url, retries=3, timeout=0.5).request("POST", "/api/users", body={"login": "1"})
    assert time.monotonic() - started < 1.2
    assert str(caught.value).endswith(
        "within timeout 0.5 s, attempt 1, not repeated; the request may have been applied)")
    time.sleep(0.6)  # let a replay, if any, arrive
    assert len(server.requests) == 1


def test_a_replay_safe_post_cut_off_in_its_body_is_sent_again(server):
    server.script = [Reply(200, TRICKLED, trickle=0.1), Reply(200, {"ok": 1})]
    status, reply = HttpClient(server.url, retries=1, timeout=0.5).request(
        "POST", "/api/v4/pbx/queues/batchremoveagent", body={}, replay_safe=True)
    assert (status, reply) == (200, {"ok": 1})
    assert len(server.requests) == 2


def test_trickled_headers_are_bounded_too(server):
    server.script = [Reply(200, {"ok": 1}, trickle=0.1, trickle_headers=True)]
    started = time.monotonic()
    with pytest.raises(ApiError) as caught:
        HttpClient(server.url, retries=0, timeout=0.5).request("GET", "/api/queues")
    assert time.monotonic() - started < 1.1
    assert "no complete reply from %s within timeout 0.5 s, attempt 1 of 1" % server.url in str(caught.value)


def test_a_slow_reply_that_ends_within_the_timeout_is_read_whole(server):
    server.script = [Reply(200, {"a": 1}, trickle=0.02), Reply(200, {"b": 2}, trickle=0.02, chunked=True)]
    client = HttpClient(server.url, retries=0, timeout=2)
    assert client.request("GET", "/api/users") == (200, {"a": 1})
    assert client.request("GET", "/api/users") == (200, {"b": 2})


def test_a_trickled_body_over_tls_fails_at_the_deadline(tls_server):
    tls_server.script = [Reply(200, TRICKLED, trickle=0.1)]
    client = HttpClient(tls_server.url, retries=0, timeout=0.5, ca_path=tls_server.cert_file)
    started = time.monotonic()
    with pytest.raises(ApiError) as caught:
        client.request("GET", "/api/users")
    assert time.monotonic() - started < 1.1
    assert "within timeout 0.5 s" in str(caught.value)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_reply_larger_than_max_reply_size_fails_naming_the_cap(server, chunked):
    server.script = [Reply(200, {"data": "x" * (MIB + 10)}, chunked=chunked)]
    with pytest.raises(ApiError) as caught:
        HttpClient(server.url, retries=3, max_reply_size=1).request("GET", "/api/users")
    assert str(caught.value) == (
        "GET /api/users failed (the reply from %s is larger than max_reply_size 1 MiB (1048576 "
        "bytes); raise max_reply_size if the server's replies really are that large)" % server.url)
    assert len(server.requests) == 1


def test_a_write_whose_reply_is_too_large_may_have_been_applied(server):
    server.script = [Reply(500, {"message": "x" * (MIB + 10)})]
    with pytest.raises(ApiError) as caught:
        HttpClient(server.url, retries=3, max_reply_size=1).request("POST", "/api/users", body={})
    assert caught.value.status == 500
    assert str(caught.value).endswith("are that large; the request may have been applied)")


def test_a_reply_just_under_max_reply_size_is_read(server):
    body = {"data": "x" * (MIB - 20)}
    server.script = [Reply(200, body, chunked=True)]
    assert HttpClient(server.url, max_reply_size=1).request("GET", "/api/users") == (200, body)


def test_the_default_cap_fits_a_list_of_ten_thousand_agents():
    # 7,247,156 bytes measured from the simulator for 10,000 agents in one reply.
    assert http_client.DEFAULT_MAX_REPLY_MB * MIB >= 8 * 7247156
    assert HttpClient("http://127.0.0.1:1").max_reply_size == http_client.DEFAULT_MAX_REPLY_MB


def test_a_body_that_does_not_decode_is_a_clear_error(server):
    server.script = [Reply(200, "not gzip at all", raw=True, headers={"Content-Encoding": "gzip"})]
    with pytest.raises(ApiError) as caught:
        HttpClient(server.url, retries=0).request("GET", "/api/users")
    assert str(caught.value).startswith("GET /api/users failed (")


class Counted(Reply):
    """A reply that takes a while and counts how many requests it serves at once."""

    def __init__(self, *args, **kwargs):
        self.lock = threading.Lock()
        self.now = self.most = 0
        super(Counted, self).__init__(*args, **kwargs)

    @property
    def delay(self):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(0.05)
        with self.lock:
            self.now -= 1
        return 0

    @delay.setter
    def delay(self, value):
        pass


@pytest.mark.parametrize("bound", [1, 3])
def test_the_requests_in_flight_never_exceed_the_bound(server, bound):
    counted = Counted(200, {"ok": True})
    server.script = [counted]
    client = HttpClient(server.url, retries=0, timeout=5, max_in_flight=bound)
    threads = [threading.Thread(target=client.request, args=("GET", "/x")) for dummy in range(9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(server.requests) == 9
    assert counted.most == bound


@pytest.mark.parametrize("bound", [1, 4, 10])
def test_the_kept_alive_connections_are_as_many_as_the_requests_in_flight(bound):
    client = HttpClient("https://127.0.0.1:9", max_in_flight=bound)  # nothing is sent
    for scheme in ("http://", "https://"):
        pools = client.session.get_adapter(scheme + "127.0.0.1:9").poolmanager
        assert pools.connection_pool_kw["maxsize"] == bound
