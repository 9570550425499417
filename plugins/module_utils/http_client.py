# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP core every API client of the collection is built on.

One ``requests.Session`` per module run (keep-alive), explicit TLS settings, retries by
urllib3's own machinery, and one error type that never carries a secret.

``timeout`` is a deadline for each attempt, from the connection to the last byte of the reply:
every read from the socket waits at most for the time left, so a server that sends its headers
and then trickles the body cannot hold a task longer than that. A reply is read in chunks and
refused once it is larger than ``max_reply_size``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import io
import json
import os
import socket
import threading
import time
import traceback

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import (
        ConnectTimeoutError,
        MaxRetryError,
        ProtocolError,
        ReadTimeoutError,
    )
    from urllib3.util.retry import Retry
except ImportError:  # pragma: no cover - exercised through missing_required_lib
    requests = None
    HTTPAdapter = object
    Retry = MaxRetryError = ProtocolError = ReadTimeoutError = ConnectTimeoutError = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.six.moves import http_client as httplib
from ansible.module_utils.six.moves.urllib.parse import urlparse

from ansible_collections.telephony.callcenter.plugins.module_utils.controller import controller_gone
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import mask_text

# Requests in flight at once (max_concurrent_writes): a handful, as a browser on the server's
# web console sends.
DEFAULT_IN_FLIGHT = 4
# Statuses that say "try again later" without the request having been processed.
RETRY_STATUSES = frozenset((429, 502, 503, 504))
# "Too many requests" means the request was not processed: retried for every method, after
# the Retry-After the server asks for. (A 502/503/504 to a write may come from a proxy after
# the server applied it, so those are retried only for requests that are safe to replay.)
RETRY_STATUSES_ANY_METHOD = frozenset((429,))
# Methods whose replay cannot change the outcome. A request can override this (a PUT that
# toggles a flag is not idempotent; a Simotel POST that removes members is).
REPLAY_SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "PUT", "DELETE"))
BACKOFF_FACTOR = 0.5
BACKOFF_JITTER = 0.3
# A server may ask for a long pause; a playbook should fail rather than hang for hours.
RETRY_AFTER_MAX = 120
# The largest reply read, in MiB, unless max_reply_size says otherwise: a list of 10,000
# agents in one reply is about 7 MiB (7,247,156 bytes from the simulator, 724 bytes an agent).
DEFAULT_MAX_REPLY_MB = 64
MIB = 1024 * 1024
# Bytes asked of the socket at a time while a reply's body is read.
READ_CHUNK = 64 * 1024
# What is said of a request whose outcome is unknown: it reached the server, no whole reply came.
MAY_HAVE_BEEN_APPLIED = "the request may have been applied"
# Methods that only read, whose failure needs no warning that they may have been applied.
READ_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))


def connection_spec(prefix, url, secret_options=(), plain_options=()):
    """The connection options of a server's modules: ``<prefix>_url``, its credentials, and
    the transport options every server shares, each falling back to an environment variable
    named like the option in upper case."""
    def option(name, **spec):
        return dict(spec, fallback=(env_fallback, [name.upper()]))

    spec = {url: option(url, type="str", required=True)}
    spec.update((name, option(name, type="str", no_log=True)) for name in secret_options)
    spec.update((name, option(name, type="str")) for name in plain_options)
    spec.update(
        validate_certs=option(prefix + "_validate_certs", type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="int", default=30),
        retries=dict(type="int", default=3),
        max_concurrent_writes=dict(type="int", default=DEFAULT_IN_FLIGHT),
        max_reply_size=dict(type="int", default=DEFAULT_MAX_REPLY_MB),
    )
    return spec


def requests_at_once(params, default=1):
    """The task's max_concurrent_writes from module ``params``: its requests in flight."""
    return int(params.get("max_concurrent_writes") or default)


def may_have_been_applied(reason):
    """``reason`` for a request that reached the server and got no whole reply."""
    return "%s; %s" % (reason, MAY_HAVE_BEEN_APPLIED)


class ApiError(Exception):
    """A failed API call: method, path, HTTP status and the API's own message, nothing else.

    Never built from headers or request bodies, so it cannot carry a token or a password.
    """

    def __init__(self, method, path, status=None, api_message=None, reason=None):
        self.method = method
        self.path = path
        self.status = status
        self.api_message = api_message
        self.reason = reason
        super(ApiError, self).__init__(self.describe())

    def describe(self):
        text = "%s %s failed" % (self.method, self.path)
        if self.status is not None:
            text += ": HTTP %s" % self.status
        if self.api_message:
            text += ": %s" % self.api_message
        if self.reason:
            text += " (%s)" % self.reason
        return text


def _build_retry(total, replay_safe):
    """A urllib3 Retry: connection errors always; read errors and busy statuses only when the
    request is safe to replay, since a request that timed out may already have been applied."""
    options = dict(
        total=total,
        connect=total,
        # read=False re-raises a read error at once instead of counting it.
        read=total if replay_safe else False,
        status=total,
        other=0,
        redirect=0,
        allowed_methods=None,
        status_forcelist=RETRY_STATUSES if replay_safe else RETRY_STATUSES_ANY_METHOD,
        backoff_factor=BACKOFF_FACTOR,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )
    newer = dict(backoff_jitter=BACKOFF_JITTER, retry_after_max=RETRY_AFTER_MAX)
    kind = Retry if replay_safe else _NotProcessedOnlyRetry
    try:
        return kind(**dict(options, **newer))
    except TypeError:  # urllib3 < 2.x knows neither jitter nor a Retry-After cap
        return kind(**options)


class _NotProcessedOnlyRetry(Retry or object):
    """The retry rule of a request that must not be replayed once the server may have applied
    it: urllib3 would also retry a 503 (or 413) that carries Retry-After, whatever the status
    list says, and a 503 from a proxy may come after the server applied the request."""

    RETRY_AFTER_STATUS_CODES = RETRY_STATUSES_ANY_METHOD


# The attempt in flight on this thread: the request's timeout, how many attempts it has made,
# and the monotonic time by which the current one must have read its last byte. urllib3
# makes its attempts on the thread that sends the request, and reads run in threads.
_ATTEMPT = threading.local()


def _attempt_starts():
    timeout = getattr(_ATTEMPT, "timeout", None)
    if timeout is not None:
        _ATTEMPT.count += 1
        _ATTEMPT.deadline = time.monotonic() + timeout


def _time_left():
    deadline = getattr(_ATTEMPT, "deadline", None)
    return None if deadline is None else deadline - time.monotonic()


class _DeadlineReader(io.RawIOBase):
    """A socket's reading end whose every read waits at most for the time left to the
    attempt's deadline (a socket timeout alone bounds each read, not the reply)."""

    def __init__(self, sock):
        super(_DeadlineReader, self).__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)

    def readable(self):
        return True

    def fileno(self):
        return self._raw.fileno()

    def readinto(self, buffer):
        left = _time_left()
        if left is None:
            return self._raw.readinto(buffer)
        if left <= 0:
            raise socket.timeout("timed out")
        before = self._sock.gettimeout()
        self._sock.settimeout(left if before is None else min(left, before))
        try:
            return self._raw.readinto(buffer)
        finally:
            try:
                self._sock.settimeout(before)
            except OSError:  # closed meanwhile
                pass

    def close(self):
        if not self.closed:
            self._raw.close()
        super(_DeadlineReader, self).close()


class _DeadlineSocket(object):
    """What http.client's response asks of a socket: a buffered file to read from."""

    def __init__(self, sock):
        self._sock = sock

    def makefile(self, mode, *args, **kwargs):  # pylint: disable=unused-argument
        return io.BufferedReader(_DeadlineReader(self._sock))


class _DeadlineHTTPResponse(httplib.HTTPResponse):
    def __init__(self, sock, *args, **kwargs):
        super(_DeadlineHTTPResponse, self).__init__(_DeadlineSocket(sock), *args, **kwargs)


class _AttemptDeadlines(object):
    """Mixed into urllib3's connection pools: each attempt (urllib3 makes one per call of
    ``_make_request``, connecting first when it must) starts its deadline, and its reply is
    read through a _DeadlineReader."""

    def _make_request(self, conn, *args, **kwargs):
        _attempt_starts()
        conn.response_class = _DeadlineHTTPResponse
        return super(_AttemptDeadlines, self)._make_request(conn, *args, **kwargs)


_DEADLINE_POOLS = {}


def _with_attempt_deadlines(manager):
    """``manager``'s connection pools, with attempt deadlines (also for proxies)."""
    classes = {}
    for scheme, pool in manager.pool_classes_by_scheme.items():
        if not issubclass(pool, _AttemptDeadlines):
            if pool not in _DEADLINE_POOLS:
                _DEADLINE_POOLS[pool] = type("Deadline" + pool.__name__, (_AttemptDeadlines, pool), {})
            pool = _DEADLINE_POOLS[pool]
        classes[scheme] = pool
    manager.pool_classes_by_scheme = classes
    return manager


class _ReplayAwareAdapter(HTTPAdapter):
    """Chooses the retry rule per request from the ``replay_safe`` mark the client sets, and
    gives every attempt its deadline.

    The rule is kept per thread (reads run in parallel threads). A request that carries
    ``retry_state`` goes on from it: it is sent again after an attempt that failed while its
    body was read, so that attempts and backoff keep counting across urllib3's own loop.
    """

    def __init__(self, retries, connections):
        self._chosen = threading.local()
        self._replay_safe = _build_retry(retries, True)
        self._connect_only = _build_retry(retries, False)
        # One kept-alive connection per request the client may have in flight: none waits for
        # a connection, and none is opened only to be thrown away after its request.
        super(_ReplayAwareAdapter, self).__init__(max_retries=self._connect_only,
                                                  pool_maxsize=connections)

    @property
    def max_retries(self):
        return getattr(self._chosen, "retry", self._connect_only)

    @max_retries.setter
    def max_retries(self, value):
        self._chosen.retry = value

    def init_poolmanager(self, *args, **kwargs):  # pylint: disable=arguments-differ
        super(_ReplayAwareAdapter, self).init_poolmanager(*args, **kwargs)
        _with_attempt_deadlines(self.poolmanager)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        return _with_attempt_deadlines(
            super(_ReplayAwareAdapter, self).proxy_manager_for(proxy, **proxy_kwargs))

    def send(self, request, **kwargs):  # pylint: disable=arguments-differ
        safe = getattr(request, "replay_safe", request.method in REPLAY_SAFE_METHODS)
        self.max_retries = (getattr(request, "retry_state", None)
                            or (self._replay_safe if safe else self._connect_only))
        return super(_ReplayAwareAdapter, self).send(request, **kwargs)


def _cause_of(exc):
    """The urllib3 error under a requests exception (through urllib3's MaxRetryError), or
    ``exc`` itself."""
    cause = exc
    while isinstance(cause, (requests.exceptions.RequestException, MaxRetryError)):
        inner = cause.reason if isinstance(cause, MaxRetryError) else (
            cause.args[0] if cause.args else None)
        if not isinstance(inner, BaseException):
            break
        cause = inner
    return cause


def _replayed_after_possible_effect(response):
    """Whether urllib3 sent this request more than once after an attempt that reached the
    server (a lost reply, a 5xx from a proxy); a connection that never opened, or a 429, left
    the server untouched."""
    retries = getattr(getattr(response, "raw", None), "retries", None)
    for attempt in getattr(retries, "history", None) or ():
        if attempt.status in RETRY_STATUSES_ANY_METHOD:
            continue
        if attempt.status is not None or not _never_connected(attempt.error):
            return True
    return False


def _never_connected(error):
    return error is not None and type(error).__name__ in ("NewConnectionError", "ConnectTimeoutError")


def api_message_of(reply):
    """The API's own explanation from an error reply body, if it gave one."""
    if isinstance(reply, dict):
        for key in ("message", "error_text", "error", "msg"):
            value = reply.get(key)
            if value not in (None, ""):
                return value if isinstance(value, str) else json.dumps(value)
    return None


class HttpClient:
    """A keep-alive session bound to one base URL.

    ``secrets`` are the secret values this run knows (passwords, tokens); any text taken from
    the server is masked against them before it can reach an error message.
    """

    def __init__(self, base_url, timeout=30, validate_certs=True, ca_path=None, retries=3,
                 headers=None, auth=None, secrets=(), max_reply_size=None, max_in_flight=None):
        self.base_url = base_url.rstrip("/")
        # One bound on the requests this run has in flight at once, however many threads
        # (reads of several lists, each reading its pages, writes) share the client.
        in_flight = max(1, int(max_in_flight or DEFAULT_IN_FLIGHT))
        self._in_flight = threading.BoundedSemaphore(in_flight)
        self.timeout = timeout
        self.retries = int(retries)
        # In MiB; None: the default.
        self.max_reply_size = max_reply_size or DEFAULT_MAX_REPLY_MB
        # Passed on every request, so that validate_certs=false is never overridden by the
        # environment; with validation on and no ca_path, a corporate CA bundle named by
        # REQUESTS_CA_BUNDLE or SSL_CERT_FILE is honoured as requests users expect.
        if validate_certs:
            self.verify = (ca_path or os.environ.get("REQUESTS_CA_BUNDLE")
                           or os.environ.get("SSL_CERT_FILE") or True)
        else:
            self.verify = False
        self.secrets = [s for s in secrets if s]
        parts = urlparse(self.base_url)
        if parts.password:
            # http://user:pw@host: the password and the whole userinfo are secrets.
            self.secrets.extend([parts.password, parts.netloc.rsplit("@", 1)[0]])
        self.shown_url = self.base_url.replace(parts.netloc, parts.netloc.rsplit("@", 1)[-1], 1)
        if auth:
            basic = "%s:%s" % auth
            self.secrets.append(base64.b64encode(basic.encode("utf-8")).decode("ascii"))
        # Whether the last request was sent again after an attempt that may have been applied.
        self.last_replayed = False
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/json"})
        self.session.headers.update(headers or {})
        self.session.auth = auth
        adapter = _ReplayAwareAdapter(int(retries), in_flight)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def add_secret(self, value):
        if value:
            self.secrets.append(value)

    def request(self, method, path, body=None, params=None, replay_safe=None, ok_statuses=()):
        """Send one request and return ``(status, decoded JSON or None)``.

        Any status outside 2xx and ``ok_statuses`` raises ApiError. Each attempt must have
        read the whole reply within ``timeout`` seconds of its start.
        """
        method = method.upper()
        if controller_gone():
            raise ApiError(method, path, reason="not sent: the ansible-playbook that started this "
                                                "run is gone (killed), so nothing more is sent")
        prepared = self.session.prepare_request(requests.Request(
            method, self.base_url + path, params=params, json=body))
        if replay_safe is not None:
            prepared.replay_safe = replay_safe
        safe = replay_safe if replay_safe is not None else method in REPLAY_SAFE_METHODS
        _ATTEMPT.timeout, _ATTEMPT.count, _ATTEMPT.deadline = self.timeout, 0, None
        try:
            with self._in_flight:
                response = self._exchange(prepared, method, path, safe)
        finally:
            _ATTEMPT.timeout = _ATTEMPT.deadline = None
        try:
            reply = response.json() if response.content else None
            parsed = True
        except ValueError:
            reply, parsed = None, False
        if not (200 <= response.status_code < 300 or response.status_code in ok_statuses):
            message = api_message_of(reply)
            if message is None and response.text:
                # Masked before it is cut, so that no part of a secret survives the cut.
                message = mask_text(response.text, self.secrets)[:200]
            raise ApiError(method, path, status=response.status_code,
                           api_message=mask_text(message, self.secrets),
                           reason=self._path_hint(response.status_code))
        self.last_replayed = _replayed_after_possible_effect(response)
        if not parsed:
            # A proxy's login page or a cut-off reply: never read as "nothing there".
            raise ApiError(method, path, status=response.status_code, reason=(
                "the reply is not JSON (Content-Type %s): something other than the API "
                "answered, or the reply was cut off"
                % (response.headers.get("Content-Type") or "not given")))
        return response.status_code, reply

    def _exchange(self, prepared, method, path, safe):
        """The response with its whole body read, after urllib3's retries, and after sending
        again a request that is safe to replay when its body could not be read in time."""
        while True:
            try:
                response = self.session.send(prepared, stream=True, verify=self.verify,
                                             timeout=(self.timeout, self.timeout),
                                             allow_redirects=False)
            except requests.exceptions.RequestException as exc:
                raise self._failure(method, path, exc, safe)
            try:
                cause = self._read_body(response, method, path)
            finally:
                response.close()
            if cause is None:
                return response
            retries = getattr(response.raw, "retries", None)
            if not safe or retries is None:
                raise self._failure(method, path, cause, safe)
            try:
                prepared.retry_state = retries.increment(method, path, error=cause)
            except MaxRetryError:
                raise self._failure(method, path, cause, safe)
            prepared.retry_state.sleep()

    def _read_body(self, response, method, path):
        """Read the body into the response, refusing one larger than ``max_reply_size``
        (by its Content-Length before reading, else as it comes); the urllib3 error that
        cut it off, if one did."""
        limit = self.max_reply_size * MIB
        try:
            too_large = int(response.headers.get("Content-Length") or 0) > limit
        except ValueError:
            too_large = False
        chunks, size = [], 0
        try:
            for chunk in () if too_large else response.iter_content(READ_CHUNK):
                size += len(chunk)
                if size > limit:
                    too_large = True
                    break
                chunks.append(chunk)
        except (requests.exceptions.ConnectionError,
                requests.exceptions.ChunkedEncodingError) as exc:
            return _cause_of(exc)
        except requests.exceptions.RequestException as exc:  # a body that does not decode
            raise ApiError(method, path, reason=self._clean(exc))
        if too_large:
            reason = ("the reply from %s is larger than max_reply_size %s MiB (%d bytes); "
                      "raise max_reply_size if the server's replies really are that large"
                      % (self.shown_url, self.max_reply_size, limit))
            status = response.status_code
            raise ApiError(method, path, status=None if 200 <= status < 300 else status,
                           reason=reason if method in READ_METHODS else may_have_been_applied(reason))
        # requests' own decoding (encoding, JSON) then works on what was read.
        response._content = b"".join(chunks)  # pylint: disable=protected-access
        return None

    def _failure(self, method, path, exc, safe):
        """The ApiError of a request that got no whole reply: ``exc`` is a requests exception
        or the urllib3 error that cut off a body."""
        cause = _cause_of(exc)
        attempts = getattr(_ATTEMPT, "count", 0) or 1
        # A connection that never opened is retried for every method; a reply that did not
        # come whole, only for requests that are safe to replay.
        of_all = "attempt %d of %d" % (attempts, self.retries + 1)
        counted = of_all if safe else "attempt %d, not repeated" % attempts
        if isinstance(exc, requests.exceptions.SSLError):
            return ApiError(method, path, reason="TLS error: %s; check validate_certs and ca_path"
                            % self._clean(exc))
        if isinstance(cause, ConnectTimeoutError) or isinstance(
                exc, requests.exceptions.ConnectTimeout):
            return ApiError(method, path, reason="cannot reach %s: no connection within timeout "
                            "%g s, %s" % (self.shown_url, self.timeout, of_all))
        if isinstance(cause, ReadTimeoutError) or isinstance(exc, requests.exceptions.Timeout):
            reason = ("no complete reply from %s within timeout %g s, %s"
                      % (self.shown_url, self.timeout, counted))
            return ApiError(method, path, reason=reason if method in READ_METHODS
                            else may_have_been_applied(reason))
        if isinstance(cause, ProtocolError):
            return ApiError(method, path, reason=may_have_been_applied(
                "the connection closed before the reply came"))
        if isinstance(exc, requests.exceptions.ConnectionError):
            return ApiError(method, path, reason="cannot reach %s: %s"
                            % (self.shown_url, self._clean(exc)))
        return ApiError(method, path, reason=self._clean(exc))

    def _path_hint(self, status):
        path = urlparse(self.base_url).path
        if status == 404 and path not in ("", "/"):
            return ("the URL has the path %s: give the server's base URL, for example "
                    "https://pbx.example.com:8081, without a path" % path)
        return None

    def _clean(self, exc):
        """An exception's text, with the exception class when it is the only clue."""
        reason = exc.args[0] if exc.args else exc
        inner = getattr(reason, "reason", None)
        text = str(inner if inner is not None else reason)
        return mask_text(text, self.secrets)
