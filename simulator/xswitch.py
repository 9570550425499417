"""The XSwitch call-center REST API (``shared/API.md`` section 1 and the
Chinese seed document), resource by resource:

* sessions (``/api/sessions``) and authentication of every other request
* users and agents (``/api/users``), their extensions and queue names
* queues (``/api/queues``)
* queue members (``/api/queues/<id>/agents``)
* queue extra parameters (``/api/queues/<id>/extra_params``)
* dicts (``/api/dicts/realm/<realm>``)

Reply shapes follow the seed's examples, quirks included: single reads are bare
objects with numeric ids, list reads are paged envelopes whose rows carry ids
as strings (queues, members), some lists are bare arrays, write replies wrap
ids as strings.  Guesses are taken from :mod:`simulator.assumed`.
"""

import hmac
import json
import sqlite3
import time
import uuid

from flask import Flask, g, jsonify, request
from werkzeug.exceptions import HTTPException

from . import assumed, control
from .db import DICT_KEYS, Database, loads, md5, now, sip_hashes

DEFAULT_DOMAIN = "xswitch.cn"      # API.md: domain defaults to xswitch.cn
DEFAULT_CONTEXT = "default"        # API.md: context defaults to default
ORDER_BY = " ORDER BY " + assumed.LIST_ORDER

# Agent defaults added on create (the seed's list, exactly).
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

# Agent settings accepted at the top level of PUT /api/users/$id.
AGENT_FIELDS = ("lag", "simo", "status", "agent_type", "member_wait", "wrap_up_time",
                "max_no_answer", "busy_delay_time", "reject_delay_time",
                "no_answer_delay_time", "hardware_phone_only", "timeout", "level",
                "position")

# Plain user fields accepted by POST and PUT (text, and the integer flags).
USER_TEXT_FIELDS = ("name", "login", "domain", "context", "type", "email", "tel",
                    "cid_name", "cid_number", "vm_password")
USER_INT_FIELDS = ("auto_record", "tel_enabled")

QUEUE_TEXT_FIELDS = ("name", "description", "type", "strategy", "template", "cti_template")
QUEUE_MEDIA_FIELDS = ("moh_sound", "greeting")


def _check_seconds(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10:
        raise control.FaultError("%s must be a number of seconds from 0 to 10" % name)
    return value


CONFIG_OPTIONS = {
    "ignore_login_filter": control.ConfigOption(
        False, control.check_bool, "GET /api/users ignores the login filter"),
    "omit_ha1": control.ConfigOption(
        False, control.check_bool, "reads carry no ha1/ha1b"),
    "max_per_page": control.ConfigOption(
        assumed.MAX_PER_PAGE, control.check_positive_int, "largest perPage honoured"),
    "require_old_password": control.ConfigOption(
        False, control.check_bool, "even a super admin must give old_password"),
    "write_latency": control.ConfigOption(
        0, _check_seconds,
        "seconds a write waits between its uniqueness check and its insert (a slow"
        " database: widens the window in which parallel writers race)"),
    "token_ttl": control.ConfigOption(
        None, lambda name, v: v if v is None else control.check_positive_int(name, v),
        "lifetime of new session tokens in seconds (null: SIM_TOKEN_TTL)"),
}


# SQLite's text for a unique violation -> the PostgreSQL constraint name.
UNIQUE_COLUMNS = {
    "users.login": assumed.USERS_LOGIN_CONSTRAINT,
    "queues.name": assumed.QUEUES_NAME_CONSTRAINT,
    "extensions.extn, extensions.domain": assumed.EXTENSIONS_EXTN_CONSTRAINT,
    "queue_members.queue_id, queue_members.agent_id": assumed.QUEUE_AGENTS_CONSTRAINT,
    "queue_params.ref_id, queue_params.realm, queue_params.k": assumed.QUEUE_PARAMS_CONSTRAINT,
}


class ApiError(Exception):
    """Ends a request with ``status`` and a JSON ``body``."""

    def __init__(self, status, body):
        super().__init__(status)
        self.status = status
        self.body = body


def bad_request(message):
    return ApiError(assumed.BAD_REQUEST_STATUS,
                    assumed.error_body(assumed.BAD_REQUEST_STATUS, message))


def not_found():
    return ApiError(404, assumed.error_body(404, assumed.NOT_FOUND_MESSAGE))


def duplicate(constraint):
    return ApiError(assumed.DUPLICATE_STATUS, assumed.duplicate_key_body(constraint))


def success(data, *, data_first=False):
    """The write envelope; ``data_first`` only changes key order, as the seed shows."""
    if data_first:
        return jsonify({"data": data, "code": 200, "message": "success"})
    return jsonify({"code": 200, "message": "success", "data": data})


def create_app(database: Database, settings, state=None):
    """The XSwitch Flask application, wrapped with the /_sim/ control."""
    app = Flask("simulator.xswitch")
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    if state is None:
        state = control.ControlState(
            "xswitch", CONFIG_OPTIONS,
            reset_data=lambda: database.reset_xswitch(settings),
            expire_tokens=lambda: _expire_sessions(database),
            is_write=lambda method, key: method in ("POST", "PUT", "DELETE")
            and key != "/api/sessions")

    def cfg(name):
        return state.setting(name)

    # -- plumbing ---------------------------------------------------------
    conn = database.per_request(app)

    def write():
        return database.transaction(conn(), write=True)

    def read():
        return database.transaction(conn(), write=False)

    @app.errorhandler(ApiError)
    def api_error(exc):
        return jsonify(exc.body), exc.status

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return jsonify(assumed.error_body(exc.code, exc.description or exc.name)), exc.code

    @app.errorhandler(sqlite3.IntegrityError)
    def integrity_error(exc):
        # The checks inside BEGIN IMMEDIATE normally answer first; this is the
        # database's own guard giving the same reply.
        for columns, constraint in UNIQUE_COLUMNS.items():
            if str(exc).endswith(columns):
                body = assumed.duplicate_key_body(constraint)
                return jsonify(body), assumed.DUPLICATE_STATUS
        return jsonify(assumed.error_body(500, "pq: %s" % exc)), 500

    @app.errorhandler(Exception)
    def internal_error(exc):
        app.logger.exception("unhandled error")
        return jsonify(assumed.error_body(500, "internal error: %s" % exc)), 500

    def body_object():
        raw = request.get_data()
        if not raw.strip():
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            raise bad_request("invalid JSON body")
        if not isinstance(data, dict):
            raise bad_request("the body must be a JSON object")
        return data

    def path_id(value):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise not_found()

    def paged(rows):
        size = assumed.per_page(request.args.get("perPage"), cfg("max_per_page"))
        page = assumed.page_number(request.args.get("page"))
        start = (page - 1) * size
        return {"data": rows[start:start + size], "page": page,
                "pageCount": assumed.page_count(len(rows), size), "rowCount": len(rows)}

    # =====================================================================
    # Sessions and authentication
    # =====================================================================
    def authenticate(token):
        if not token:
            return None
        db = conn()
        row = db.execute("SELECT user_id FROM api_keys WHERE key = ?", (token,)).fetchone()
        if row is None:
            row = db.execute("SELECT user_id FROM sessions WHERE token = ? AND expires_at > ?",
                             (token, time.time())).fetchone()
        if row is None:
            return None
        return db.execute("SELECT * FROM users WHERE id = ?", (row["user_id"],)).fetchone()

    @app.before_request
    def require_token():
        if control.is_control_path(request.path) or not request.path.startswith("/api/"):
            return None
        if request.path == "/api/sessions" and request.method == "POST":
            return None
        user = authenticate(request.headers.get("X-XTRA-AUTH-ID", "").strip())
        if user is None:
            return jsonify(assumed.NOT_AUTHORIZED_BODY), assumed.NOT_AUTHORIZED_STATUS
        g.user = user
        return None

    @app.route("/api/sessions", methods=["POST"])
    def create_session():
        data = body_object()
        login = data.get("login", data.get("username"))
        password = data.get("password")
        refused = (jsonify(assumed.LOGIN_FAILED_BODY), assumed.LOGIN_FAILED_STATUS)
        if not isinstance(login, str) or not isinstance(password, str) or not password:
            return refused
        ttl = cfg("token_ttl") or settings.token_ttl
        with write():
            user = conn().execute("SELECT * FROM users WHERE login = ?", (login,)).fetchone()
            if user is None or not user["password"] or not hmac.compare_digest(
                    user["password"].encode("utf-8"), password.encode("utf-8")):
                return refused
            token = str(uuid.uuid4())
            conn().execute("DELETE FROM sessions WHERE expires_at <= ?", (time.time(),))
            conn().execute("INSERT INTO sessions (token, user_id, expires_at) VALUES (?, ?, ?)",
                           (token, user["id"], time.time() + ttl))
            if assumed.SESSION_UPDATES_LAST_LOGIN:
                conn().execute("UPDATE users SET last_login_at = ? WHERE id = ?",
                               (now(), user["id"]))
        return jsonify(assumed.session_reply(token, user, ttl))

    # =====================================================================
    # Users and agents
    # =====================================================================
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
            agent.update(loads(row["agent_info"], {}))
            out.update(agent)
        if cfg("omit_ha1"):
            out.pop("ha1")
            out.pop("ha1b")
        return out

    def get_user(user_id):
        return conn().execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()

    def int_flag(name, value):
        try:
            return assumed.parse_flag(value)
        except (TypeError, ValueError):
            raise bad_request("%s must be a number" % name)

    def text(name, value):
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            raise bad_request("%s must be a string" % name)
        return assumed.param_value_to_string(value)

    def user_hashes(login, extn, domain, password):
        return sip_hashes(assumed.user_hash_principal(login, extn), domain, password)

    def pause_before_write():
        delay = cfg("write_latency")
        if delay:
            time.sleep(delay)

    def check_login_free(login, own_id=None):
        row = conn().execute("SELECT id FROM users WHERE login = ?", (login,)).fetchone()
        pause_before_write()
        if row is not None and row["id"] != own_id:
            raise duplicate(assumed.USERS_LOGIN_CONSTRAINT)

    @app.route("/api/users", methods=["GET"])
    def list_users():
        with read():
            rows = conn().execute("SELECT * FROM users" + ORDER_BY).fetchall()
        login = request.args.get("login")
        name = request.args.get("name")
        user_type = request.args.get("type")
        if login is not None and login != "" and not cfg("ignore_login_filter"):
            rows = [r for r in rows if assumed.login_filter_matches(login, r["login"])]
        if name:
            rows = [r for r in rows if assumed.name_filter_matches(name, r["name"])]
        if user_type:
            rows = [r for r in rows if assumed.type_filter_matches(user_type, r["type"])]
        return jsonify(paged([user_json(r, listed=True) for r in rows]))

    @app.route("/api/users/<id>", methods=["GET"])
    def read_user(id):
        row = get_user(path_id(id))
        if row is None:
            raise not_found()
        return jsonify(user_json(row))

    @app.route("/api/users", methods=["POST"])
    def create_user():
        data = body_object()
        if assumed.CREATE_IGNORES_AGENT_SETTINGS:
            data.pop("agent_info", None)
            for field in AGENT_FIELDS:
                data.pop(field, None)
        for field in assumed.USER_REQUIRED_FIELDS:
            if not text(field, data.get(field)):
                raise bad_request("%s is required" % field)
        fields = {f: text(f, data.get(f)) for f in USER_TEXT_FIELDS}
        fields["domain"] = fields["domain"] or DEFAULT_DOMAIN
        fields["context"] = fields["context"] or DEFAULT_CONTEXT
        fields["type"] = fields["type"] or assumed.USER_DEFAULT_TYPE
        fields["name"] = fields["name"] or assumed.default_user_name(fields["login"])
        for field in USER_INT_FIELDS:
            fields[field] = int_flag(field, data[field]) if field in data else 0
        password = text("password", data.get("password"))
        extn = text("extn", data.get("extn"))
        extn_password = text("extn_password", data.get("extn_password")) or password
        agent_info = dict(AGENT_DEFAULTS) if fields["type"] in assumed.AGENT_TYPES else {}
        ha1, ha1b = user_hashes(fields["login"], extn, fields["domain"], password)
        stamp = now()
        with write():
            db = conn()
            check_login_free(fields["login"])
            cur = db.execute(
                "INSERT INTO users (login, name, password, extn, domain, context, type, email,"
                " tel, tel_enabled, cid_name, cid_number, vm_password, auto_record, ha1, ha1b,"
                " agent_info, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (fields["login"], fields["name"], password, extn, fields["domain"],
                 fields["context"], fields["type"], fields["email"], fields["tel"],
                 fields["tel_enabled"], fields["cid_name"], fields["cid_number"],
                 fields["vm_password"], fields["auto_record"], ha1, ha1b,
                 json.dumps(agent_info), stamp, stamp))
            user_id = cur.lastrowid
            extn_id = assumed.NO_EXTENSION_ID
            if extn:
                taken = db.execute("SELECT id FROM extensions WHERE extn = ? AND domain = ?",
                                   (extn, fields["domain"])).fetchone()
                if taken is not None:
                    raise duplicate(assumed.EXTENSIONS_EXTN_CONSTRAINT)
                e_ha1, e_ha1b = sip_hashes(extn, fields["domain"], extn_password)
                cur = db.execute(
                    "INSERT INTO extensions (user_id, extn, name, password, domain, context,"
                    " ha1, ha1b, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (user_id, extn, extn, extn_password, fields["domain"], fields["context"],
                     e_ha1, e_ha1b, stamp, stamp))
                extn_id = cur.lastrowid
                db.execute("UPDATE users SET extn_id = ? WHERE id = ?", (extn_id, user_id))
        return success({"id": str(user_id), "extn_id": str(extn_id)})

    @app.route("/api/users/<id>", methods=["PUT"])
    def update_user(id):
        user_id = path_id(id)
        data = body_object()
        data.pop("id", None)  # the seed: an id in the body is ignored
        for field in assumed.USER_PUT_IGNORED_FIELDS:
            data.pop(field, None)
        with write():
            row = get_user(user_id)
            if row is None:
                raise not_found()
            changes = {}
            for field in USER_TEXT_FIELDS:
                if field in data:
                    changes[field] = text(field, data[field])
            for field in USER_INT_FIELDS:
                if field in data:
                    changes[field] = int_flag(field, data[field])
            if "login" in changes:
                if not changes["login"]:
                    raise bad_request("login must not be empty")
                check_login_free(changes["login"], own_id=user_id)
            if "domain" in changes and not changes["domain"]:
                changes["domain"] = DEFAULT_DOMAIN
            agent_info = loads(row["agent_info"], {})
            for field in AGENT_FIELDS:
                if field in data:
                    agent_info[field] = assumed.agent_value_to_string(data[field])
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
            columns = ", ".join("%s = ?" % c for c in changes)
            conn().execute("UPDATE users SET %s WHERE id = ?" % columns,
                           list(changes.values()) + [user_id])
        return success(str(user_id), data_first=True)

    @app.route("/api/users/change_password", methods=["PUT"])
    def change_password():
        data = body_object()
        if data.get("id") in (None, ""):
            raise bad_request("id is required")
        try:
            user_id = int(data["id"])
        except (TypeError, ValueError):
            raise not_found()
        password = data.get("password")
        if not isinstance(password, str) or not password:
            raise bad_request("password is required")
        old = data.get("old_password")
        caller = g.user
        with write():
            row = get_user(user_id)
            if row is None:
                raise not_found()
            if old is None:
                allowed = (assumed.SUPER_ADMIN_MAY_OMIT_OLD_PASSWORD and caller["is_super"]
                           and not cfg("require_old_password"))
                if not allowed:
                    raise ApiError(assumed.WRONG_OLD_PASSWORD_STATUS, assumed.error_body(
                        assumed.WRONG_OLD_PASSWORD_STATUS, "old_password is required"))
            elif not isinstance(old, str) or not hmac.compare_digest(
                    old.encode("utf-8"), row["password"].encode("utf-8")):
                raise ApiError(assumed.WRONG_OLD_PASSWORD_STATUS, assumed.error_body(
                    assumed.WRONG_OLD_PASSWORD_STATUS, assumed.WRONG_OLD_PASSWORD_MESSAGE))
            ha1, ha1b = user_hashes(row["login"], row["extn"], row["domain"], password)
            conn().execute(
                "UPDATE users SET password = ?, ha1 = ?, ha1b = ?, updated_at = ? WHERE id = ?",
                (password, ha1, ha1b, now(), user_id))
            if assumed.CHANGE_PASSWORD_TOUCHES_EXTENSION:
                for ext in conn().execute("SELECT * FROM extensions WHERE user_id = ?",
                                          (user_id,)).fetchall():
                    e_ha1, e_ha1b = sip_hashes(ext["extn"], ext["domain"], password)
                    conn().execute(
                        "UPDATE extensions SET password = ?, ha1 = ?, ha1b = ? WHERE id = ?",
                        (password, e_ha1, e_ha1b, ext["id"]))
        return success("{}", data_first=True)

    @app.route("/api/users/<id>", methods=["DELETE"])
    def delete_user(id):
        user_id = path_id(id)
        with write():
            if get_user(user_id) is None:
                raise not_found()
            if user_id in assumed.PROTECTED_USER_IDS:
                raise ApiError(assumed.PROTECTED_USER_STATUS, assumed.error_body(
                    assumed.PROTECTED_USER_STATUS, assumed.PROTECTED_USER_MESSAGE))
            db = conn()
            if assumed.DELETE_USER_CASCADES:
                db.execute("DELETE FROM extensions WHERE user_id = ?", (user_id,))
                db.execute("DELETE FROM queue_members WHERE agent_id = ?", (user_id,))
                db.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))
                db.execute("DELETE FROM api_keys WHERE user_id = ?", (user_id,))
            db.execute("DELETE FROM users WHERE id = ?", (user_id,))
        return success(str(user_id))

    # -- a user's extensions and queues ----------------------------------
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
        if cfg("omit_ha1"):
            out.pop("ha1")
            out.pop("ha1b")
        return out

    def user_sublist(id, sql):
        """Rows of a list under one user (``sql`` takes the user id); none for a bad id."""
        try:
            user_id = int(id)
        except ValueError:
            return []
        with read():
            if get_user(user_id) is None and not assumed.USER_SUBLISTS_EMPTY_WHEN_UNKNOWN:
                raise not_found()
            return conn().execute(sql, (user_id,)).fetchall()

    @app.route("/api/users/<id>/extensions", methods=["GET"])
    def user_extensions(id):
        rows = user_sublist(id, "SELECT * FROM extensions WHERE user_id = ?" + ORDER_BY)
        return jsonify([extension_json(r) for r in rows])

    @app.route("/api/users/<id>/queue/name", methods=["GET"])
    def user_queue_names(id):
        rows = user_sublist(
            id, "SELECT q.name FROM queue_members m JOIN queues q ON q.id = m.queue_id"
                " WHERE m.agent_id = ? ORDER BY q." + assumed.LIST_ORDER)
        return jsonify([{"name": r["name"]} for r in rows])

    # =====================================================================
    # Queues
    # =====================================================================
    def media_object(value):
        """The stored form (JSON text, or "") of a media field as written."""
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            raise bad_request("a media field is a media id or a JSON media_path object")
        if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
            row = conn().execute("SELECT * FROM media WHERE id = ?", (int(value),)).fetchone()
            if row is None:
                raise ApiError(assumed.UNKNOWN_MEDIA_ID_STATUS, assumed.error_body(
                    assumed.UNKNOWN_MEDIA_ID_STATUS, "media %s not found" % value))
            return json.dumps({"media_path": row["path"], "media_type": row["type"],
                               "media_id": str(row["id"])})
        if isinstance(value, str):
            parsed = loads(value)
            if isinstance(parsed, dict):
                value = parsed
            elif assumed.PLAIN_STRING_IS_MEDIA_PATH:
                value = {"media_path": value}
            else:
                raise bad_request("a media field is a media id or a JSON media_path object")
        if not isinstance(value, dict) or not value.get("media_path"):
            raise bad_request("a media field is a media id or a JSON media_path object")
        path = str(value["media_path"])
        row = conn().execute("SELECT * FROM media WHERE path = ?" + ORDER_BY,
                             (path,)).fetchone()
        if row is not None:
            return json.dumps({"media_path": row["path"], "media_type": row["type"],
                               "media_id": str(row["id"])})
        return json.dumps({"media_path": path,
                           "media_type": assumed.UNKNOWN_MEDIA_PATH_TYPE, "media_id": ""})

    def queue_json(row, listed):
        """A queue as GET /api/queues (``listed``) or GET /api/queues/$id shows it."""
        out = {
            "id": str(row["id"]) if listed else row["id"],
            "name": row["name"],
            "description": row["description"],
            "strategy": row["strategy"],
            "cti_template": row["cti_template"],
            "moh_sound": loads(row["moh_sound"], "") if row["moh_sound"] else "",
            "greeting": loads(row["greeting"], "") if row["greeting"] else "",
            "auto_record": str(row["auto_record"]) if listed else row["auto_record"],
            "load_url": row["load_url"],
            "load_url_params": row["load_url_params"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "deleted_at": row["deleted_at"],
        }
        if assumed.QUEUE_READ_INCLUDES_TYPE_AND_TEMPLATE:
            out["type"] = row["type"]
            out["template"] = row["template"]
        if assumed.FIFO_PARAMS_AT_TOP_LEVEL and row["type"] == "fifo":
            sql = "SELECT k, v FROM queue_params WHERE ref_id = ? AND realm = 'FIFO'"
            if assumed.TOP_LEVEL_PARAMS_SKIP_DISABLED:
                sql += " AND disabled = 0"
            for param in conn().execute(sql + ORDER_BY, (row["id"],)).fetchall():
                out.setdefault(param["k"], param["v"])
        return out

    def get_queue(queue_id):
        return conn().execute("SELECT * FROM queues WHERE id = ?", (queue_id,)).fetchone()

    def existing_queue(raw_id):
        row = get_queue(path_id(raw_id))
        if row is None:
            raise not_found()
        return row

    def check_name_free(name, own_id=None):
        row = conn().execute("SELECT id FROM queues WHERE name = ?", (name,)).fetchone()
        pause_before_write()
        if row is not None and row["id"] != own_id:
            raise duplicate(assumed.QUEUES_NAME_CONSTRAINT)

    def check_queue_type(value):
        if value not in assumed.QUEUE_TYPES:
            raise bad_request("type must be one of %s" % ", ".join(assumed.QUEUE_TYPES))

    def check_strategy(queue_type, strategy):
        allowed = assumed.QUEUE_STRATEGIES.get(queue_type, ())
        if assumed.VALIDATE_QUEUE_STRATEGY and strategy and strategy not in allowed:
            raise bad_request("strategy must be one of %s" % ", ".join(allowed))

    def add_fifo_defaults(queue_id, stamp):
        for key, value in assumed.FIFO_DEFAULT_PARAMS:
            conn().execute(
                "INSERT OR IGNORE INTO queue_params (ref_id, realm, k, v, disabled, created_at,"
                " updated_at) VALUES (?, 'FIFO', ?, ?, 0, ?, ?)",
                (queue_id, key, value, stamp, stamp))

    @app.route("/api/queues", methods=["GET"])
    def list_queues():
        with read():
            rows = conn().execute("SELECT * FROM queues" + ORDER_BY).fetchall()
            data = [queue_json(r, listed=True) for r in rows]
        return jsonify(paged(data))

    @app.route("/api/queues/<id>", methods=["GET"])
    def read_queue(id):
        with read():
            return jsonify(queue_json(existing_queue(id), listed=False))

    @app.route("/api/queues", methods=["POST"])
    def create_queue():
        data = body_object()
        for field in assumed.QUEUE_REQUIRED_FIELDS:
            if not text(field, data.get(field)):
                raise bad_request("%s is required" % field)
        fields = {f: text(f, data.get(f)) for f in QUEUE_TEXT_FIELDS}
        fields["type"] = fields["type"] or assumed.QUEUE_DEFAULT_TYPE
        check_queue_type(fields["type"])
        check_strategy(fields["type"], fields["strategy"])
        auto_record = int_flag("auto_record", data["auto_record"]) \
            if data.get("auto_record") not in (None, "") else 0
        stamp = now()
        with write():
            check_name_free(fields["name"])
            media = {f: media_object(data.get(f)) for f in QUEUE_MEDIA_FIELDS}
            cur = conn().execute(
                "INSERT INTO queues (name, description, type, strategy, template, cti_template,"
                " moh_sound, greeting, auto_record, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (fields["name"], fields["description"], fields["type"], fields["strategy"],
                 fields["template"], fields["cti_template"], media["moh_sound"],
                 media["greeting"], auto_record, stamp, stamp))
            queue_id = cur.lastrowid
            if fields["type"] == "fifo":
                add_fifo_defaults(queue_id, stamp)
        return jsonify({"code": 200, "data": str(queue_id), "message": "success"})

    @app.route("/api/queues/<id>", methods=["PUT"])
    def update_queue(id):
        data = body_object()
        data.pop("id", None)
        with write():
            row = existing_queue(id)
            changes = {}
            for field in QUEUE_TEXT_FIELDS:
                if field in data:
                    changes[field] = text(field, data[field])
            if "name" in changes:
                if not changes["name"]:
                    raise bad_request("name must not be empty")
                check_name_free(changes["name"], own_id=row["id"])
            if "type" in changes:
                changes["type"] = changes["type"] or assumed.QUEUE_DEFAULT_TYPE
                check_queue_type(changes["type"])
            check_strategy(changes.get("type", row["type"]),
                           changes.get("strategy", row["strategy"]))
            for field in QUEUE_MEDIA_FIELDS:
                if field in data:
                    changes[field] = media_object(data[field])
            if "auto_record" in data:
                changes["auto_record"] = int_flag("auto_record", data["auto_record"]) \
                    if data["auto_record"] not in (None, "") else 0
            stamp = now()
            changes["updated_at"] = stamp
            columns = ", ".join("%s = ?" % c for c in changes)
            conn().execute("UPDATE queues SET %s WHERE id = ?" % columns,
                           list(changes.values()) + [row["id"]])
            if changes.get("type") == "fifo":
                add_fifo_defaults(row["id"], stamp)
        return success(str(row["id"]))

    @app.route("/api/queues/<id>", methods=["DELETE"])
    def delete_queue(id):
        with write():
            row = existing_queue(id)
            conn().execute("DELETE FROM queue_members WHERE queue_id = ?", (row["id"],))
            conn().execute("DELETE FROM queue_params WHERE ref_id = ?", (row["id"],))
            conn().execute("DELETE FROM queues WHERE id = ?", (row["id"],))
        return jsonify({"code": 200, "data": str(row["id"]), "message": "success"})

    # =====================================================================
    # Queue members
    # =====================================================================
    MEMBER_SQL = (
        "SELECT m.*, q.name AS queue_name, u.extn AS user_extn, u.name AS user_name,"
        " u.domain AS user_domain FROM queue_members m JOIN queues q ON q.id = m.queue_id"
        " LEFT JOIN users u ON u.id = m.agent_id")

    def member_listed_json(row):
        """A member row as GET /api/queues/$id/agents lists it (all strings)."""
        return {
            "id": str(row["id"]),
            "queue_id": str(row["queue_id"]),
            "queue_name": row["queue_name"],
            "agent_id": str(row["agent_id"]),
            "agent_name": row["agent_name"],
            "agent_name_md5": md5(row["agent_name"] or ""),
            "name": row["user_name"] or "",
            "extn": row["user_extn"] or "",
            "domain": row["user_domain"] or "",
            "level": str(row["level"]),
            "position": str(row["position"]),
            "disabled": str(row["disabled"]),
            "external_queue_id": row["external_queue_id"],
            "external_agent_id": row["external_agent_id"],
            "description": row["description"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "deleted_at": row["deleted_at"],
        }

    def member_created_json(row):
        """A member row as the POST reply shows it (numbers, seed's key set)."""
        out = {
            "id": row["id"],
            "queue_id": row["queue_id"],
            "queue_name": row["queue_name"],
            "agent_id": row["agent_id"],
            "agent_name": row["agent_name"],
            "extn": row["user_extn"] or "",
            "domain": row["user_domain"] or "",
            "level": row["level"],
            "position": row["position"],
            "disabled": row["disabled"],
            "external_queue_id": row["external_queue_id"],
            "external_agent_id": row["external_agent_id"],
            "description": row["description"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "deleted_at": row["deleted_at"],
        }
        out.update(assumed.MEMBER_CREATE_REPLY_OVERRIDES)
        return out

    @app.route("/api/queues/<id>/agents", methods=["GET"])
    def list_members(id):
        with read():
            queue = existing_queue(id)
            rows = conn().execute(
                MEMBER_SQL + " WHERE m.queue_id = ? ORDER BY m." + assumed.LIST_ORDER,
                (queue["id"],)).fetchall()
        return jsonify(paged([member_listed_json(r) for r in rows]))

    @app.route("/api/queues/<id>/agents", methods=["POST"])
    def add_members(id):
        data = body_object()
        agents = data.get("agents")
        if not isinstance(agents, list) or not agents:
            raise bad_request("agents must be a non-empty list")
        stamp = now()
        created = []
        with write():
            queue = existing_queue(id)
            for item in agents:
                if not isinstance(item, dict):
                    raise bad_request("each agent is an object with agent_id and agent_name")
                try:
                    agent_id = int(item.get("agent_id"))
                except (TypeError, ValueError):
                    raise bad_request("agent_id is required")
                user = get_user(agent_id)
                if user is None:
                    raise ApiError(assumed.MEMBER_UNKNOWN_AGENT_STATUS, assumed.error_body(
                        assumed.MEMBER_UNKNOWN_AGENT_STATUS, "agent %s not found" % agent_id))
                taken = conn().execute(
                    "SELECT id FROM queue_members WHERE queue_id = ? AND agent_id = ?",
                    (queue["id"], agent_id)).fetchone()
                if taken is not None:
                    raise duplicate(assumed.QUEUE_AGENTS_CONSTRAINT)
                name = text("agent_name", item.get("agent_name")) \
                    or assumed.default_agent_name(user)
                level = int_flag("level", item["level"]) if item.get("level") not in (None, "") \
                    else assumed.MEMBER_DEFAULT_LEVEL
                position = int_flag("position", item["position"]) \
                    if item.get("position") not in (None, "") else assumed.MEMBER_DEFAULT_POSITION
                cur = conn().execute(
                    "INSERT INTO queue_members (queue_id, agent_id, agent_name, level, position,"
                    " disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (queue["id"], agent_id, name, level, position,
                     assumed.MEMBER_STORED_DISABLED, stamp, stamp))
                created.append(cur.lastrowid)
            rows = [conn().execute(MEMBER_SQL + " WHERE m.id = ?", (mid,)).fetchone()
                    for mid in created]
        return jsonify({"data": [member_created_json(r) for r in rows],
                        "message": "success", "code": 200})

    @app.route("/api/queues/<id>/agents/<member_id>", methods=["DELETE"])
    def delete_member(id, member_id):
        with write():
            queue = existing_queue(id)
            mid = path_id(member_id)
            column = "id" if assumed.MEMBER_DELETE_BY_ROW_ID else "agent_id"
            row = conn().execute(
                "SELECT id FROM queue_members WHERE queue_id = ? AND %s = ?" % column,
                (queue["id"], mid)).fetchone()
            if row is None:
                raise not_found()
            conn().execute("DELETE FROM queue_members WHERE id = ?", (row["id"],))
        return success(str(mid))

    # =====================================================================
    # Queue extra parameters
    # =====================================================================
    def param_json(row):
        return {
            "id": row["id"],
            "realm": row["realm"],
            "k": row["k"],
            "v": row["v"],
            "ref_id": row["ref_id"],
            "disabled": row["disabled"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "deleted_at": row["deleted_at"],
        }

    def valid_key(realm, key):
        dict_realm = assumed.PARAM_REALMS.get(realm)
        if dict_realm is None:
            raise bad_request("realm must be one of %s" % ", ".join(assumed.PARAM_REALMS))
        known = conn().execute("SELECT 1 FROM dicts WHERE realm = ? AND v = ?",
                               (dict_realm, key)).fetchone()
        if known is None:
            raise ApiError(assumed.UNKNOWN_PARAM_KEY_STATUS, assumed.error_body(
                assumed.UNKNOWN_PARAM_KEY_STATUS,
                "%s is not a parameter of %s" % (key, dict_realm)))

    def existing_param(queue, raw_pid):
        row = conn().execute("SELECT * FROM queue_params WHERE id = ? AND ref_id = ?",
                             (path_id(raw_pid), queue["id"])).fetchone()
        if row is None:
            raise not_found()
        return row

    @app.route("/api/queues/<id>/extra_params", methods=["GET"])
    def list_params(id):
        with read():
            queue = existing_queue(id)
            rows = conn().execute("SELECT * FROM queue_params WHERE ref_id = ?" + ORDER_BY,
                                  (queue["id"],)).fetchall()
        return jsonify([param_json(r) for r in rows])

    @app.route("/api/queues/<id>/extra_params", methods=["POST"])
    def add_param(id):
        data = body_object()
        realm = text("realm", data.get("realm"))
        key = text("k", data.get("k"))
        if not realm or not key or "v" not in data:
            raise bad_request("realm, k and v are required")
        value = assumed.param_value_to_string(data["v"])
        stamp = now()
        with write():
            queue = existing_queue(id)
            valid_key(realm, key)
            taken = conn().execute(
                "SELECT id FROM queue_params WHERE ref_id = ? AND realm = ? AND k = ?",
                (queue["id"], realm, key)).fetchone()
            if taken is not None:
                raise duplicate(assumed.QUEUE_PARAMS_CONSTRAINT)
            cur = conn().execute(
                "INSERT INTO queue_params (ref_id, realm, k, v, disabled, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, 0, ?, ?)", (queue["id"], realm, key, value, stamp, stamp))
        return jsonify({"data": cur.lastrowid, "code": 200, "message": "success"})

    @app.route("/api/queues/<id>/extra_params/<pid>", methods=["PUT"])
    def update_param(id, pid):
        data = body_object()
        with write():
            queue = existing_queue(id)
            row = existing_param(queue, pid)
            if "action" in data:
                if data["action"] != "toggle":
                    raise bad_request("action must be toggle")
                conn().execute("UPDATE queue_params SET disabled = ?, updated_at = ? WHERE id = ?",
                               (0 if row["disabled"] else 1, now(), row["id"]))
                # The seed's toggle reply carries the parameter id.
                return success(str(row["id"]))
            changes = {}
            if "k" in data and text("k", data["k"]) != row["k"]:
                new_key = text("k", data["k"])
                if not assumed.PUT_PARAM_MAY_RENAME_KEY:
                    raise bad_request("k cannot be changed")
                valid_key(row["realm"], new_key)
                taken = conn().execute(
                    "SELECT id FROM queue_params WHERE ref_id = ? AND realm = ? AND k = ?",
                    (queue["id"], row["realm"], new_key)).fetchone()
                if taken is not None:
                    raise duplicate(assumed.QUEUE_PARAMS_CONSTRAINT)
                changes["k"] = new_key
            if "v" in data:
                changes["v"] = assumed.param_value_to_string(data["v"])
            if not changes:
                raise bad_request("v or action is required")
            changes["updated_at"] = now()
            columns = ", ".join("%s = ?" % c for c in changes)
            conn().execute("UPDATE queue_params SET %s WHERE id = ?" % columns,
                           list(changes.values()) + [row["id"]])
        # The seed's value-change reply carries the queue id.
        return jsonify({"message": "success", "data": str(queue["id"]), "code": 200})

    @app.route("/api/queues/<id>/extra_params/<pid>", methods=["DELETE"])
    def delete_param(id, pid):
        with write():
            queue = existing_queue(id)
            row = existing_param(queue, pid)
            conn().execute("DELETE FROM queue_params WHERE id = ?", (row["id"],))
        # The seed's delete reply carries the queue id.
        return success(str(queue["id"]))

    # =====================================================================
    # Dicts
    # =====================================================================
    @app.route("/api/dicts/realm/<realm>", methods=["GET"])
    def dict_realm(realm):
        with read():
            rows = conn().execute("SELECT * FROM dicts WHERE realm = ?" + ORDER_BY,
                                  (realm,)).fetchall()
        if not rows and realm not in DICT_KEYS and not assumed.UNKNOWN_DICT_REALM_EMPTY:
            raise not_found()
        return jsonify([{
            "d": r["d"], "v": r["v"], "o": r["o"], "k": r["k"], "id": str(r["id"]),
            "deleted_at": r["deleted_at"], "realm": r["realm"],
            "created_at": r["created_at"], "updated_at": r["updated_at"],
        } for r in rows])

    return control.install(app, state, route_key=_route_key_for(app),
                           fault_body=_fault_body)


def _expire_sessions(database):
    with database.connection() as conn, database.transaction(conn):
        conn.execute("DELETE FROM sessions")


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
