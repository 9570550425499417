"""Sessions: ``POST /api/sessions``, and the token check of every other request.

A request under ``/api/`` needs ``X-XTRA-AUTH-ID``: an api key (the admin's
never-expiring dev key) or a session token from ``POST /api/sessions``.  The
caller's user row is ``flask.g.user`` for the routes.
"""

import hmac
import time
import uuid

from flask import Blueprint, g, jsonify, request

from .. import assumed, control
from ..db import now
from .common import body_object, cfg, data, settings

blueprint = Blueprint("xswitch_sessions", __name__)


def authenticate(token):
    """The user row a token belongs to, or None."""
    if not token:
        return None
    tables = data()
    user_id = tables.api_keys.user_id(token)
    if user_id is None:
        user_id = tables.sessions.user_id(token, time.time())
    if user_id is None:
        return None
    return tables.users.get(user_id)


@blueprint.before_app_request
def require_token():
    if control.is_control_path(request.path) or not request.path.startswith("/api/"):
        return None
    if request.path == "/api/sessions" and request.method == "POST":
        return None
    g.token = request.headers.get("X-XTRA-AUTH-ID", "").strip()
    user = authenticate(g.token)
    if user is None:
        return jsonify(assumed.NOT_AUTHORIZED_BODY), assumed.NOT_AUTHORIZED_STATUS
    g.user = user
    return None


@blueprint.route("/api/sessions", methods=["POST"])
def create_session():
    body = body_object()
    login = body.get("login", body.get("username"))
    password = body.get("password")
    refused = (jsonify(assumed.LOGIN_FAILED_BODY), assumed.LOGIN_FAILED_STATUS)
    if not isinstance(login, str) or not isinstance(password, str) or not password:
        return refused
    ttl = cfg("token_ttl") or settings().token_ttl
    tables = data()
    with tables.write():
        lockout = lockout_reply(tables, login)
        if lockout is not None:
            return lockout
        user = tables.users.by_login(login)
        if user is None or not user["password"] or not hmac.compare_digest(
                user["password"].encode("utf-8"), password.encode("utf-8")):
            count_refusal(tables, login)
            return refused
        tables.login_refusals.clear(login)
        token = str(uuid.uuid4())
        tables.sessions.open(token, user["id"], time.time(), ttl)
        if assumed.SESSION_UPDATES_LAST_LOGIN:
            tables.users.update(user["id"], {"last_login_at": now()})
    return jsonify(assumed.session_reply(token, user, ttl))


def lockout_reply(tables, login):
    """The refusal of a login that needs a captcha or is locked (switch login_lockout)."""
    if not cfg("login_lockout"):
        return None
    refused, locked_until = tables.login_refusals.of(login)
    if locked_until > time.time():
        return jsonify(assumed.LOGIN_LOCKED_BODY), assumed.LOGIN_FAILED_STATUS
    if refused >= assumed.LOGIN_CAPTCHA_AFTER:
        # Without a captcha (which no API client can solve) the attempt counts as refused.
        count_refusal(tables, login)
        return jsonify(assumed.LOGIN_CAPTCHA_BODY), assumed.LOGIN_FAILED_STATUS
    return None


def count_refusal(tables, login):
    if not cfg("login_lockout"):
        return
    refused, locked_until = tables.login_refusals.of(login)
    refused += 1
    if refused >= assumed.LOGIN_LOCK_AFTER:
        locked_until = time.time() + assumed.LOGIN_LOCK_SECONDS
    tables.login_refusals.record(login, refused, locked_until)


@blueprint.route("/api/sessions", methods=["DELETE"])
def close_session():
    """Log out: the caller's session token stops working (a dev key is not a session)."""
    tables = data()
    with tables.write():
        tables.sessions.close(g.token)
    return jsonify(assumed.LOGOUT_REPLY)
