"""Test control shared by both simulated servers: ``/_sim/`` routes, request
statistics, injected faults and quirk switches.

Each server has one :class:`ControlState`.  :class:`ControlMiddleware` wraps the
server's WSGI application: it counts every API request, applies the faults
whose route matches, and leaves ``/_sim/`` requests alone (they are neither
counted nor faulted).  The ``/_sim/`` routes themselves are a Flask blueprint
registered on both applications; they answer loopback clients only.

JSON formats::

    GET    /_sim/stats   -> {"total": N, "writes": W,
                             "requests": {"GET /api/users/<id>": 3, ...}}
    POST   /_sim/reset   -> {"reset": true}
    POST   /_sim/faults  <- a fault spec; -> 201 the stored fault (spec + id,
                                            remaining, matched, applied)
    GET    /_sim/faults  -> {"faults": [fault, ...]}
    DELETE /_sim/faults  -> {"faults": []}
    GET    /_sim/config  -> the whole config object
    POST   /_sim/config  <- some config keys; -> the whole config object
"""

import copy
import json
import random
import re
import socket
import threading
import time

from flask import Blueprint, current_app, jsonify, request

from .settings import is_loopback_client

EXTENSION_KEY = "sim_control"

FAULT_FIELDS = ("route", "count", "ratio", "seed", "status", "body", "retry_after",
                "latency", "drop", "expire_token", "after_handling")


class FaultError(ValueError):
    """A fault spec or config value that cannot be used."""


class ConfigOption:
    """One quirk switch of ``/_sim/config``: its default and how to check a value."""

    def __init__(self, default, check, help_text):
        self.default = default
        self.check = check
        self.help = help_text


def check_bool(name, value):
    if not isinstance(value, bool):
        raise FaultError("%s must be true or false" % name)
    return value


def check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FaultError("%s must be a positive integer" % name)
    return value


def check_choice(*choices):
    """A check that accepts exactly one of the strings ``choices``."""
    def check(name, value):
        if value not in choices:
            raise FaultError("%s must be one of %s" % (name, ", ".join(
                json.dumps(choice) for choice in choices)))
        return value
    return check


def check_string_list(name, value):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FaultError("%s must be a list of strings" % name)
    return value


class Fault:
    """An injected fault, as stored after ``POST /_sim/faults``."""

    def __init__(self, fault_id, spec, allow_expire_token):
        if not isinstance(spec, dict):
            raise FaultError("a fault spec is a JSON object")
        unknown = sorted(set(spec) - set(FAULT_FIELDS))
        if unknown:
            raise FaultError("unknown fault field(s): %s" % ", ".join(unknown))
        self.id = fault_id
        self.route = spec.get("route", ".*")
        if not isinstance(self.route, str):
            raise FaultError("route must be a regular expression string")
        try:
            self.pattern = re.compile(self.route)
        except re.error as exc:
            raise FaultError("route is not a valid regular expression: %s" % exc)
        self.count = spec.get("count")
        if self.count is not None:
            check_positive_int("count", self.count)
        self.ratio = spec.get("ratio")
        if self.ratio is not None:
            if isinstance(self.ratio, bool) or not isinstance(self.ratio, (int, float)) \
                    or not 0 <= self.ratio <= 1:
                raise FaultError("ratio must be a number from 0 to 1")
        self.seed = spec.get("seed")
        if self.seed is not None and (isinstance(self.seed, bool)
                                      or not isinstance(self.seed, (int, str))):
            raise FaultError("seed must be an integer or a string")
        self.rng = random.Random(self.seed)
        self.status = spec.get("status")
        if self.status is not None:
            if isinstance(self.status, bool) or not isinstance(self.status, int) \
                    or not 100 <= self.status <= 599:
                raise FaultError("status must be an HTTP status code")
        self.body = spec.get("body")
        self.retry_after = spec.get("retry_after")
        if self.retry_after is not None:
            if isinstance(self.retry_after, bool) or not isinstance(self.retry_after, (int, float)) \
                    or self.retry_after < 0:
                raise FaultError("retry_after must be a number of seconds")
            if self.status is None:
                self.status = 503
        self.latency = spec.get("latency", 0) or 0
        if isinstance(self.latency, bool) or not isinstance(self.latency, (int, float)) \
                or not 0 <= self.latency <= 120:
            raise FaultError("latency must be a number of seconds from 0 to 120")
        self.drop = check_bool("drop", spec.get("drop", False))
        self.expire_token = check_bool("expire_token", spec.get("expire_token", False))
        if self.expire_token and not allow_expire_token:
            raise FaultError("expire_token only applies to the XSwitch server")
        self.after_handling = check_bool("after_handling", spec.get("after_handling", False))
        if self.drop and self.status is not None:
            raise FaultError("a fault either drops the connection or answers a status")
        if self.after_handling and not (self.drop or self.status is not None):
            raise FaultError("after_handling needs status or drop")
        if not (self.drop or self.status is not None or self.latency or self.expire_token):
            raise FaultError("a fault needs an effect: status, retry_after, latency, drop"
                             " or expire_token")
        self.remaining = self.count
        self.matched = 0
        self.applied = 0

    def triggers(self, target):
        """Whether this fault applies to the request ``target`` ("METHOD /path").
        Called under the state's lock."""
        if not self.pattern.search(target):
            return False
        if self.remaining is not None and self.remaining <= 0:
            return False
        self.matched += 1
        if self.ratio is not None and self.rng.random() >= self.ratio:
            return False
        if self.remaining is not None:
            self.remaining -= 1
        self.applied += 1
        return True

    def as_json(self):
        return {
            "id": self.id,
            "route": self.route,
            "count": self.count,
            "ratio": self.ratio,
            "seed": self.seed,
            "status": self.status,
            "body": self.body,
            "retry_after": self.retry_after,
            "latency": self.latency,
            "drop": self.drop,
            "expire_token": self.expire_token,
            "after_handling": self.after_handling,
            "remaining": self.remaining,
            "matched": self.matched,
            "applied": self.applied,
        }


class ControlState:
    """Statistics, faults and config of one simulated server."""

    def __init__(self, name, options, reset_data, expire_tokens=None, is_write=None,
                 initial_config=None):
        self.name = name
        self.options = options
        # Config values that replace the defaults at start and on every reset.
        self.initial_config = self._checked_config(initial_config or {})
        self.reset_data = reset_data
        self.expire_tokens = expire_tokens
        self.is_write = is_write or (lambda method, key: method in ("POST", "PUT", "DELETE"))
        self.lock = threading.Lock()
        self.next_fault_id = 1
        self.faults = []
        self.total = 0
        self.writes = 0
        self.requests = {}
        self.config = {}
        self.reset_config()

    # -- statistics -------------------------------------------------------
    def count(self, method, key):
        with self.lock:
            self.total += 1
            if self.is_write(method, key):
                self.writes += 1
            name = "%s %s" % (method, key)
            self.requests[name] = self.requests.get(name, 0) + 1

    def stats(self):
        with self.lock:
            return {"total": self.total, "writes": self.writes,
                    "requests": dict(sorted(self.requests.items()))}

    # -- faults -----------------------------------------------------------
    def add_fault(self, spec):
        with self.lock:
            fault = Fault(self.next_fault_id, spec, self.expire_tokens is not None)
            self.next_fault_id += 1
            self.faults.append(fault)
            return fault.as_json()

    def list_faults(self):
        with self.lock:
            return [f.as_json() for f in self.faults]

    def clear_faults(self):
        with self.lock:
            self.faults = []

    def triggered_faults(self, target):
        """The faults that act on this request: the ones that only delay or expire tokens, up
        to the first one that answers. Faults behind that one stay unspent for later requests."""
        acting = []
        with self.lock:
            for fault in self.faults:
                if fault.triggers(target):
                    acting.append(fault)
                    if fault.drop or fault.status is not None:
                        break
        return acting

    # -- config -----------------------------------------------------------
    def reset_config(self):
        self.config = {name: copy.deepcopy(opt.default) for name, opt in self.options.items()}
        self.config.update(copy.deepcopy(self.initial_config))

    def _checked_config(self, changes):
        if not isinstance(changes, dict):
            raise FaultError("config is a JSON object")
        checked = {}
        for name, value in changes.items():
            if name not in self.options:
                raise FaultError("unknown config key %r; known: %s"
                                 % (name, ", ".join(sorted(self.options))))
            checked[name] = self.options[name].check(name, value)
        return checked

    def update_config(self, changes):
        checked = self._checked_config(changes)
        with self.lock:
            self.config.update(checked)
            return copy.deepcopy(self.config)

    def get_config(self):
        with self.lock:
            return copy.deepcopy(self.config)

    def setting(self, name):
        with self.lock:
            return copy.deepcopy(self.config[name])

    # -- reset ------------------------------------------------------------
    def reset(self):
        self.reset_data()
        with self.lock:
            self.faults = []
            self.next_fault_id = 1
            self.total = 0
            self.writes = 0
            self.requests = {}
            self.reset_config()


def is_control_path(path):
    return path == "/_sim" or path.startswith("/_sim/")


class ControlMiddleware:
    """WSGI wrapper that counts requests and applies faults."""

    def __init__(self, app, state, route_key, fault_body):
        self.app = app
        self.state = state
        self.route_key = route_key
        self.fault_body = fault_body

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "") or "/"
        if is_control_path(path):
            return self.app(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET").upper()
        self.state.count(method, self.route_key(environ))
        faults = self.state.triggered_faults("%s %s" % (method, path))
        if not faults:
            return self.app(environ, start_response)

        latency = sum(f.latency for f in faults)
        if latency:
            time.sleep(latency)
        if any(f.expire_token for f in faults) and self.state.expire_tokens:
            self.state.expire_tokens()
        outcome = next((f for f in faults if f.drop or f.status is not None), None)
        if outcome is None:
            return self.app(environ, start_response)
        if outcome.after_handling:
            self._run_to_completion(environ)
        if outcome.drop:
            return self._drop(environ, start_response)
        return self._answer(outcome, start_response)

    def _run_to_completion(self, environ):
        """Handle the request fully (its changes are stored) and discard the reply."""
        def discard_start_response(status, headers, exc_info=None):
            return lambda data: None

        result = self.app(environ, discard_start_response)
        try:
            for _chunk in result:
                pass
        finally:
            close = getattr(result, "close", None)
            if close:
                close()

    @staticmethod
    def _drop(environ, start_response):
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        # Whatever the server writes next fails on the closed socket, and the
        # server treats that as a client that went away.
        start_response("500 Connection Dropped", [("Content-Length", "0")])
        return [b""]

    def _answer(self, fault, start_response):
        status = fault.status
        body = fault.body
        if body is None:
            body = self.fault_body(status)
        if isinstance(body, str):
            payload = body.encode("utf-8")
            ctype = "text/html; charset=utf-8" if body.lstrip().startswith("<") \
                else "text/plain; charset=utf-8"
        else:
            payload = json.dumps(body).encode("utf-8")
            ctype = "application/json"
        headers = [("Content-Type", ctype), ("Content-Length", str(len(payload)))]
        if fault.retry_after is not None:
            retry = fault.retry_after
            headers.append(("Retry-After", str(int(retry) if float(retry).is_integer() else retry)))
        reason = _REASONS.get(status, "Simulated Fault")
        start_response("%d %s" % (status, reason), headers)
        return [payload]


_REASONS = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 408: "Request Timeout", 409: "Conflict",
    415: "Unsupported Media Type", 429: "Too Many Requests",
    500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout",
}


# ---------------------------------------------------------------------------
# /_sim/ routes
# ---------------------------------------------------------------------------

blueprint = Blueprint("sim_control", __name__, url_prefix="/_sim")


def state():
    return current_app.extensions[EXTENSION_KEY]


def _error(status, message):
    return jsonify({"error": message}), status


def _json_body():
    data = request.get_json(force=True, silent=True)
    if data is None and request.get_data():
        raise FaultError("the body is not valid JSON")
    return {} if data is None else data


@blueprint.before_request
def _loopback_only():
    if not is_loopback_client(request.remote_addr):
        return _error(403, "/_sim/ answers loopback clients only")
    return None


@blueprint.route("/stats", methods=["GET"])
def stats_view():
    return jsonify(state().stats())


@blueprint.route("/reset", methods=["POST"])
def reset_view():
    state().reset()
    return jsonify({"reset": True})


@blueprint.route("/faults", methods=["GET"])
def faults_list_view():
    return jsonify({"faults": state().list_faults()})


@blueprint.route("/faults", methods=["POST"])
def faults_add_view():
    try:
        fault = state().add_fault(_json_body())
    except FaultError as exc:
        return _error(400, str(exc))
    return jsonify(fault), 201


@blueprint.route("/faults", methods=["DELETE"])
def faults_clear_view():
    state().clear_faults()
    return jsonify({"faults": []})


@blueprint.route("/config", methods=["GET"])
def config_get_view():
    return jsonify(state().get_config())


@blueprint.route("/config", methods=["POST"])
def config_set_view():
    try:
        return jsonify(state().update_config(_json_body()))
    except FaultError as exc:
        return _error(400, str(exc))


def install(app, control_state, route_key, fault_body):
    """Register the /_sim/ routes on ``app`` and wrap it in the middleware."""
    app.extensions[EXTENSION_KEY] = control_state
    app.register_blueprint(blueprint)
    app.wsgi_app = ControlMiddleware(app.wsgi_app, control_state, route_key, fault_body)
    return app
