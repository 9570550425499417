"""Agents in queues: ``pbx/queues/{add,remove,pause,resume}agent`` and their batch forms
(simotel/wiki, i18n/en/docusaurus-plugin-content-docs/current/developers/2-SimotelAPI/v4/
6-queues/5-12).

* single: the body is one item; the reply ``{"success": 1, "message": "",
  "data": {"message": "...", "ok": 1}}``.
* batch: ``{"agents": [item, ...]}``; the reply ``data`` is ``{"Data": [answer, ...], "ok"}``,
  each answer echoing the item (``batchaddagent`` echoes ``agents``, ``penalty`` and
  ``source``; the others ``agent`` and ``queue``).
"""

from flask import jsonify

from .. import assumed
from .common import Service, envelope, failed, missing, text


def services(ctx):
    conn = ctx.conn

    def queue_exists(queue):
        return conn().execute("SELECT 1 FROM pbx_queues WHERE number = ?",
                              (queue,)).fetchone() is not None

    def member(queue, agent):
        return conn().execute("SELECT * FROM pbx_members WHERE queue = ? AND agent = ?",
                              (queue, agent)).fetchone()

    def outcome(ok, key):
        return {"message": ctx.message(key), "ok": 1 if ok else 0}

    def remove(item):
        if not queue_exists(item["queue"]):
            return outcome(False, "no_queue_remove")
        if member(item["queue"], item["agent"]) is None:
            return outcome(False, "not_member_remove")
        conn().execute("DELETE FROM pbx_members WHERE queue = ? AND agent = ?",
                       (item["queue"], item["agent"]))
        return outcome(True, "removed")

    def add(item):
        if not queue_exists(item["queue"]):
            return outcome(False, "no_queue_add")
        if member(item["queue"], item["agent"]) is not None:
            return outcome(False, "already_member")
        conn().execute(
            "INSERT INTO pbx_members (queue, agent, source, penalty, paused)"
            " VALUES (?, ?, ?, ?, 0)",
            (item["queue"], item["agent"], item["source"], item["penalty"]))
        return outcome(True, "added")

    def set_paused(paused):
        def operation(item):
            found = member(item["queue"], item["agent"]) if queue_exists(item["queue"]) else None
            if found is None:
                return outcome(False, "not_found_pause")
            if found["paused"] == paused and ctx.setting("pbx_pause_repeat") == "refuse":
                return outcome(False, "already_paused" if paused else "not_paused")
            conn().execute("UPDATE pbx_members SET paused = ? WHERE queue = ? AND agent = ?",
                           (paused, item["queue"], item["agent"]))
            return outcome(True, "paused" if paused else "resumed")
        return operation

    def agent_of(raw, fields):
        for field in fields:
            value = text(raw, field, required=False)
            if value is not None:
                return value
        raise missing(fields[0])

    def parse_item(raw, agent_fields=("agent",), adding=False):
        if not isinstance(raw, dict):
            raise failed(assumed.SIMOTEL_FAILED_MESSAGE)
        item = {"queue": text(raw, "queue"), "agent": agent_of(raw, agent_fields)}
        if adding:
            # Required (**) in both parameter tables.
            item["source"] = text(raw, "source")
            penalty = raw.get("penalty")
            if penalty in (None, ""):
                item["penalty"] = assumed.SIMOTEL_DEFAULT_PENALTY
            else:
                try:
                    item["penalty"] = int(penalty)
                except (TypeError, ValueError):
                    raise failed(assumed.SIMOTEL_FAILED_MESSAGE)
            item["penalty_given"] = "" if penalty is None else penalty
        return item

    def batchadd_fields():
        position = ctx.setting("pbx_batchadd_agent_field")
        return ("agents", "agent") if position == "either" else (position,)

    def answer_remove(item, result):
        return {"agent": item["agent"], "message": result["message"], "ok": result["ok"],
                "queue": item["queue"]}

    def answer_add(item, result):
        # The documented reply: agents, message, ok, penalty, queue, source.
        return {"agents": item["agent"], "message": result["message"], "ok": result["ok"],
                "penalty": str(item["penalty_given"]), "queue": item["queue"],
                "source": item["source"]}

    def batch(operation, answer, adding=False):
        def handler(body):
            agents = body.get("agents")
            if not isinstance(agents, list) or not agents:
                raise missing("agents")
            fields = batchadd_fields() if adding else ("agent",)
            items = [parse_item(raw, fields, adding) for raw in agents]
            with ctx.transaction():
                results = [answer(item, operation(item)) for item in items]
            all_ok = all(r["ok"] for r in results)
            data_ok = 0 if (assumed.BATCH_OK_ZERO_WHEN_ANY_ITEM_FAILS and not all_ok) else 1
            success = 1 if assumed.BATCH_SUCCESS_ALWAYS_ONE else (1 if all_ok else 0)
            return envelope(success, "", {"Data": results, "ok": data_ok})
        return handler

    def single(operation, adding=False):
        def handler(body):
            item = parse_item(body, ("agent",), adding)
            with ctx.transaction():
                result = operation(item)
            if not result["ok"] and ctx.setting("pbx_single_failure") == "envelope":
                raise failed(result["message"])
            return jsonify({"success": 1, "message": "", "data": result}), 200
        return handler

    return {
        "pbx/queues/batchremoveagent": Service(batch(remove, answer_remove)),
        "pbx/queues/batchaddagent": Service(batch(add, answer_add, adding=True)),
        "pbx/queues/batchpauseagent": Service(batch(set_paused(1), answer_remove)),
        "pbx/queues/batchresumeagent": Service(batch(set_paused(0), answer_remove)),
        "pbx/queues/addagent": Service(single(add, adding=True)),
        "pbx/queues/removeagent": Service(single(remove)),
        "pbx/queues/pauseagent": Service(single(set_paused(1))),
        "pbx/queues/resumeagent": Service(single(set_paused(0))),
    }
