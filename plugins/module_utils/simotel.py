# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Simotel (API v4) client: credentials, the ``{success, message, data}`` envelope, and
errors that say what to fix."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import to_bool
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import (
    ApiError,
    HttpClient,
    connection_spec,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import mask_text

API_PREFIX = "/api/v4/"

BATCH_REMOVE_SERVICE = "pbx/queues/batchremoveagent"
BATCH_ADD_SERVICE = "pbx/queues/batchaddagent"
BATCH_PAUSE_SERVICE = "pbx/queues/batchpauseagent"
BATCH_RESUME_SERVICE = "pbx/queues/batchresumeagent"
PING_SERVICE = "setting/ping/act"

# What happened to one queue member of a batch.
REMOVED = "removed"
REPLAYED_NOTE = ("%s (the batch was sent again after an attempt whose reply was lost and "
                 "which may have %s it: counted as %s)")
ABSENT = "absent"
FAILED = "failed"

PBX_CONNECTION_SPEC = connection_spec(
    "pbx", "pbx_url", secret_options=("pbx_api_key", "pbx_password"),
    plain_options=("pbx_username",))
PBX_CONNECTION_RULES = dict(
    required_one_of=[("pbx_api_key", "pbx_username")],
)

# What each refusal means for the person running the playbook.
STATUS_ADVICE = {
    400: "the server could not read the request body as JSON",
    401: "credentials refused: check pbx_username/pbx_password and pbx_api_key "
         "(the API account may require Basic authentication, the API key, or both)",
    403: "permission denied: the API account may not use this service, "
         "or the server refuses requests from this address",
    404: "no such path: check pbx_url (the base address, without /api/v4)",
    405: "the service refused the HTTP method (Simotel expects POST)",
    415: "the service refused the content type (Simotel expects application/json)",
    501: "the server does not offer this service: check the Simotel version (API v4)",
}

# What the server's own texts (the wiki's "Common Response Messages", 2-settings.md) mean.
MESSAGE_ADVICE = (
    ("BasicAuth or ApiKey is missing",
     "no credentials reached the server: set pbx_api_key and/or pbx_username and pbx_password"),
    ("BasicAuth or ApiKey is invalid",
     "credentials refused, wrong or incomplete: check pbx_username/pbx_password and pbx_api_key "
     "(the API account may require Basic authentication, the API key, or both)"),
    ("IP is not permitted",
     "permission denied: the server refuses requests from this machine's address: add it to "
     "Simotel's allowed IPs (Maintenance > Settings, Simotel API)"),
    ("Access denied",
     "permission denied: the API account may not use this service: grant it in "
     "Maintenance > API Accounts (Request)"),
    ("Unable to parse content", "the server could not read the request body as JSON"),
    ("Method not allowed", "the service refused the HTTP method"),
    ("Unsupported Media Type", "the service refused the content type (application/json)"),
    ("Requested service does not exist",
     "the server does not offer this service: check the Simotel version (API v4)"),
)


def service_path(service):
    """``pbx/queues/batchremoveagent`` → ``/api/v4/pbx/queues/batchremoveagent``."""
    return API_PREFIX + service.strip("/").lower()


class SimotelClient:
    """One session against one Simotel server."""

    def __init__(self, params):
        headers = {"Content-Type": "application/json"}
        if params.get("pbx_api_key"):
            headers["X-APIKEY"] = params["pbx_api_key"]
        auth = None
        # An empty username (AWX injects every credential field, set or not) means no Basic auth.
        if params.get("pbx_username"):
            auth = (params["pbx_username"], params.get("pbx_password") or "")
        base = params["pbx_url"].rstrip("/")
        if base.lower().endswith("/api/v4"):
            base = base[:-len("/api/v4")]
        self.http = HttpClient(
            base, timeout=params.get("timeout", 30),
            validate_certs=params.get("validate_certs", True), ca_path=params.get("ca_path"),
            max_reply_size=params.get("max_reply_size"),
            max_in_flight=params.get("max_concurrent_writes"),
            retries=params.get("retries", 3), headers=headers, auth=auth,
            secrets=[params.get("pbx_api_key"), params.get("pbx_password")])

    def mask(self, text):
        """``text`` with this run's API key and password masked."""
        return mask_text(text, self.http.secrets)

    def post(self, service, body, replay_safe=False):
        """POST one service call and return the whole ``{success, message, data}`` envelope,
        whatever ``success`` says. HTTP refusals raise ApiError with advice on what to fix."""
        path = service_path(service)
        try:
            dummy, reply = self.http.request("POST", path, body=body, replay_safe=replay_safe)
        except ApiError as error:
            advice = advice_for(error.api_message) or STATUS_ADVICE.get(error.status)
            api_message = error.api_message
            if error.status == 404 and not _reads_as_api_text(api_message):
                # Apache's own page: the address is wrong, the API never saw the request.
                api_message = "the web server's 404 page, not an API reply"
            if advice:
                raise ApiError("POST", path, status=error.status,
                               api_message=api_message, reason=advice)
            raise
        if not isinstance(reply, dict) or "success" not in reply:
            raise ApiError("POST", path, reason="the reply is not Simotel's {success, message, data}")
        try:
            reply["success"] = to_bool(reply.get("success"))
        except ValueError:
            raise ApiError("POST", path, reason="the reply's success is neither 1 nor 0")
        return reply

    def call(self, service, body, replay_safe=False):
        """POST one service call and return its ``data``; ``success: 0`` raises ApiError with
        the server's message.

        Every Simotel call is a POST; ``replay_safe`` says whether this one may be replayed
        after a timeout or a busy reply (removing a member twice changes nothing).
        """
        reply = self.post(service, body, replay_safe=replay_safe)
        if not reply["success"]:
            raise ApiError("POST", service_path(service), api_message=self._message(reply),
                           reason="the server did not carry out the request")
        return reply.get("data")

    def batch(self, service, items, replay_safe=False):
        """POST ``{"agents": items}`` to a batch service and return the per-item answers
        (``data.Data``), a list of dicts.

        A batch is judged item by item: when the reply carries per-item answers, they are
        returned even if the envelope says ``success: 0`` (a server may flag a batch in
        which any item failed that way; each item's own ``ok`` tells what happened to it).
        ``success: 0`` without per-item answers raises ApiError with the server's message,
        and so does a successful reply without them (nothing could be told about any item).
        """
        reply = self.post(service, {"agents": list(items)}, replay_safe=replay_safe)
        answers = batch_answers(reply.get("data"))
        if answers is not None:
            return answers
        path = service_path(service)
        if not reply["success"]:
            raise ApiError("POST", path, api_message=self._message(reply),
                           reason="the server did not carry out the request")
        raise ApiError("POST", path, reason="the reply has no per-item results (data.Data)")

    def single(self, service, body, replay_safe=False):
        """POST one single-pair member call (``addagent``, ``removeagent``, ``pauseagent``,
        ``resumeagent``) and return its outcome ``(ok, message)``.

        The wiki shows the outcome in ``data``: ``{"success": 1, "message": "",
        "data": {"message": "Removed successfully", "ok": 1}}``. A failed operation may come
        back as ``data.ok: 0`` or as ``success: 0`` with the message in the envelope; both are
        ``(False, message)``. A successful envelope without a readable ``data.ok`` raises
        ApiError: nothing can be told about the pair.
        """
        reply = self.post(service, body, replay_safe=replay_safe)
        if not reply["success"]:
            return False, self._message(reply)
        data = reply.get("data")
        path = service_path(service)
        if not isinstance(data, dict) or data.get("ok") in (None, ""):
            raise ApiError("POST", path, reason="the reply has no outcome (data.ok)")
        try:
            ok = to_bool(data.get("ok"))
        except ValueError:
            raise ApiError("POST", path, reason="the reply's data.ok is neither 1 nor 0")
        message = data.get("message")
        return ok, self.mask("" if message is None else str(message))

    def ping(self):
        """``setting/ping/act``: checks the address and the credentials, changes nothing.
        Returns the server's message; any refusal raises ApiError with advice."""
        reply = self.post(PING_SERVICE, {}, replay_safe=True)
        if not reply["success"]:
            raise ApiError("POST", service_path(PING_SERVICE), api_message=self._message(reply),
                           reason="the server refused the ping")
        message = reply.get("message")
        return self.mask("" if message is None else str(message))

    def _message(self, reply):
        message = reply.get("message")
        if message in (None, ""):
            return "success: 0"
        return self.mask(message if isinstance(message, str) else str(message))


def advice_for(message):
    """What one of the server's documented error texts means, or None."""
    if not isinstance(message, str):
        return None
    for text, advice in MESSAGE_ADVICE:
        if text.lower() in message.lower():
            return advice
    return None


def _reads_as_api_text(message):
    return isinstance(message, str) and not message.lstrip().startswith("<")


def batch_add_item(queue, agent, source=None, penalty=None):
    """One item of ``batchaddagent``. The wiki's parameter table names the agent field
    ``agents``, its request example ``agent``: the item carries both, so that a server
    reading either finds it. ``source`` (required by the table) defaults to the agent, as in
    every example; ``penalty`` is sent as text, empty when not given."""
    agent = _text(agent)
    return {"queue": _text(queue), "source": _text(source) if source not in (None, "") else agent,
            "agent": agent, "agents": agent,
            "penalty": "" if penalty in (None, "") else _text(penalty)}


def answer_agent(answer):
    """The agent an answer is about: ``agent``, or ``agents`` as batchaddagent echoes it."""
    value = answer.get("agent")
    if value in (None, ""):
        value = answer.get("agents")
    return value


def member_key(queue, agent):
    """The text form of a (queue, agent) pair, as requests and answers are matched by."""
    return (_text(queue), _text(agent))


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def batch_answers(data):
    """The per-item answers of a batch reply's ``data``, or None when it has none.

    The documented shape is ``{"Data": [...], "ok": 1}``; a bare list and a lower-case
    ``data`` key are read the same way.
    """
    if isinstance(data, dict):
        for key in ("Data", "data"):
            if isinstance(data.get(key), list):
                return data[key]
        return None
    if isinstance(data, list):
        return data
    return None


def match_answers(pairs, answers):
    """For each requested ``(queue, agent)`` pair, the answer about it, or None.

    Answers are matched by their queue and agent text, so a server that reorders, skips or
    adds items cannot make one agent's outcome be reported as another's. An answer that
    names neither queue nor agent is taken for the request at its own position. Returns
    ``(matched, unexpected)``: ``matched`` lines up with ``pairs``; ``unexpected`` holds the
    answers about pairs that were not asked for.
    """
    by_key = {}
    by_position = {}
    for index, answer in enumerate(answers or []):
        if not isinstance(answer, dict):
            continue
        key = member_key(answer.get("queue"), answer_agent(answer))
        if key == ("", ""):
            by_position[index] = answer
        else:
            by_key.setdefault(key, []).append(answer)
    matched = []
    for index, pair in enumerate(pairs):
        found = by_key.get(member_key(*pair))
        if found:
            matched.append(found.pop(0))
        else:
            matched.append(by_position.pop(index, None))
    unexpected = [answer for found in by_key.values() for answer in found]
    return matched, unexpected


def compile_patterns(patterns):
    """Case-insensitive regular expressions; a bad one raises ValueError naming it."""
    compiled = []
    for index, pattern in enumerate(patterns or []):
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as error:
            raise ValueError("absent_patterns[%d] (%s) is not a valid regular expression: %s"
                             % (index, pattern, error))
    return compiled


def classify(answer, absent_patterns, done=REMOVED, unchanged=ABSENT, verb="remove"):
    """``(status, message)`` of one member from the server's answer about it.

    ``ok: 1`` is ``done`` (removed); ``ok: 0`` whose message matches one of
    ``absent_patterns`` (compiled) means there was nothing to do (the agent was not in the
    queue), so it is ``unchanged`` (absent); anything else failed. ``verb`` names the
    operation in the message of an item that failed without a reason.
    """
    if answer is None:
        return FAILED, "the server's reply has no result for this queue and agent"
    message = answer.get("message")
    message = "" if message is None else str(message)
    if answer.get("ok") in (None, ""):
        return FAILED, "the server's result has no ok: %s" % (message or "(no message)")
    try:
        ok = to_bool(answer.get("ok"))
    except ValueError:
        return FAILED, "the server's result has an unreadable ok (%s): %s" % (
            answer.get("ok"), message or "(no message)")
    if ok:
        return done, message
    if any(pattern.search(message) for pattern in absent_patterns):
        return unchanged, message
    return FAILED, message or "the server did not %s it and gave no reason" % verb


def chunks(items, size):
    """``items`` in consecutive lists of at most ``size``."""
    return [items[start:start + size] for start in range(0, len(items), size)]


def remove_members(client, pairs, batch_size, absent_patterns):
    """Remove ``(queue, agent)`` pairs with ``batchremoveagent``, ``batch_size`` at a time.

    Returns ``(results, batches, error, unexpected)``: one result dict per pair
    (``queue``, ``agent``, ``status``, ``message``); the number of requests sent; the
    ApiError that stopped the run, if any (the pairs of that batch and of every later one are
    then failed, marked as unknown or not sent); the answers about pairs not asked for.
    """
    return send_member_batches(
        client, BATCH_REMOVE_SERVICE, pairs, batch_size, absent_patterns,
        lambda pair: {"queue": pair[0], "agent": pair[1]})


def send_member_batches(client, service, pairs, batch_size, unchanged_patterns, item_of,
                        done=REMOVED, unchanged=ABSENT, verb="remove"):
    """Send ``(queue, agent)`` pairs to a batch member ``service``, ``batch_size`` at a time,
    each pair's request item built by ``item_of(pair)``; every batch may be replayed (a
    second add, removal, pause or resume of the same pair changes nothing more).

    Each answer is judged by ``classify`` with ``done``/``unchanged``; an ``unchanged``
    answer to a batch that was sent again after an attempt whose reply was lost counts as
    ``done`` and is marked ``replayed``: the lost attempt may have done it. Returns
    ``(results, batches, error, unexpected)`` as ``remove_members`` describes.
    """
    results = []
    unexpected = []
    batches = 0
    error = None
    for batch in chunks(list(pairs), batch_size):
        if error is not None:
            results.extend(_result(pair, FAILED, "not sent: an earlier batch failed")
                           for pair in batch)
            continue
        body = [item_of(pair) for pair in batch]
        batches += 1
        try:
            answers = client.batch(service, body, replay_safe=True)
        except ApiError as caught:
            error = caught
            message = _batch_error_text(caught, verb)
            results.extend(_result(pair, FAILED, message) for pair in batch)
            continue
        replayed = client.http.last_replayed
        matched, extra = match_answers(batch, answers)
        unexpected.extend(extra)
        for pair, answer in zip(batch, matched):
            status, message = classify(answer, unchanged_patterns, done, unchanged, verb)
            result = _result(pair, status, client.mask(message))
            if status == unchanged and replayed:
                # The first attempt may have done it; its reply was lost.
                result.update(status=done, message=REPLAYED_NOTE % (result["message"], done, done),
                              replayed=True)
            results.append(result)
    return results, batches, error, unexpected


PAST = {"remove": "removed", "add": "added", "pause": "paused", "resume": "resumed"}


def _batch_error_text(error, verb="remove"):
    """What a refused or failed request means for each of its pairs (the full error with its
    advice goes into the task's message once)."""
    detail = []
    if error.status is not None:
        detail.append("HTTP %s" % error.status)
    if error.api_message:
        detail.append(str(error.api_message))
    elif error.reason:
        detail.append(str(error.reason))
    if error.status is not None and 400 <= error.status < 500:
        return "not %s: the server refused the request: %s" % (
            PAST.get(verb, verb), ": ".join(detail))
    return "outcome unknown: the request failed: %s" % ": ".join(detail)


def _result(pair, status, message):
    return {"queue": pair[0], "agent": pair[1], "status": status, "message": message}
