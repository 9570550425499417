# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP core every API client of the collection is built on.

One ``requests.Session`` per module run (keep-alive), explicit TLS settings, retries by
urllib3's own machinery, and one error type that never carries a secret.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import traceback

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import MaxRetryError, ProtocolError
    from urllib3.util.retry import Retry
except ImportError:  # pragma: no cover - exercised through missing_required_lib
    requests = None
    HTTPAdapter = object
    Retry = MaxRetryError = ProtocolError = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.six.moves.urllib.parse import urlparse

from ansible_collections.telephony.callcenter.plugins.module_utils.controller import controller_gone
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import mask_text

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
        max_concurrent_writes=dict(type="int", default=4),
    )
    return spec


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


class _ReplayAwareAdapter(HTTPAdapter):
    """Chooses the retry rule per request from the ``replay_safe`` mark the client sets.

    requests hands the same PreparedRequest object to the adapter, and a module run is
    single-threaded, so switching ``max_retries`` here is safe.
    """

    def __init__(self, retries):
        self._replay_safe = _build_retry(retries, True)
        self._connect_only = _build_retry(retries, False)
        super(_ReplayAwareAdapter, self).__init__(max_retries=self._connect_only)

    def send(self, request, **kwargs):  # pylint: disable=arguments-differ
        safe = getattr(request, "replay_safe", request.method in REPLAY_SAFE_METHODS)
        self.max_retries = self._replay_safe if safe else self._connect_only
        return super(_ReplayAwareAdapter, self).send(request, **kwargs)


def _closed_before_reply(exc):
    """Whether the request was sent and the server hung up instead of answering, as opposed to
    a connection that never opened."""
    cause = exc.args[0] if exc.args else None
    if isinstance(cause, MaxRetryError):
        cause = cause.reason
    return isinstance(cause, ProtocolError)


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
                 headers=None, auth=None, secrets=()):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
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
        adapter = _ReplayAwareAdapter(int(retries))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def add_secret(self, value):
        if value:
            self.secrets.append(value)

    def request(self, method, path, body=None, params=None, replay_safe=None, ok_statuses=()):
        """Send one request and return ``(status, decoded JSON or None)``.

        Any status outside 2xx and ``ok_statuses`` raises ApiError.
        """
        method = method.upper()
        if controller_gone():
            raise ApiError(method, path, reason="not sent: the ansible-playbook that started this "
                                                "run is gone (killed), so nothing more is sent")
        prepared = self.session.prepare_request(requests.Request(
            method, self.base_url + path, params=params, json=body))
        if replay_safe is not None:
            prepared.replay_safe = replay_safe
        try:
            response = self.session.send(prepared, timeout=self.timeout, verify=self.verify,
                                         allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            raise ApiError(method, path, reason="TLS error: %s; check validate_certs and ca_path"
                           % self._clean(exc))
        except requests.exceptions.Timeout:
            raise ApiError(method, path, reason="no reply within %s seconds" % self.timeout)
        except requests.exceptions.ConnectionError as exc:
            if _closed_before_reply(exc):
                raise ApiError(method, path, reason="the connection closed before the reply came; "
                                                    "the request may have been applied")
            raise ApiError(method, path, reason="cannot reach %s: %s"
                           % (self.shown_url, self._clean(exc)))
        except requests.exceptions.RequestException as exc:
            raise ApiError(method, path, reason=self._clean(exc))
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
