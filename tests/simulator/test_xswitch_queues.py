"""XSwitch queues, members, extra parameters and dicts."""

DUPLICATE_QUEUE = 'pq: duplicate key value violates unique constraint "queues_name_key"'


def queue(xs, name, **fields):
    fields.setdefault("type", "callcenter")
    reply = xs("POST", "queues", json=dict(fields, name=name))
    assert reply.status_code == 200, reply.text
    return int(reply.json()["data"])


def agent(xs, login):
    reply = xs("POST", "users", json={"login": login, "password": "pw-" + login, "extn": login,
                                      "type": "AGENT"})
    assert reply.status_code == 200, reply.text
    return int(reply.json()["data"]["id"])


def test_unknown_queue_is_404_everywhere(xs):
    for method, path in (("GET", "queues/77"), ("PUT", "queues/77"),
                         ("GET", "queues/77/agents"), ("POST", "queues/77/agents"),
                         ("GET", "queues/77/extra_params"),
                         ("POST", "queues/77/extra_params"), ("PUT", "queues/77/extra_params/1"),
                         ("GET", "queues/x")):
        body = {"agents": [{"agent_id": 1}], "realm": "CC", "k": "capacity", "v": "1",
                "name": "n"}
        reply = xs(method, path, json=body)
        assert reply.status_code == 404, (method, path, reply.text)
    # XUI answers a DELETE that deleted nothing with 500 "{}", not 404.
    for path in ("queues/77", "queues/77/agents/1", "queues/77/extra_params/1"):
        reply = xs("DELETE", path)
        assert (reply.status_code, reply.json()) == (500, {}), path


def test_delete_absent_status_404(sim, xs):
    sim.config("xswitch", delete_absent_status=404)
    for path in ("queues/77", "queues/77/agents/1", "queues/77/extra_params/1", "users/4242"):
        assert xs("DELETE", path).status_code == 404, path


def test_duplicate_queue_name(xs):
    queue(xs, "sales")
    reply = xs("POST", "queues", json={"name": "sales", "type": "fifo"})
    assert reply.status_code == 500 and reply.json() == {"code": 500, "message": DUPLICATE_QUEUE}
    other = queue(xs, "support")
    reply = xs("PUT", "queues/%d" % other, json={"name": "sales"})
    assert reply.status_code == 500 and reply.json()["message"] == DUPLICATE_QUEUE


def test_queue_validation(xs):
    assert xs("POST", "queues", json={"type": "callcenter"}).status_code == 400
    assert xs("POST", "queues", json={"name": "bad", "type": "weird"}).status_code == 400
    assert xs("POST", "queues", json={"name": "bad", "moh_sound": 99999}).status_code == 400
    # strategy is stored as sent.
    qid = queue(xs, "anything", strategy="not-a-strategy")
    assert xs("GET", "queues/%d" % qid).json()["strategy"] == "not-a-strategy"


def test_put_changes_only_given_fields(xs):
    qid = queue(xs, "partial", description="before", strategy="top-down", moh_sound=411)
    xs("PUT", "queues/%d" % qid, json={"description": "after"})
    read = xs("GET", "queues/%d" % qid).json()
    assert read["description"] == "after" and read["strategy"] == "top-down"
    assert read["moh_sound"]["media_id"] == "411"
    xs("PUT", "queues/%d" % qid, json={"moh_sound": ""})
    assert xs("GET", "queues/%d" % qid).json()["moh_sound"] == ""


def test_media_forms(xs):
    by_id = queue(xs, "m1", moh_sound=204, greeting="411")
    read = xs("GET", "queues/%d" % by_id).json()
    assert read["moh_sound"] == {"media_path": "phrase:welcome@xui", "media_type": "SYSTEM",
                                 "media_id": "204"}
    assert read["greeting"]["media_id"] == "411"
    by_path = queue(xs, "m2", moh_sound='{"media_path":"/tmp/unknown.wav"}')
    assert xs("GET", "queues/%d" % by_path).json()["moh_sound"] == {
        "media_path": "/tmp/unknown.wav", "media_type": "", "media_id": ""}
    unset = queue(xs, "m3")
    assert xs("GET", "queues/%d" % unset).json()["moh_sound"] == ""


def test_fifo_defaults_and_top_level_values(xs):
    qid = queue(xs, "fifo", type="fifo", strategy="enterprise")
    params = xs("GET", "queues/%d/extra_params" % qid).json()
    assert {p["k"]: p["v"] for p in params} == {
        "importance": "0", "outbound_per_cycle": "1", "outbound_per_cycle_min": "1",
        "outbound_priority": "5", "outbound_ring_timeout": "60", "outbound_default_lag": "30"}
    importance = next(p for p in params if p["k"] == "importance")
    xs("PUT", "queues/%d/extra_params/%d" % (qid, importance["id"]),
       json={"k": "importance", "v": 3})
    assert xs("GET", "queues/%d" % qid).json()["importance"] == "3"
    # A callcenter queue shows no FIFO values, and gets none by default.
    cc = queue(xs, "cc")
    assert "importance" not in xs("GET", "queues/%d" % cc).json()
    assert xs("GET", "queues/%d/extra_params" % cc).json() == []


def test_members_add_list_delete(xs):
    qid = queue(xs, "team")
    a1, a2 = agent(xs, "1101"), agent(xs, "1102")
    added = xs("POST", "queues/%d/agents" % qid,
               json={"agents": [{"agent_id": str(a1), "agent_name": "1101"},
                                {"agent_id": a2, "level": 2, "position": 3}]})
    assert added.status_code == 200
    rows = added.json()["data"]
    assert [(r["level"], r["position"]) for r in rows] == [(1, 1), (2, 3)]
    assert rows[1]["agent_name"] == "1102"
    listed = xs("GET", "queues/%d/agents" % qid).json()
    assert listed["rowCount"] == 2 and listed["data"][1]["level"] == "2"
    assert listed["data"][0]["disabled"] == "0"
    paged = xs("GET", "queues/%d/agents" % qid, params={"perPage": 1, "page": 2}).json()
    assert paged["pageCount"] == 2 and paged["data"][0]["agent_id"] == str(a2)
    member_id = rows[0]["id"]
    deleted = xs("DELETE", "queues/%d/agents/%d" % (qid, member_id))
    assert deleted.status_code == 200
    assert deleted.json() == {"code": 200, "message": "success", "data": str(member_id)}
    assert xs("DELETE", "queues/%d/agents/%d" % (qid, member_id)).status_code == 500
    assert [m["agent_id"] for m in xs("GET", "queues/%d/agents" % qid).json()["data"]] \
        == [str(a2)]


def test_member_duplicate_and_unknown_agent(xs):
    qid = queue(xs, "dups")
    a1 = agent(xs, "1201")
    assert xs("POST", "queues/%d/agents" % qid, json={"agents": [{"agent_id": a1}]}) \
        .status_code == 200
    a2 = agent(xs, "1202")
    reply = xs("POST", "queues/%d/agents" % qid,
               json={"agents": [{"agent_id": a2}, {"agent_id": a1}]})
    assert reply.status_code == 500
    assert "duplicate key value violates unique constraint" in reply.json()["message"]
    # Nothing of the failed batch was stored.
    assert xs("GET", "queues/%d/agents" % qid).json()["rowCount"] == 1
    assert xs("POST", "queues/%d/agents" % qid, json={"agents": [{"agent_id": 9999}]}) \
        .status_code == 400
    assert xs("POST", "queues/%d/agents" % qid, json={"agents": []}).status_code == 400


def test_delete_queue_cascades(xs):
    qid = queue(xs, "doomed", type="fifo")
    a1 = agent(xs, "1301")
    xs("POST", "queues/%d/agents" % qid, json={"agents": [{"agent_id": a1}]})
    assert xs("GET", "users/%d/queue/name" % a1).json() == [{"name": "doomed"}]
    assert xs("DELETE", "queues/%d" % qid).status_code == 200
    assert xs("GET", "users/%d/queue/name" % a1).json() == []
    # The name can be used again, and the new queue starts clean.
    new = queue(xs, "doomed")
    assert xs("GET", "queues/%d/agents" % new).json()["rowCount"] == 0


def test_queue_list_paging(xs):
    for index in range(5):
        queue(xs, "q%d" % index)
    page = xs("GET", "queues", params={"perPage": 2, "page": 3}).json()
    assert (page["rowCount"], page["pageCount"], len(page["data"])) == (5, 3, 1)
    assert page["data"][0]["name"] == "q4" and isinstance(page["data"][0]["id"], str)


def test_extra_param_values_are_strings(xs):
    qid = queue(xs, "values")
    cases = [("capacity", 0, "0"), ("announce-agent-answer", True, "true"),
             ("wait-timeout", 12.5, "12.5"),
             ("wait-timeout-action", {"action": "hangup"}, '{"action":"hangup"}')]
    for key, value, expected in cases:
        reply = xs("POST", "queues/%d/extra_params" % qid,
                   json={"realm": "CC", "k": key, "v": value})
        assert reply.status_code == 200 and isinstance(reply.json()["data"], int)
    rows = {r["k"]: r["v"] for r in xs("GET", "queues/%d/extra_params" % qid).json()}
    assert rows == {key: expected for key, _value, expected in cases}


def test_extra_param_errors(xs):
    qid = queue(xs, "errs")
    assert xs("POST", "queues/%d/extra_params" % qid,
              json={"realm": "CC", "k": "no-such-key", "v": "1"}).status_code == 400
    assert xs("POST", "queues/%d/extra_params" % qid,
              json={"realm": "CC", "k": "importance", "v": "1"}).status_code == 400
    assert xs("POST", "queues/%d/extra_params" % qid,
              json={"realm": "XX", "k": "capacity", "v": "1"}).status_code == 400
    assert xs("POST", "queues/%d/extra_params" % qid,
              json={"realm": "CC", "k": "capacity"}).status_code == 400
    pid = xs("POST", "queues/%d/extra_params" % qid,
             json={"realm": "CC", "k": "capacity", "v": "1"}).json()["data"]
    again = xs("POST", "queues/%d/extra_params" % qid,
               json={"realm": "CC", "k": "capacity", "v": "2"})
    assert again.status_code == 500
    assert xs("PUT", "queues/%d/extra_params/%d" % (qid, pid),
              json={"action": "explode"}).status_code == 400
    other = queue(xs, "other")
    # A parameter id of another queue is not found under this one.
    assert xs("PUT", "queues/%d/extra_params/%d" % (other, pid),
              json={"v": "5"}).status_code == 404
    assert xs("DELETE", "queues/%d/extra_params/%d" % (other, pid)).status_code == 500


def test_toggle_flips_disabled(xs):
    qid = queue(xs, "toggle", type="fifo")
    pid = xs("POST", "queues/%d/extra_params" % qid,
             json={"realm": "FIFO", "k": "retry_delay", "v": "5"}).json()["data"]

    def disabled():
        rows = xs("GET", "queues/%d/extra_params" % qid).json()
        return next(r["disabled"] for r in rows if r["id"] == pid)

    assert disabled() == 0
    for expected in (1, 0, 1):
        reply = xs("PUT", "queues/%d/extra_params/%d" % (qid, pid), json={"action": "toggle"})
        assert reply.json() == {"code": 200, "message": "success", "data": str(pid)}
        assert disabled() == expected
    # A disabled FIFO value is not shown at the top level of the queue.
    assert "retry_delay" not in xs("GET", "queues/%d" % qid).json()


def test_unknown_dict_realm_is_empty(xs):
    reply = xs("GET", "dicts/realm/NO_SUCH_REALM")
    assert reply.status_code == 200 and reply.json() == []
