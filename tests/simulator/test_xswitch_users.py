"""XSwitch users and agents: CRUD, duplicates, paging, filters, hashes,
passwords, quirk switches."""

import hashlib
import sqlite3
import threading

import requests

DUPLICATE_LOGIN = 'pq: duplicate key value violates unique constraint "users_login_key"'


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def create(xs, login, **extra):
    body = {"login": login, "password": "Pw-" + login}
    body.update(extra)
    reply = xs("POST", "users", json=body)
    assert reply.status_code == 200, reply.text
    return int(reply.json()["data"]["id"])


def test_404_on_unknown_ids(xs):
    for method in ("GET", "PUT"):
        reply = xs(method, "users/4242", json={"name": "x"} if method == "PUT" else None)
        assert reply.status_code == 404, method
    # A DELETE that deleted nothing is XUI's 500 "{}".
    gone = xs("DELETE", "users/4242")
    assert (gone.status_code, gone.json()) == (500, {})
    assert xs("GET", "users/abc").status_code == 404
    assert xs("PUT", "users/change_password",
              json={"id": "4242", "old_password": "y", "password": "x"}).status_code == 404
    # The sub-lists of an unknown user are empty, as the vendor document says.
    assert xs("GET", "users/4242/extensions").json() == []
    assert xs("GET", "users/4242/queue/name").json() == []


def test_duplicate_login_is_500(xs):
    create(xs, "dup")
    reply = xs("POST", "users", json={"login": "dup", "password": "other"})
    assert reply.status_code == 500
    assert reply.json() == {"code": 500, "message": DUPLICATE_LOGIN}
    other = create(xs, "other")
    reply = xs("PUT", "users/%d" % other, json={"login": "dup"})
    assert reply.status_code == 500 and reply.json()["message"] == DUPLICATE_LOGIN
    # Renaming to its own login is no conflict.
    assert xs("PUT", "users/%d" % other, json={"login": "other"}).status_code == 200


def test_concurrent_creates_of_one_login(sim):
    # A slow database widens the window between the uniqueness check and the
    # insert, so that writers that did not serialise would both pass it.
    sim.config("xswitch", write_latency=0.05)
    barrier = threading.Barrier(10)
    results = []
    lock = threading.Lock()

    def worker(index):
        barrier.wait()
        reply = sim.api("xswitch", "POST", "users",
                        json={"login": "race", "password": "pw-%d" % index, "extn": "9%03d" % index})
        with lock:
            results.append((reply.status_code, reply.json()))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    codes = sorted(code for code, _body in results)
    assert codes == [200] + [500] * 9, results
    assert all(body["message"] == DUPLICATE_LOGIN for code, body in results if code == 500)
    listed = sim.api("xswitch", "GET", "users", params={"login": "race"}).json()
    assert listed["rowCount"] == 1
    # Only the winner's extension exists.
    winner = listed["data"][0]["id"]
    assert len(sim.api("xswitch", "GET", "users/%d/extensions" % winner).json()) == 1


def test_required_fields(xs):
    assert xs("POST", "users", json={"login": "nopw"}).status_code == 400
    assert xs("POST", "users", json={"password": "x"}).status_code == 400
    assert xs("POST", "users", data="{broken", headers={"Content-Type": "application/json"}) \
        .status_code == 400


def test_paging(xs):
    for index in range(23):
        create(xs, "page%02d" % index)
    first = xs("GET", "users").json()
    assert (first["page"], first["rowCount"], first["pageCount"]) == (1, 25, 2)
    assert len(first["data"]) == 20
    second = xs("GET", "users", params={"page": 2}).json()
    assert len(second["data"]) == 5 and second["page"] == 2
    small = xs("GET", "users", params={"perPage": 10, "page": 3}).json()
    assert (small["pageCount"], len(small["data"])) == (3, 5)
    assert small["data"][0]["login"] == "page18"
    beyond = xs("GET", "users", params={"page": 9}).json()
    assert beyond["data"] == [] and beyond["rowCount"] == 25
    logins = [u["login"] for page in (1, 2, 3)
              for u in xs("GET", "users", params={"perPage": 10, "page": page}).json()["data"]]
    assert len(logins) == len(set(logins)) == 25


def test_per_page_is_capped_at_1000(sim, xs):
    with sqlite3.connect(sim.db_path, timeout=30) as conn:
        conn.executemany("INSERT INTO users (login, name) VALUES (?, ?)",
                         [("bulk%04d" % i, "bulk") for i in range(1005)])
    big = xs("GET", "users", params={"perPage": 5000}).json()
    assert big["rowCount"] == 1007
    assert len(big["data"]) == 1000 and big["pageCount"] == 2
    sim.config("xswitch", max_per_page=100)
    capped = xs("GET", "users", params={"perPage": 500}).json()
    assert len(capped["data"]) == 100 and capped["pageCount"] == 11


def test_filters_and_ignore_login_filter_quirk(sim, xs):
    create(xs, "alice", name="Alice Smith", type="AGENT", extn="2001")
    create(xs, "alice2", name="Alice Jones", extn="2002")
    create(xs, "bob", name="Bob", type="AGENT", extn="2003")
    by_login = xs("GET", "users", params={"login": "alice"}).json()
    assert [u["login"] for u in by_login["data"]] == ["alice"] and by_login["rowCount"] == 1
    by_name = xs("GET", "users", params={"name": "alice"}).json()
    assert [u["login"] for u in by_name["data"]] == ["alice", "alice2"]
    by_type = xs("GET", "users", params={"type": "AGENT"}).json()
    assert [u["login"] for u in by_type["data"]] == ["alice", "bob"]
    assert all(u["lag"] == "2" for u in by_type["data"])
    sim.config("xswitch", ignore_login_filter=True)
    ignored = xs("GET", "users", params={"login": "alice"}).json()
    assert ignored["rowCount"] == 5


def test_password_hashes(sim, xs):
    user_id = create(xs, "hashy", password="S3cret!pw", domain="example.test", extn="3001",
                     extn_password="Extn-pw-9")
    user = xs("GET", "users/%d" % user_id).json()
    assert user["ha1"] == md5("hashy:example.test:S3cret!pw")
    assert user["ha1b"] == md5("hashy@example.test:example.test:S3cret!pw")
    extension = xs("GET", "users/%d/extensions" % user_id).json()[0]
    assert extension["ha1"] == md5("3001:example.test:Extn-pw-9")
    assert extension["ha1b"] == md5("3001@example.test:example.test:Extn-pw-9")
    assert extension["password"] == "Extn-pw-9"
    admin = xs("GET", "users/1").json()
    assert admin["ha1"] == md5("admin:xswitch.cn:%s" % sim.admin_password)
    # Without extn_password the extension uses the user's password.
    other = create(xs, "hashy2", password="Same-pw-1", extn="3002")
    ext = xs("GET", "users/%d/extensions" % other).json()[0]
    assert ext["ha1"] == md5("3002:xswitch.cn:Same-pw-1")


def test_omit_ha1_quirk(sim, xs):
    user_id = create(xs, "nohash", extn="3003")
    sim.config("xswitch", omit_ha1=True)
    assert "ha1" not in xs("GET", "users/%d" % user_id).json()
    assert all("ha1b" not in u for u in xs("GET", "users").json()["data"])
    assert "ha1" not in xs("GET", "users/%d/extensions" % user_id).json()[0]


def test_change_password(sim, xs):
    user_id = create(xs, "pwuser", password="Old-pw-1", domain="d.test")
    wrong = xs("PUT", "users/change_password",
               json={"id": str(user_id), "old_password": "nope", "password": "New-pw-2"})
    assert wrong.status_code == 403
    ok = xs("PUT", "users/change_password",
            json={"id": str(user_id), "old_password": "Old-pw-1", "password": "New-pw-2"})
    assert ok.status_code == 200 and ok.json() == {"data": "{}", "code": 200,
                                                   "message": "success"}
    assert xs("GET", "users/%d" % user_id).json()["ha1"] == md5("pwuser:d.test:New-pw-2")
    session = requests.post(sim.xswitch_url + "/api/sessions",
                            json={"login": "pwuser", "password": "New-pw-2"}, timeout=10)
    assert session.status_code == 200
    token = session.json()["token"]
    # By default nobody may leave old_password out, not even a super admin ...
    assert xs("PUT", "users/change_password",
              json={"id": user_id, "password": "Reset-3"}).status_code == 403
    # ... with super_admin_resets_password a super admin may,
    sim.config("xswitch", super_admin_resets_password=True)
    reset = xs("PUT", "users/change_password", json={"id": user_id, "password": "Reset-3"})
    assert reset.status_code == 200
    # ... an ordinary user still may not.
    refused = requests.put(sim.xswitch_url + "/api/users/change_password",
                           json={"id": user_id, "password": "Mine-4"},
                           headers={"X-XTRA-AUTH-ID": token}, timeout=10)
    assert refused.status_code == 403
    assert xs("GET", "users/%d" % user_id).json()["ha1"] == md5("pwuser:d.test:Reset-3")


def test_change_password_target_session(sim, xs):
    """XUI's change_password changes the signed-in user and ignores the body's id."""
    sim.config("xswitch", change_password_target="session")
    user_id = create(xs, "own", password="Own-pw-1", domain="d.test")
    before = xs("GET", "users/1").json()["ha1"]
    token = requests.post(sim.xswitch_url + "/api/sessions",
                          json={"login": "own", "password": "Own-pw-1"}, timeout=10
                          ).json()["token"]
    # The module session (admin's) names the agent's id, but admin is who the server checks.
    assert xs("PUT", "users/change_password",
              json={"id": user_id, "old_password": "Own-pw-1",
                    "password": "Other-2"}).status_code == 403
    assert xs("GET", "users/1").json()["ha1"] == before
    mine = requests.put(sim.xswitch_url + "/api/users/change_password",
                        json={"id": 1, "old_password": "Own-pw-1", "password": "Own-pw-2"},
                        headers={"X-XTRA-AUTH-ID": token}, timeout=10)
    assert mine.status_code == 200
    assert xs("GET", "users/%d" % user_id).json()["ha1"] == md5("own:d.test:Own-pw-2")
    assert xs("GET", "users/1").json()["ha1"] == before


def test_agent_info_in_post_is_ignored(sim, xs):
    sim.config("xswitch", agent_info_on_create=False)
    user_id = create(xs, "agentx", type="AGENT", extn="4001",
                     agent_info={"lag": "9", "status": "Available"}, lag="7")
    user = xs("GET", "users/%d" % user_id).json()
    assert user["lag"] == "2" and user["status"] == "On Break"


def test_user_becomes_agent_by_type(xs):
    user_id = create(xs, "plain", extn="4002")
    plain = xs("GET", "users/%d" % user_id).json()
    assert "lag" not in plain and plain["type"] == ""
    reply = xs("PUT", "users/%d" % user_id,
               json={"type": "AGENT", "max_no_answer": 5, "status": "Available(On Demand)"})
    assert reply.status_code == 200
    agent = xs("GET", "users/%d" % user_id).json()
    assert agent["type"] == "AGENT" and agent["lag"] == "2"
    assert agent["max_no_answer"] == "5" and agent["status"] == "Available(On Demand)"


def test_put_changes_only_given_fields(xs):
    user_id = create(xs, "partial", name="Before", type="AGENT", extn="4003", email="a@b.c")
    xs("PUT", "users/%d" % user_id, json={"name": "After", "lag": "4"})
    user = xs("GET", "users/%d" % user_id).json()
    assert (user["name"], user["lag"], user["email"], user["simo"]) == ("After", "4", "a@b.c", "1")


def test_delete_cascades_and_protects_builtins(sim, xs):
    user_id = create(xs, "leaver", type="AGENT", extn="4004")
    queue_id = int(xs("POST", "queues", json={"name": "qq", "type": "callcenter"}).json()["data"])
    xs("POST", "queues/%d/agents" % queue_id, json={"agents": [{"agent_id": user_id}]})
    assert xs("GET", "queues/%d/agents" % queue_id).json()["rowCount"] == 1
    assert xs("DELETE", "users/%d" % user_id).status_code == 200
    # No cascade by default (XUI's schema): the member row outlives its user.
    assert xs("GET", "queues/%d/agents" % queue_id).json()["rowCount"] == 1
    # With delete_user_cascades the rows under a user go with it.
    sim.config("xswitch", delete_user_cascades=True)
    cascaded = create(xs, "leaver2", type="AGENT", extn="4005")
    xs("POST", "queues/%d/agents" % queue_id, json={"agents": [{"agent_id": cascaded}]})
    assert xs("DELETE", "users/%d" % cascaded).status_code == 200
    assert xs("GET", "queues/%d/agents" % queue_id).json()["rowCount"] == 1
    assert xs("GET", "users/%d/extensions" % cascaded).json() == []
    # The extension number is free again.
    create(xs, "newcomer", extn="4005")
    for builtin in (0, 1):
        reply = xs("DELETE", "users/%d" % builtin)
        assert reply.status_code == 403 and "message" in reply.json()
        assert xs("GET", "users/%d" % builtin).status_code == 200


def test_duplicate_extension_number(xs):
    create(xs, "e1", extn="5001")
    reply = xs("POST", "users", json={"login": "e2", "password": "x", "extn": "5001"})
    assert reply.status_code == 500
    assert "duplicate key value violates unique constraint" in reply.json()["message"]
    assert xs("GET", "users", params={"login": "e2"}).json()["rowCount"] == 0


def test_users_me_answers_the_token_user_and_the_switch_removes_it(sim, xs):
    """GET /api/users/me (the vendor's web client's route): the user a token belongs to."""
    user_id = create(xs, "mine", password="Mine-pw-1")
    token = requests.post(sim.xswitch_url + "/api/sessions",
                          json={"login": "mine", "password": "Mine-pw-1"}, timeout=10
                          ).json()["token"]
    own = requests.get(sim.xswitch_url + "/api/users/me", headers={"X-XTRA-AUTH-ID": token},
                       timeout=10)
    assert own.status_code == 200 and (own.json()["id"], own.json()["login"]) == (user_id, "mine")
    assert "password" not in own.json()
    # The dev key is the super admin's.
    assert xs("GET", "users/me").json()["id"] == 1
    assert requests.get(sim.xswitch_url + "/api/users/me", timeout=10).status_code == 403
    sim.config("xswitch", users_me=False)
    assert xs("GET", "users/me").status_code == 404
