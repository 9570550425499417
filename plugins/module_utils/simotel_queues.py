# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simotel queues as a resource of the engine: named by ``number``, read with one
``pbx/queues/search``, written with ``pbx/queues/add``, ``update`` and ``remove``
(the vendor's wiki, ``simotel/wiki``, pages ``6-queues/1-4``; see docs/api/simotel.md).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import (
    to_bool,
    to_int,
    to_text,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.engine import Field, Resource
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import ApiError
from ansible_collections.telephony.callcenter.plugins.module_utils.module import PlanError
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import redact
from ansible_collections.telephony.callcenter.plugins.module_utils.simotel import service_path

ADD_SERVICE = "pbx/queues/add"
SEARCH_SERVICE = "pbx/queues/search"
# The "Queue Edit" page's address.
UPDATE_SERVICE = "pbx/queues/update"
REMOVE_SERVICE = "pbx/queues/remove"

# Asterisk's strategies; the wiki lists them as display names, which a server may read back.
STRATEGIES = ["ringall", "leastrecent", "fewestcalls", "random", "rrmemory", "rrordered",
              "linear", "wrandom"]
STRATEGY_SPELLINGS = {"Ring All": "ringall", "Least Recent": "leastrecent",
                      "Fewest Calls": "fewestcalls", "Random": "random", "RR Memory": "rrmemory",
                      "RR Ordered": "rrordered", "Linear": "linear", "W Random": "wrandom"}
YES_NO = ("ringinuse", "call_record", "setinterfacevar", "autofill", "setqueuevar",
          "setqueueentryvar", "persistentmembers", "shared_lastcall", "announce_holdtime",
          "announce_position", "leavewhenempty", "reportholdtime")
NUMBERS = ("maxlen", "announce_frequency", "min_announce_frequency",
           "periodic_announce_frequency", "retry", "servicelevel", "timeout", "weight",
           "wrapuptime")
TEXTS = ("music", "queue_callswaiting", "queue_thankyou", "queue_thereare", "queue_youarenext",
         "monitor_type", "monitor_format", "more_options")
JOINEMPTY = ("yes", "no", "strict")
# Options named otherwise than the API's fields: the connection's ``timeout`` owns that name.
OPTION_OF = {"timeout": "ring_timeout"}


def option(field):
    """The module option of an API field."""
    return OPTION_OF.get(field, field)


def yes_no(value):
    """A flag as the API writes it (``"yes"``/``"no"``)."""
    return "yes" if to_bool(value) else "no"


def joinempty_word(value):
    """``joinempty`` as one of yes/no/strict; booleans (YAML ``yes``) count as yes/no.
    Raises ValueError for anything else."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    word = to_text(value).strip().lower()
    if word not in JOINEMPTY:
        raise ValueError("joinempty must be one of %s, not %r" % (", ".join(JOINEMPTY), value))
    return word


def same_joinempty(wanted, held):
    try:
        return joinempty_word(wanted) == joinempty_word(held)
    except ValueError:
        return False


def same_word(wanted, held):
    return to_text(wanted).strip().lower() == to_text(held).strip().lower()


QUEUE_ITEM_SPEC = dict(
    number=dict(type="str"),
    name=dict(type="str"),
    strategy=dict(type="str", choices=STRATEGIES),
    joinempty=dict(type="raw"),
)
QUEUE_ITEM_SPEC.update((name, dict(type="bool")) for name in YES_NO)
QUEUE_ITEM_SPEC.update((option(name), dict(type="int")) for name in NUMBERS)
QUEUE_ITEM_SPEC.update((name, dict(type="str")) for name in TEXTS)


class SimotelQueues(Resource):
    """Queues of a Simotel server, by number."""

    noun = "queue"
    plural = "queues"
    key = "number"
    path = service_path(SEARCH_SERVICE)
    # A queue is read from the search of all queues, never on its own.
    single_read = False

    fields = (
        (Field("name"),
         Field("strategy", spellings=STRATEGY_SPELLINGS, same=same_word),
         Field("joinempty", same=same_joinempty, encode=joinempty_word,
               show=lambda value: _shown(joinempty_word, value)))
        + tuple(Field(name, "bool", encode=yes_no) for name in YES_NO)
        + tuple(Field(option(name), "int", api=name, encode=lambda value: str(to_int(value)))
                for name in NUMBERS)
        + tuple(Field(name) for name in TEXTS)
    )

    # Reading ----------------------------------------------------------------------------
    def read_all(self):
        """Every queue, by one search: ``alike`` true with empty conditions matches all.
        A reply whose ``data`` is not a list of queues is an error, never "no queues"."""
        data = self.client.call(SEARCH_SERVICE, {"alike": "true",
                                                 "conditions": {"name": "", "number": ""}},
                                replay_safe=True)
        if data is None:
            data = []
        if not isinstance(data, list) or not all(isinstance(queue, dict) for queue in data):
            raise ApiError("POST", service_path(SEARCH_SERVICE),
                           reason="the search reply's data is not a list of queues")
        queues = []
        for queue in data:
            if queue.get("number") in (None, "") or queue.get("_id") in (None, ""):
                raise ApiError("POST", service_path(SEARCH_SERVICE),
                               reason="a queue in the search reply has no number or _id")
            queues.append(dict(queue, id=to_text(queue["_id"])))
        return queues

    # Planning ---------------------------------------------------------------------------
    def check_item(self, item):
        errors = []
        if item.get("joinempty") is not None:
            try:
                joinempty_word(item["joinempty"])
            except ValueError as error:
                errors.append(str(error))
        for name in map(option, NUMBERS):
            if item.get(name) is not None and item[name] < 0:
                errors.append("%s must not be negative, not %d" % (name, item[name]))
        if item.get("name") is not None and not item["name"].strip():
            errors.append("name must not be empty")
        return errors

    def plan_present(self, change):
        if change.current is None and change.item.get("name") in (None, ""):
            raise PlanError("name is required to create queue %s (the API requires it)"
                            % change.key)

    # Writing ----------------------------------------------------------------------------
    def create(self, change):
        data = self.client.call(ADD_SERVICE, change.body)
        if isinstance(data, dict) and data.get("_id") not in (None, ""):
            return to_text(data["_id"])
        return None

    def update(self, change):
        body = dict(change.body)
        body["_id"] = change.id
        self.client.call(UPDATE_SERVICE, body)

    def delete(self, change):
        # The remove page's table names the id "id_", its example "_id": both are sent.
        self.client.call(REMOVE_SERVICE, {"_id": change.id, "id_": change.id})

    def still_there(self, change):
        return "queue %s is still there after %s" % (change.key, service_path(REMOVE_SERVICE))

    def is_conflict(self, error):
        return "already exists" in to_text(error.api_message).lower()

    def predict(self, change):
        obj = dict(change.current or {})
        obj.update(change.body)
        obj.setdefault("number", change.key)
        return obj

    def view(self, obj):
        shown = dict(obj)
        shown.pop("id", None)
        return redact(shown)


def _shown(function, value):
    try:
        return function(value)
    except ValueError:
        return value
