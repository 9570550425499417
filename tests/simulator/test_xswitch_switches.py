"""The XSwitch quirk switches of /_sim/config that stand for what the vendor
document does not settle: each position of each switch, so that a switch that is
removed or ignored fails here."""

import hashlib

import pytest

import documented_examples as doc
from documented_examples import assert_shape
from test_xswitch_queues import agent, queue


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def user(xs, login, **fields):
    body = dict({"login": login, "password": "Pw-" + login}, **fields)
    reply = xs("POST", "users", json=body)
    assert reply.status_code == 200, reply.text
    return int(reply.json()["data"]["id"])


def members(xs, queue_id, **params):
    reply = xs("GET", "queues/%d/agents" % queue_id, params=params)
    assert reply.status_code == 200, reply.text
    return reply.json()


def add_member(xs, queue_id, agent_id):
    reply = xs("POST", "queues/%d/agents" % queue_id, json={"agents": [{"agent_id": agent_id}]})
    assert reply.status_code == 200, reply.text
    return reply.json()["data"][0]


# -- queue_reads_type ---------------------------------------------------------

def test_queue_reads_type_off_reads_as_documented(sim, xs):
    assert sim.config("xswitch")["queue_reads_type"] is False
    qid = queue(xs, "FIFO1", type="fifo", template="default", strategy="ringall",
                moh_sound=204)
    single = xs("GET", "queues/%d" % qid).json()
    listed = xs("GET", "queues").json()
    for read in (single, listed["data"][0]):
        assert "type" not in read and "template" not in read
        # Stored without cti_template: cti_template is the queue's type.
        assert read["cti_template"] == "fifo"
    assert_shape(single, doc.QUEUE_READ_REPLY)
    assert_shape(listed, doc.QUEUE_LIST_REPLY)
    # The server still stores type and template.
    sim.config("xswitch", queue_reads_type=True)
    single = xs("GET", "queues/%d" % qid).json()
    assert (single["type"], single["template"]) == ("fifo", "default")


def test_queue_reads_type_on_reads_type_and_template(sim, xs):
    sim.config("xswitch", queue_reads_type=True)
    qid = queue(xs, "cc", type="callcenter", template="default", cti_template="fifo")
    single = xs("GET", "queues/%d" % qid).json()
    row = xs("GET", "queues").json()["data"][0]
    for read in (single, row):
        assert (read["type"], read["template"], read["cti_template"]) == \
            ("callcenter", "default", "fifo")
    plain = queue(xs, "plain")
    assert xs("GET", "queues/%d" % plain).json()["cti_template"] == "callcenter"


# -- ha1_user -----------------------------------------------------------------

def test_ha1_user_login(sim, xs):
    assert sim.config("xswitch")["ha1_user"] == "login"
    user_id = user(xs, "alice", password="Pw-1", extn="7001", domain="d.test")
    read = xs("GET", "users/%d" % user_id).json()
    assert read["ha1"] == md5("alice:d.test:Pw-1")
    assert read["ha1b"] == md5("alice@d.test:d.test:Pw-1")
    xs("PUT", "users/change_password", json={"id": user_id, "old_password": "Pw-1",
                                             "password": "Pw-2"})
    assert xs("GET", "users/%d" % user_id).json()["ha1"] == md5("alice:d.test:Pw-2")
    xs("PUT", "users/%d" % user_id, json={"login": "alice2", "domain": "e.test"})
    assert xs("GET", "users/%d" % user_id).json()["ha1"] == md5("alice2:e.test:Pw-2")
    extension = xs("GET", "users/%d/extensions" % user_id).json()[0]
    assert extension["ha1"] == md5("7001:d.test:Pw-1")


def test_ha1_user_extn(sim, xs):
    sim.config("xswitch", ha1_user="extn")
    user_id = user(xs, "bob", password="Pw-1", extn="7002", domain="d.test",
                   extn_password="Ext-1")
    read = xs("GET", "users/%d" % user_id).json()
    assert read["ha1"] == md5("7002:d.test:Pw-1")
    assert read["ha1b"] == md5("7002@d.test:d.test:Pw-1")
    xs("PUT", "users/change_password", json={"id": user_id, "old_password": "Pw-1",
                                             "password": "Pw-2"})
    read = xs("GET", "users/%d" % user_id).json()
    assert read["ha1"] == md5("7002:d.test:Pw-2")
    assert read["ha1b"] == md5("7002@d.test:d.test:Pw-2")
    xs("PUT", "users/%d" % user_id, json={"login": "bob2", "domain": "e.test"})
    assert xs("GET", "users/%d" % user_id).json()["ha1"] == md5("7002:e.test:Pw-2")
    # An extension hashes its own number under either position.
    extension = xs("GET", "users/%d/extensions" % user_id).json()[0]
    assert extension["ha1"] == md5("7002:d.test:Ext-1")
    # A user without an extension falls back to its login.
    plain = user(xs, "carol", password="Pw-3", domain="d.test")
    assert xs("GET", "users/%d" % plain).json()["ha1"] == md5("carol:d.test:Pw-3")


# -- delete_user_cascades -----------------------------------------------------

def test_delete_user_cascades_on(sim, xs):
    sim.config("xswitch", delete_user_cascades=True)
    qid = queue(xs, "team")
    uid = agent(xs, "8101")
    add_member(xs, qid, uid)
    assert xs("DELETE", "users/%d" % uid).status_code == 200
    assert members(xs, qid)["rowCount"] == 0
    assert xs("GET", "users/%d/extensions" % uid).json() == []
    assert xs("GET", "users/%d/queue/name" % uid).json() == []


def test_delete_user_cascades_off_leaves_member_rows(sim, xs):
    # XUI's schema has no cascade from users to member rows: the default.
    assert sim.config("xswitch")["delete_user_cascades"] is False
    qid = queue(xs, "team")
    uid = agent(xs, "8102")
    member = add_member(xs, qid, uid)
    assert xs("DELETE", "users/%d" % uid).status_code == 200
    assert xs("GET", "users/%d" % uid).status_code == 404
    listed = members(xs, qid)
    assert listed["rowCount"] == 1
    row = listed["data"][0]
    assert (row["id"], row["agent_id"], row["agent_name"]) == \
        (str(member["id"]), str(uid), "8102")
    assert (row["name"], row["extn"], row["domain"]) == ("", "", "")
    # Its extension went with it: the number is free again.
    assert xs("GET", "users/%d/extensions" % uid).json() == []
    assert xs("GET", "users/%d/queue/name" % uid).json() == [{"name": "team"}]
    assert xs("POST", "users", json={"login": "again", "password": "Pw-9", "extn": "8102",
                                     "type": "AGENT"}).status_code == 200


# -- member_delete_route ------------------------------------------------------

def test_member_delete_route_on(sim, xs):
    assert sim.config("xswitch")["member_delete_route"] is True
    qid = queue(xs, "team")
    member = add_member(xs, qid, agent(xs, "8201"))
    reply = xs("DELETE", "queues/%d/agents/%d" % (qid, member["id"]))
    assert reply.status_code == 200 and reply.json()["data"] == str(member["id"])
    assert members(xs, qid)["rowCount"] == 0


def test_member_delete_route_off_is_an_unknown_route(sim, xs):
    sim.config("xswitch", member_delete_route=False)
    qid = queue(xs, "team")
    member = add_member(xs, qid, agent(xs, "8202"))
    unknown = xs("DELETE", "no/such/route/%d" % member["id"])
    reply = xs("DELETE", "queues/%d/agents/%d" % (qid, member["id"]))
    assert reply.status_code == unknown.status_code == 404
    assert reply.json() == unknown.json()
    assert reply.json()["message"] != "record not found"
    assert [m["id"] for m in members(xs, qid)["data"]] == [str(member["id"])]
    # Even for a queue that does not exist.
    assert xs("DELETE", "queues/999/agents/1").json() == unknown.json()


# -- paging -------------------------------------------------------------------

def test_paging_honoured(sim, xs):
    assert sim.config("xswitch")["paging"] == "honoured"
    for index in range(23):
        user(xs, "p%02d" % index)
    first = xs("GET", "users", params={"page": 1}).json()
    second = xs("GET", "users", params={"page": 2}).json()
    assert second["page"] == 2 and len(second["data"]) == 5
    assert second["data"] != first["data"]
    small = xs("GET", "users", params={"perPage": 5}).json()
    assert (len(small["data"]), small["pageCount"]) == (5, 5)


def test_paging_ignored(sim, xs):
    sim.config("xswitch", paging="ignored")
    for index in range(23):
        user(xs, "p%02d" % index)
    first = xs("GET", "users").json()
    assert (first["page"], first["pageCount"], first["rowCount"], len(first["data"])) == \
        (1, 2, 25, 20)
    for params in ({"page": 2}, {"page": 2, "perPage": 5}, {"perPage": 100}):
        assert xs("GET", "users", params=params).json() == first, params
    # Queues and members too.
    q1, q2 = queue(xs, "q1"), queue(xs, "q2")
    queues = xs("GET", "queues", params={"perPage": 1, "page": 2}).json()
    assert [q["id"] for q in queues["data"]] == [str(q1), str(q2)] and queues["page"] == 1
    for login in ("8301", "8302"):
        add_member(xs, q1, agent(xs, login))
    listed = members(xs, q1, perPage=1, page=2)
    assert (listed["page"], listed["pageCount"], len(listed["data"])) == (1, 1, 2)


# -- agent_info_on_create -----------------------------------------------------

AGENT_SENT = {"agent_info": {"lag": "9", "status": "Available", "max_no_answer": 5},
              "simo": 3, "lag": "7"}


def test_agent_info_on_create_applied(sim, xs):
    assert sim.config("xswitch")["agent_info_on_create"] is True
    uid = user(xs, "ag1", type="AGENT", extn="8401", **AGENT_SENT)
    read = xs("GET", "users/%d" % uid).json()
    # Top level wins over agent_info; values read back as strings; defaults fill in.
    assert (read["lag"], read["status"], read["max_no_answer"], read["simo"]) == \
        ("7", "Available", "5", "3")
    assert read["wrap_up_time"] == "10" and read["agent_type"] == "callback"
    assert xs("POST", "users", json={"login": "ag2", "password": "x", "type": "AGENT",
                                     "agent_info": ["lag"]}).status_code == 400


def test_agent_info_on_create_ignored(sim, xs):
    sim.config("xswitch", agent_info_on_create=False)
    uid = user(xs, "ag1", type="AGENT", extn="8401", **AGENT_SENT)
    read = xs("GET", "users/%d" % uid).json()
    assert {key: read[key] for key in doc.AGENT_DEFAULTS} == doc.AGENT_DEFAULTS
    # A PUT still applies them.
    xs("PUT", "users/%d" % uid, json={"lag": "7"})
    assert xs("GET", "users/%d" % uid).json()["lag"] == "7"


# -- new_members_disabled -----------------------------------------------------

@pytest.mark.parametrize("disabled", [False, True])
def test_new_members_disabled(sim, xs, disabled):
    if disabled:
        sim.config("xswitch", new_members_disabled=True)
    else:
        assert sim.config("xswitch")["new_members_disabled"] is False
    qid = queue(xs, "team")
    created = add_member(xs, qid, agent(xs, "8501"))
    # The POST reply shows disabled 1 as the vendor document's does, either way.
    assert created["disabled"] == 1
    assert members(xs, qid)["data"][0]["disabled"] == ("1" if disabled else "0")


# -- agent_spelling -----------------------------------------------------------

DOCUMENT_SPELLING = {"status": "Available(On Demand)", "agent_type": "standBy"}


def test_agent_spelling_as_sent(sim, xs):
    assert sim.config("xswitch")["agent_spelling"] == "as_sent"
    uid = user(xs, "sp1", type="AGENT", extn="8601", **DOCUMENT_SPELLING)
    read = xs("GET", "users/%d" % uid).json()
    assert (read["status"], read["agent_type"]) == ("Available(On Demand)", "standBy")
    xs("PUT", "users/%d" % uid, json={"status": "Out"})
    assert xs("GET", "users/%d" % uid).json()["status"] == "Out"
    xs("PUT", "users/%d" % uid, json={"status": "Logged Out", "agent_type": "uuid-standby"})
    read = xs("GET", "users/%d" % uid).json()
    assert (read["status"], read["agent_type"]) == ("Logged Out", "uuid-standby")


def test_agent_spelling_freeswitch(sim, xs):
    sim.config("xswitch", agent_spelling="freeswitch")
    uid = user(xs, "sp1", type="AGENT", extn="8601", **DOCUMENT_SPELLING)
    read = xs("GET", "users/%d" % uid).json()
    assert (read["status"], read["agent_type"]) == ("Available (On Demand)", "uuid-standby")
    xs("PUT", "users/%d" % uid, json={"status": "Out"})
    assert xs("GET", "users/%d" % uid).json()["status"] == "Logged Out"
    xs("PUT", "users/%d" % uid, json={"status": "On Break", "agent_type": "callback"})
    read = xs("GET", "users/%d" % uid).json()
    assert (read["status"], read["agent_type"]) == ("On Break", "callback")
    # Stored in FreeSWITCH's spelling: still so with the switch back at as_sent.
    xs("PUT", "users/%d" % uid, json={"status": "Out"})
    sim.config("xswitch", agent_spelling="as_sent")
    assert xs("GET", "users/%d" % uid).json()["status"] == "Logged Out"
