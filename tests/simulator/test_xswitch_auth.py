"""XSwitch authentication: dev key, sessions, 403s, token expiry."""

import time

import requests

NOT_AUTHORIZED = {"code": "403", "error_text": "Not Authorized"}


def get(sim, path, token):
    headers = {} if token is None else {"X-XTRA-AUTH-ID": token}
    return requests.get(sim.xswitch_url + path, headers=headers, timeout=10)


def login(sim, **body):
    return requests.post(sim.xswitch_url + "/api/sessions", json=body, timeout=10)


def test_403_without_token(sim):
    for path in ("/api/users", "/api/users/1", "/api/queues", "/api/dicts/realm/QUEUE_CC_PARAM",
                 "/api/no/such/route"):
        reply = get(sim, path, None)
        assert reply.status_code == 403, path
        assert reply.json() == NOT_AUTHORIZED


def test_403_wrong_token(sim):
    reply = get(sim, "/api/users", "62dd0173-4916-4b1c-b958-546e4d7c91fe")
    assert reply.status_code == 403 and reply.json() == NOT_AUTHORIZED


def test_403_on_writes_without_token(sim):
    reply = requests.post(sim.xswitch_url + "/api/users", json={"login": "x", "password": "y"},
                          timeout=10)
    assert reply.status_code == 403
    assert get(sim, "/api/users?login=x", sim.token).json()["rowCount"] == 0


def test_dev_key_works(sim):
    reply = get(sim, "/api/users/1", sim.token)
    assert reply.status_code == 200
    assert reply.json()["login"] == "admin" and reply.json()["is_super"] == 1


def test_session_login(sim):
    for field in ("login", "username"):
        reply = login(sim, **{field: "admin", "password": sim.admin_password})
        assert reply.status_code == 200
        body = reply.json()
        assert body["code"] == 200 and isinstance(body["token"], str) and body["token"]
        assert body["user_id"] == 1 and body["login"] == "admin"
        assert "password" not in body and "ha1" not in body
        assert get(sim, "/api/users", body["token"]).status_code == 200
    assert get(sim, "/api/users/1", sim.token).json()["last_login_at"] != ""


def test_session_of_a_created_user(sim, xs):
    xs("POST", "users", json={"login": "agent7", "password": "Agent-7-pw", "extn": "1007",
                              "type": "AGENT"})
    token = login(sim, login="agent7", password="Agent-7-pw").json()["token"]
    assert get(sim, "/api/users", token).status_code == 200


def test_403_wrong_login(sim):
    for body in ({"login": "admin", "password": "wrong"},
                 {"login": "nobody", "password": sim.admin_password},
                 {"login": "system", "password": ""},
                 {"login": "admin"},
                 {}):
        reply = login(sim, **body)
        assert reply.status_code == 403, body


def test_token_expiry_via_fault(sim):
    token = login(sim, login="admin", password=sim.admin_password).json()["token"]
    assert get(sim, "/api/users", token).status_code == 200
    sim.faults("xswitch", route="^GET /api/queues", count=1, expire_token=True)
    assert get(sim, "/api/queues", token).status_code == 403
    assert get(sim, "/api/users", token).status_code == 403
    # The dev key never expires.
    assert get(sim, "/api/users", sim.token).status_code == 200
    fresh = login(sim, login="admin", password=sim.admin_password).json()["token"]
    assert get(sim, "/api/queues", fresh).status_code == 200


def test_token_expiry_by_ttl(sim):
    sim.config("xswitch", token_ttl=1)
    reply = login(sim, login="admin", password=sim.admin_password).json()
    assert reply["expires_in"] == 1
    assert get(sim, "/api/users", reply["token"]).status_code == 200
    time.sleep(1.2)
    assert get(sim, "/api/users", reply["token"]).status_code == 403


def test_deleted_user_token_stops_working(sim, xs):
    user_id = xs("POST", "users", json={"login": "temp", "password": "Temp-pw-1"}).json()["data"]["id"]
    token = login(sim, login="temp", password="Temp-pw-1").json()["token"]
    assert xs("DELETE", "users/" + user_id).status_code == 200
    assert get(sim, "/api/users", token).status_code == 403
