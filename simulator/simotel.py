"""The Simotel API v4, queue-agent services (described in ``docs/api/simotel.md``;
the vendor document is in Persian).

Every call is ``POST /api/v4/<service>`` with a JSON body; the path is matched
case-insensitively (the vendor document writes ``/API/v4/``) and so is the
Content-Type (the vendor document sends ``application/JSON``).  Every reply is the envelope
``{"success": 1|0, "message": "...", "data": ...}``.

State: queue members (queue number, agent number, source, penalty, paused).
Services:

* ``pbx/queues/batchremoveagent`` ``{"agents": [{"queue", "agent"}, ...]}``
* ``pbx/queues/batchaddagent``    items ``{"queue", "source", "agent", "penalty"}``
* ``pbx/queues/batchpauseagent``, ``pbx/queues/batchresumeagent``
* ``pbx/queues/addagent``, ``pbx/queues/removeagent``,
  ``pbx/queues/pauseagent``, ``pbx/queues/resumeagent`` (one item as the body)
"""

import base64
import binascii
import hmac
import ipaddress
import json

from flask import Flask, g, jsonify, request

from . import assumed, control
from .db import Database
from .settings import PBX_AUTH_MODES

API_PREFIX = "api/v4/"

CONFIG_KEYS = ("pbx_auth", "pbx_denied_services", "pbx_refuse_clients",
               "pbx_username", "pbx_password", "pbx_api_key")


def _check_auth_mode(name, value):
    if value not in PBX_AUTH_MODES:
        raise control.FaultError("%s must be one of %s" % (name, ", ".join(PBX_AUTH_MODES)))
    return value


def _check_services(name, value):
    control.check_string_list(name, value)
    return [normalize_service(v) for v in value]


def _check_clients(name, value):
    if value is True:
        return ["*"]
    if value is False:
        return []
    control.check_string_list(name, value)
    for item in value:
        if item != "*":
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise control.FaultError("%s: %r is not an address or network" % (name, item))
    return value


def _check_string(name, value):
    if not isinstance(value, str):
        raise control.FaultError("%s must be a string" % name)
    return value


def config_options(settings):
    return {
        "pbx_auth": control.ConfigOption(
            settings.pbx_auth, _check_auth_mode, "credentials required: basic, key or both"),
        "pbx_denied_services": control.ConfigOption(
            [], _check_services, "services the account may not call (403)"),
        "pbx_refuse_clients": control.ConfigOption(
            [], _check_clients, "client addresses/networks refused with 403 (\"*\": all)"),
        "pbx_username": control.ConfigOption(
            settings.pbx_username, _check_string, "Basic auth user name"),
        "pbx_password": control.ConfigOption(
            settings.pbx_password, _check_string, "Basic auth password"),
        "pbx_api_key": control.ConfigOption(
            settings.pbx_api_key, _check_string, "X-APIKEY value"),
    }


def normalize_service(path):
    """'/API/v4/PBX/Queues/BatchRemoveAgent/' -> 'pbx/queues/batchremoveagent'."""
    service = path.strip().strip("/").lower()
    if service.startswith(API_PREFIX):
        service = service[len(API_PREFIX):]
    return service.strip("/")


def envelope(success, message, data=None, status=200):
    return jsonify({"success": success, "message": message, "data": data}), status


class Refusal(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def create_app(database: Database, settings, state=None):
    """The Simotel Flask application, wrapped with the /_sim/ control."""
    app = Flask("simulator.simotel")
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    if state is None:
        state = control.ControlState(
            "simotel", config_options(settings),
            reset_data=lambda: database.reset_simotel(settings),
            # Every API call counts as a write.
            is_write=lambda method, key: True)

    conn = database.per_request(app)

    # -- the checks, run in assumed.SIMOTEL_CHECK_ORDER -------------------
    def check_client(service):
        refused = state.setting("pbx_refuse_clients")
        if not refused:
            return
        try:
            address = ipaddress.ip_address((request.remote_addr or "").split("%")[0])
        except ValueError:
            address = None
        for item in refused:
            if item == "*" or (address is not None
                               and address in ipaddress.ip_network(item, strict=False)):
                raise Refusal(403, assumed.SIMOTEL_CLIENT_REFUSED_MESSAGE)

    def check_method(service):
        if request.method != "POST":
            raise Refusal(405, assumed.SIMOTEL_METHOD_MESSAGE)

    def check_auth(service):
        mode = state.setting("pbx_auth")
        if mode in ("basic", "both") and not basic_ok():
            raise Refusal(401, assumed.SIMOTEL_UNAUTHORIZED_MESSAGE)
        if mode in ("key", "both") and not key_ok():
            raise Refusal(401, assumed.SIMOTEL_UNAUTHORIZED_MESSAGE)

    def basic_ok():
        header = request.headers.get("Authorization", "")
        scheme, _space, value = header.partition(" ")
        if scheme.lower() != "basic" or not value.strip():
            return False
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user, sep, password = decoded.partition(":")
        if not sep:
            return False
        return (hmac.compare_digest(user.encode(), state.setting("pbx_username").encode())
                and hmac.compare_digest(password.encode(),
                                        state.setting("pbx_password").encode()))

    def key_ok():
        given = request.headers.get("X-APIKEY")
        if given is None:
            return False
        return hmac.compare_digest(given.encode(), state.setting("pbx_api_key").encode())

    def check_service(service):
        if service not in SERVICES:
            raise Refusal(501, assumed.SIMOTEL_UNKNOWN_SERVICE_MESSAGE)

    def check_permission(service):
        if service in state.setting("pbx_denied_services"):
            raise Refusal(403, assumed.SIMOTEL_FORBIDDEN_MESSAGE)

    def check_content_type(service):
        # request.mimetype is the media type without parameters, lower-cased.
        if request.mimetype != "application/json":
            raise Refusal(415, assumed.SIMOTEL_CONTENT_TYPE_MESSAGE)

    def check_json(service):
        try:
            body = json.loads(request.get_data() or b"")
        except ValueError:
            raise Refusal(400, assumed.SIMOTEL_BAD_JSON_MESSAGE)
        if not isinstance(body, dict):
            raise Refusal(400, assumed.SIMOTEL_BAD_JSON_MESSAGE)
        g.body = body

    checks = {
        "client": check_client,
        "method": check_method,
        "auth": check_auth,
        "service": check_service,
        "permission": check_permission,
        "content_type": check_content_type,
        "json": check_json,
    }

    # -- queue member operations ------------------------------------------
    def queue_exists(queue):
        return conn().execute("SELECT 1 FROM pbx_queues WHERE number = ?",
                              (queue,)).fetchone() is not None

    def member(queue, agent):
        return conn().execute("SELECT * FROM pbx_members WHERE queue = ? AND agent = ?",
                              (queue, agent)).fetchone()

    def result(item, ok, key):
        return {"agent": item["agent"], "message": assumed.SIMOTEL_MESSAGES[key],
                "ok": 1 if ok else 0, "queue": item["queue"]}

    def remove(item):
        if not queue_exists(item["queue"]):
            return result(item, False, "no_queue_remove")
        if member(item["queue"], item["agent"]) is None:
            return result(item, False, "not_member_remove")
        conn().execute("DELETE FROM pbx_members WHERE queue = ? AND agent = ?",
                       (item["queue"], item["agent"]))
        return result(item, True, "removed")

    def add(item):
        if not queue_exists(item["queue"]):
            return result(item, False, "no_queue_add")
        if member(item["queue"], item["agent"]) is not None:
            return result(item, False, "already_member")
        conn().execute(
            "INSERT INTO pbx_members (queue, agent, source, penalty, paused)"
            " VALUES (?, ?, ?, ?, 0)",
            (item["queue"], item["agent"], item["source"], item["penalty"]))
        return result(item, True, "added")

    def set_paused(paused):
        def operation(item):
            if not queue_exists(item["queue"]) or member(item["queue"], item["agent"]) is None:
                return result(item, False, "not_found_pause")
            conn().execute("UPDATE pbx_members SET paused = ? WHERE queue = ? AND agent = ?",
                           (paused, item["queue"], item["agent"]))
            return result(item, True, "paused" if paused else "resumed")
        return operation

    def parse_item(raw):
        if not isinstance(raw, dict):
            raise Refusal(assumed.SIMOTEL_BAD_INPUT_STATUS, "each item is an object")
        item = {}
        for key in ("queue", "agent"):
            value = raw.get(key)
            kinds = (str, int) if assumed.SIMOTEL_ACCEPT_NUMBERS else (str,)
            if isinstance(value, bool) or not isinstance(value, kinds) or str(value).strip() == "":
                raise Refusal(assumed.SIMOTEL_BAD_INPUT_STATUS, "%s is required" % key)
            item[key] = str(value).strip()
        penalty = raw.get("penalty", assumed.SIMOTEL_DEFAULT_PENALTY)
        try:
            item["penalty"] = int(penalty if penalty not in (None, "")
                                  else assumed.SIMOTEL_DEFAULT_PENALTY)
        except (TypeError, ValueError):
            raise Refusal(assumed.SIMOTEL_BAD_INPUT_STATUS, "penalty must be a number")
        source = raw.get("source")
        item["source"] = str(source) if source not in (None, "") \
            else assumed.SIMOTEL_DEFAULT_SOURCE
        return item

    def batch(operation):
        def handler(body):
            agents = body.get("agents")
            if not isinstance(agents, list) or not agents:
                raise Refusal(assumed.SIMOTEL_BAD_INPUT_STATUS, "agents must be a non-empty list")
            items = [parse_item(a) for a in agents]
            with database.transaction(conn()):
                results = [operation(item) for item in items]
            all_ok = all(r["ok"] for r in results)
            data_ok = 0 if (assumed.BATCH_OK_ZERO_WHEN_ANY_ITEM_FAILS and not all_ok) else 1
            success = 1 if assumed.BATCH_SUCCESS_ALWAYS_ONE else (1 if all_ok else 0)
            return envelope(success, "", {"Data": results, "ok": data_ok})
        return handler

    def single(operation):
        def handler(body):
            item = parse_item(body)
            with database.transaction(conn()):
                outcome = operation(item)
            return jsonify(assumed.simotel_single_reply(outcome)), 200
        return handler

    SERVICES = {
        "pbx/queues/batchremoveagent": batch(remove),
        "pbx/queues/batchaddagent": batch(add),
        "pbx/queues/batchpauseagent": batch(set_paused(1)),
        "pbx/queues/batchresumeagent": batch(set_paused(0)),
        "pbx/queues/addagent": single(add),
        "pbx/queues/removeagent": single(remove),
        "pbx/queues/pauseagent": single(set_paused(1)),
        "pbx/queues/resumeagent": single(set_paused(0)),
    }

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    @app.route("/", defaults={"path": ""}, methods=methods, provide_automatic_options=False)
    @app.route("/<path:path>", methods=methods, provide_automatic_options=False)
    def api(path):
        lowered = path.lower().strip("/") + "/"
        if not lowered.startswith(API_PREFIX):
            return envelope(0, assumed.SIMOTEL_NOT_FOUND_MESSAGE,
                            status=assumed.SIMOTEL_NOT_FOUND_STATUS)
        service = normalize_service(path)
        try:
            for name in assumed.SIMOTEL_CHECK_ORDER:
                checks[name](service)
            return SERVICES[service](g.body)
        except Refusal as refusal:
            return envelope(0, refusal.message, status=refusal.status)

    @app.errorhandler(Exception)
    def internal_error(exc):
        code = getattr(exc, "code", None)
        if isinstance(code, int):
            return envelope(0, getattr(exc, "description", str(exc)), status=code)
        app.logger.exception("unhandled error")
        return envelope(0, "internal error: %s" % exc, status=500)

    return control.install(app, state, route_key=_route_key, fault_body=_fault_body)


def _route_key(environ):
    """Stats key: /api/v4/<service> in lower case, else the raw path."""
    path = environ.get("PATH_INFO", "") or "/"
    if (path.lower().strip("/") + "/").startswith(API_PREFIX):
        return "/" + API_PREFIX + normalize_service(path)
    return path


def _fault_body(status):
    return {"success": 0, "message": "simulated fault", "data": None}
