"""Dicts (``/api/dicts/realm/<realm>``): the valid keys of queue extra
parameters, QUEUE_CC_PARAM and QUEUE_FIFO_PARAM."""

from flask import Blueprint, jsonify

from .. import assumed
from ..db import DICT_KEYS
from .common import data, not_found

blueprint = Blueprint("xswitch_dicts", __name__)


def dict_json(row):
    return {
        "d": row["d"], "v": row["v"], "o": row["o"], "k": row["k"], "id": str(row["id"]),
        "deleted_at": row["deleted_at"], "realm": row["realm"],
        "created_at": row["created_at"], "updated_at": row["updated_at"],
    }


@blueprint.route("/api/dicts/realm/<realm>", methods=["GET"])
def dict_realm(realm):
    tables = data()
    with tables.read():
        rows = tables.dicts.of_realm(realm)
    if not rows and realm not in DICT_KEYS and not assumed.UNKNOWN_DICT_REALM_EMPTY:
        raise not_found()
    return jsonify([dict_json(r) for r in rows])
