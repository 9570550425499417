"""Queues: ``pbx/queues/add``, ``search``, ``update`` (the "Queue Edit" page) and ``remove``
(simotel/wiki, i18n/en/docusaurus-plugin-content-docs/current/developers/2-SimotelAPI/v4/
6-queues/1-4).

* add: ``name`` and ``number`` required, the settings optional; reply success 1,
  "Requested operation is done successfully", ``data: {"_id": ...}``; a number taken:
  success 0 "this queue already exists".
* search: ``alike`` required, ``conditions: {name, number}``; ``data`` is the list of queues,
  each with ``_id``, ``name``, ``number``, its settings and ``date``, every value a string.
* update: ``_id`` required, any other field changes; reply ``data: ""``.
* remove: ``_id``; reply ``data: ""``.
"""

import json

from flask import jsonify

from .. import assumed
from ..db import simotel_date, simotel_id
from .common import Service, envelope, failed, missing, text

SETTING_NAMES = tuple(name for name, _default in assumed.SIMOTEL_QUEUE_DEFAULTS)


def _settings_of(body):
    """The settings given in ``body``, as text (the search reply shows every value as a
    string); a value that is neither text nor a number fails."""
    given = {}
    for name in SETTING_NAMES:
        if name not in body:
            continue
        value = body[name]
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise failed(assumed.SIMOTEL_FAILED_MESSAGE)
        given[name] = str(value)
    return given


def services(ctx):
    conn = ctx.conn

    def row_by_number(number):
        return conn().execute("SELECT * FROM pbx_queues WHERE number = ?", (number,)).fetchone()

    def row_by_id(queue_id):
        return conn().execute("SELECT * FROM pbx_queues WHERE id = ?", (queue_id,)).fetchone()

    def shown(row):
        queue = {"_id": row["id"], "name": row["name"], "number": row["number"]}
        stored = json.loads(row["settings"] or "{}")
        for name, default in assumed.SIMOTEL_QUEUE_DEFAULTS:
            queue[name] = stored.get(name, default)
        queue["date"] = row["date"]
        return queue

    def done(data):
        return jsonify({"success": 1, "message": assumed.SIMOTEL_DONE_MESSAGE, "data": data}), 200

    def add(body):
        name = text(body, "name")
        number = text(body, "number")
        settings = dict(assumed.SIMOTEL_QUEUE_DEFAULTS)
        settings.update(_settings_of(body))
        with ctx.transaction():
            if row_by_number(number) is not None:
                raise failed(assumed.SIMOTEL_QUEUE_EXISTS_MESSAGE)
            queue_id = simotel_id()
            conn().execute(
                "INSERT INTO pbx_queues (number, id, name, settings, date) VALUES (?, ?, ?, ?, ?)",
                (number, queue_id, name, json.dumps(settings), simotel_date()))
        return done({"_id": queue_id})

    def search(body):
        alike = body.get("alike")
        if alike in (None, ""):
            raise missing("alike")
        alike = str(alike).strip().lower() in ("true", "1")
        conditions = body.get("conditions") or {}
        if not isinstance(conditions, dict):
            raise failed(assumed.SIMOTEL_FAILED_MESSAGE)
        wanted = {}
        for key in ("name", "number"):
            value = text(conditions, key, required=False)
            if value is not None:
                wanted[key] = value
        found = []
        for row in conn().execute("SELECT * FROM pbx_queues ORDER BY number").fetchall():
            if all((value.lower() in row[key].lower()) if alike else (row[key] == value)
                   for key, value in wanted.items()):
                found.append(shown(row))
        return envelope(1, "", found)

    def update(body):
        queue_id = text(body, "_id")
        changes = _settings_of(body)
        with ctx.transaction():
            row = row_by_id(queue_id)
            if row is None:
                raise failed(ctx.message("queue_not_found"))
            name = text(body, "name", required=False) or row["name"]
            number = text(body, "number", required=False) or row["number"]
            if number != row["number"] and row_by_number(number) is not None:
                raise failed(assumed.SIMOTEL_QUEUE_EXISTS_MESSAGE)
            settings = json.loads(row["settings"] or "{}")
            settings.update(changes)
            conn().execute("UPDATE pbx_queues SET number = ?, name = ?, settings = ? WHERE id = ?",
                           (number, name, json.dumps(settings), queue_id))
            if number != row["number"]:
                conn().execute("UPDATE pbx_members SET queue = ? WHERE queue = ?",
                               (number, row["number"]))
        return done("")

    def remove(body):
        position = ctx.setting("pbx_queue_remove_id_field")
        fields = ("_id", "id_") if position == "either" else (position,)
        queue_id = None
        for field in fields:
            queue_id = text(body, field, required=False)
            if queue_id is not None:
                break
        if queue_id is None:
            raise missing(fields[0])
        with ctx.transaction():
            row = row_by_id(queue_id)
            if row is None:
                raise failed(ctx.message("queue_not_found"))
            conn().execute("DELETE FROM pbx_members WHERE queue = ?", (row["number"],))
            conn().execute("DELETE FROM pbx_queues WHERE id = ?", (queue_id,))
        return done("")

    return {
        "pbx/queues/add": Service(add),
        "pbx/queues/search": Service(search, writes=False),
        "pbx/queues/update": Service(update),
        "pbx/queues/remove": Service(remove),
    }
