"""/_sim/ control: stats, reset, faults of each kind, config."""

import random
import time

import pytest
import requests

from simulator import simotel, xswitch
from simulator.db import Database
from simulator.settings import Settings
from simulator.testing import SimulatorError


def control(sim, server, method, path, **kw):
    return requests.request(method, sim.url(server) + "/_sim/" + path, timeout=10, **kw)


# -- stats -------------------------------------------------------------------

def test_stats_start_at_zero_after_reset(sim):
    for server in ("xswitch", "simotel"):
        assert sim.stats(server) == {"total": 0, "writes": 0, "requests": {}}


def test_stats_count_by_route_template(sim, xs):
    xs("GET", "users")
    xs("GET", "users", params={"login": "admin"})
    xs("GET", "users/1")
    xs("GET", "users/0")
    created = xs("POST", "users", json={"login": "s1", "password": "p"}).json()["data"]["id"]
    xs("PUT", "users/" + created, json={"name": "x"})
    xs("DELETE", "users/" + created)
    xs("GET", "users/1", auth=False)                      # refused, still counted
    requests.post(sim.xswitch_url + "/api/sessions",
                  json={"login": "admin", "password": sim.admin_password}, timeout=10)
    sim.stats("xswitch")                                  # /_sim/ is not counted
    stats = sim.stats("xswitch")
    assert stats == {"total": 9, "writes": 3, "requests": {
        "DELETE /api/users/<id>": 1,
        "GET /api/users": 2,
        "GET /api/users/<id>": 3,
        "POST /api/sessions": 1,
        "POST /api/users": 1,
        "PUT /api/users/<id>": 1,
    }}


def test_stats_simotel_every_call_is_a_write(sim, pbx):
    pbx("pbx/queues/batchremoveagent", {"agents": [{"queue": "10000", "agent": "570"}]})
    sim.api("simotel", "POST", "/API/v4/PBX/queues/BatchRemoveAgent",
            json={"agents": [{"queue": "10000", "agent": "1"}]})
    sim.api("simotel", "POST", "pbx/queues/addagent", auth=False, json={})
    stats = sim.stats("simotel")
    assert stats == {"total": 3, "writes": 3, "requests": {
        "POST /api/v4/pbx/queues/addagent": 1,
        "POST /api/v4/pbx/queues/batchremoveagent": 2}}


def test_reset_restores_data_stats_faults_config(sim, xs):
    xs("POST", "users", json={"login": "temp", "password": "p"})
    sim.faults("xswitch", route="^GET /nothing", status=500)
    sim.config("xswitch", omit_ha1=True)
    sim.reset("xswitch")
    assert xs("GET", "users").json()["rowCount"] == 2
    assert sim.faults("xswitch") == []
    assert sim.config("xswitch")["omit_ha1"] is False
    assert sim.stats("xswitch")["total"] == 1
    # A new user after reset gets id 2 again.
    assert xs("POST", "users", json={"login": "again", "password": "p"}).json()["data"]["id"] \
        == "2"


# -- faults ------------------------------------------------------------------

def test_fault_count(sim, xs):
    fault = sim.faults("xswitch", route="^GET /api/users$", count=2, status=503)
    assert fault["id"] == 1 and fault["remaining"] == 2
    assert [xs("GET", "users").status_code for _attempt in range(3)] == [503, 503, 200]
    assert xs("GET", "users/1").status_code == 200          # route did not match
    listed = sim.faults("xswitch")
    assert listed[0]["remaining"] == 0 and listed[0]["applied"] == 2
    assert xs("GET", "users", params={"x": 1}).status_code == 200


def test_queued_faults_answer_one_request_each(sim, xs):
    """A fault behind one that answers is not spent by the same request."""
    sim.faults("xswitch", route="^GET /api/users$", count=1, status=503)
    sim.faults("xswitch", route="^GET /api/users$", count=1, status=502)
    sim.faults("xswitch", route="^GET /api/users$", count=1, latency=0.01)
    assert [xs("GET", "users").status_code for dummy in range(3)] == [503, 502, 200]
    assert [fault["remaining"] for fault in sim.faults("xswitch")] == [0, 0, 0]


def test_fault_default_bodies(sim, xs, pbx):
    sim.faults("xswitch", route="^GET /api/queues", count=1, status=502)
    reply = xs("GET", "queues")
    assert reply.status_code == 502
    assert reply.json() == {"code": 502, "message": "simulated fault"}
    sim.faults("simotel", route="batchremoveagent", count=1, status=500)
    reply = pbx("pbx/queues/batchremoveagent", {"agents": [{"queue": "10000", "agent": "570"}]})
    assert reply.status_code == 500
    assert reply.json() == {"success": 0, "message": "simulated fault", "data": None}
    # Nothing was applied: the agent is still there.
    again = pbx("pbx/queues/batchremoveagent", {"agents": [{"queue": "10000", "agent": "570"}]})
    assert again.json()["data"]["ok"] == 1


def test_fault_custom_body(sim, xs):
    sim.faults("xswitch", route="^GET /api/users", count=1, status=502,
               body="<html><body>Bad Gateway</body></html>")
    reply = xs("GET", "users")
    assert reply.status_code == 502 and reply.text.startswith("<html>")
    assert reply.headers["Content-Type"].startswith("text/html")
    sim.faults("xswitch", route="^GET /api/users", count=1, status=500, body={"oops": True})
    assert xs("GET", "users").json() == {"oops": True}


def test_fault_ratio_is_deterministic_with_seed(sim, xs):
    sim.faults("xswitch", route="^GET /api/dicts", ratio=0.5, seed=1234, status=500)
    observed = [xs("GET", "dicts/realm/QUEUE_CC_PARAM").status_code == 500 for _attempt in range(20)]
    rng = random.Random(1234)
    expected = [rng.random() < 0.5 for _attempt in range(20)]
    assert observed == expected
    assert 0 < sum(observed) < 20
    fault = sim.faults("xswitch")[0]
    assert fault["matched"] == 20 and fault["applied"] == sum(expected)


def test_fault_ratio_with_count(sim, xs):
    sim.faults("xswitch", route="^GET /api/queues$", ratio=1, count=3, status=500)
    codes = [xs("GET", "queues").status_code for _attempt in range(5)]
    assert codes == [500, 500, 500, 200, 200]


def test_fault_latency(sim, xs):
    sim.faults("xswitch", route="^GET /api/users/1$", count=1, latency=0.4)
    start = time.monotonic()
    reply = xs("GET", "users/1")
    elapsed = time.monotonic() - start
    assert reply.status_code == 200 and elapsed >= 0.4
    start = time.monotonic()
    xs("GET", "users/1")
    assert time.monotonic() - start < 0.4


def test_fault_latency_makes_client_time_out(sim, xs):
    sim.faults("simotel", route="batchremoveagent", count=1, latency=1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        sim.api("simotel", "POST", "pbx/queues/batchremoveagent", timeout=0.3,
                json={"agents": [{"queue": "10000", "agent": "570"}]})


def test_fault_drop(sim, xs, pbx):
    sim.faults("xswitch", route="^GET /api/users$", count=1, drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        xs("GET", "users")
    assert xs("GET", "users").status_code == 200
    sim.faults("simotel", route="addagent", count=1, drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        pbx("pbx/queues/addagent", {"queue": "10000", "source": "42", "agent": "42"})
    # Not applied: adding now succeeds.
    added = pbx("pbx/queues/addagent", {"queue": "10000", "source": "42", "agent": "42"}).json()
    assert added["data"] == {"message": "Added successfully", "ok": 1}


def test_fault_retry_after(sim, xs):
    sim.faults("xswitch", route="^GET /api/users$", count=1, status=429, retry_after=7)
    reply = xs("GET", "users")
    assert reply.status_code == 429 and reply.headers["Retry-After"] == "7"
    sim.faults("xswitch", route="^GET /api/users$", count=1, retry_after=2)
    reply = xs("GET", "users")
    assert reply.status_code == 503 and reply.headers["Retry-After"] == "2"


def test_fault_after_handling_status(sim, xs):
    sim.faults("xswitch", route="^POST /api/users$", count=1, status=502, after_handling=True)
    reply = xs("POST", "users", json={"login": "ghost", "password": "p", "extn": "8001"})
    assert reply.status_code == 502
    # The user was created all the same: a blind replay hits the duplicate.
    assert xs("GET", "users", params={"login": "ghost"}).json()["rowCount"] == 1
    replay = xs("POST", "users", json={"login": "ghost", "password": "p", "extn": "8001"})
    assert replay.status_code == 500


def test_fault_after_handling_drop(sim, xs, pbx):
    sim.faults("xswitch", route="^POST /api/queues$", count=1, drop=True, after_handling=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        xs("POST", "queues", json={"name": "applied", "type": "callcenter"})
    names = [q["name"] for q in xs("GET", "queues").json()["data"]]
    assert names == ["applied"]
    sim.faults("simotel", route="batchremoveagent", count=1, drop=True, after_handling=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        pbx("pbx/queues/batchremoveagent", {"agents": [{"queue": "10000", "agent": "570"}]})
    again = pbx("pbx/queues/batchremoveagent", {"agents": [{"queue": "10000", "agent": "570"}]})
    assert again.json()["data"]["Data"][0]["ok"] == 0


def test_faults_list_and_clear(sim):
    sim.faults("xswitch", route="^GET", status=500, count=1)
    sim.faults("xswitch", route="^PUT", latency=0.1)
    listed = control(sim, "xswitch", "GET", "faults").json()
    assert [f["id"] for f in listed["faults"]] == [1, 2]
    assert set(listed["faults"][0]) == {
        "id", "route", "count", "ratio", "seed", "status", "body", "retry_after", "latency",
        "drop", "expire_token", "after_handling", "remaining", "matched", "applied"}
    assert control(sim, "xswitch", "DELETE", "faults").json() == {"faults": []}
    assert sim.faults("xswitch") == []


@pytest.mark.parametrize("spec", [
    {"route": "("},
    {"route": "^GET"},
    {"status": 99},
    {"count": 0, "status": 500},
    {"ratio": 1.5, "status": 500},
    {"drop": True, "status": 500},
    {"after_handling": True, "latency": 1},
    {"bogus": 1, "status": 500},
    {"latency": -1},
])
def test_invalid_fault_specs(sim, spec):
    reply = control(sim, "xswitch", "POST", "faults", json=spec)
    assert reply.status_code == 400 and "error" in reply.json()


def test_expire_token_only_on_xswitch(sim):
    with pytest.raises(SimulatorError):
        sim.faults("simotel", expire_token=True)


# -- config ------------------------------------------------------------------

def test_config_echo_and_validation(sim):
    assert sim.config("xswitch") == {"ignore_login_filter": False, "omit_ha1": False,
                                     "max_per_page": 1000, "super_admin_resets_password": False,
                                     "change_password_target": "id", "login_lockout": True,
                                     "delete_queue_cascades": False, "delete_absent_status": 500,
                                     "page_size_param": "perPage", "page_count_in_reply": True,
                                     "write_latency": 0, "token_ttl": None,
                                     "queue_reads_type": False, "ha1_user": "login",
                                     "delete_user_cascades": False,
                                     "member_delete_route": True, "paging": "honoured",
                                     "agent_info_on_create": True,
                                     "new_members_disabled": False,
                                     "agent_spelling": "as_sent", "users_me": True}
    echoed = sim.config("xswitch", omit_ha1=True, max_per_page=50)
    assert echoed["omit_ha1"] is True and echoed["max_per_page"] == 50
    assert sim.config("simotel") == {"pbx_auth": "both", "pbx_denied_services": [],
                                     "pbx_refuse_clients": [], "pbx_username": "sadr",
                                     "pbx_password": "", "pbx_api_key": "SAMPLE_API_KEY",
                                     "pbx_batchadd_agent_field": "agents",
                                     "pbx_single_failure": "data",
                                     "pbx_pause_repeat": "again",
                                     "pbx_ping_methods": ["POST", "PUT"],
                                     "pbx_queue_remove_id_field": "_id", "pbx_messages": {}}
    echoed = sim.config("simotel", pbx_denied_services=["/API/v4/pbx/queues/AddAgent"])
    assert echoed["pbx_denied_services"] == ["pbx/queues/addagent"]
    for server, bad in (("xswitch", {"nope": 1}), ("xswitch", {"omit_ha1": "yes"}),
                        ("xswitch", {"max_per_page": 0}), ("xswitch", {"paging": "off"}),
                        ("xswitch", {"ha1_user": "name"}), ("xswitch", {"agent_spelling": 1}),
                        ("simotel", {"pbx_auth": "none"}),
                        ("simotel", {"pbx_refuse_clients": ["not-an-ip"]})):
        reply = control(sim, server, "POST", "config", json=bad)
        assert reply.status_code == 400, bad


def test_control_answers_loopback_clients_only(tmp_path):
    settings = Settings()
    database = Database(str(tmp_path / "sim.sqlite3"))
    database.initialize(settings)
    for app in (xswitch.create_app(database, settings), simotel.create_app(database, settings)):
        client = app.test_client()
        remote = client.get("/_sim/stats", environ_base={"REMOTE_ADDR": "192.0.2.10"})
        assert remote.status_code == 403
        local = client.get("/_sim/stats", environ_base={"REMOTE_ADDR": "127.0.0.1"})
        assert local.status_code == 200 and local.get_json()["total"] == 0
