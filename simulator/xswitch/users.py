"""Users and agents (``/api/users``), their extensions and queue names, and
``change_password``.

An agent is a user of type AGENT: its agent settings (``agent_info``) are
stored as one JSON object and read back at the top level of the user.
"""

import hmac
import json

from flask import Blueprint, g, jsonify, request

from .. import assumed
from ..db import loads, now, sip_hashes
from .common import (api_error, bad_request, body_object, cfg, check_free, data, deleted_nothing,
                     duplicate, int_flag, not_found, paged, path_id, required_text, success,
                     text)

blueprint = Blueprint("xswitch_users", __name__)

DEFAULT_DOMAIN = "xswitch.cn"      # the vendor document: domain defaults to xswitch.cn
DEFAULT_CONTEXT = "default"        # the vendor document: context defaults to default

# Agent defaults added on create (the vendor document's list, exactly).
AGENT_DEFAULTS = {
    "lag": "2",
    "simo": "1",
    "status": "On Break",
    "agent_type": "callback",
    "member_wait": "nowait",
    "wrap_up_time": "10",
    "max_no_answer": "3",
    "busy_delay_time": "60",
    "reject_delay_time": "10",
}

# Agent settings accepted at the top level of PUT /api/users/$id (and of POST,
# or nested in its agent_info, under the agent_info_on_create switch).
AGENT_FIELDS = ("lag", "simo", "status", "agent_type", "member_wait", "wrap_up_time",
                "max_no_answer", "busy_delay_time", "reject_delay_time",
                "no_answer_delay_time", "hardware_phone_only", "timeout", "level",
                "position")

# Plain user fields accepted by POST and PUT (text, and the integer flags).
USER_TEXT_FIELDS = ("name", "login", "domain", "context", "type", "email", "tel",
                    "cid_name", "cid_number", "vm_password")
USER_INT_FIELDS = ("auto_record", "tel_enabled")


# -- replies --------------------------------------------------------------
def without_hashes(out):
    """``out`` without ha1/ha1b when the omit_ha1 switch is on."""
    if cfg("omit_ha1"):
        out.pop("ha1")
        out.pop("ha1b")
    return out


def user_json(row, listed=False):
    out = {
        "id": row["id"],
        "login": row["login"],
        "name": row["name"],
        "extn": row["extn"],
        "extn_id": row["extn_id"],
        "domain": row["domain"],
        "context": row["context"],
        "type": row["type"],
        "email": row["email"],
        "tel": row["tel"],
        "tel_enabled": row["tel_enabled"],
        "cid_name": row["cid_name"],
        "cid_number": row["cid_number"],
        "vm_password": row["vm_password"],
        "auto_record": row["auto_record"],
        "is_super": row["is_super"],
        "ha1": row["ha1"],
        "ha1b": row["ha1b"],
        "last_login_at": row["last_login_at"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "deleted_at": row["deleted_at"],
    }
    if row["type"] in assumed.AGENT_TYPES and (
            assumed.USER_LIST_ROWS_AS_SINGLE_READ or not listed):
        agent = dict(assumed.AGENT_READ_DEFAULTS)
        agent.update(spelled(loads(row["agent_info"], {})))
        out.update(agent)
    return without_hashes(out)


def extension_json(row):
    out = dict(assumed.EXTENSION_DEFAULTS)
    out.update({
        "id": row["id"],
        "user_id": row["user_id"],
        "extn": row["extn"],
        "name": row["name"],
        "password": row["password"],
        "domain": row["domain"],
        "context": row["context"],
        "ha1": row["ha1"],
        "ha1b": row["ha1b"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "deleted_at": row["deleted_at"],
    })
    return without_hashes(out)


# -- values ---------------------------------------------------------------
def spelled(settings):
    """Agent settings in the spelling of the agent_spelling switch."""
    spelling = cfg("agent_spelling")
    return {key: assumed.agent_value_spelled(key, value, spelling)
            for key, value in settings.items()}


def agent_values(settings):
    """Agent settings as stored: strings, in the agent_spelling switch's spelling."""
    return spelled({key: assumed.agent_value_to_string(value)
                    for key, value in settings.items()})


def agent_settings_sent(body):
    """The agent settings of a POST body: those of a nested agent_info object, then
    those at the top level (a top-level one wins)."""
    nested = body.get("agent_info")
    if isinstance(nested, str):
        nested = loads(nested)
    if nested is None:
        nested = {}
    if not isinstance(nested, dict):
        raise bad_request("agent_info must be an object")
    sent = {key: value for key, value in nested.items() if key in AGENT_FIELDS}
    sent.update({key: body[key] for key in AGENT_FIELDS if key in body})
    return sent


def user_hashes(login, extn, domain, password):
    """(ha1, ha1b) of a user, hashing the name the ha1_user switch names."""
    return sip_hashes(assumed.user_hash_principal(login, extn, cfg("ha1_user")),
                      domain, password)


def existing_user(user_id):
    row = data().users.get(user_id)
    if row is None:
        raise not_found()
    return row


def check_login_free(login, own_id=None):
    check_free(data().users.by_login(login), assumed.USERS_LOGIN_CONSTRAINT, own_id)


# -- routes ---------------------------------------------------------------
@blueprint.route("/api/users", methods=["GET"])
def list_users():
    tables = data()
    with tables.read():
        rows = tables.users.all()
    login = request.args.get("login")
    name = request.args.get("name")
    user_type = request.args.get("type")
    if login is not None and login != "" and not cfg("ignore_login_filter"):
        rows = [r for r in rows if assumed.login_filter_matches(login, r["login"])]
    if name:
        rows = [r for r in rows if assumed.name_filter_matches(name, r["name"])]
    if user_type:
        rows = [r for r in rows if assumed.type_filter_matches(user_type, r["type"])]
    return jsonify(paged(rows, lambda row: user_json(row, listed=True)))


@blueprint.route("/api/users/me", methods=["GET"])
def read_own_user():
    if not cfg("users_me"):
        raise not_found()
    return jsonify(user_json(existing_user(g.user["id"])))


@blueprint.route("/api/users/<id>", methods=["GET"])
def read_user(id):
    return jsonify(user_json(existing_user(path_id(id))))


@blueprint.route("/api/users", methods=["POST"])
def create_user():
    body = body_object()
    agent_sent = agent_settings_sent(body) if cfg("agent_info_on_create") else {}
    required_text(body, assumed.USER_REQUIRED_FIELDS)
    fields = {f: text(f, body.get(f)) for f in USER_TEXT_FIELDS}
    fields["domain"] = fields["domain"] or DEFAULT_DOMAIN
    fields["context"] = fields["context"] or DEFAULT_CONTEXT
    fields["type"] = fields["type"] or assumed.USER_DEFAULT_TYPE
    fields["name"] = fields["name"] or assumed.default_user_name(fields["login"])
    for field in USER_INT_FIELDS:
        fields[field] = int_flag(field, body[field]) if field in body else 0
    password = text("password", body.get("password"))
    extn = text("extn", body.get("extn"))
    extn_password = text("extn_password", body.get("extn_password")) or password
    agent_info = dict(AGENT_DEFAULTS) if fields["type"] in assumed.AGENT_TYPES else {}
    agent_info.update(agent_values(agent_sent))
    ha1, ha1b = user_hashes(fields["login"], extn, fields["domain"], password)
    stamp = now()
    tables = data()
    with tables.write():
        check_login_free(fields["login"])
        user_id = tables.users.insert(dict(
            fields, password=password, extn=extn, ha1=ha1, ha1b=ha1b,
            agent_info=json.dumps(agent_info), created_at=stamp, updated_at=stamp))
        extn_id = assumed.NO_EXTENSION_ID
        if extn:
            if tables.extensions.by_number(extn, fields["domain"]) is not None:
                raise duplicate(assumed.EXTENSIONS_EXTN_CONSTRAINT)
            e_ha1, e_ha1b = sip_hashes(extn, fields["domain"], extn_password)
            extn_id = tables.extensions.insert({
                "user_id": user_id, "extn": extn, "name": extn, "password": extn_password,
                "domain": fields["domain"], "context": fields["context"], "ha1": e_ha1,
                "ha1b": e_ha1b, "created_at": stamp, "updated_at": stamp})
            tables.users.update(user_id, {"extn_id": extn_id})
    return success({"id": str(user_id), "extn_id": str(extn_id)})


@blueprint.route("/api/users/<id>", methods=["PUT"])
def update_user(id):
    user_id = path_id(id)
    body = body_object()
    body.pop("id", None)  # the vendor document: an id in the body is ignored
    for field in assumed.USER_PUT_IGNORED_FIELDS:
        body.pop(field, None)
    tables = data()
    with tables.write():
        row = existing_user(user_id)
        changes = {}
        for field in USER_TEXT_FIELDS:
            if field in body:
                changes[field] = text(field, body[field])
        for field in USER_INT_FIELDS:
            if field in body:
                changes[field] = int_flag(field, body[field])
        if "login" in changes:
            if not changes["login"]:
                raise bad_request("login must not be empty")
            check_login_free(changes["login"], own_id=user_id)
        if "domain" in changes and not changes["domain"]:
            changes["domain"] = DEFAULT_DOMAIN
        agent_info = loads(row["agent_info"], {})
        agent_info.update(agent_values({f: body[f] for f in AGENT_FIELDS if f in body}))
        if changes.get("type", row["type"]) in assumed.AGENT_TYPES:
            for key, value in AGENT_DEFAULTS.items():
                agent_info.setdefault(key, value)
        changes["agent_info"] = json.dumps(agent_info)
        login = changes.get("login", row["login"])
        domain = changes.get("domain", row["domain"])
        if (assumed.RECOMPUTE_HASHES_ON_LOGIN_OR_DOMAIN_CHANGE and row["password"]
                and (login != row["login"] or domain != row["domain"])):
            changes["ha1"], changes["ha1b"] = user_hashes(login, row["extn"], domain,
                                                          row["password"])
        changes["updated_at"] = now()
        tables.users.update(user_id, changes)
    return success(str(user_id), data_first=True)


@blueprint.route("/api/users/change_password", methods=["PUT"])
def change_password():
    body = body_object()
    caller = g.user
    if cfg("change_password_target") == "session":
        # XUI's change_password changes the signed-in user, whatever the body's id says.
        user_id = caller["id"]
    elif body.get("id") in (None, ""):
        raise bad_request("id is required")
    else:
        user_id = path_id(body["id"])
    password = body.get("password")
    if not isinstance(password, str) or not password:
        raise bad_request("password is required")
    old = body.get("old_password")
    tables = data()
    with tables.write():
        row = existing_user(user_id)
        if old is None:
            if not (caller["is_super"] and cfg("super_admin_resets_password")):
                raise api_error(assumed.WRONG_OLD_PASSWORD_STATUS, "old_password is required")
        elif not isinstance(old, str) or not hmac.compare_digest(
                old.encode("utf-8"), row["password"].encode("utf-8")):
            raise api_error(assumed.WRONG_OLD_PASSWORD_STATUS,
                            assumed.WRONG_OLD_PASSWORD_MESSAGE)
        ha1, ha1b = user_hashes(row["login"], row["extn"], row["domain"], password)
        tables.users.update(user_id, {"password": password, "ha1": ha1, "ha1b": ha1b,
                                      "updated_at": now()})
        if assumed.CHANGE_PASSWORD_TOUCHES_EXTENSION:
            for ext in tables.extensions.of_user(user_id):
                e_ha1, e_ha1b = sip_hashes(ext["extn"], ext["domain"], password)
                tables.extensions.update(ext["id"], {"password": password, "ha1": e_ha1,
                                                     "ha1b": e_ha1b})
    return success("{}", data_first=True)


@blueprint.route("/api/users/<id>", methods=["DELETE"])
def delete_user(id):
    user_id = path_id(id)
    tables = data()
    with tables.write():
        if tables.users.get(user_id) is None:
            raise deleted_nothing()
        if user_id in assumed.PROTECTED_USER_IDS:
            raise api_error(assumed.PROTECTED_USER_STATUS, assumed.PROTECTED_USER_MESSAGE)
        # What belongs to the user goes with it (XUI's schema cascades its dev keys); its
        # queue member rows only with the switch.
        tables.extensions.delete_of_user(user_id)
        tables.sessions.delete_of_user(user_id)
        tables.api_keys.delete_of_user(user_id)
        if cfg("delete_user_cascades"):
            tables.members.delete_of_agent(user_id)
        tables.users.delete(user_id)
    return success(str(user_id))


# -- a user's extensions and queues ---------------------------------------
def user_sublist(id, rows_of):
    """``rows_of(tables, user_id)``: rows of a list under one user; none for a bad id."""
    try:
        user_id = int(id)
    except ValueError:
        return []
    tables = data()
    with tables.read():
        if tables.users.get(user_id) is None and not assumed.USER_SUBLISTS_EMPTY_WHEN_UNKNOWN:
            raise not_found()
        return rows_of(tables, user_id)


@blueprint.route("/api/users/<id>/extensions", methods=["GET"])
def user_extensions(id):
    rows = user_sublist(id, lambda tables, user_id: tables.extensions.of_user(user_id))
    return jsonify([extension_json(r) for r in rows])


@blueprint.route("/api/users/<id>/queue/name", methods=["GET"])
def user_queue_names(id):
    rows = user_sublist(id, lambda tables, user_id: tables.members.queue_names_of_agent(user_id))
    return jsonify([{"name": r["name"]} for r in rows])
