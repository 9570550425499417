# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import concurrent.futures
import hashlib
import threading

import pytest

from ansible_collections.telephony.callcenter.plugins.module_utils.engine import Change
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import ApiError
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import (
    XSwitchClient,
    is_duplicate_key,
    reply_id,
    sip_ha1,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_users import AgentUsers
from ansible_collections.telephony.callcenter.tests.unit.plugins.module_utils.scripted_server import (
    Reply,
)


def client_for(server, **params):
    options = dict(xswitch_url=server.url, xswitch_token="dev-key", retries=0, timeout=5)
    options.update(params)
    return XSwitchClient(options)


def page(rows, number, count, row_count=None):
    reply = {"data": rows, "page": number, "pageCount": count}
    if row_count is not None:
        reply["rowCount"] = row_count
    return Reply(200, reply)


def test_list_reads_every_page_with_the_largest_page_size(server):
    server.script = [page([{"id": 1}, {"id": 2}], 1, 3, 4), page([{"id": "3"}], 2, 3, 4),
                     page([{"id": 4}], 3, 3, 4)]
    rows = client_for(server).list_all("/api/users", {"login": "1006"})
    assert [row["id"] for row in rows] == [1, 2, "3", 4]
    assert len(server.requests) == 3
    assert "perPage=1000" in server.requests[0]["path"]
    assert "page=3" in server.requests[2]["path"] and "login=1006" in server.requests[2]["path"]
    assert server.requests[0]["headers"]["X-XTRA-AUTH-ID"] == "dev-key"


def test_a_server_that_ignores_the_page_is_an_error_not_a_partial_list(server):
    server.script = [page([{"id": 1}, {"id": 2}], 1, 50, 99)]
    with pytest.raises(ApiError) as caught:
        client_for(server).list_all("/api/queues")
    assert "ignores paging: 2 of 99 rows read" in str(caught.value)
    assert len(server.requests) == 2


def test_row_count_wins_over_a_page_count_that_stops_too_early(server):
    # A server that caps perPage below what was asked but computes pageCount from the request.
    server.script = [page([{"id": 1}, {"id": 2}], 1, 1, 5), page([{"id": 3}, {"id": 4}], 2, 1, 5),
                     page([{"id": 5}], 3, 1, 5)]
    rows = client_for(server).list_all("/api/users")
    assert [row["id"] for row in rows] == [1, 2, 3, 4, 5]


def test_without_row_count_the_page_count_is_followed(server):
    server.script = [page([{"id": 1}], 1, 2), page([{"id": 2}], 2, 2)]
    assert [row["id"] for row in client_for(server).list_all("/api/users")] == [1, 2]


@pytest.mark.parametrize("reply, says", [(Reply(200, "<html>login</html>", raw=True), "not JSON"),
                                         (Reply(200, {"unexpected": True}), "not a list"),
                                         (Reply(200, "a string"), "not a list")])
def test_a_list_reply_of_another_shape_is_an_error_not_an_empty_list(server, reply, says):
    server.script = [reply]
    with pytest.raises(ApiError) as caught:
        client_for(server).list_all("/api/users")
    assert "GET /api/users" in str(caught.value) and says in str(caught.value)


def test_a_single_read_of_another_shape_is_an_error(server):
    server.script = [Reply(200, [1, 2])]
    with pytest.raises(ApiError) as caught:
        client_for(server).get("/api/users/3")
    assert "not an object" in str(caught.value)


def test_bare_array_lists_come_back_as_they_are(server):
    server.script = [Reply(200, [{"name": "queue1"}, {"name": "queue2"}])]
    assert client_for(server).list_all("/api/users/2/queue/name") == [
        {"name": "queue1"}, {"name": "queue2"}]


def test_envelopes_are_unwrapped_and_ids_become_text(server):
    server.script = [Reply(200, {"code": 200, "message": "success",
                                 "data": {"id": "32", "extn_id": "32"}}),
                     Reply(200, {"data": 114, "code": 200, "message": "success"})]
    client = client_for(server)
    assert client.create("/api/users", {"login": "1234"}) == "32"
    assert client.create("/api/queues/2/extra_params", {"k": "x"}) == "114"
    assert reply_id("{}") is None


def test_a_missing_object_reads_as_none(server):
    server.script = [Reply(404, {"message": "not found"})]
    assert client_for(server).get("/api/users/99") is None


def test_a_refused_token_says_which_option_to_fix(server):
    server.script = [Reply(403, {"code": "403", "error_text": "Not Authorized"})]
    with pytest.raises(ApiError) as caught:
        client_for(server).get("/api/users/1")
    assert "xswitch_token" in str(caught.value) and "Not Authorized" in str(caught.value)
    assert "dev-key" not in str(caught.value)


def test_login_once_and_again_when_the_session_expires(server):
    server.script = [Reply(200, {"code": 200, "token": "tok-1"}),
                     Reply(200, {"id": 5}),
                     Reply(403, {"code": "403", "error_text": "Not Authorized"}),
                     Reply(200, {"code": 200, "token": "tok-2"}),
                     Reply(200, {"id": 5})]
    client = client_for(server, xswitch_token=None, xswitch_username="admin",
                        xswitch_password="Admin-Pw")
    assert client.get("/api/users/5") == {"id": 5}
    assert client.get("/api/users/5") == {"id": 5}
    paths = [(entry["method"], entry["path"]) for entry in server.requests]
    assert paths == [("POST", "/api/sessions"), ("GET", "/api/users/5"), ("GET", "/api/users/5"),
                     ("POST", "/api/sessions"), ("GET", "/api/users/5")]
    assert server.requests[0]["body"] == {"login": "admin", "password": "Admin-Pw"}
    assert server.requests[4]["headers"]["X-XTRA-AUTH-ID"] == "tok-2"


def test_a_refused_login_names_the_options(server):
    server.script = [Reply(403, {"code": "403", "error_text": "Not Authorized"})]
    client = client_for(server, xswitch_token=None, xswitch_username="admin",
                        xswitch_password="Wrong-Pw")
    with pytest.raises(ApiError) as caught:
        client.get("/api/users")
    assert "xswitch_username" in str(caught.value) and "Wrong-Pw" not in str(caught.value)


def test_duplicate_key_is_recognised():
    error = ApiError("POST", "/api/users", status=500,
                     api_message='pq: duplicate key value violates unique constraint "users_login_key"')
    assert is_duplicate_key(error)
    assert not is_duplicate_key(ApiError("POST", "/api/users", status=500, api_message="boom"))


def test_sip_ha1_is_md5_of_user_domain_password():
    assert sip_ha1("1006", "xswitch.cn", "pw") == hashlib.md5(b"1006:xswitch.cn:pw").hexdigest()


class FakeModule:
    def __init__(self, **params):
        self.params = params
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)


class FakeClient:
    # Signed in by login: the connected account is known without a read.
    params = {"xswitch_username": "admin", "xswitch_password": "Admin-Pw"}

    class http:
        @staticmethod
        def add_secret(value):
            pass


def planned(module, item, current):
    agents = AgentUsers(FakeClient(), module)
    change = Change(item["login"], item, current)
    agents.plan_present(change)
    return change


CURRENT = {"id": 7, "login": "1006", "type": "AGENT", "domain": "xswitch.cn",
           "ha1": hashlib.md5(b"1006:xswitch.cn:Old-Pw").hexdigest()}


def test_same_password_plans_nothing():
    change = planned(FakeModule(update_password="always"), {"login": "1006", "password": "Old-Pw"},
                     CURRENT)
    assert change.action == "none" and not change.notes


def test_new_password_plans_a_change_without_showing_it():
    change = planned(FakeModule(update_password="always"), {"login": "1006", "password": "New-Pw"},
                     CURRENT)
    assert change.action == "update" and change.notes == {"password_changed": True}
    assert "New-Pw" not in repr(change.before) + repr(change.after)


def ha1_of(user, domain, password):
    return hashlib.md5(("%s:%s:%s" % (user, domain, password)).encode()).hexdigest()


@pytest.mark.parametrize("stored", [
    {"ha1": ha1_of("1006", "xswitch.cn", "Old-Pw")},
    {"ha1": ha1_of("2006", "xswitch.cn", "Old-Pw")},
    {"ha1": "", "ha1b": ha1_of("1006@xswitch.cn", "xswitch.cn", "Old-Pw")},
    {"ha1b": ha1_of("2006@xswitch.cn", "xswitch.cn", "Old-Pw")},
])
def test_a_hash_of_the_login_or_of_the_extension_matches(stored):
    # login 1006, extension 2006: the server may hash either.
    current = dict(CURRENT, extn="2006", ha1=None)
    current.update(stored)
    same = planned(FakeModule(update_password="always"), {"login": "1006", "password": "Old-Pw"},
                   current)
    assert same.action == "none"
    other = planned(FakeModule(update_password="always"), {"login": "1006", "password": "New-Pw"},
                    current)
    assert other.notes == {"password_changed": True}


def test_a_new_domain_changes_the_hash():
    item = {"login": "1006", "password": "Old-Pw", "domain": "example.org"}
    assert planned(FakeModule(update_password="always"), item, CURRENT).notes["password_changed"]


def test_on_create_never_compares():
    change = planned(FakeModule(update_password="on_create"),
                     {"login": "1006", "password": "New-Pw"}, CURRENT)
    assert change.action == "none"


def test_without_ha1_the_password_is_set_and_a_warning_given_once():
    module = FakeModule(update_password="always")
    current = dict(CURRENT, ha1="")
    agents = AgentUsers(FakeClient(), module)
    for login in ("1006", "1007"):
        change = Change(login, {"login": login, "password": "Pw"}, dict(current, login=login))
        agents.plan_present(change)
        assert change.notes["password_changed"]
    assert len(module.warnings) == 1


def test_a_user_of_another_type_is_converted():
    change = planned(FakeModule(update_password="always"), {"login": "1006"},
                     dict(CURRENT, type="USER"))
    assert change.body == {"type": "AGENT"}
    assert (change.before, change.after) == ({"type": "USER"}, {"type": "AGENT"})


# -- what the vendor's own code shows (docs/api/xswitch.md) ------------------------------------

def login_client(server, password="Admin-Pw"):
    return client_for(server, xswitch_token=None, xswitch_username="admin",
                      xswitch_password=password)


def sent(server):
    return [(entry["method"], entry["path"].split("?")[0]) for entry in server.requests]


@pytest.mark.parametrize("refusal", [
    Reply(403, {"code": "403", "error_text": "Not Authorized"}),
    Reply(401, {"message": "bad credentials"}),
    Reply(200, {"code": 403, "message": "Captcha required"})])
def test_a_refused_login_is_never_sent_again(server, refusal):
    # The server wants a captcha after 2 refusals and locks the login after 5.
    server.script = [refusal]
    client = login_client(server, password="Wrong-Pw")
    for path in ("/api/users", "/api/queues", "/api/users/3"):
        with pytest.raises(ApiError) as caught:
            client.get(path)
        assert "login refused" in str(caught.value) and "Wrong-Pw" not in str(caught.value)
    assert sent(server) == [("POST", "/api/sessions")]


def test_parallel_reads_share_one_refused_login(server):
    server.script = [Reply(403, {"code": "403", "error_text": "Not Authorized"}, delay=0.3)]
    client = login_client(server, password="Wrong-Pw")

    def read(index):
        try:
            client.get("/api/queues/%d" % index)
        except ApiError as error:
            return str(error)
        return "no error"

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(read, range(8)))
    assert all("login refused" in outcome for outcome in outcomes)
    assert sent(server) == [("POST", "/api/sessions")]


def test_a_refused_login_after_an_expired_session_is_not_retried(server):
    server.script = [Reply(200, {"code": 200, "token": "tok-1"}),
                     Reply(403, {"code": "403", "error_text": "Not Authorized"})]
    client = login_client(server)
    for dummy in range(3):
        with pytest.raises(ApiError):
            client.get("/api/users/5")
    assert sent(server) == [("POST", "/api/sessions"), ("GET", "/api/users/5"),
                            ("POST", "/api/sessions")]


def test_threads_that_see_the_same_expired_token_log_in_once(server):
    server.script = [Reply(200, {"code": 200, "token": "tok-1"}),
                     Reply(403, {"code": "403", "error_text": "Not Authorized"}, delay=0.2),
                     Reply(403, {"code": "403", "error_text": "Not Authorized"}, delay=0.2),
                     Reply(200, {"code": 200, "token": "tok-2"}),
                     Reply(200, {"id": 5})]
    client = login_client(server)
    client.login()
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda dummy: client.get("/api/users/5"), range(2)))
    assert replies == [{"id": 5}, {"id": 5}]
    assert sent(server).count(("POST", "/api/sessions")) == 2


def test_a_run_that_logged_in_logs_out(server):
    server.script = [Reply(200, {"code": 200, "token": "tok-1"}), Reply(200, {"id": 5}),
                     Reply(200, {"code": 200, "message": "success", "data": "{}"})]
    client = login_client(server)
    client.get("/api/users/5")
    assert client.logout() is None
    assert client.logout() is None  # once only
    assert sent(server) == [("POST", "/api/sessions"), ("GET", "/api/users/5"),
                            ("DELETE", "/api/sessions")]
    assert server.requests[2]["headers"]["X-XTRA-AUTH-ID"] == "tok-1"


def test_a_failed_logout_is_a_warning_text_without_the_token(server):
    server.script = [Reply(200, {"code": 200, "token": "tok-secret-1"}), Reply(200, {"id": 5}),
                     Reply(500, {"message": "tok-secret-1 is busy"})]
    client = login_client(server)
    client.get("/api/users/5")
    warning = client.logout()
    assert "not closed" in warning and "tok-secret-1" not in warning


def test_a_given_token_is_never_logged_out(server):
    server.script = [Reply(200, {"id": 5})]
    client = client_for(server)
    client.get("/api/users/5")
    assert client.logout() is None
    assert sent(server) == [("GET", "/api/users/5")]


def test_the_page_size_goes_under_both_names(server):
    server.script = [page([{"id": 1}], 1, 1, 1)]
    client_for(server).list_all("/api/users")
    assert "perPage=1000" in server.requests[0]["path"]
    assert "page_size=1000" in server.requests[0]["path"]


def test_without_page_count_the_row_count_ends_the_list(server):
    server.script = [Reply(200, {"data": [{"id": 1}, {"id": 2}], "rowCount": 3}),
                     Reply(200, {"data": [{"id": 3}], "rowCount": 3})]
    assert [row["id"] for row in client_for(server).list_all("/api/users")] == [1, 2, 3]
    assert len(server.requests) == 2


def test_without_either_count_an_empty_page_ends_the_list(server):
    server.script = [Reply(200, {"data": [{"id": 1}, {"id": 2}]}),
                     Reply(200, {"data": [{"id": 3}]}), Reply(200, {"data": []})]
    assert [row["id"] for row in client_for(server).list_all("/api/users")] == [1, 2, 3]
    assert len(server.requests) == 3


def test_a_delete_answered_500_is_settled_by_a_read(server):
    server.script = [Reply(500, {}), Reply(404, {"message": "not found"})]
    client_for(server).delete("/api/users/7")
    assert sent(server) == [("DELETE", "/api/users/7"), ("GET", "/api/users/7")]


def test_a_delete_answered_500_that_left_the_object_fails_with_the_servers_text(server):
    server.script = [Reply(500, {"code": 500, "message": "still referenced"}),
                     Reply(200, {"id": 7})]
    with pytest.raises(ApiError) as caught:
        client_for(server).delete("/api/users/7")
    assert "still there" in str(caught.value) and "still referenced" in str(caught.value)


class Together(Reply):
    """A reply sent only once ``barrier.parties`` requests wait for it at the same time."""

    def __init__(self, barrier, *args, **kwargs):
        self.barrier = barrier
        super(Together, self).__init__(*args, **kwargs)

    @property
    def delay(self):
        self.barrier.wait()
        return 0

    @delay.setter
    def delay(self, value):
        pass


def test_the_pages_the_first_one_announces_are_read_together(server):
    together = threading.Barrier(2, timeout=5)
    server.script = [page([{"id": 1}, {"id": 2}], 1, 3, 6),
                     Together(together, 200, {"data": [{"id": 3}, {"id": 4}], "rowCount": 6}),
                     Together(together, 200, {"data": [{"id": 5}, {"id": 6}], "rowCount": 6})]
    rows = client_for(server, max_concurrent_writes=4).list_all("/api/users")
    assert sorted(row["id"] for row in rows) == [1, 2, 3, 4, 5, 6]
    assert sorted(request["path"].split("page=")[1][:1] for request in server.requests[1:]) == ["2", "3"]
    assert len(server.requests) == 3
