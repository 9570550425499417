"""What the XSwitch blueprints share: errors, request bodies, values, paging,
replies, the quirk switches and the per-request data layer."""

import json
import time

from flask import current_app, g, jsonify, request

from .. import assumed, control
from ..db import XSwitchData

# app.extensions keys of the per-request connection getter and of the start-up
# settings.
CONNECTION_KEY = "sim_xswitch_connection"
SETTINGS_KEY = "sim_xswitch_settings"


class ApiError(Exception):
    """Ends a request with ``status`` and a JSON ``body``."""

    def __init__(self, status, body):
        super().__init__(status)
        self.status = status
        self.body = body


def api_error(status, message):
    return ApiError(status, assumed.error_body(status, message))


def bad_request(message):
    return api_error(assumed.BAD_REQUEST_STATUS, message)


def not_found():
    return api_error(404, assumed.NOT_FOUND_MESSAGE)


def deleted_nothing():
    """The reply of a DELETE whose object does not exist (switch delete_absent_status)."""
    if cfg("delete_absent_status") == 404:
        return not_found()
    return ApiError(cfg("delete_absent_status"), assumed.DELETE_ABSENT_BODY)


def duplicate(constraint):
    return ApiError(assumed.DUPLICATE_STATUS, assumed.duplicate_key_body(constraint))


# -- replies --------------------------------------------------------------
def success(data, *, data_first=False):
    """The write envelope; ``data_first`` only changes key order, as the vendor document
    shows."""
    if data_first:
        return jsonify({"data": data, "code": 200, "message": "success"})
    return jsonify({"code": 200, "message": "success", "data": data})


def paged(rows, shown=None):
    """The paged list envelope of ``rows`` for this request's page and perPage; ``shown`` turns
    a row into what the reply lists, for the rows of the page only (a 10,000-user list read
    page by page would otherwise turn every row into JSON once per page)."""
    maximum = cfg("max_per_page")
    if cfg("paging") == "ignored":
        size, page = assumed.per_page(None, maximum), 1
    else:
        size = assumed.per_page(request.args.get(cfg("page_size_param")), maximum)
        page = assumed.page_number(request.args.get("page"))
    start = (page - 1) * size
    page_rows = rows[start:start + size]
    reply = {"data": [shown(row) for row in page_rows] if shown else page_rows, "page": page,
             "pageCount": assumed.page_count(len(rows), size), "rowCount": len(rows)}
    if not cfg("page_count_in_reply"):
        del reply["pageCount"]
    return reply


# -- switches and data ----------------------------------------------------
def cfg(name):
    """The current position of a /_sim/config switch."""
    return control.state().setting(name)


def data():
    """The XSwitch tables over this request's connection."""
    if "xswitch_data" not in g:
        g.xswitch_data = XSwitchData(current_app.extensions[CONNECTION_KEY]())
    return g.xswitch_data


def settings():
    """The start-up settings (:class:`simulator.settings.Settings`)."""
    return current_app.extensions[SETTINGS_KEY]


def pause_before_write():
    delay = cfg("write_latency")
    if delay:
        time.sleep(delay)


def check_free(row, constraint, own_id=None):
    """Refuse a unique value that ``row`` (the row holding it, or None) already has,
    unless that row is ``own_id``.  Waits write_latency first."""
    pause_before_write()
    if row is not None and row["id"] != own_id:
        raise duplicate(constraint)


# -- request values -------------------------------------------------------
def body_object():
    raw = request.get_data()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise bad_request("invalid JSON body")
    if not isinstance(body, dict):
        raise bad_request("the body must be a JSON object")
    return body


def path_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise not_found()


def int_flag(name, value):
    try:
        return assumed.parse_flag(value)
    except (TypeError, ValueError):
        raise bad_request("%s must be a number" % name)


def optional_int(name, value, default):
    """An integer field that may be missing or empty (then ``default``)."""
    return default if value in (None, "") else int_flag(name, value)


def text(name, value):
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise bad_request("%s must be a string" % name)
    return assumed.param_value_to_string(value)


def required_text(data, fields):
    """Refuse a body that lacks one of ``fields`` (or has it empty)."""
    for field in fields:
        if not text(field, data.get(field)):
            raise bad_request("%s is required" % field)
