# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an XSwitch server does where the API document is silent, measured (xswitch_probe).

Each point docs/api/xswitch.md marks [assumed] is asked of the server and recorded as a
finding: the value seen and the evidence (method, path, status, a masked excerpt of the
reply). A point whose value the simulator can play has a switch of the same name, so the
findings also give the ``/_sim/config`` that turns the simulator into a twin of the server.

Reads only, unless ``scratch`` is set: then the probe creates agents and a queue under a
prefix unique to the run, writes only to them, tests passwords only in its scratch agents'
own sessions, and removes them at the end (also after a failure), confirmed by reads.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import secrets
import string

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import to_text
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import ApiError
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import (
    mask_text,
    redact,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import (
    SESSIONS_PATH,
    sip_ha1,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_queues import (
    QueueMembers,
    QueueRecords,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_users import (
    AGENT_TYPE,
    DEFAULT_DOMAIN,
    PASSWORD_PATH,
    AgentUsers,
)

USERS = AgentUsers.path
QUEUES = QueueRecords.path
DICT_REALMS = ("QUEUE_CC_PARAM", "QUEUE_FIFO_PARAM")
EXCERPT_LENGTH = 160
# Larger than any page a server is expected to honour, to find its cap.
LARGE_PAGE = 5000
# The value the simulator uses when a cap cannot be seen (fewer rows than any cap).
DEFAULT_PAGE_CAP = 1000
# Sent at creation; the server's default is different, so that a kept value shows.
SCRATCH_MAX_NO_ANSWER = "7"
# Spellings the collection sends, and FreeSWITCH mod_callcenter's spelling of the same value.
SPELLING_SENT = {"status": "Out", "agent_type": "standBy"}
SPELLING_FREESWITCH = {"status": "Logged Out", "agent_type": "uuid-standby"}
# Refused sign-ins of a scratch agent before its right password is tried: the vendor's pages
# say a captcha is wanted after two.
REFUSALS_BEFORE_CAPTCHA = 2


def _status(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _rows(reply):
    if isinstance(reply, list):
        return reply
    if isinstance(reply, dict) and isinstance(reply.get("data"), list):
        return reply["data"]
    return None


def _secret_word(length=16):
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for dummy in range(length))


def probe_result(findings, wrote, leftovers):
    """A probe's result: its findings, and the simulator switches the settled ones give."""
    return dict(
        changed=wrote,
        findings=[found.as_dict() for found in findings],
        simulator_config=dict((found.switch, found.position) for found in findings
                              if found.switch and found.determined and found.position is not None),
        leftovers=leftovers,
    )


class Finding:
    """One point: what was seen, the switch position it means (if any), and the evidence."""

    def __init__(self, point, switch=None):
        self.point = point
        self.switch = switch
        self.value = None
        self.position = None
        self.determined = False
        self.note = None
        self.evidence = []

    def settle(self, value, position=None, note=None):
        self.value, self.determined, self.note = value, True, note
        self.position = value if position is None else position

    def unsettled(self, note):
        self.value, self.determined, self.note = None, False, note

    def as_dict(self):
        out = dict(point=self.point, value=self.value, determined=self.determined,
                   evidence=self.evidence)
        if self.switch:
            out["switch"] = self.switch
        if self.note:
            out["note"] = self.note
        return out


class XSwitchProbe:
    """Asks one server every point; ``run()`` returns the module's result."""

    def __init__(self, client, module):
        self.client = client
        self.module = module
        self.scratch = module.params["scratch"] and not module.check_mode
        self.prefix = "%s%s-" % (module.params["prefix"], secrets.token_hex(3))
        self.findings = []
        self.created = []       # (kind, path, label) of every scratch object, newest last
        self.wrote = False

    # Recording ------------------------------------------------------------------------
    def finding(self, point, switch=None):
        found = Finding(point, switch)
        self.findings.append(found)
        return found

    def secret(self, value):
        self.client.http.add_secret(value)
        self.module.no_log_values.add(value)
        return value

    def send(self, found, method, path, body=None, params=None, client=None):
        """One request, its answer recorded as evidence of ``found``."""
        client = client or self.client
        if method != "GET":
            self.wrote = True
        status, reply = client.exchange(method, path, body=body, params=params)
        status = _status(status)
        if found is not None:
            found.evidence.append(dict(method=method, path=path, params=params or {},
                                       status=status, excerpt=self.excerpt(reply)))
        return status, reply

    def excerpt(self, reply):
        """A reply cut short, secret fields and hash-like or known secret values masked
        before the cut, so that no part of a secret survives it."""
        text = reply if isinstance(reply, str) else json.dumps(redact(reply), sort_keys=True)
        return mask_text(text, self.client.http.secrets)[:EXCERPT_LENGTH]

    # The run ----------------------------------------------------------------------------
    def run(self):
        self.read_only_points()
        leftovers = []
        if self.scratch:
            try:
                self.scratch_points()
            finally:
                leftovers = self.clean_up()
        elif self.module.params["scratch"]:
            self.module.warn("check mode: the points that need scratch objects were not probed")
        result = probe_result(self.findings, self.wrote, leftovers)
        if self.scratch:
            result["prefix"] = self.prefix
        return result

    # Read-only points -------------------------------------------------------------------
    def read_only_points(self):
        for realm in DICT_REALMS:
            found = self.finding("dictionary %s" % realm)
            status, reply = self.send(found, "GET", "/api/dicts/realm/%s" % realm)
            keys = sorted(to_text(row.get("k")) for row in _rows(reply) or []
                          if isinstance(row, dict))
            if status == 200 and _rows(reply) is not None:
                found.settle(keys, note="%d keys" % len(keys))
            else:
                found.unsettled("no list of keys (HTTP %s)" % status)
        found = self.finding("GET /api/users/me", "users_me")
        status, reply = self.send(found, "GET", USERS + "/me")
        if status == 200 and isinstance(reply, dict) and (reply.get("id") is not None or reply.get("login")):
            found.settle(True, note="HTTP 200, a user")
        elif to_text(status) in ("404", "405", "501"):
            found.settle(False, note="HTTP %s" % status)
        else:
            found.unsettled("HTTP %s, %s" % (status, "not a user" if status == 200 else "a refusal"))
        if not self.scratch:
            self.listing_points()

    def listing_points(self, own_login=None):
        """Paging, the login filter, hashes in reads and the type in queue reads: reads of
        what is on the server (with ``scratch``, its scratch objects among them)."""
        found = self.finding("users listed", None)
        status, reply = self.send(found, "GET", USERS, params={"page": 1, "perPage": LARGE_PAGE,
                                                               "page_size": LARGE_PAGE})
        rows = _rows(reply)
        if status != 200 or rows is None:
            raise ApiError("GET", USERS, status=status,
                           reason="the users list is not a list: nothing else can be probed")
        total = reply.get("rowCount") if isinstance(reply, dict) else len(rows)
        found.settle(len(rows), note="%s users on the server" % total)
        self.paging_points(_status(total))
        self.login_filter_point(own_login or self._longest_login(rows), _status(total))
        hashes = self.finding("reads carry ha1/ha1b", "omit_ha1")
        if rows:
            carried = any(("ha1" in row or "ha1b" in row) for row in rows if isinstance(row, dict))
            hashes.evidence = found.evidence[:]
            hashes.settle(carried, position=not carried)
        else:
            hashes.unsettled("no user to read")
        self.queue_type_point()

    @staticmethod
    def _longest_login(rows):
        logins = [to_text(row.get("login")) for row in rows if isinstance(row, dict)]
        return max(logins, key=len) if logins else None

    def paging_points(self, total):
        paging = self.finding("paging honoured", "paging")
        size_name = self.finding("page size parameter", "page_size_param")
        page_count = self.finding("pageCount in paged replies", "page_count_in_reply")
        cap = self.finding("largest page", "max_per_page")
        if not isinstance(total, int) or total < 2:
            for found in (paging, size_name, page_count, cap):
                found.unsettled("fewer than two users: nothing to page")
            return
        first = None
        for name in ("perPage", "page_size"):
            status, reply = self.send(size_name, "GET", USERS, params={"page": 1, name: 1})
            rows = _rows(reply) or []
            if first is None:
                first = reply
            if status == 200 and len(rows) == 1:
                size_name.settle(name)
                paging.evidence = size_name.evidence[:]
                paging.settle("honoured")
                break
        else:
            status, second = self.send(paging, "GET", USERS, params={"page": 2, "perPage": 1})
            same = [row.get("id") for row in _rows(second) or []] == \
                [row.get("id") for row in _rows(first) or []]
            if same and _rows(first):
                paging.settle("ignored", note="page 2 repeats page 1")
                size_name.unsettled("the server ignores paging")
            else:
                paging.unsettled("neither perPage nor page_size made a page of one row")
                size_name.unsettled("neither perPage nor page_size made a page of one row")
        page_count.evidence = size_name.evidence[:1]
        page_count.settle(isinstance(first, dict) and "pageCount" in first)
        if paging.value != "honoured":
            cap.unsettled("the server does not page")
            return
        params = {"page": 1, size_name.value: LARGE_PAGE}
        status, reply = self.send(cap, "GET", USERS, params=params)
        got = len(_rows(reply) or [])
        if got < total:
            cap.settle(got, note="%d of %d rows on a page of %d asked" % (got, total, LARGE_PAGE))
        else:
            cap.settle("at least %d" % got, position=max(DEFAULT_PAGE_CAP, got),
                       note="every user fits on one page")

    def login_filter_point(self, login, total):
        found = self.finding("login filter honoured", "ignore_login_filter")
        if not login or not isinstance(total, int) or total < 2:
            found.unsettled("fewer than two users: a filter cannot show")
            return
        status, reply = self.send(found, "GET", USERS, params={
            "login": login, "page": 1, "perPage": LARGE_PAGE, "page_size": LARGE_PAGE})
        rows = _rows(reply)
        if status != 200 or rows is None:
            found.unsettled("the filtered read failed (HTTP %s)" % status)
            return
        others = [row for row in rows if to_text(row.get("login")) != login]
        if not others:
            found.settle(True, position=False)
        elif len(rows) >= total:
            found.settle(False, position=True, note="every user came back")
        else:
            found.unsettled("%d other logins came back: a partial match" % len(others))

    def queue_type_point(self):
        found = self.finding("queue reads carry type", "queue_reads_type")
        status, reply = self.send(found, "GET", QUEUES, params={
            "page": 1, "perPage": 1, "page_size": 1})
        rows = [row for row in _rows(reply) or [] if isinstance(row, dict)]
        if not rows:
            found.unsettled("no queue to read")
            return
        status, single = self.send(found, "GET", "%s/%s" % (QUEUES, rows[0].get("id")))
        found.settle("type" in rows[0] or (isinstance(single, dict) and "type" in single))

    # Scratch points ---------------------------------------------------------------------
    def create(self, found, kind, path, body, label):
        status, reply = self.send(found, "POST", path, body=body)
        new_id = None
        if status == 200:
            new_id = to_text(reply.get("id") if isinstance(reply, dict) else reply)
        if not new_id:
            raise ApiError("POST", path, status=status, api_message=to_text(reply),
                           reason="the probe could not create its scratch %s %s" % (kind, label))
        self.created.append((kind, "%s/%s" % (path, new_id), label))
        return new_id

    def read(self, path):
        return self.client.get(path) or {}

    def scratch_agent(self, found, letter, password, extra=None):
        login = self.prefix + letter
        extn = self.free_extension()
        body = dict(login=login, name=login, extn=extn, password=password, type=AGENT_TYPE,
                    domain=DEFAULT_DOMAIN)
        body.update(extra or {})
        user_id = self.create(found, "agent", USERS, body, login)
        return dict(id=user_id, login=login, extn=extn, password=password)

    def free_extension(self):
        taken = set(to_text(row.get("extn")) for row in self.client.list_all(USERS))
        while True:
            extn = "9%08d" % secrets.randbelow(10 ** 8)
            if extn not in taken:
                return extn

    def scratch_points(self):
        password = self.secret(_secret_word())
        found = self.finding("POST /api/users applies agent settings", "agent_info_on_create")
        alpha = self.scratch_agent(found, "a", password,
                                   dict(max_no_answer=SCRATCH_MAX_NO_ANSWER))
        read = self.read("%s/%s" % (USERS, alpha["id"]))
        found.settle(to_text(read.get("max_no_answer")) == SCRATCH_MAX_NO_ANSWER)
        self.hash_point(alpha, read)
        self.spelling_point(alpha)
        self.duplicate_point(alpha)
        beta = self.scratch_agent(self.finding("second scratch agent"), "b", password)
        self.findings[-1].settle(beta["login"])
        queue = self.create(self.finding("scratch queue"), "queue", QUEUES,
                            dict(name=self.prefix + "q", type="callcenter"), self.prefix + "q")
        self.findings[-1].settle(self.prefix + "q")
        self.listing_points(own_login=alpha["login"])
        absent = self.delete_absent_point()
        self.password_points(alpha, beta)
        members = self.member_points(queue, alpha, beta, absent)
        self.lockout_point(alpha)
        if members:
            self.queue_cascade_point(queue, alpha)

    def hash_point(self, agent, read):
        found = self.finding("ha1 hashes the login or the extension", "ha1_user")
        found.evidence = self.findings[-1].evidence[-1:]
        stored = set(to_text(read.get(key)).lower() for key in ("ha1", "ha1b")) - set([""])
        if not stored:
            found.unsettled("reads carry no ha1")
            return
        for name in ("login", "extn"):
            if sip_ha1(agent[name], DEFAULT_DOMAIN, agent["password"]) in stored:
                found.settle(name)
                return
        found.unsettled("the hash is neither md5(login:domain:password) nor "
                        "md5(extn:domain:password)")

    def spelling_point(self, agent):
        found = self.finding("agent status and type spelling", "agent_spelling")
        path = "%s/%s" % (USERS, agent["id"])
        self.send(found, "PUT", path, body=dict(SPELLING_SENT))
        read = self.read(path)
        seen = dict((key, to_text(read.get(key))) for key in SPELLING_SENT)
        if seen == SPELLING_SENT:
            found.settle("as_sent")
        elif seen == SPELLING_FREESWITCH:
            found.settle("freeswitch")
        else:
            found.unsettled("read back as %s" % seen)

    def duplicate_point(self, agent):
        found = self.finding("duplicate login refused with")
        body = dict(login=agent["login"], extn=self.free_extension(),
                    password=self.secret(_secret_word()), type=AGENT_TYPE)
        status, reply = self.send(found, "POST", USERS, body=body)
        if status == 200:
            # Recorded so that clean_up removes it; a server that accepts a duplicate login.
            new_id = to_text(reply.get("id") if isinstance(reply, dict) else reply)
            self.created.append(("agent", "%s/%s" % (USERS, new_id), agent["login"]))
            found.settle("accepted", note="the server accepted a second user with the same login")
        else:
            found.settle("HTTP %s" % status, note=to_text(reply)[:EXCERPT_LENGTH])

    def delete_absent_point(self):
        found = self.finding("status of a DELETE of nothing", "delete_absent_status")
        throwaway = self.scratch_agent(found, "c", self.secret(_secret_word()))
        path = "%s/%s" % (USERS, throwaway["id"])
        self.send(found, "DELETE", path)
        status, reply = self.send(found, "DELETE", path)
        if status in (404, 500):
            found.settle(status)
        else:
            found.unsettled("HTTP %s" % status)
        return status, reply

    def password_points(self, alpha, beta):
        """Both scratch agents share a password; alpha, in its own session, changes it naming
        beta's id: whose hash changed says which user change_password acts on."""
        target = self.finding("change_password acts on", "change_password_target")
        new_password = self.secret(_secret_word())
        session = self.client.as_user(alpha["login"], alpha["password"])
        try:
            self.send(target, "PUT", PASSWORD_PATH, client=session, body=dict(
                id=beta["id"], password=new_password, old_password=beta["password"]))
        finally:
            session.logout()
        changed = [agent for agent in (alpha, beta) if self._has_password(agent, new_password)]
        if changed == [beta]:
            target.settle("id")
            beta["password"] = new_password
        elif changed == [alpha]:
            target.settle("session", note="the signed-in user, whatever the body's id says")
            alpha["password"] = new_password
        else:
            target.unsettled("neither scratch agent's hash changed")
        reset = self.finding("a super admin resets a password without old_password",
                             "super_admin_resets_password")
        if target.value != "id":
            # Sent by this account, it would change this account's own password.
            reset.unsettled("not asked: change_password does not act on the body's id")
            return
        reset_password = self.secret(_secret_word())
        status, dummy = self.send(reset, "PUT", PASSWORD_PATH, body=dict(
            id=alpha["id"], password=reset_password))
        if self._has_password(alpha, reset_password):
            alpha["password"] = reset_password
            reset.settle(True)
        else:
            reset.settle(False, note="refused (HTTP %s)" % status)

    def _has_password(self, agent, password):
        read = self.read("%s/%s" % (USERS, agent["id"]))
        stored = set(to_text(read.get(key)).lower() for key in ("ha1", "ha1b"))
        return any(sip_ha1(agent[name], DEFAULT_DOMAIN, password) in stored
                   for name in ("login", "extn"))

    def member_points(self, queue, alpha, beta, absent):
        """The member-removal route, asked first with a row that does not exist, so that a
        server without it gets no member row the probe could not remove."""
        route = self.finding("member removal route", "member_delete_route")
        status, reply = self.send(route, "DELETE", QueueMembers.row_path(queue, "999999999"))
        if status == 404 and (absent[0] != 404 or self.excerpt(reply) != self.excerpt(absent[1])):
            route.settle(False, note="answered as an unknown address")
            for point, switch in (("new member rows disabled", "new_members_disabled"),
                                  ("DELETE of a user removes its member rows",
                                   "delete_user_cascades"),
                                  ("DELETE of a queue removes its member rows",
                                   "delete_queue_cascades")):
                self.finding(point, switch).unsettled(
                    "not asked: a member row could not be removed afterwards")
            return False
        members_path = QueueMembers.list_path(queue)
        added = self.finding("new member rows disabled", "new_members_disabled")
        self.send(added, "POST", members_path, body=dict(agents=[
            dict(agent_id=agent["id"], agent_name=agent["extn"]) for agent in (alpha, beta)]))
        rows = self.member_rows(added, queue)
        row_of = dict((to_text(row.get("agent_id")), row) for row in rows)
        if alpha["id"] not in row_of:
            added.unsettled("the member row did not read back")
            route.unsettled("no member row to remove")
            return True
        added.settle(to_text(row_of[alpha["id"]].get("disabled")) == "1")
        self.finding("agent_name of a new member row").settle(
            to_text(row_of[alpha["id"]].get("agent_name")))
        self.send(route, "DELETE", QueueMembers.row_path(queue, row_of[alpha["id"]].get("id")))
        gone = alpha["id"] not in set(to_text(row.get("agent_id"))
                                      for row in self.member_rows(route, queue))
        route.settle(gone, note=None if gone else "the row was still there when read again")
        cascade = self.finding("DELETE of a user removes its member rows", "delete_user_cascades")
        self.send(cascade, "DELETE", "%s/%s" % (USERS, beta["id"]))
        left = [row for row in self.member_rows(cascade, queue)
                if to_text(row.get("agent_id")) == beta["id"]]
        cascade.settle(not left)
        for row in left:
            self.send(cascade, "DELETE", QueueMembers.row_path(queue, row.get("id")))
        return gone

    def member_rows(self, found, queue):
        status, reply = self.send(found, "GET", QueueMembers.list_path(queue), params={
            "page": 1, "perPage": LARGE_PAGE, "page_size": LARGE_PAGE})
        return [row for row in _rows(reply) or [] if isinstance(row, dict)]

    def queue_cascade_point(self, queue, alpha):
        """A queue deleted with a member row in it; removing that row afterwards says whether
        it outlived its queue (and removes it)."""
        found = self.finding("DELETE of a queue removes its member rows", "delete_queue_cascades")
        self.send(found, "POST", QueueMembers.list_path(queue),
                  body=dict(agents=[dict(agent_id=alpha["id"], agent_name=alpha["extn"])]))
        row = [row for row in self.member_rows(found, queue)
               if to_text(row.get("agent_id")) == alpha["id"]]
        if not row:
            found.unsettled("the member row did not read back")
            return
        self.send(found, "DELETE", "%s/%s" % (QUEUES, queue))
        status, dummy = self.send(found, "DELETE", QueueMembers.row_path(queue, row[0].get("id")))
        found.settle(status != 200, note=None if status != 200 else
                     "the row outlived its queue (removed now)")

    def lockout_point(self, agent):
        found = self.finding("refused sign-ins lock the login", "login_lockout")
        for dummy in range(REFUSALS_BEFORE_CAPTCHA):
            self._sign_in(found, agent["login"], self.secret(_secret_word()))
        status = self._sign_in(found, agent["login"], agent["password"])
        found.settle(status != 200, note="the right password was refused after %d refusals"
                     % REFUSALS_BEFORE_CAPTCHA if status != 200 else None)

    def _sign_in(self, found, login, password):
        session = self.client.as_user(login, password)
        try:
            session.login()
            status, text = 200, "signed in"
        except ApiError as error:
            status, text = _status(error.status), error.api_message
        finally:
            session.logout()
        found.evidence.append(dict(method="POST", path=SESSIONS_PATH, params={}, status=status,
                                   excerpt=self.excerpt(text)))
        return status

    # Clean-up ---------------------------------------------------------------------------
    def clean_up(self):
        """Every scratch object deleted, newest first, then looked for: what is still there
        is named."""
        for kind, path, label in reversed(self.created):
            try:
                self.client.delete(path)
            except ApiError as error:
                self.module.warn("scratch %s %s was not deleted: %s" % (kind, label, error))
        leftovers = []
        for kind, path, label in self.created:
            try:
                still = self.client.get(path) is not None
            except ApiError as error:
                still = True
                self.module.warn("scratch %s %s could not be read back: %s" % (kind, label, error))
            if still:
                leftovers.append(dict(kind=kind, path=path, name=label))
        for kind, path, name_key in (("agent", USERS, "login"), ("queue", QUEUES, "name")):
            for row in self.client.list_all(path):
                name = to_text(row.get(name_key))
                if name.startswith(self.prefix) and not any(
                        item["name"] == name for item in leftovers):
                    leftovers.append(dict(kind=kind, path="%s/%s" % (path, row.get("id")),
                                          name=name))
        if leftovers:
            self.module.warn("scratch objects still on the server: %s" % ", ".join(
                "%s %s (%s)" % (item["kind"], item["name"], item["path"]) for item in leftovers))
        return leftovers
