"""``timeout`` is a deadline for each attempt, from the connection to the last byte of the
reply, and a reply larger than ``max_reply_size`` fails: real ansible-playbook runs at -vvvv
through a proxy on 127.0.0.1 in front of the simulator.

The proxy forwards every request to the simulator, which handles it as usual (so a write is
applied), and then, for the routes a test names, either trickles the reply (the headers at
once, then one byte of the body every half second, for at most TRICKLE_LIMIT seconds and
until the client hangs up) or pads it past the cap with whitespace (still valid JSON).
The time a task took is read from timestamps taken right before and after it.
"""

import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from simulator.testing import Simulator

from test_secrets import PASSWORDS, SIM_ENV, assert_no_secret, password

AGENT = "telephony.callcenter.xswitch_agent"
AGENT_INFO = "telephony.callcenter.xswitch_agent_info"
BATCH_REMOVE = "telephony.callcenter.pbx_queue_batch_remove"
BATCH_ROUTE = "POST /api/v4/pbx/queues/batchremoveagent"
PAIRS = [{"queue": "10000", "agent": "570"}, {"queue": "10000", "agent": "553"}]

BYTE_EVERY = 0.5
TRICKLE_LIMIT = 40.0
MIB = 1024 * 1024
# What a module run adds to its requests on this shared machine (start, arguments, result).
OVERHEAD = 3.0


class Proxy:
    """``rules`` maps a route pattern (``"METHOD /path"``, no query) to "trickle" or
    "oversize"; ``seen`` lists the routes of the requests that came in."""

    def __init__(self, upstream, verify):
        self.upstream = upstream
        self.rules = {}
        self.seen = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle(self):
                try:
                    BaseHTTPRequestHandler.handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up on a trickled reply

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                route = "%s %s" % (self.command, self.path.split("?", 1)[0])
                proxy.seen.append(route)
                headers = dict((key, value) for key, value in self.headers.items()
                               if key.lower() not in ("host", "content-length", "connection"))
                reply = requests.request(self.command, proxy.upstream + self.path, data=body,
                                         headers=headers, verify=verify, timeout=30)
                payload = reply.content
                mode = next((mode for pattern, mode in proxy.rules.items()
                             if re.search(pattern, route)), None)
                if mode == "oversize":
                    payload += b" " * (MIB + 1)
                self.send_response(reply.status_code)
                self.send_header("Content-Type", reply.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if mode != "trickle":
                    self.wfile.write(payload)
                    return
                stop = time.monotonic() + TRICKLE_LIMIT
                for index in range(len(payload)):
                    if time.monotonic() > stop:
                        break
                    self.wfile.write(payload[index:index + 1])
                    time.sleep(BYTE_EVERY)
                self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def count(self, route):
        return self.seen.count(route)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def sim():
    """The simulator, started with test_secrets' secrets, so that they can be looked for."""
    with Simulator(env=SIM_ENV) as running:
        yield running


@pytest.fixture
def xswitch_proxy(sim):
    proxy = Proxy(sim.xswitch_url, sim.verify)
    yield proxy
    proxy.stop()


@pytest.fixture
def simotel_proxy(sim):
    proxy = Proxy(sim.simotel_url, sim.verify)
    yield proxy
    proxy.stop()


def timed(play, task, **kwargs):
    """Run ``task`` at -vvvv between two timestamps: (run, its result, seconds it took)."""
    clock = {"ansible.builtin.set_fact": {"stamp": "{{ now().timestamp() }}"}}
    env = dict(PASSWORDS)
    env.update(kwargs.pop("env", {}))
    run = play([clock, task, clock], verbosity=4, env=env, **kwargs)
    before, result, after = run.results
    seconds = float(after["ansible_facts"]["stamp"]) - float(before["ansible_facts"]["stamp"])
    return run, result, seconds


def assert_failed_without_claiming_success(result):
    assert result.get("failed") is True, result
    assert result.get("changed") is not True, result


def test_a_trickled_read_fails_within_attempts_times_timeout_plus_backoff(sim, play, xswitch_proxy):
    xswitch_proxy.rules = {r"^GET /api/users$": "trickle"}
    run, result, seconds = timed(play, {AGENT_INFO: {"login": "1001", "timeout": 2, "retries": 2}},
                                 env={"XSWITCH_URL": xswitch_proxy.url})
    assert_failed_without_claiming_success(result)
    assert ("GET /api/users failed (no complete reply from %s within timeout 2 s, attempt 3 of 3)"
            % xswitch_proxy.url) in result["msg"]
    assert "login=" not in result["msg"] and "1001" not in result["msg"]
    assert xswitch_proxy.count("GET /api/users") == 3
    # 3 attempts of 2 s, backoff 0 s then 1 s plus at most 0.3 s of jitter: 7.3 s at worst.
    assert 7.0 <= seconds <= 7.3 + OVERHEAD, seconds
    assert_no_secret(run, sim)


def test_a_trickled_write_may_have_been_applied_and_is_not_sent_again(sim, play, xswitch_proxy):
    xswitch_proxy.rules = {r"^POST /api/users$": "trickle"}
    agent = {"login": "3001", "name": "Agent 3001", "extn": "3001", "domain": "xswitch.cn",
             "password": password("AGENT_PW_NEW"), "timeout": 2, "retries": 3}
    run, result, seconds = timed(play, {AGENT: agent}, env={"XSWITCH_URL": xswitch_proxy.url})
    assert_failed_without_claiming_success(result)
    assert ("POST /api/users failed (no complete reply from %s within timeout 2 s, attempt 1, "
            "not repeated; the request may have been applied)" % xswitch_proxy.url) in result["msg"]
    assert seconds <= 2 + OVERHEAD, seconds
    time.sleep(1)  # a replay, if any, would have arrived
    assert xswitch_proxy.count("POST /api/users") == 1
    assert sim.stats("xswitch")["requests"].get("POST /api/users") == 1
    # It was applied: the server holds the agent, and a plain re-run finds it.
    logins = [user["login"] for user in sim.api("xswitch", "GET", "users", params={
        "perPage": 1000}).json()["data"]]
    assert logins.count("3001") == 1
    assert_no_secret(run, sim)
    again = play([{AGENT: dict(agent, timeout=30, retries=3)}], env=dict(PASSWORDS))
    assert not again[0].get("failed"), again[0].get("msg")
    assert sim.stats("xswitch")["requests"].get("POST /api/users") == 1


def test_a_trickled_simotel_batch_is_sent_again_then_fails_within_the_bound(sim, play, simotel_proxy):
    # The batch removal is safe to replay (removing a member twice leaves it removed).
    simotel_proxy.rules = {"^" + BATCH_ROUTE + "$": "trickle"}
    run, result, seconds = timed(
        play, {BATCH_REMOVE: {"agents": PAIRS, "timeout": 2, "retries": 1}},
        env={"PBX_URL": simotel_proxy.url})
    assert_failed_without_claiming_success(result)
    assert ("%s failed (no complete reply from %s within timeout 2 s, attempt 2 of 2; the request "
            "may have been applied)" % (BATCH_ROUTE, simotel_proxy.url)) in result["msg"]
    assert simotel_proxy.count(BATCH_ROUTE) == 2
    # 2 attempts of 2 s, no backoff before the first retry.
    assert 4.0 <= seconds <= 4.3 + OVERHEAD, seconds
    assert_no_secret(run, sim)


@pytest.mark.parametrize("server", ["xswitch", "simotel"])
def test_a_reply_larger_than_max_reply_size_fails_naming_the_cap(sim, play, xswitch_proxy,
                                                                 simotel_proxy, server):
    if server == "xswitch":
        proxy, route = xswitch_proxy, "GET /api/users"
        task = {AGENT_INFO: {"login": "1001", "max_reply_size": 1}}
        env = {"XSWITCH_URL": proxy.url}
    else:
        proxy, route = simotel_proxy, BATCH_ROUTE
        task = {BATCH_REMOVE: {"agents": PAIRS, "max_reply_size": 1}}
        env = {"PBX_URL": proxy.url}
    proxy.rules = {"^" + route + "$": "oversize"}
    run, result, dummy = timed(play, task, env=env)
    assert_failed_without_claiming_success(result)
    cap = ("%s failed (the reply from %s is larger than max_reply_size 1 MiB (1048576 bytes); "
           "raise max_reply_size if the server's replies really are that large" % (route, proxy.url))
    assert cap in result["msg"]
    if route.startswith("POST"):
        assert "that large; the request may have been applied)" in result["msg"]
    assert proxy.count(route) == 1
    assert_no_secret(run, sim)


def test_the_default_cap_reads_a_large_reply(sim, play, xswitch_proxy):
    # Padded by 1 MiB past what the server sent: within the default cap, read as usual.
    created = sim.api("xswitch", "POST", "users", json={
        "login": "1001", "name": "Agent 1001", "extn": "1001", "type": "AGENT", "password": "Pw-1001-x"})
    assert created.status_code == 200, created.text
    xswitch_proxy.rules = {r"^GET /api/users$": "oversize"}
    run = play([{AGENT_INFO: {"login": "1001"}}], env={"XSWITCH_URL": xswitch_proxy.url})
    assert not run[0].get("failed"), run[0].get("msg")
    assert [agent["login"] for agent in run[0]["agents"]] == ["1001"]


@pytest.mark.parametrize("value", [0, -1])
def test_a_max_reply_size_below_one_is_refused_before_any_request(sim, play, value):
    run = play([{AGENT_INFO: {"login": "1001", "max_reply_size": value}},
                {BATCH_REMOVE: {"agents": PAIRS, "max_reply_size": value}}])
    for result in run.results:
        assert result.get("failed") is True
        assert "max_reply_size must be a number of MiB, 1 or more, not %d" % value in result["msg"]
    assert sim.stats("xswitch")["total"] == 0
    assert sim.stats("simotel")["total"] == 0
