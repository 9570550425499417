"""The XSwitch call-center REST API (described in ``docs/api/xswitch.md``), one
Flask blueprint per resource:

* :mod:`.sessions`: ``/api/sessions`` and the token check of every other request
* :mod:`.users`: users and agents (``/api/users``), their extensions and queue names
* :mod:`.queues`: queues (``/api/queues``)
* :mod:`.members`: queue members (``/api/queues/<id>/agents``)
* :mod:`.params`: queue extra parameters (``/api/queues/<id>/extra_params``)
* :mod:`.dicts`: dicts (``/api/dicts/realm/<realm>``)

Reply shapes follow the vendor document's examples, quirks included: single
reads are bare objects with numeric ids, list reads are paged envelopes whose
rows carry ids as strings (queues, members), some lists are bare arrays, write
replies wrap ids as strings.  Guesses are taken from :mod:`simulator.assumed`;
the ones a real server may well answer otherwise are the switches of
:data:`CONFIG_OPTIONS`.  The SQL lives in :mod:`simulator.db`.
"""

import sqlite3

from flask import Flask, current_app, jsonify
from werkzeug.exceptions import HTTPException

from .. import assumed, control
from ..db import Database
from . import dicts, members, params, queues, sessions, users
from .common import CONNECTION_KEY, SETTINGS_KEY, ApiError

BLUEPRINTS = (sessions.blueprint, users.blueprint, queues.blueprint, members.blueprint,
              params.blueprint, dicts.blueprint)


def _check_seconds(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10:
        raise control.FaultError("%s must be a number of seconds from 0 to 10" % name)
    return value


def _check_optional_positive_int(name, value):
    return value if value is None else control.check_positive_int(name, value)


# The quirk switches of /_sim/config; every default is in simulator.assumed.
CONFIG_OPTIONS = {
    "ignore_login_filter": control.ConfigOption(
        assumed.IGNORE_LOGIN_FILTER, control.check_bool,
        "GET /api/users ignores the login filter"),
    "omit_ha1": control.ConfigOption(
        assumed.OMIT_HA1, control.check_bool, "reads carry no ha1/ha1b"),
    "max_per_page": control.ConfigOption(
        assumed.MAX_PER_PAGE, control.check_positive_int, "largest perPage honoured"),
    "super_admin_resets_password": control.ConfigOption(
        assumed.SUPER_ADMIN_RESETS_PASSWORD, control.check_bool,
        "a super admin's change_password may leave old_password out"),
    "change_password_target": control.ConfigOption(
        assumed.CHANGE_PASSWORD_TARGET, control.check_choice(*assumed.CHANGE_PASSWORD_TARGETS),
        "change_password changes the user named by the body's id, or the signed-in user"),
    "login_lockout": control.ConfigOption(
        assumed.LOGIN_LOCKOUT, control.check_bool,
        "a captcha after %d refused logins, a lock of %d s after %d"
        % (assumed.LOGIN_CAPTCHA_AFTER, assumed.LOGIN_LOCK_SECONDS, assumed.LOGIN_LOCK_AFTER)),
    "delete_queue_cascades": control.ConfigOption(
        assumed.DELETE_QUEUE_CASCADES, control.check_bool,
        "DELETE /api/queues/<id> also removes the queue's member rows"),
    "delete_absent_status": control.ConfigOption(
        assumed.DELETE_ABSENT_STATUS, control.check_choice(*assumed.DELETE_ABSENT_STATUSES),
        "status of a DELETE that deleted nothing (500 with {} as XUI, or 404)"),
    "page_size_param": control.ConfigOption(
        assumed.PAGE_SIZE_PARAM, control.check_choice(*assumed.PAGE_SIZE_PARAMS),
        "the query parameter the page size is read from"),
    "page_count_in_reply": control.ConfigOption(
        assumed.PAGE_COUNT_IN_REPLY, control.check_bool,
        "paged replies carry pageCount (rowCount is always there)"),
    "write_latency": control.ConfigOption(
        assumed.WRITE_LATENCY, _check_seconds,
        "seconds a write waits between its uniqueness check and its insert (a slow"
        " database: widens the window in which parallel writers race)"),
    "token_ttl": control.ConfigOption(
        assumed.TOKEN_TTL, _check_optional_positive_int,
        "lifetime of new session tokens in seconds (null: SIM_TOKEN_TTL)"),
    "queue_reads_type": control.ConfigOption(
        assumed.QUEUE_READS_TYPE, control.check_bool,
        "queue reads carry type and template besides cti_template"),
    "ha1_user": control.ConfigOption(
        assumed.HA1_USER, control.check_choice(*assumed.HA1_USERS),
        "name hashed in a user's ha1/ha1b: its login or its extension number"),
    "delete_user_cascades": control.ConfigOption(
        assumed.DELETE_USER_CASCADES, control.check_bool,
        "DELETE /api/users/<id> also removes the user's queue member rows"),
    "users_me": control.ConfigOption(
        assumed.USERS_ME, control.check_bool,
        "GET /api/users/me answers the user the token belongs to"),
    "member_delete_route": control.ConfigOption(
        assumed.MEMBER_DELETE_ROUTE, control.check_bool,
        "DELETE /api/queues/<id>/agents/<member_id> exists"),
    "paging": control.ConfigOption(
        assumed.PAGING, control.check_choice(*assumed.PAGING_MODES),
        "page and perPage honoured, or ignored (always the first page of 20)"),
    "agent_info_on_create": control.ConfigOption(
        assumed.AGENT_INFO_ON_CREATE, control.check_bool,
        "POST /api/users applies the agent settings it is given"),
    "new_members_disabled": control.ConfigOption(
        assumed.NEW_MEMBERS_DISABLED, control.check_bool,
        "new queue member rows are stored disabled (1)"),
    "agent_spelling": control.ConfigOption(
        assumed.AGENT_SPELLING, control.check_choice(*assumed.AGENT_SPELLINGS),
        "agent status/type stored as sent, or in FreeSWITCH mod_callcenter's spelling"),
}


# SQLite's text for a unique violation -> the PostgreSQL constraint name.
UNIQUE_COLUMNS = {
    "users.login": assumed.USERS_LOGIN_CONSTRAINT,
    "queues.name": assumed.QUEUES_NAME_CONSTRAINT,
    "extensions.extn, extensions.domain": assumed.EXTENSIONS_EXTN_CONSTRAINT,
    "queue_members.queue_id, queue_members.agent_id": assumed.QUEUE_AGENTS_CONSTRAINT,
    "queue_params.ref_id, queue_params.realm, queue_params.k": assumed.QUEUE_PARAMS_CONSTRAINT,
}


def control_state(database, settings):
    """The /_sim/ state of the XSwitch server, with the switches of SIM_XSWITCH_CONFIG set
    at start and on every reset.  Raises control.FaultError on a bad switch or value."""
    return control.ControlState(
        "xswitch", CONFIG_OPTIONS,
        reset_data=lambda: database.reset_xswitch(settings),
        expire_tokens=database.expire_xswitch_sessions,
        is_write=lambda method, key: method in ("POST", "PUT", "DELETE")
        and key != "/api/sessions",
        initial_config=settings.xswitch_config)


def create_app(database: Database, settings, state=None):
    """The XSwitch Flask application, wrapped with the /_sim/ control."""
    app = Flask("simulator.xswitch")
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    if state is None:
        state = control_state(database, settings)
    app.extensions[CONNECTION_KEY] = database.per_request(app)
    app.extensions[SETTINGS_KEY] = settings
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(sqlite3.IntegrityError, _integrity_error)
    app.register_error_handler(Exception, _internal_error)
    return control.install(app, state, route_key=_route_key_for(app), fault_body=_fault_body)


def _api_error(exc):
    return jsonify(exc.body), exc.status


def _http_error(exc):
    return jsonify(assumed.error_body(exc.code, exc.description or exc.name)), exc.code


def _integrity_error(exc):
    # The checks inside BEGIN IMMEDIATE normally answer first; this is the
    # database's own guard giving the same reply.
    for columns, constraint in UNIQUE_COLUMNS.items():
        if str(exc).endswith(columns):
            return jsonify(assumed.duplicate_key_body(constraint)), assumed.DUPLICATE_STATUS
    return jsonify(assumed.error_body(500, "pq: %s" % exc)), 500


def _internal_error(exc):
    current_app.logger.exception("unhandled error")
    return jsonify(assumed.error_body(500, "internal error: %s" % exc)), 500


def _fault_body(status):
    return {"code": status, "message": "simulated fault"}


def _route_key_for(app):
    """Stats key of a request: the matched route template, else the raw path."""
    def route_key(environ):
        try:
            rule, _args = app.url_map.bind_to_environ(environ).match(return_rule=True)
            return rule.rule
        except HTTPException:
            return environ.get("PATH_INFO", "") or "/"
        except Exception:  # pragma: no cover - e.g. a RequestRedirect variant
            return environ.get("PATH_INFO", "") or "/"
    return route_key
