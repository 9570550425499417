"""Queues (``/api/queues``).

Reads show what the vendor document shows: ``cti_template`` but, unless the
``queue_reads_type`` switch is on, neither ``type`` nor ``template``; a fifo
queue's enabled FIFO parameters at the top level.  Media fields
(``moh_sound``, ``greeting``) are stored as the JSON text of a media object.
"""

import json

from flask import Blueprint, jsonify

from .. import assumed
from ..db import loads, now
from .common import (api_error, bad_request, body_object, cfg, check_free, data, deleted_nothing,
                     not_found, optional_int, paged, path_id, required_text, success, text)

blueprint = Blueprint("xswitch_queues", __name__)

QUEUE_TEXT_FIELDS = ("name", "description", "type", "strategy", "template", "cti_template")
QUEUE_MEDIA_FIELDS = ("moh_sound", "greeting")
MEDIA_FORMS = "a media field is a media id or a JSON media_path object"


def media_json(row):
    """The stored form of a known media row."""
    return json.dumps({"media_path": row["path"], "media_type": row["type"],
                       "media_id": str(row["id"])})


def media_object(value):
    """The stored form (JSON text, or "") of a media field as written."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        raise bad_request(MEDIA_FORMS)
    media = data().media
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        row = media.get(int(value))
        if row is None:
            raise api_error(assumed.UNKNOWN_MEDIA_ID_STATUS, "media %s not found" % value)
        return media_json(row)
    if isinstance(value, str):
        parsed = loads(value)
        if isinstance(parsed, dict):
            value = parsed
        elif assumed.PLAIN_STRING_IS_MEDIA_PATH:
            value = {"media_path": value}
        else:
            raise bad_request(MEDIA_FORMS)
    if not isinstance(value, dict) or not value.get("media_path"):
        raise bad_request(MEDIA_FORMS)
    path = str(value["media_path"])
    row = media.by_path(path)
    if row is not None:
        return media_json(row)
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
    if cfg("queue_reads_type"):
        out["type"] = row["type"]
        out["template"] = row["template"]
    if assumed.FIFO_PARAMS_AT_TOP_LEVEL and row["type"] == "fifo":
        for param in data().params.values(row["id"], "FIFO",
                                          assumed.TOP_LEVEL_PARAMS_SKIP_DISABLED):
            out.setdefault(param["k"], param["v"])
    return out


def existing_queue(raw_id):
    """The queue row of a path id; 404 when there is none."""
    row = data().queues.get(path_id(raw_id))
    if row is None:
        raise not_found()
    return row


def check_name_free(name, own_id=None):
    check_free(data().queues.by_name(name), assumed.QUEUES_NAME_CONSTRAINT, own_id)


def check_queue_type(value):
    if value not in assumed.QUEUE_TYPES:
        raise bad_request("type must be one of %s" % ", ".join(assumed.QUEUE_TYPES))


def check_strategy(queue_type, strategy):
    allowed = assumed.QUEUE_STRATEGIES.get(queue_type, ())
    if assumed.VALIDATE_QUEUE_STRATEGY and strategy and strategy not in allowed:
        raise bad_request("strategy must be one of %s" % ", ".join(allowed))


def add_fifo_defaults(queue_id, stamp):
    data().params.add_missing(queue_id, "FIFO", assumed.FIFO_DEFAULT_PARAMS, stamp)


@blueprint.route("/api/queues", methods=["GET"])
def list_queues():
    tables = data()
    with tables.read():
        rows = [queue_json(r, listed=True) for r in tables.queues.all()]
    return jsonify(paged(rows))


@blueprint.route("/api/queues/<id>", methods=["GET"])
def read_queue(id):
    with data().read():
        return jsonify(queue_json(existing_queue(id), listed=False))


@blueprint.route("/api/queues", methods=["POST"])
def create_queue():
    body = body_object()
    required_text(body, assumed.QUEUE_REQUIRED_FIELDS)
    fields = {f: text(f, body.get(f)) for f in QUEUE_TEXT_FIELDS}
    fields["type"] = fields["type"] or assumed.QUEUE_DEFAULT_TYPE
    check_queue_type(fields["type"])
    check_strategy(fields["type"], fields["strategy"])
    if assumed.CTI_TEMPLATE_DEFAULTS_TO_TYPE and not fields["cti_template"]:
        fields["cti_template"] = fields["type"]
    auto_record = optional_int("auto_record", body.get("auto_record"), 0)
    stamp = now()
    tables = data()
    with tables.write():
        check_name_free(fields["name"])
        media = {f: media_object(body.get(f)) for f in QUEUE_MEDIA_FIELDS}
        queue_id = tables.queues.insert(dict(fields, **media, auto_record=auto_record,
                                             created_at=stamp, updated_at=stamp))
        if fields["type"] == "fifo":
            add_fifo_defaults(queue_id, stamp)
    return jsonify({"code": 200, "data": str(queue_id), "message": "success"})


@blueprint.route("/api/queues/<id>", methods=["PUT"])
def update_queue(id):
    body = body_object()
    body.pop("id", None)
    tables = data()
    with tables.write():
        row = existing_queue(id)
        changes = {}
        for field in QUEUE_TEXT_FIELDS:
            if field in body:
                changes[field] = text(field, body[field])
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
            if field in body:
                changes[field] = media_object(body[field])
        if "auto_record" in body:
            changes["auto_record"] = optional_int("auto_record", body["auto_record"], 0)
        stamp = now()
        changes["updated_at"] = stamp
        tables.queues.update(row["id"], changes)
        if changes.get("type") == "fifo":
            add_fifo_defaults(row["id"], stamp)
    return success(str(row["id"]))


@blueprint.route("/api/queues/<id>", methods=["DELETE"])
def delete_queue(id):
    tables = data()
    with tables.write():
        row = tables.queues.get(path_id(id))
        if row is None:
            raise deleted_nothing()
        if cfg("delete_queue_cascades"):
            tables.members.delete_of_queue(row["id"])
        tables.params.delete_of_queue(row["id"])
        tables.queues.delete(row["id"])
    return jsonify({"code": 200, "data": str(row["id"]), "message": "success"})
