"""Queue members (``/api/queues/<id>/agents``): the agents of a queue, one row
per agent, with level and position."""

from flask import Blueprint, jsonify
from werkzeug.exceptions import NotFound

from .. import assumed
from ..db import md5, now
from .common import (api_error, bad_request, body_object, cfg, data, deleted_nothing, duplicate,
                     optional_int, paged, path_id, success, text)
from .queues import existing_queue

blueprint = Blueprint("xswitch_members", __name__)

# Columns of a member row shown as they are stored (strings already).
MEMBER_TEXT_COLUMNS = ("external_queue_id", "external_agent_id", "description",
                       "created_at", "updated_at", "deleted_at")


def member_listed_json(row):
    """A member row as GET /api/queues/$id/agents lists it (all strings)."""
    out = {
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
    }
    out.update((column, row[column]) for column in MEMBER_TEXT_COLUMNS)
    return out


def member_created_json(row):
    """A member row as the POST reply shows it (numbers, the vendor document's key set)."""
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
    }
    out.update((column, row[column]) for column in MEMBER_TEXT_COLUMNS)
    out.update(assumed.MEMBER_CREATE_REPLY_OVERRIDES)
    return out


@blueprint.route("/api/queues/<id>/agents", methods=["GET"])
def list_members(id):
    tables = data()
    with tables.read():
        rows = tables.members.of_queue(existing_queue(id)["id"])
    return jsonify(paged(rows, member_listed_json))


def new_member_row(tables, queue, item, stamp):
    """The columns of one member row to add from one item of the POST body."""
    if not isinstance(item, dict):
        raise bad_request("each agent is an object with agent_id and agent_name")
    try:
        agent_id = int(item.get("agent_id"))
    except (TypeError, ValueError):
        raise bad_request("agent_id is required")
    user = tables.users.get(agent_id)
    if user is None:
        raise api_error(assumed.MEMBER_UNKNOWN_AGENT_STATUS, "agent %s not found" % agent_id)
    if tables.members.by_agent(queue["id"], agent_id) is not None:
        raise duplicate(assumed.QUEUE_AGENTS_CONSTRAINT)
    return {
        "queue_id": queue["id"],
        "agent_id": agent_id,
        "agent_name": text("agent_name", item.get("agent_name"))
        or assumed.default_agent_name(user),
        "level": optional_int("level", item.get("level"), assumed.MEMBER_DEFAULT_LEVEL),
        "position": optional_int("position", item.get("position"),
                                 assumed.MEMBER_DEFAULT_POSITION),
        "disabled": 1 if cfg("new_members_disabled") else 0,
        "created_at": stamp,
        "updated_at": stamp,
    }


@blueprint.route("/api/queues/<id>/agents", methods=["POST"])
def add_members(id):
    body = body_object()
    agents = body.get("agents")
    if not isinstance(agents, list) or not agents:
        raise bad_request("agents must be a non-empty list")
    stamp = now()
    tables = data()
    with tables.write():
        queue = existing_queue(id)
        created = [tables.members.insert(new_member_row(tables, queue, item, stamp))
                   for item in agents]
        rows = [tables.members.joined(member_id) for member_id in created]
    return jsonify({"data": [member_created_json(r) for r in rows],
                    "message": "success", "code": 200})


@blueprint.route("/api/queues/<id>/agents/<member_id>", methods=["DELETE"])
def delete_member(id, member_id):
    if not cfg("member_delete_route"):
        # A server without this route: the reply of any unknown route.
        raise NotFound()
    tables = data()
    with tables.write():
        # No queue check: without a cascade a member row can outlive its queue, and the
        # delete is by key, answered 500 when it matched nothing (XUI).
        queue_id, wanted = path_id(id), path_id(member_id)
        if assumed.MEMBER_DELETE_BY_ROW_ID:
            row = tables.members.in_queue(queue_id, wanted)
        else:
            row = tables.members.by_agent(queue_id, wanted)
        if row is None:
            raise deleted_nothing()
        tables.members.delete(row["id"])
    return success(str(wanted))
