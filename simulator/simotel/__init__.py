"""The Simotel API v4 (described in ``docs/api/simotel.md`` from the vendor's wiki,
github.com/simotel/wiki, English pages under
``i18n/en/docusaurus-plugin-content-docs/current/developers/2-SimotelAPI/v4/``).

One module per resource of the API:

* :mod:`.members`  ``pbx/queues/{add,remove,pause,resume}agent`` and their batch forms
* :mod:`.queues`   ``pbx/queues/{add,search,update,remove}``
* :mod:`.setting`  ``setting/ping/act``

This module holds the application and the checks every call passes (client address, method,
credentials, service, permission, content type, body), with the texts and statuses of the
wiki's "Common Response Messages" (``2-settings.md``). Every call is ``/api/v4/<service>``
with a JSON body; the path is matched case-insensitively, and so is the Content-Type. Every
reply is the envelope ``{"success": 1|0, "message": "...", "data": ...}``, except a path
outside ``/api/v4/``, which gets the web server's HTML 404 page.
"""

import base64
import binascii
import hmac
import ipaddress
import json

from flask import Flask, Response, g, request

from .. import assumed, control
from ..db import Database
from ..settings import PBX_AUTH_MODES
from . import members, queues, setting
from .common import API_PREFIX, Context, Refusal, envelope, normalize_service

__all__ = ["create_app", "config_options", "normalize_service", "envelope", "Refusal",
           "API_PREFIX", "CONFIG_KEYS"]

CONFIG_KEYS = ("pbx_auth", "pbx_denied_services", "pbx_refuse_clients",
               "pbx_username", "pbx_password", "pbx_api_key", "pbx_batchadd_agent_field",
               "pbx_single_failure", "pbx_ping_methods", "pbx_queue_remove_id_field",
               "pbx_messages")

# The services that change nothing (not counted as writes in /_sim/stats).
READ_SERVICES = ("setting/ping/act", "pbx/queues/search")


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


def _check_methods(name, value):
    control.check_string_list(name, value)
    methods = [v.upper() for v in value]
    if not methods or any(m not in ("GET", "POST", "PUT", "PATCH", "DELETE") for m in methods):
        raise control.FaultError("%s must be a non-empty list of HTTP methods" % name)
    return methods


def _check_messages(name, value):
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise control.FaultError("%s must be an object of strings" % name)
    unknown = sorted(set(value) - set(assumed.SIMOTEL_MESSAGES))
    if unknown:
        raise control.FaultError("%s: unknown key(s) %s; known: %s" % (
            name, ", ".join(unknown), ", ".join(sorted(assumed.SIMOTEL_MESSAGES))))
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
        "pbx_batchadd_agent_field": control.ConfigOption(
            assumed.SIMOTEL_BATCHADD_AGENT_FIELD,
            control.check_choice(*assumed.SIMOTEL_BATCHADD_AGENT_FIELDS),
            "the field batchaddagent items name the agent by: agents (the wiki's table), "
            "agent (its example) or either"),
        "pbx_pause_repeat": control.ConfigOption(
            assumed.SIMOTEL_PAUSE_REPEAT, control.check_choice(*assumed.SIMOTEL_PAUSE_REPEATS),
            "pausing a paused member or resuming an unpaused one: again (ok 1, as Asterisk) "
            "or refuse (ok 0, already_paused / not_paused)"),
        "pbx_single_failure": control.ConfigOption(
            assumed.SIMOTEL_SINGLE_FAILURE, control.check_choice(*assumed.SIMOTEL_SINGLE_FAILURES),
            "a failed single-pair call: data (success 1, data.ok 0) or envelope (success 0)"),
        "pbx_ping_methods": control.ConfigOption(
            list(assumed.SIMOTEL_PING_METHODS), _check_methods,
            "HTTP methods setting/ping/act takes"),
        "pbx_queue_remove_id_field": control.ConfigOption(
            assumed.SIMOTEL_QUEUE_REMOVE_ID_FIELD,
            control.check_choice(*assumed.SIMOTEL_QUEUE_REMOVE_ID_FIELDS),
            "the field pbx/queues/remove takes the id under: _id (the example), id_ (the table) "
            "or either"),
        "pbx_messages": control.ConfigOption(
            {}, _check_messages, "overrides of the undocumented per-item wordings, by key"),
    }


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
            # Every API call but ping and search counts as a write.
            is_write=lambda method, key: normalize_service(key) not in READ_SERVICES)
    SERVICES = {}

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
        known = SERVICES.get(service)
        if request.method not in (known.allowed() if known else ("POST",)):
            raise Refusal(405, assumed.SIMOTEL_METHOD_MESSAGE)

    def check_auth(service):
        mode = state.setting("pbx_auth")
        if "Authorization" not in request.headers and "X-APIKEY" not in request.headers:
            raise Refusal(401, assumed.SIMOTEL_AUTH_MISSING_MESSAGE)
        if mode in ("basic", "both") and not basic_ok():
            raise Refusal(401, assumed.SIMOTEL_AUTH_INVALID_MESSAGE)
        if mode in ("key", "both") and not key_ok():
            raise Refusal(401, assumed.SIMOTEL_AUTH_INVALID_MESSAGE)

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
            raise Refusal(403, assumed.simotel_forbidden_message(service))

    def check_content_type(service):
        # request.mimetype is the media type without parameters, lower-cased.
        if request.mimetype != "application/json":
            raise Refusal(415, assumed.SIMOTEL_CONTENT_TYPE_MESSAGE)

    def check_json(service):
        raw = request.get_data()
        if not raw.strip() and SERVICES[service].empty_body:
            g.body = {}
            return
        try:
            body = json.loads(raw or b"")
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

    ctx = Context(database, conn, state)
    SERVICES.update(members.services(ctx))
    SERVICES.update(queues.services(ctx))
    SERVICES.update(setting.services(ctx))

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    @app.route("/", defaults={"path": ""}, methods=methods, provide_automatic_options=False)
    @app.route("/<path:path>", methods=methods, provide_automatic_options=False)
    def api(path):
        lowered = path.lower().strip("/") + "/"
        if not lowered.startswith(API_PREFIX):
            return not_found_page()
        service = normalize_service(path)
        try:
            for name in assumed.SIMOTEL_CHECK_ORDER:
                checks[name](service)
            return SERVICES[service].handler(g.body)
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


def not_found_page():
    """What the web server in front of the API answers for a path outside /api/v4/."""
    return Response(assumed.SIMOTEL_NOT_FOUND_PAGE, status=assumed.SIMOTEL_NOT_FOUND_STATUS,
                    mimetype="text/html")


def _route_key(environ):
    """Stats key: /api/v4/<service> in lower case, else the raw path."""
    path = environ.get("PATH_INFO", "") or "/"
    if (path.lower().strip("/") + "/").startswith(API_PREFIX):
        return "/" + API_PREFIX + normalize_service(path)
    return path


def _fault_body(status):
    return {"success": 0, "message": "simulated fault", "data": None}
