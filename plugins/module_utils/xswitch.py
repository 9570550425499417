# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The XSwitch call-center API client: authentication, reply shapes, paging.

Every quirk of the API is absorbed here so that resources and modules see one shape: a
write returns an id as text, a read returns an object or None, a list read returns every row
of every page.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.telephony.callcenter.plugins.module_utils.api_assumptions import (
    XSWITCH_MAX_PAGE_SIZE,
    XSWITCH_PAGE_SIZE_NAMES,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.compare import to_text
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import (
    ApiError,
    HttpClient,
    api_message_of,
    connection_spec,
    requests_at_once,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.module import (
    CallcenterModule,
    run_at_finish,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import mask_text

AUTH_HEADER = "X-XTRA-AUTH-ID"
SESSIONS_PATH = "/api/sessions"

XSWITCH_CONNECTION_SPEC = connection_spec(
    "xswitch", "xswitch_url", secret_options=("xswitch_token", "xswitch_password"),
    plain_options=("xswitch_username",))
XSWITCH_CONNECTION_RULES = dict(
    required_one_of=[("xswitch_token", "xswitch_username")],
    required_together=[("xswitch_username", "xswitch_password")],
)


def xswitch_module(options, rules=None, item_lists=None):
    """A module with the XSwitch connection options beside its own ``options``; ``rules``
    adds to the connection's mutually_exclusive, required_one_of, ... lists."""
    spec = dict(XSWITCH_CONNECTION_SPEC)
    spec.update(options)
    merged = dict((name, list(value)) for name, value in XSWITCH_CONNECTION_RULES.items())
    for name, value in (rules or {}).items():
        merged.setdefault(name, []).extend(value)
    return CallcenterModule(argument_spec=spec, supports_check_mode=True, item_lists=item_lists,
                            **merged)


def sip_ha1(user, domain, password):
    """The SIP digest hash FreeSWITCH stores: md5("user:domain:password")."""
    text = "%s:%s:%s" % (user, domain, password)
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # nosec - the protocol's own hash


def is_duplicate_key(error):
    """The database's unique-constraint refusal, which the API passes through as text."""
    return bool(error.status and error.status >= 400 and error.api_message
                and "duplicate key" in error.api_message.lower())


def reply_id(data):
    """The id a write reply carries: ``"32"``, ``114``, ``{"id": "32", ...}``."""
    if isinstance(data, dict):
        data = data.get("id")
    if data in (None, "", "{}"):
        return None
    return to_text(data)


def _shape(reply):
    if reply is None:
        return "empty or not JSON"
    return "a JSON %s" % {"dict": "object", "list": "array", "str": "string"}.get(
        type(reply).__name__, type(reply).__name__)


# A list's later pages read ahead at once, at most: a count that is wrong or hostile must not
# make a run ask for millions of pages.
MAX_PAGES_AHEAD = 100


def _count(value):
    """``rowCount``/``pageCount`` as a number, or None when the reply does not say."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _pages_announced(reply, first_size):
    """How many pages the first page of a list says there are (1 when it does not say)."""
    row_count = _count(reply.get("rowCount"))
    if row_count is not None and first_size:
        return min(-(-row_count // first_size), MAX_PAGES_AHEAD)
    page_count = _count(reply.get("pageCount"))
    return min(page_count, MAX_PAGES_AHEAD) if page_count else 1


class XSwitchClient:
    """One authenticated session against one XSwitch server."""

    def __init__(self, params):
        self.params = params
        token = params.get("xswitch_token")
        self.http = HttpClient(
            params["xswitch_url"], timeout=params.get("timeout", 30),
            validate_certs=params.get("validate_certs", True), ca_path=params.get("ca_path"),
            max_reply_size=params.get("max_reply_size"),
            max_in_flight=params.get("max_concurrent_writes"),
            retries=params.get("retries", 3), headers={"Content-Type": "application/json"},
            secrets=[token, params.get("xswitch_password")])
        self._logged_in = False
        self._login_refused = None
        self.last_status = None
        self._login_lock = threading.Lock()
        self._reference = {}
        if token:
            self.http.session.headers[AUTH_HEADER] = token

    # Authentication ---------------------------------------------------------------------
    def _uses_login(self):
        return not self.params.get("xswitch_token")

    def login(self, stale_token=None):
        """One ``POST /api/sessions`` per module run, and once more when the session token
        expires. Parallel reads share it: whichever thread finds the token missing (or still
        ``stale_token``, the one a 403 came back for) logs in, the others use its token.

        A refused login is never sent again in this run: the server asks for a captcha after
        two refusals and locks the login for hours after five.
        """
        with self._login_lock:
            if self._login_refused is not None:
                raise self._login_refused
            current = self.http.session.headers.get(AUTH_HEADER)
            if self._logged_in and current != stale_token:
                return
            self._send_login()

    def _send_login(self):
        body = {"login": self.params["xswitch_username"],
                "password": self.params["xswitch_password"]}
        try:
            dummy, reply = self.http.request("POST", SESSIONS_PATH, body=body)
        except ApiError as error:
            if error.status in (400, 401, 403, 423, 429):
                self._login_refused = ApiError(
                    "POST", SESSIONS_PATH, status=error.status, api_message=error.api_message,
                    reason="login refused: check xswitch_username and xswitch_password (not "
                           "tried again: the server locks a login after repeated refusals)")
                raise self._login_refused
            raise
        # The token's place in the reply is not documented: a flat "token" (XSwitch), a
        # "session_id" (XUI, its predecessor), or either inside "data".
        if isinstance(reply, dict) and reply.get("code") not in (None, "") \
                and to_text(reply.get("code")) != "200":
            # A refusal inside a 200 reply (a captcha or a lock, say).
            self._login_refused = ApiError(
                "POST", SESSIONS_PATH, status=reply.get("code"),
                api_message=mask_text(api_message_of(reply), self.http.secrets),
                reason="login refused (not tried again: the server locks a login after "
                       "repeated refusals)")
            raise self._login_refused
        token = None
        holders = (reply, reply.get("data") if isinstance(reply, dict) else None)
        for holder in holders:
            if isinstance(holder, dict) and not token:
                token = holder.get("token") or holder.get("session_id")
        if not token:
            raise ApiError("POST", SESSIONS_PATH, reason="the login reply carried no token")
        self.http.add_secret(token)
        self.http.session.headers[AUTH_HEADER] = token
        if not self._logged_in:
            run_at_finish(self.logout)
        self._logged_in = True

    def logout(self):
        """``DELETE /api/sessions`` for a session this run opened, so that scheduled runs do
        not leave one session each behind. A token given by the task is never logged out."""
        with self._login_lock:
            if not (self._logged_in and self._uses_login()):
                return
            self._logged_in = False
            try:
                self.http.request("DELETE", SESSIONS_PATH)
            except ApiError as error:
                return "the session was not closed (%s); it expires by itself" % error
            finally:
                self.http.session.headers.pop(AUTH_HEADER, None)
        return None

    def as_user(self, login, password):
        """A client of the same server that signs in as ``login``, for what the API does in a
        user's own session; call its ``logout`` when done."""
        other = XSwitchClient(dict(self.params, xswitch_token=None, xswitch_username=login,
                                   xswitch_password=password))
        for secret in self.http.secrets:
            other.http.add_secret(secret)
        return other

    # Requests ---------------------------------------------------------------------------
    def call(self, method, path, body=None, params=None, replay_safe=None):
        """One API call, unwrapped: the ``data`` of an envelope, or the bare reply."""
        if self._uses_login() and (not self._logged_in or self._login_refused is not None):
            self.login()
        token = self.http.session.headers.get(AUTH_HEADER)
        try:
            self.last_status, reply = self.http.request(method, path, body=body, params=params,
                                                        replay_safe=replay_safe)
        except ApiError as error:
            if error.status != 403:
                raise
            if not self._uses_login():
                raise ApiError(method, path, status=403, api_message=error.api_message,
                               reason="refused: check that xswitch_token is right, not expired, "
                                      "and allowed to do this")
            # A session token expires (24 h by default): log in again once, then replay.
            self.login(stale_token=token)
            try:
                self.last_status, reply = self.http.request(
                    method, path, body=body, params=params, replay_safe=replay_safe)
            except ApiError as again:
                if again.status == 403:
                    raise ApiError(method, path, status=403, api_message=again.api_message,
                                   reason="refused after a fresh login: the account lacks permission")
                raise
        return self._unwrap(method, path, reply)

    def exchange(self, method, path, body=None, params=None):
        """One call as the server answers it, for xswitch_probe, which records answers rather
        than acting on them: ``(status, unwrapped reply)``, or ``(status, the server's text)``
        for a refusal. Only a call that got no answer at all raises."""
        try:
            return self.last_status, self.call(method, path, body=body, params=params)
        except ApiError as error:
            if error.status in (None, ""):
                raise
            return error.status, error.api_message

    def _unwrap(self, method, path, reply):
        """Writes answer ``{"code": 200, "message": ..., "data": ...}``; reads answer bare."""
        if isinstance(reply, dict) and "code" in reply and ("data" in reply or "message" in reply):
            if to_text(reply.get("code")) != "200":
                message = api_message_of(reply)
                raise ApiError(method, path, status=reply.get("code"),
                               api_message=mask_text(message, self.http.secrets))
            return reply.get("data")
        return reply

    def get(self, path):
        """A single object, or None when the server answers 404."""
        try:
            reply = self.call("GET", path)
        except ApiError as error:
            if error.status == 404:
                return None
            raise
        if not isinstance(reply, dict):
            raise ApiError("GET", path, reason="the reply is %s, not an object: the server or a "
                                               "proxy answered something else" % _shape(reply))
        return reply

    def list_all(self, path, params=None):
        """Every row of a list, across all pages.

        Bare-array lists come back as they are. Paged lists are read with the largest page
        size the API allows, sent under both names the vendor's own web client uses
        (``perPage`` for users and queues, ``page_size`` for other lists; a server ignores
        the one it does not know). The server may use a smaller page, so pages are read until
        ``rowCount`` rows are in (else ``pageCount`` pages; with neither, until a page comes
        back empty). A page that brings no new row while rows are missing means the
        server ignores paging: that is an error, never a partial list.
        """
        query = dict(params or {})
        query.update((name, XSWITCH_MAX_PAGE_SIZE) for name in XSWITCH_PAGE_SIZE_NAMES)
        rows, seen, page, prefetched = [], set(), 1, {}
        while True:
            reply = prefetched.pop(page) if page in prefetched else \
                self.call("GET", path, params=dict(query, page=page))
            if isinstance(reply, list) and page == 1:
                return reply
            batch = reply.get("data") if isinstance(reply, dict) else None
            if batch is None and isinstance(reply, dict) and "rowCount" in reply:
                batch = []  # an empty paged list may carry "data": null
            if not isinstance(batch, list):
                raise ApiError("GET", path, reason="the reply is %s, not a list: the server or a "
                                                   "proxy answered something else" % _shape(reply))
            if page == 1:
                # The pages the first one announces are read together; the checks below then
                # run on them in order, as if read one after another.
                prefetched = self._read_pages(path, query, _pages_announced(reply, len(batch)))
            fresh = [row for row in batch if self._row_key(row) not in seen]
            seen.update(self._row_key(row) for row in fresh)
            rows.extend(fresh)
            row_count = _count(reply.get("rowCount"))
            page_count = _count(reply.get("pageCount"))
            if row_count is not None:
                complete = len(rows) >= row_count
            elif page_count is not None:
                complete = page >= page_count
            else:
                # Neither count: a server may cap the page below what was asked, so only an
                # empty page ends the list.
                complete = not batch
            if complete:
                return rows
            if not fresh:
                raise ApiError("GET", path, reason=(
                    "the server ignores paging: %d of %s rows read, page %d repeated what was "
                    "already read; the collection asks page=N&perPage=%d (paging is not in the "
                    "API document) and will not act on a partial list"
                    % (len(rows), row_count if row_count is not None else "?", page,
                       XSWITCH_MAX_PAGE_SIZE)))
            page += 1

    def _read_pages(self, path, query, last):
        """Pages 2 to ``last`` of a list, up to ``max_concurrent_writes`` at once."""
        numbers = list(range(2, last + 1))
        workers = min(len(numbers), requests_at_once(self.params))
        if workers < 2:
            return {}
        pool = ThreadPoolExecutor(max_workers=workers)
        try:
            replies = list(pool.map(
                lambda number: self.call("GET", path, params=dict(query, page=number)), numbers))
        finally:
            pool.shutdown(wait=True)
        return dict(zip(numbers, replies))

    def reference(self, path):
        """A list that does not change during a run (the parameter dictionaries), read once."""
        if path not in self._reference:
            self._reference[path] = self.list_all(path)
        return self._reference[path]

    @staticmethod
    def _row_key(row):
        if isinstance(row, dict) and row.get("id") not in (None, ""):
            return to_text(row.get("id"))
        return repr(sorted(row.items())) if isinstance(row, dict) else repr(row)

    def create(self, path, body):
        """POST a new object; returns its id as text (or None if the reply names none)."""
        return reply_id(self.call("POST", path, body=body))

    def update(self, path, body, replay_safe=None):
        return self.call("PUT", path, body=body, replay_safe=replay_safe)

    def delete(self, path, gone=None):
        """DELETE; an object that is already gone is not an error.

        XUI, XSwitch's predecessor, answers ``500 "{}"`` to a DELETE that deleted nothing, so
        a 500 is settled by one read: ``gone()`` (default: a GET of ``path`` answers 404) says
        whether the object is gone, which is done; still there, the 500 stands.
        """
        try:
            self.call("DELETE", path)
        except ApiError as error:
            if error.status == 404:
                return
            if to_text(error.status) != "500":
                raise
            if (gone or (lambda: self.get(path) is None))():
                return
            raise ApiError(error.method, error.path, status=error.status,
                           api_message=error.api_message,
                           reason="and it is still there when read again")
