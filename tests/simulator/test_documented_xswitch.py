"""Every request/reply example of the XSwitch API document, replayed against
the simulator: same keys and the same JSON types as the documented replies (string
versus number ids, envelopes versus bare objects versus bare arrays)."""

import documented_examples as doc
from documented_examples import assert_shape


def make_agent(xs, login, extn=None, **extra):
    body = {"name": "agent " + login, "login": login, "password": "Pw-" + login,
            "extn": extn or login, "type": "AGENT"}
    body.update(extra)
    reply = xs("POST", "users", json=body)
    assert reply.status_code == 200, reply.text
    return int(reply.json()["data"]["id"])


def make_queue(xs, **fields):
    reply = xs("POST", "queues", json=fields)
    assert reply.status_code == 200, reply.text
    return int(reply.json()["data"])


def fifo1(xs):
    """A queue like the document's FIFO1."""
    return make_queue(xs, name="FIFO1", type="fifo", strategy="ringall", cti_template="fifo",
                      moh_sound='{"media_path":"phrase:welcome@xui"}')


def test_create_agent_documented_body(xs):
    reply = xs("POST", "users", json=doc.CREATE_AGENT_BODY)
    assert reply.status_code == 200
    body = reply.json()
    assert_shape(body, doc.CREATE_AGENT_REPLY)
    assert body["code"] == 200 and body["message"] == "success"
    assert body["data"]["id"].isdigit() and body["data"]["extn_id"].isdigit()


def test_create_agent_curl_body_and_defaults(xs):
    reply = xs("POST", "users", json=doc.CREATE_AGENT_CURL_BODY)
    assert reply.status_code == 200
    assert_shape(reply.json(), doc.CREATE_AGENT_REPLY)
    user = xs("GET", "users/" + reply.json()["data"]["id"]).json()
    for key, value in doc.AGENT_DEFAULTS.items():
        assert user[key] == value
    assert user["domain"] == "192.168.1.100" and user["context"] == "context-1"


def test_read_user(xs):
    user_id = make_agent(xs, "1006")
    reply = xs("GET", "users/%d" % user_id)
    assert reply.status_code == 200
    body = reply.json()
    assert_shape(body, doc.USER_READ_REPLY, exact_keys=False)
    assert body["id"] == user_id
    for key in ("hardware_phone_only", "timeout", "level", "position", "no_answer_delay_time"):
        assert isinstance(body[key], str)


def test_list_users_fresh_server(xs):
    reply = xs("GET", "users")
    assert reply.status_code == 200
    body = reply.json()
    assert_shape(body, doc.USER_LIST_REPLY)
    assert [u["login"] for u in body["data"]] == ["system", "admin"]
    assert [u["id"] for u in body["data"]] == [0, 1]
    assert body["data"][1]["is_super"] == 1
    assert (body["page"], body["rowCount"], body["pageCount"]) == (1, 2, 1)


def test_user_extensions(xs):
    user_id = make_agent(xs, "220000", password="$VeryGoodPassw0rd")
    reply = xs("GET", "users/%d/extensions" % user_id)
    assert reply.status_code == 200
    body = reply.json()
    assert_shape(body, doc.USER_EXTENSIONS_REPLY)
    assert len(body) == 1
    assert body[0]["extn"] == "220000" and body[0]["user_id"] == user_id


def test_user_queue_names(xs):
    user_id = make_agent(xs, "1020")
    empty = xs("GET", "users/%d/queue/name" % user_id)
    assert empty.status_code == 200 and empty.json() == []
    for name in ("queue1", "queue2"):
        queue_id = make_queue(xs, name=name, type="callcenter")
        added = xs("POST", "queues/%d/agents" % queue_id,
                   json={"agents": [{"agent_id": str(user_id), "agent_name": "1020"}]})
        assert added.status_code == 200
    reply = xs("GET", "users/%d/queue/name" % user_id)
    assert_shape(reply.json(), doc.USER_QUEUE_NAMES_REPLY)
    assert reply.json() == doc.USER_QUEUE_NAMES_REPLY


def test_update_user_documented_bodies(xs):
    user_id = make_agent(xs, "1003")
    for body in (doc.UPDATE_USER_BODY, doc.UPDATE_USER_CURL_BODY):
        reply = xs("PUT", "users/%d" % user_id, json=body)
        assert reply.status_code == 200
        assert_shape(reply.json(), doc.UPDATE_USER_REPLY)
        assert reply.json()["data"] == str(user_id)
    user = xs("GET", "users/%d" % user_id).json()
    assert user["login"] == "20000" and user["name"] == "lisi"
    assert user["max_no_answer"] == "30" and user["hardware_phone_only"] == "false"
    assert user["vm_password"] == "5555"


def test_update_user_ignores_id_in_body(xs):
    user_id = make_agent(xs, "1004")
    reply = xs("PUT", "users/%d" % user_id, json={"id": 1, "name": "renamed"})
    assert reply.json()["data"] == str(user_id)
    assert xs("GET", "users/%d" % user_id).json()["name"] == "renamed"
    assert xs("GET", "users/1").json()["name"] == "Admin"


def test_change_password_documented_bodies(xs):
    body = dict(doc.CREATE_AGENT_CURL_BODY, login="183", extn="183", password="X1234!@#$")
    user_id = xs("POST", "users", json=body).json()["data"]["id"]
    first = dict(doc.CHANGE_PASSWORD_CURL_BODY, id=user_id)
    reply = xs("PUT", "users/change_password", json=first)
    assert reply.status_code == 200
    assert_shape(reply.json(), doc.CHANGE_PASSWORD_REPLY)
    assert reply.json() == doc.CHANGE_PASSWORD_REPLY
    second = dict(doc.CHANGE_PASSWORD_BODY, id=user_id)
    reply = xs("PUT", "users/change_password", json=second)
    assert reply.status_code == 200 and reply.json() == doc.CHANGE_PASSWORD_REPLY


def test_delete_user(xs):
    user_id = make_agent(xs, "1005")
    reply = xs("DELETE", "users/%d" % user_id)
    assert reply.status_code == 200
    assert_shape(reply.json(), doc.DELETE_USER_REPLY)
    assert reply.json()["data"] == str(user_id)
    assert xs("GET", "users/%d" % user_id).status_code == 404


def test_list_and_read_fifo_queue(xs):
    queue_id = fifo1(xs)
    listed = xs("GET", "queues")
    assert listed.status_code == 200
    assert_shape(listed.json(), doc.QUEUE_LIST_REPLY, exact_keys=False)
    row = listed.json()["data"][0]
    assert row["id"] == str(queue_id) and row["auto_record"] == "0"
    assert row["moh_sound"] == doc.QUEUE_LIST_REPLY["data"][0]["moh_sound"]
    for key in ("importance", "outbound_per_cycle", "outbound_per_cycle_min",
                "outbound_priority", "outbound_ring_timeout", "outbound_default_lag"):
        assert row[key] == doc.QUEUE_LIST_REPLY["data"][0][key]
    single = xs("GET", "queues/%d" % queue_id)
    assert single.status_code == 200
    assert_shape(single.json(), doc.QUEUE_READ_REPLY, exact_keys=False)
    assert single.json()["id"] == queue_id and single.json()["auto_record"] == 0


def test_queue_members_list(xs):
    queue_id = fifo1(xs)
    agent_id = make_agent(xs, "1020")
    xs("PUT", "users/%d" % agent_id, json={"name": "1020"})
    xs("POST", "queues/%d/agents" % queue_id,
       json={"agents": [{"agent_id": str(agent_id), "agent_name": "1020"}]})
    reply = xs("GET", "queues/%d/agents" % queue_id)
    assert reply.status_code == 200
    body = reply.json()
    assert_shape(body, doc.QUEUE_MEMBERS_REPLY)
    member = body["data"][0]
    expected = doc.QUEUE_MEMBERS_REPLY["data"][0]
    for key in ("queue_name", "level", "position", "extn", "disabled", "name", "domain",
                "agent_name_md5", "agent_name"):
        assert member[key] == expected[key], key
    assert member["agent_id"] == str(agent_id) and member["queue_id"] == str(queue_id)


def test_queue_extra_params_list(xs):
    queue_id = fifo1(xs)
    reply = xs("GET", "queues/%d/extra_params" % queue_id)
    assert reply.status_code == 200
    body = reply.json()
    assert_shape(body, doc.QUEUE_PARAMS_REPLY)
    by_key = {row["k"]: row for row in body}
    assert by_key["importance"]["v"] == "0"
    assert by_key["outbound_per_cycle_min"]["v"] == "1"
    assert all(row["ref_id"] == queue_id and row["realm"] == "FIFO" for row in body)


def test_create_queue_documented_body(xs):
    reply = xs("POST", "queues", json=doc.CREATE_QUEUE_BODY)
    assert reply.status_code == 200
    assert_shape(reply.json(), doc.CREATE_QUEUE_REPLY)
    queue = xs("GET", "queues/" + reply.json()["data"]).json()
    assert queue["moh_sound"]["media_id"] == "411"
    assert queue["auto_record"] == 1 and queue["strategy"] == "agent-with-fewest-calls"


def test_add_members_documented_body(xs):
    queue_id = make_queue(xs, name="ewrw", type="callcenter")
    ids = [make_agent(xs, extn) for extn in ("1022", "1023")]
    body = {"agents": [{"agent_id": str(ids[0]), "agent_name": "1022"},
                       {"agent_id": str(ids[1]), "agent_name": "1023"}]}
    reply = xs("POST", "queues/%d/agents" % queue_id, json=body)
    assert reply.status_code == 200
    assert_shape(reply.json(), doc.ADD_MEMBERS_REPLY)
    rows = reply.json()["data"]
    assert [r["agent_id"] for r in rows] == ids
    assert [r["extn"] for r in rows] == ["1022", "1023"]
    assert all(r["level"] == 1 and r["position"] == 1 and r["queue_id"] == queue_id
               for r in rows)


def test_dicts(xs):
    for realm, example, count in (("QUEUE_CC_PARAM", doc.DICT_CC_REPLY, 20),
                                  ("QUEUE_FIFO_PARAM", doc.DICT_FIFO_REPLY, 8)):
        reply = xs("GET", "dicts/realm/" + realm)
        assert reply.status_code == 200
        body = reply.json()
        assert_shape(body, example)
        assert len(body) == count
        row = next(r for r in body if r["v"] == example[0]["v"])
        assert row["k"] == example[0]["k"] and row["realm"] == realm


def test_add_extra_params_documented_bodies(xs):
    cc_queue = make_queue(xs, name="cc", type="callcenter")
    fifo_queue = make_queue(xs, name="fifo", type="fifo")
    xs("DELETE", "queues/%d/extra_params/%d" % (fifo_queue, next(
        r["id"] for r in xs("GET", "queues/%d/extra_params" % fifo_queue).json()
        if r["k"] == "importance")))
    for body in doc.ADD_PARAM_BODIES:
        queue_id = cc_queue if body["realm"] == "CC" else fifo_queue
        reply = xs("POST", "queues/%d/extra_params" % queue_id, json=body)
        assert reply.status_code == 200, reply.text
        assert_shape(reply.json(), doc.ADD_PARAM_REPLY)
    values = {r["k"]: r["v"] for r in xs("GET", "queues/%d/extra_params" % cc_queue).json()}
    assert values == {"announce-sound": "1",
                      "overflow-capacity-action": '{"action":"transfer","data":"1009"}'}
    fifo_values = {r["k"]: r["v"]
                   for r in xs("GET", "queues/%d/extra_params" % fifo_queue).json()}
    assert fifo_values["importance"] == "0"


def test_update_queue_documented_body(xs):
    queue_id = make_queue(xs, name="q1", type="callcenter")
    reply = xs("PUT", "queues/%d" % queue_id, json=doc.UPDATE_QUEUE_BODY)
    assert reply.status_code == 200
    assert_shape(reply.json(), doc.UPDATE_QUEUE_REPLY)
    assert reply.json()["data"] == str(queue_id)
    queue = xs("GET", "queues/%d" % queue_id).json()
    assert queue["greeting"] == {"media_path": "phrase:welcome@xui", "media_type": "SYSTEM",
                                 "media_id": "204"}
    assert queue["strategy"] == "longest-idle-agent" and queue["description"] == "test"


def test_update_toggle_delete_extra_param(xs):
    queue_id = make_queue(xs, name="q39", type="callcenter")
    for body in doc.UPDATE_PARAM_BODIES:
        pid = xs("POST", "queues/%d/extra_params" % queue_id,
                 json={"realm": "CC", "k": body["k"], "v": "0"}).json()["data"]
        reply = xs("PUT", "queues/%d/extra_params/%d" % (queue_id, pid), json=body)
        assert reply.status_code == 200
        assert_shape(reply.json(), doc.UPDATE_PARAM_REPLY)
        assert reply.json()["data"] == str(queue_id)
    rows = xs("GET", "queues/%d/extra_params" % queue_id).json()
    assert {r["k"]: r["v"] for r in rows} == {
        "discard-abandoned-after": "600", "abandoned-resume-allowed": "true"}
    pid = rows[0]["id"]
    reply = xs("PUT", "queues/%d/extra_params/%d" % (queue_id, pid), json=doc.TOGGLE_PARAM_BODY)
    assert reply.status_code == 200
    assert_shape(reply.json(), doc.TOGGLE_PARAM_REPLY)
    assert reply.json()["data"] == str(pid)
    reply = xs("DELETE", "queues/%d/extra_params/%d" % (queue_id, pid))
    assert reply.status_code == 200
    assert_shape(reply.json(), doc.DELETE_PARAM_REPLY)
    assert reply.json()["data"] == str(queue_id)


def test_delete_queue(xs):
    queue_id = make_queue(xs, name="gone", type="callcenter")
    reply = xs("DELETE", "queues/%d" % queue_id)
    assert reply.status_code == 200
    assert_shape(reply.json(), doc.DELETE_QUEUE_REPLY)
    assert reply.json()["data"] == str(queue_id)
    assert xs("GET", "queues/%d" % queue_id).status_code == 404
