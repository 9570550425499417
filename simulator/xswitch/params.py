"""Queue extra parameters (``/api/queues/<id>/extra_params``): key/value rows of
a queue in realm CC (mod_callcenter) or FIFO (mod_fifo), whose valid keys are
the dict rows of QUEUE_CC_PARAM and QUEUE_FIFO_PARAM."""

from flask import Blueprint, jsonify

from .. import assumed
from ..db import now
from .common import (api_error, bad_request, body_object, data, deleted_nothing, duplicate,
                     not_found, path_id, success, text)
from .queues import existing_queue

blueprint = Blueprint("xswitch_params", __name__)


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


def check_key(queue, realm, key):
    """Refuse a key its realm's dict does not list, or one the queue has already."""
    dict_realm = assumed.PARAM_REALMS.get(realm)
    if dict_realm is None:
        raise bad_request("realm must be one of %s" % ", ".join(assumed.PARAM_REALMS))
    tables = data()
    if not tables.dicts.has_value(dict_realm, key):
        raise api_error(assumed.UNKNOWN_PARAM_KEY_STATUS,
                        "%s is not a parameter of %s" % (key, dict_realm))
    if tables.params.by_key(queue["id"], realm, key) is not None:
        raise duplicate(assumed.QUEUE_PARAMS_CONSTRAINT)


def existing_param(queue, raw_pid):
    row = data().params.in_queue(queue["id"], path_id(raw_pid))
    if row is None:
        raise not_found()
    return row


@blueprint.route("/api/queues/<id>/extra_params", methods=["GET"])
def list_params(id):
    tables = data()
    with tables.read():
        rows = tables.params.of_queue(existing_queue(id)["id"])
    return jsonify([param_json(r) for r in rows])


@blueprint.route("/api/queues/<id>/extra_params", methods=["POST"])
def add_param(id):
    body = body_object()
    realm = text("realm", body.get("realm"))
    key = text("k", body.get("k"))
    if not realm or not key or "v" not in body:
        raise bad_request("realm, k and v are required")
    value = assumed.param_value_to_string(body["v"])
    stamp = now()
    tables = data()
    with tables.write():
        queue = existing_queue(id)
        check_key(queue, realm, key)
        param_id = tables.params.insert({
            "ref_id": queue["id"], "realm": realm, "k": key, "v": value, "disabled": 0,
            "created_at": stamp, "updated_at": stamp})
    return jsonify({"data": param_id, "code": 200, "message": "success"})


@blueprint.route("/api/queues/<id>/extra_params/<pid>", methods=["PUT"])
def update_param(id, pid):
    body = body_object()
    tables = data()
    with tables.write():
        queue = existing_queue(id)
        row = existing_param(queue, pid)
        if "action" in body:
            if body["action"] != "toggle":
                raise bad_request("action must be toggle")
            tables.params.update(row["id"], {"disabled": 0 if row["disabled"] else 1,
                                             "updated_at": now()})
            # The vendor document's toggle reply carries the parameter id.
            return success(str(row["id"]))
        changes = {}
        if "k" in body and text("k", body["k"]) != row["k"]:
            if not assumed.PUT_PARAM_MAY_RENAME_KEY:
                raise bad_request("k cannot be changed")
            changes["k"] = text("k", body["k"])
            check_key(queue, row["realm"], changes["k"])
        if "v" in body:
            changes["v"] = assumed.param_value_to_string(body["v"])
        if not changes:
            raise bad_request("v or action is required")
        changes["updated_at"] = now()
        tables.params.update(row["id"], changes)
    # The vendor document's value-change reply carries the queue id.
    return jsonify({"message": "success", "data": str(queue["id"]), "code": 200})


@blueprint.route("/api/queues/<id>/extra_params/<pid>", methods=["DELETE"])
def delete_param(id, pid):
    tables = data()
    with tables.write():
        queue_id = path_id(id)
        row = tables.params.in_queue(queue_id, path_id(pid))
        if row is None:
            raise deleted_nothing()
        tables.params.delete(row["id"])
    # The vendor document's delete reply carries the queue id.
    return success(str(queue_id))
