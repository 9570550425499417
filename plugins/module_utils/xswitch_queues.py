# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""XSwitch queues and what hangs off a queue: extra parameters and members.

What the generic engine needs to know about them beyond fields: strategies per queue type,
media values, the parameter dictionaries, the toggle that flips a parameter, members added
many at a time.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.telephony.callcenter.plugins.module_utils.api_assumptions import (
    XSWITCH_MEMBER_DELETE_PATH,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.compare import (
    to_bool,
    to_text,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.engine import NOT_SET, Field, Resource
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import ApiError
from ansible_collections.telephony.callcenter.plugins.module_utils.module import PlanError
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import redact
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import (
    XSwitchClient,
    xswitch_module,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_accounts import protected_accounts

CALLCENTER = "callcenter"
FIFO = "fifo"
# FreeSWITCH mod_callcenter and mod_fifo strategies.
STRATEGIES = {
    CALLCENTER: ["ring-all", "longest-idle-agent", "round-robin", "top-down",
                 "agent-with-least-talk-time", "agent-with-fewest-calls",
                 "sequentially-by-agent-order", "random", "ring-progressively"],
    FIFO: ["ringall", "enterprise"],
}
ALL_STRATEGIES = STRATEGIES[CALLCENTER] + STRATEGIES[FIFO]
# Parameter realm of each queue type, and the dictionary that lists its keys.
REALM_OF_TYPE = {CALLCENTER: "CC", FIFO: "FIFO"}
PARAM_DICTS = {"CC": "QUEUE_CC_PARAM", "FIFO": "QUEUE_FIFO_PARAM"}


# Media (moh_sound, greeting) -----------------------------------------------------------
def _is_media_id(value):
    return isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())


def media_wanted(value):
    """A media setting as the task gives it: an id, a path, or a dict of either."""
    if isinstance(value, dict):
        return dict((key, to_text(item)) for key, item in value.items()
                    if key in ("media_id", "media_path") and item not in (None, ""))
    if _is_media_id(value):
        return {"media_id": to_text(value).strip()}
    if value in (None, ""):
        return {}
    return {"media_path": to_text(value)}


def media_held(value):
    """What the API reads back: an object, JSON text of one, or ``""``."""
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if not isinstance(value, dict):
        return media_wanted(value)
    return dict((key, to_text(value.get(key))) for key in ("media_id", "media_path")
                if value.get(key) not in (None, ""))


def same_media(wanted, held):
    """An id compares with ``media_id``, a path with ``media_path``; empty with empty."""
    want, have = media_wanted(wanted), media_held(held)
    if not want:
        return not have
    return all(have.get(key) == item for key, item in want.items())


def encode_media(value):
    """An id is sent as a number, a path as the JSON text the API expects."""
    want = media_wanted(value)
    if not want:
        return ""
    if list(want) == ["media_id"]:
        return int(want["media_id"])
    return json.dumps(want, sort_keys=True)


def show_media(value):
    return media_held(value) or ""


# Queues -------------------------------------------------------------------------------
def strategy_error(queue_type, strategy):
    """A message if ``strategy`` does not belong to ``queue_type``, else None."""
    allowed = STRATEGIES.get(queue_type)
    if strategy and allowed and strategy not in allowed:
        return ("strategy %s is not a %s strategy; %s queues take %s"
                % (strategy, queue_type, queue_type, ", ".join(allowed)))
    return None


def queue_type(queue):
    """A queue's type as read: ``type`` where the server returns it, else ``cti_template``
    (the API document's queue reads carry only the latter); NOT_SET when neither says."""
    for key in ("type", "cti_template"):
        value = to_text(queue.get(key)).strip().lower()
        if value in STRATEGIES:
            return value
    return NOT_SET


class QueueRecords(Resource):
    """Queues under /api/queues, named by name; a module declares their ``fields``."""

    noun = "queue"
    plural = "queues"
    key = "name"
    path = "/api/queues"

    def check_item(self, item):
        error = strategy_error(item.get("type"), item.get("strategy"))
        return [error] if error else []

    def plan_present(self, change):
        if change.current is None:
            change.body.setdefault("type", CALLCENTER)
            change.after.setdefault("type", CALLCENTER)
            kind = change.body["type"]
            # Reads may carry only cti_template: send it, so the type can be read back.
            change.body.setdefault("cti_template", kind)
        else:
            kind = change.item.get("type") or queue_type(change.current)
        error = strategy_error(kind, change.item.get("strategy"))
        if error:
            raise PlanError(error)

    def view(self, obj):
        obj = dict(obj)
        kind = queue_type(obj)
        if "type" not in obj and kind is not NOT_SET:
            obj["type"] = kind
        return super(QueueRecords, self).view(obj)


QUEUE_ITEM_SPEC = dict(
    name=dict(type="str"),
    type=dict(type="str", choices=["callcenter", "fifo"]),
    strategy=dict(type="str", choices=ALL_STRATEGIES),
    description=dict(type="str"),
    template=dict(type="str"),
    cti_template=dict(type="str"),
    moh_sound=dict(type="raw"),
    greeting=dict(type="raw"),
    auto_record=dict(type="bool"),
)


def _media(name):
    return Field(name, same=same_media, encode=encode_media, show=show_media)


class Queues(QueueRecords):
    """Queues under /api/queues, named by name."""

    fields = (
        Field("type", create_only=True, held=queue_type),
        Field("strategy"),
        Field("description"),
        # The API document's reads do not return template: it is sent when the queue is
        # created, never compared later.
        Field("template", enforce="on_create"),
        Field("cti_template"),
        _media("moh_sound"),
        _media("greeting"),
        # The API writes the flag as "1"/"0" and reads it back as 1/0 or "1"/"0".
        Field("auto_record", "bool", encode=lambda value: "1" if to_bool(value) else "0"),
    )


def find_queue(client, name):
    """The queue named ``name`` (one paged read of the queue list), or None."""
    return queues_by_name(client).get(to_text(name))


def queues_by_name(client):
    """Every queue, by name (one paged read of the queue list)."""
    return dict((to_text(queue.get("name")), queue) for queue in client.list_all(QueueRecords.path))


def queue_for(module, queues, name):
    """The queue named ``name`` among ``queues`` (by name), that a task changes something of.

    A missing queue is an error before anything is written, except in check mode: there an
    earlier task of the same dry run would have created it, so it stands in as an empty queue
    and everything is reported as to be added, with a warning.
    """
    queue = queues.get(to_text(name))
    if queue is not None:
        return queue
    if module.check_mode:
        module.warn("queue %s does not exist; check mode reports everything as to be added, as "
                    "if an earlier task had created the queue" % name)
        return {"name": name}
    raise PlanError("queue %s does not exist" % name)


def queue_entries(module, single_option):
    """The queues a task names: the ``queues`` list, or the single form (``queue`` and
    ``single_option``) as a list of one. Returns ``(entries, single)``; each entry has
    ``name``, ``exclusive`` and the item option, and ``option``: how errors name its items."""
    params = module.params
    if params.get("queues") is None:
        return [{"name": params["queue"], single_option: params[single_option],
                 "exclusive": params["exclusive"], "option": single_option}], True
    entries, seen = [], set()
    for index, entry in enumerate(params["queues"]):
        if entry["name"] in seen:
            module.fail_json(msg="Invalid input, nothing was changed: queues[%d]: queue %s is "
                                 "named twice" % (index, entry["name"]))
        seen.add(entry["name"])
        entries.append(dict(entry, option="queues[%d].%s" % (index, single_option)))
    return entries, False


def exit_per_queue(module, results, line, total, single, compact=None):
    """End a run over one or many queues: ``results`` holds each queue's outcome (with its
    ``name``), ``line`` the summary and ``total`` the counts of all. The single form returns its
    queue's outcome as it is; the list form one entry per queue, and ``compact`` may replace
    one of an entry's bulky values (the name of the value, and a function of the outcome)."""
    if single:
        result = dict(results[0], msg=line)
        result.pop("name", None)
        module.exit_json(**result)
    entries = []
    for result in results:
        entry = dict((key, value) for key, value in result.items() if key not in ("diff", "msg"))
        if compact:
            entry[compact[0]] = compact[1](result)
        entries.append(entry)
    module.exit_json(
        changed=any(result["changed"] for result in results), msg=line, counts=total,
        queues=entries,
        diff={"before": dict((r["name"], r["diff"]["before"]) for r in results if r["changed"]),
              "after": dict((r["name"], r["diff"]["after"]) for r in results if r["changed"])})


# Extra parameters ---------------------------------------------------------------------
def guess_realm(client, keys):
    """The realm of a queue whose type is unknown (it does not exist yet): FIFO when every key
    is a FIFO key, else CC."""
    return "FIFO" if keys and set(keys) <= param_keys(client, "FIFO") else "CC"


def params_realm(client, queue, names, realm=None):
    """The realm of a queue's parameters: the one given, else its type's, else a guess from
    the keys ``names`` (a queue whose type is not known)."""
    return realm or REALM_OF_TYPE.get(queue_type(queue)) or guess_realm(client, names)


def unknown_params(client, realm, names, queue_name):
    """Why some of the keys ``names`` cannot be set on queue ``queue_name``, or None."""
    known = param_keys(client, realm)
    missing = [name for name in names if name not in known]
    if not missing:
        return None
    return ("unknown %s parameter %s of queue %s; the server's dictionary lists %s"
            % (realm, ", ".join(missing), queue_name, ", ".join(sorted(known))))


def param_keys(client, realm):
    """The keys the server accepts in ``realm`` (the dictionary rows carry the key in ``v``)."""
    return set(to_text(row.get("v")) for row in client.reference("/api/dicts/realm/" + PARAM_DICTS[realm]))


class QueueParams(Resource):
    """The extra parameters of one queue in one realm, named by key (``k``)."""

    noun = "param"
    plural = "params"
    key = "name"
    api_key = "k"
    # The enabled flag can only be toggled: parallel runs can flip it back (bounded retries).
    race_rounds = 3
    single_read = False  # no route reads one param row

    def __init__(self, client, module, queue, realm):
        super(QueueParams, self).__init__(client, module)
        self.queue = queue
        self.realm = realm
        self.path = (self.list_path(to_text(queue.get("id")))
                     if queue.get("id") is not None else None)

    @staticmethod
    def list_path(queue_id):
        return "%s/%s/extra_params" % (QueueRecords.path, queue_id)

    def read_all(self):
        return [row for row in super(QueueParams, self).read_all()
                if to_text(row.get("realm")).upper() == self.realm]

    def plan_present(self, change):
        enabled = change.item.get("enabled")
        if change.current is None:
            if change.body.get("v") in (None, ""):
                if change.item.get("value") is None:
                    raise PlanError("value is required to add param %s" % change.key)
            change.body["realm"] = self.realm
            if enabled is not None and not to_bool(enabled):
                change.notes["toggle"] = True
                change.after["enabled"] = False
            return
        if enabled is None:
            return
        is_enabled = not to_bool(change.current.get("disabled"))
        if to_bool(enabled) != is_enabled:
            # The API only flips the flag: send the toggle only when it must flip.
            change.notes["toggle"] = True
            change.before["enabled"] = is_enabled
            change.after["enabled"] = to_bool(enabled)
            change.action = "update"

    def create(self, change):
        new_id = self.client.create(self.path, change.body)
        if change.notes.get("toggle"):
            self.toggle(new_id, change)
        return new_id

    def update(self, change):
        if change.body:
            body = dict(change.body, k=change.key)
            self.client.update(self.object_path(change.id), body)
        if change.notes.get("toggle"):
            self.toggle(change.id, change)

    def toggle(self, param_id, change):
        # Replaying a toggle would flip the flag back: never retried after a timeout. When the
        # reply is lost, one read tells whether it was applied.
        try:
            self.client.update(self.object_path(param_id), {"action": "toggle"}, replay_safe=False)
        except ApiError as error:
            if error.status is not None:
                raise
            wanted_enabled = to_bool(change.item.get("enabled"))
            for row in self.read_all():
                if to_text(row.get("id")) == to_text(param_id) \
                        and _flag_set(row.get("disabled")) != wanted_enabled:
                    self.module.warn("param %s: the reply to the toggle was lost, but the flag "
                                     "reads back as wanted" % change.key)
                    return
            raise


class Params(QueueParams):
    """Rows under /api/queues/$id/extra_params, named by key; values compare as JSON."""

    report_all = True
    fields = (Field("value", "json", api="v"),)


def param_items(params, state):
    """The ``params`` option as items ``{name, value, enabled}``, or a list of errors."""
    if isinstance(params, dict):
        return [{"name": to_text(key), "value": value} for key, value in params.items()], []
    if not isinstance(params, list):
        return [], ["params must be a mapping of key to value, or a list"]
    items, errors = [], []
    for index, entry in enumerate(params):
        where = "params[%d]" % index
        if isinstance(entry, str) and state == "absent":
            items.append({"name": entry})
            continue
        if not isinstance(entry, dict):
            errors.append("%s: must be a dict with name, value and enabled" % where)
            continue
        unknown = sorted(set(entry) - set(("name", "value", "enabled")))
        if unknown:
            errors.append("%s: unknown keys %s; use name, value and enabled" % (where, ", ".join(unknown)))
        if entry.get("enabled") is not None:
            try:
                to_bool(entry["enabled"])
            except ValueError:
                errors.append("%s (name %s): enabled must be a boolean" % (where, entry.get("name")))
        items.append(dict((key, entry.get(key)) for key in ("name", "value", "enabled")))
    return items, errors


# How a summary names the actions on members.
MEMBER_WORDS = (("created", "added"), ("deleted", "removed"), ("unchanged", "unchanged"))


# Members ------------------------------------------------------------------------------
class UserIndex:
    """The users by login and the logins by id: built once for all the queues of a run,
    not once per queue (50 queues of a 1,000-agent center are 50,000 entries otherwise)."""

    def __init__(self, users):
        self.by_login = dict((to_text(user.get("login")), user) for user in users)
        self.login_by_id = dict((to_text(user.get("id")), login)
                                for login, user in self.by_login.items())


class QueueMembers(Resource):
    """The agents of one queue, named by agent login; added many at a time."""

    noun = "member"
    plural = "members"
    key = "agent"
    single_read = False  # no route reads one member row

    def __init__(self, client, module, queue, users, alternative=None):
        super(QueueMembers, self).__init__(client, module)
        self.accounts = protected_accounts(client, module)
        # How a refusal of a plain user says it becomes an agent, when not by xswitch_agent.
        self.alternative = alternative
        self.queue = queue
        self.queue_id = to_text(queue.get("id")) if queue.get("id") is not None else None
        self.path = self.list_path(self.queue_id) if self.queue_id else None
        index = users if isinstance(users, UserIndex) else UserIndex(users)
        self.user_by_login = index.by_login
        self.login_by_id = index.login_by_id
        self._warned_disabled = set()

    @staticmethod
    def list_path(queue_id):
        return "%s/%s/agents" % (QueueRecords.path, queue_id)

    @staticmethod
    def row_path(queue_id, member_id):
        return XSWITCH_MEMBER_DELETE_PATH.format(queue_id=queue_id, member_id=member_id)

    def key_of(self, obj):
        return self.login_by_id.get(to_text(obj.get("agent_id")), to_text(obj.get("agent_name")))

    def inspect(self, change, obj):
        if obj is None or change.action == "delete" or not _flag_set(obj.get("disabled")):
            return
        change.notes["disabled"] = True
        if change.key not in self._warned_disabled:
            self._warned_disabled.add(change.key)
            self.module.warn("agent %s is a member of queue %s but reads back disabled: the queue "
                             "will not offer it calls (the API documents no call to enable a "
                             "member)" % (change.key, self.queue.get("name")))

    def still_there(self, change):
        return removal_failure(self.queue.get("name"), [change.key],
                               self.row_path(self.queue_id, change.id))

    def check_item(self, item):
        login = to_text(item.get("agent"))
        removing = self.module.params.get("state") == "absent"
        user = self.user_by_login.get(login)
        if user is not None:
            # The protected ids, plain users and the login signed in with; the account a
            # token belongs to is asked in plan_all, once the plan says what is written.
            options = {"alternative": self.alternative} if self.alternative else {}
            refusal = self.accounts.member_refusal(user, read=False, removing=removing, **options)
            return [refusal] if refusal else []
        if removing:
            return []  # an agent that does not exist is in no queue: already absent
        if self.module.check_mode:
            self.module.warn("agent %s does not exist; check mode reports it as to be added, as "
                             "if an earlier task had created the agent" % login)
            return []
        return ["agent %s does not exist" % login]

    def deletable(self, obj):
        """A member named with ``state: absent`` (a protected account's row is refused), or
        one ``exclusive`` would remove (a protected account's row stays)."""
        user = {"id": obj.get("agent_id"), "login": self.key_of(obj)}
        if self.module.params.get("state") == "absent":
            refusal = self.accounts.member_refusal(user, removing=True)
            if refusal:
                raise PlanError(refusal)
            return True
        return not self.accounts.keeps_rows_of(user)

    def plan_all(self, changes, current):
        """The account a token belongs to, asked only when a member is added."""
        if self.accounts.login is not None or not any(change.action == "create" for change in changes):
            return
        errors = []
        for change in changes:
            user = self.user_by_login.get(change.key)
            if change.action == "create" and user is not None and self.accounts.is_connected(user):
                errors.append("%s: %s" % (change.where, self.accounts.member_refusal(user)))
        if errors:
            raise PlanError("; ".join(errors))

    def create_body(self, change):
        # Every example of the API document names the member by its extension.
        user = self.user_by_login.get(change.key, {})
        return {"agent_id": to_text(user.get("id")),
                "agent_name": to_text(user.get("extn")) or change.key}

    def create_all(self, changes):
        """All missing members in one request."""
        try:
            rows = self._add(changes)
        except ApiError as error:
            if not self.is_conflict(error):
                raise
            # Another run added some of them first: add only those still missing.
            rows = self.read_all()
            present = set(self.key_of(row) for row in rows)
            missing = [change for change in changes if change.key not in present]
            if missing:
                rows = rows + self._add(missing)
        ids = dict((to_text(row.get("agent_id")), to_text(row.get("id")))
                   for row in rows if isinstance(row, dict))
        for change in changes:
            change.id = ids.get(change.body["agent_id"])

    def _add(self, changes):
        return self.client.call("POST", self.path,
                                body={"agents": [change.body for change in changes]}) or []

    def object_path(self, obj_id):
        return self.row_path(self.queue_id, obj_id)


class Members(QueueMembers):
    """Rows under /api/queues/$id/agents, named by the agent's login."""

    report_all = True


def queue_result(engine, members, changes):
    """What the module returns about one queue."""
    result = engine.outcome(changes, single=False)
    result["queue_id"] = members.queue_id
    before, after = member_logins_diff(engine, changes)
    result["diff"] = {"before": {"members": before}, "after": {"members": after}}
    return result


def member_logins_diff(engine, changes):
    """A queue's member logins before and after ``changes``: membership has no fields, so
    its diff is the list of logins."""
    before = set(engine.current)
    after = (before | set(c.key for c in changes if c.action == "create")) - set(
        c.key for c in changes if c.action == "delete")
    return sorted(before), sorted(after)


def _flag_set(value):
    try:
        return to_bool(value)
    except ValueError:
        return False


def removal_failure(queue_name, logins, route):
    """Why a member removal that the server answered did not take effect."""
    return ("agent %s is still in queue %s after %s: the server did not remove it; member "
            "removal is not in the API document, this route is assumed (see docs/api/xswitch.md)"
            % (", ".join(logins), queue_name, "DELETE " + route))


def read_queues(module, client):
    """The queues, with the type read from cti_template where the server returns no type."""
    params = module.params
    records = QueueRecords(client, module)
    if params.get("name"):
        found = find_queue(client, params["name"])
        queues = [found] if found else []
    else:
        queues = records.read_all()
    queues = [records.view(queue) for queue in queues]
    for queue in queues:
        queue_id = to_text(queue.get("id"))
        if params["include_params"]:
            queue["params"] = client.list_all(QueueParams.list_path(queue_id))
        if params["include_members"]:
            queue["members"] = client.list_all(QueueMembers.list_path(queue_id))
    return queues


def run_queue_info_module(options):
    """The whole life of the xswitch_queue_info module; its file calls this and nothing else."""
    module = xswitch_module(options)
    with module.reporting_errors():
        queues = redact(read_queues(module, XSwitchClient(module.params)))
    result = dict(changed=False, queues=queues)
    if module.params.get("name") and queues:
        result["queue"] = queues[0]
    module.exit_json(**result)
