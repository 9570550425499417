# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One engine for every resource module: find → compare → plan → apply → report.

A module declares a ``Resource`` (where the objects live, the key that names one, the fields
it manages and how each compares) and hands it to ``run_resource_module``. The engine reads
all current objects once, plans every item before it writes anything (so bad input or an
impossible change fails with nothing applied), writes only what differs, skips every write in
check mode, absorbs the duplicate-key race of parallel runs by re-reading, and reports one
diff and one result per item.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import (
    canonical,
    same,
    to_api_text,
    to_text,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import (
    ApiError,
    requests_at_once,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.module import (
    CallcenterModule,
    PlanError,
    item_label,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import is_duplicate_key
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import MASK, redact

NOT_SET = object()
CHANGED_SECRET = MASK + " (changed)"
# How many list reads of runs planned together are in flight at once when the module has no
# max_concurrent_writes (GETs only: nothing is written while they run).
READ_WORKERS = 4


class Halted(Exception):
    """Another run written at the same time failed: this one starts no further write."""


class Field:
    """One managed setting.

    ``name`` is the option (inside the ``group`` option when set, e.g. ``agent_info``),
    ``api`` the API's name for it, ``kind`` how values compare (see ``compare.canonical``),
    ``spellings`` other accepted input spellings mapped to the API's, ``create_only`` that the
    API cannot change it later (a different value is an error). ``enforce`` says when an
    existing object is brought in line: ``"always"``, ``"on_create"`` (sent when the object is
    created, never compared afterwards) or the name of a module option whose value ``always``
    enforces it (for settings that change by themselves, such as an agent's live status).
    ``held`` reads the value from an object (default: the ``api`` key; NOT_SET when the server
    does not return it, which makes it unknown, never a difference). ``same``/``encode``/``show``
    override comparison, the value sent, and the value shown in diffs for kinds that need more
    than a type.
    """

    def __init__(self, name, kind="str", api=None, group=None, spellings=None,
                 create_only=False, enforce="always", held=None, same=None, encode=None,
                 show=None):
        self.name = name
        self.kind = kind
        self.api = api or name
        self.group = group
        self.spellings = spellings or {}
        self.create_only = create_only
        self.enforce = enforce
        self._held = held
        self._same = same
        self._encode = encode
        self._show = show

    @property
    def label(self):
        return "%s.%s" % (self.group, self.name) if self.group else self.name

    def wanted(self, item):
        source = item.get(self.group) if self.group else item
        if not isinstance(source, dict) or source.get(self.name) is None:
            return NOT_SET
        value = source[self.name]
        return self.spellings.get(value, value) if isinstance(value, str) else value

    def held(self, obj):
        """What an object holds for this field, or NOT_SET when the server did not say."""
        if self._held:
            return self._held(obj)
        return obj.get(self.api, NOT_SET)

    def enforced(self, module):
        """Whether an existing object is brought in line with this field."""
        if self.enforce in ("always", "on_create"):
            return self.enforce == "always"
        return module.params.get(self.enforce) == "always"

    def same(self, wanted, held):
        if isinstance(held, str):
            held = self.spellings.get(held, held)
        if self._same:
            return self._same(wanted, held)
        return same(self.kind, wanted, held)

    def encode(self, value):
        return self._encode(value) if self._encode else to_api_text(self.kind, value)

    def show(self, value):
        if self._show:
            return self._show(value)
        try:
            return canonical(self.kind, value)
        except ValueError:
            return value


def _put(view, field, value):
    """Place a field's value in a diff view, nested under its group."""
    if field.group:
        view.setdefault(field.group, {})[field.name] = value
    else:
        view[field.name] = value


class Change:
    """What the engine will do to one object."""

    def __init__(self, key, item, current):
        self.key = key
        self.item = item
        self.current = current
        self.id = to_text(current.get("id")) if current else None
        self.action = "none"
        self.body = {}
        self.before = {}
        self.after = {}
        self.notes = {}
        # Set by the plan: makes how errors name the item, e.g. "agents[3] (login 1003)", only
        # when an error needs it (thousands of items, hardly ever an error).
        self.where_of = None

    @property
    def where(self):
        return self.where_of() if self.where_of else "%s" % self.key

    @property
    def changed(self):
        return self.action != "none"


class Resource:
    """A kind of object under one collection path. Subclasses override the hooks they need."""

    noun = None
    plural = None
    key = None
    api_key = None
    path = None
    fields = ()
    # Whether the module reports every object under the path, not only those the task names.
    report_all = False
    # True while the engine re-plans an item to confirm what the server holds after a write.
    confirming = False
    # How many times a write that another run undid at the same time is applied again (for
    # writes that flip rather than set, where two runs can cancel each other out).
    race_rounds = 0
    # Whether GET on an object's own path reads it; else one is found in the list.
    single_read = True

    def __init__(self, client, module):
        self.client = client
        self.module = module

    # Reading ----------------------------------------------------------------------------
    def object_path(self, obj_id):
        return "%s/%s" % (self.path, obj_id)

    def key_of(self, obj):
        return to_text(obj.get(self.api_key or self.key))

    def read_all(self):
        if self.path is None:
            return []  # under a parent that check mode assumes an earlier task creates
        return self.client.list_all(self.path)

    def read_one(self, obj_id):
        if not self.single_read:
            return next((obj for obj in self.read_all()
                         if to_text(obj.get("id")) == to_text(obj_id)), None)
        return self.client.get(self.object_path(obj_id))

    def find(self, key_value):
        """Re-read one object by key, after a create lost a race."""
        for obj in self.read_all():
            if self.key_of(obj) == to_text(key_value):
                return obj
        return None

    # Planning hooks ---------------------------------------------------------------------
    def check_item(self, item):
        """Domain checks beyond types and choices; return a list of messages."""
        return []

    def plan_present(self, change):
        """Extra planning for a present item (after the field comparison)."""

    def plan_all(self, changes, current):
        """Planning across items, once every item is planned (reads only); ``current`` holds
        every object read, by key."""

    def inspect(self, change, obj):
        """Look at an object as read (before or after the writes); may add notes or warn."""

    def deletable(self, obj):
        """Whether ``exclusive`` may delete an object the task does not name."""
        return True

    def create_body(self, change):
        body = {self.api_key or self.key: change.key}
        for field in self.fields:
            value = field.wanted(change.item)
            if value is not NOT_SET:
                body[field.api] = field.encode(value)
        return body

    # Writing ----------------------------------------------------------------------------
    def before_writes(self, changes):
        """Writes that must precede the planned ones (the plan is complete by now); returns
        what they applied, for the report of a later failure."""
        return []

    def create(self, change):
        return self.client.create(self.path, change.body)

    def update(self, change):
        self.client.update(self.object_path(change.id), change.body)

    def delete(self, change):
        self.client.delete(self.object_path(change.id),
                           gone=lambda: self.read_one(change.id) is None)

    def still_there(self, change):
        """The failure text for an object that a delete answered for but did not remove."""
        return "%s %s is still there after DELETE %s" % (
            self.noun, change.key, self.object_path(change.id))

    def is_conflict(self, error):
        """A create refused because the key exists: another run created it first."""
        return is_duplicate_key(error)

    def predict(self, change):
        """The object as it will read after ``change`` (shown in check mode)."""
        obj = dict(change.current or {})
        obj.update(change.body)
        obj.setdefault(self.api_key or self.key, change.key)
        return obj

    def view(self, obj):
        """What the module returns for one object."""
        return redact(obj)


class Engine:
    """Runs one task: a single item or a list of items of one resource."""

    def __init__(self, module, resource, item_option, exclusive=False, label=None,
                 allow_empty=False):
        self.module = module
        self.resource = resource
        self.item_option = item_option
        self.exclusive = exclusive
        # Whether an empty list with exclusive is meant (else allow_delete_all must say so).
        self.allow_empty = allow_empty
        # How errors name this run when several run together (e.g. "queue support").
        self.label = label or resource.noun
        self.applied = []
        self.stopped_at = None
        self.current = {}
        self.read_back = None
        # Set by write_independently: an Event that another run's failure sets.
        self.halt = None

    def _halted(self):
        return self.halt is not None and self.halt.is_set()

    def _check_halt(self):
        if self._halted():
            raise Halted()

    # 1. validate ---------------------------------------------------------------------------
    def _validate(self, items):
        if (self.exclusive and not items and not self.allow_empty
                and not self.module.params.get("allow_delete_all")):
            # An inventory variable that came out empty must not wipe the server.
            self.module.fail_json(
                msg="Invalid input, nothing was changed: %s is empty and exclusive is true, which "
                    "would delete every %s; set allow_delete_all: true if that is meant"
                    % (self.item_option, self.resource.noun))
        errors, seen = [], {}
        key = self.resource.key
        for index, item in enumerate(items):
            value = item.get(key)
            if value in (None, ""):
                errors.append("%s: %s is required" % (self._where(index, item), key))
                continue
            text = to_text(value)
            if text in seen:
                errors.append("%s: %s %s is named twice (also %s)" % (
                    self._where(index, item), key, text, self._where(*seen[text])))
            seen[text] = (index, item)
            errors.extend("%s: %s" % (self._where(index, item), message)
                          for message in self.resource.check_item(item))
        if errors:
            self.module.fail_json(msg="Invalid input, nothing was changed: " + "; ".join(errors))

    def _where(self, index, item):
        if self.item_option:
            return self.item_option + item_label(index, item, self.resource.key)
        return "%s %s" % (self.resource.noun, item.get(self.resource.key))

    # 2. find and 3. compare/plan --------------------------------------------------------
    def _plan_item(self, item, state, current, just_created=False):
        """One item's change. ``just_created``: ``current`` is the read-back of an object this
        run created, so every field counts, also those enforced only on create."""
        resource = self.resource
        change = Change(to_text(item[resource.key]), item, current)
        if state == "absent":
            if current is not None and resource.deletable(current):
                change.action = "delete"
                change.before = self._show_all(current)
            elif current is not None:
                self.module.warn("%s %s is not a %s this module may delete; left as it is"
                                 % (resource.key, change.key, resource.noun))
            return change
        if current is None:
            change.action = "create"
            change.body = resource.create_body(change)
            for field in resource.fields:
                value = field.wanted(item)
                if value is not NOT_SET:
                    _put(change.after, field, field.show(value))
        else:
            for field in resource.fields:
                value = field.wanted(item)
                if value is NOT_SET or not (just_created or field.enforced(self.module)):
                    continue
                held = field.held(current)
                if held is NOT_SET or field.same(value, held):
                    continue  # a value the server does not return is unknown, not different
                if field.create_only:
                    raise PlanError("%s cannot be changed on an existing %s (it is %r, the task "
                                    "wants %r): the API cannot change it; delete and recreate "
                                    "the %s to change it" % (field.label, resource.noun,
                                                             held, value, resource.noun))
                change.body[field.api] = field.encode(value)
                _put(change.before, field, field.show(held))
                _put(change.after, field, field.show(value))
            if change.body:
                change.action = "update"
        resource.plan_present(change)
        return change

    def _show_all(self, obj):
        view = {}
        for field in self.resource.fields:
            held = field.held(obj)
            if held is not NOT_SET:
                _put(view, field, field.show(held))
        return view

    @staticmethod
    def _needs_detail(item, obj, enforced):
        """A list row that lacks a field the task compares (of ``enforced``, the fields an
        existing object is brought in line with): read that object fully."""
        return any(field.held(obj) is NOT_SET and field.wanted(item) is not NOT_SET
                   for field in enforced)

    def plan(self, items, state, objects=None):
        """Every item's change; ``objects``: what ``read_all`` returns, when already read."""
        resource = self.resource
        current = self.current = {}
        for obj in resource.read_all() if objects is None else objects:
            current.setdefault(resource.key_of(obj), obj)
        changes, errors, named = [], [], set()
        enforced = [field for field in resource.fields if field.enforced(self.module)]
        for index, item in enumerate(items):
            key = to_text(item[resource.key])
            named.add(key)
            obj = current.get(key)
            if obj is not None and state == "present" and self._needs_detail(item, obj, enforced):
                obj = current[key] = dict(obj, **(resource.read_one(to_text(obj.get("id"))) or {}))
            try:
                change = self._plan_item(item, state, obj)
                change.where_of = functools.partial(self._where, index, item)
                changes.append(change)
            except PlanError as error:
                errors.append("%s: %s" % (self._where(index, item), error))
        if errors:
            raise PlanError("; ".join(errors))
        if self.exclusive and state == "present":
            for key in sorted(set(current) - named):
                obj = current[key]
                if resource.deletable(obj):
                    change = Change(key, {resource.key: key}, obj)
                    change.action = "delete"
                    change.before = self._show_all(obj)
                    changes.append(change)
        resource.plan_all(changes, current)
        return changes

    # 4. apply ---------------------------------------------------------------------------
    def apply(self, changes):
        self.applied.extend(self.resource.before_writes(changes) or [])
        create_all = getattr(self.resource, "create_all", None)
        creates = [change for change in changes if change.action == "create"]
        if create_all and creates:
            # The API takes many new objects in one request: send them together.
            self._check_halt()
            self.stopped_at = ", ".join(change.key for change in creates)
            create_all(creates)
            self.applied.extend(change.key for change in creates)
            self.stopped_at = None
        self.write_all([change for change in changes if change.changed
                        and not (change.action == "create" and create_all)], self._write)

    def _write(self, change):
        if change.action == "create":
            self._create(change)
        elif change.action == "update":
            self.resource.update(change)
        elif change.action == "delete":
            self.resource.delete(change)

    def write_all(self, changes, write, record=True):
        """``write`` each change, up to ``max_concurrent_writes`` at once. Consecutive changes
        of one action go out together; the next action waits for them (so a delete planned
        after the creates still follows them). After a failure no write starts, those in
        flight finish, and ``applied`` holds every one that succeeded, in plan order (unless
        ``record`` is false: the follow-ups of changes already counted)."""
        workers = requests_at_once(self.module.params)
        start = 0
        while start < len(changes):
            end = start
            while end < len(changes) and changes[end].action == changes[start].action:
                end += 1
            self._write_group(changes[start:end], write, workers, record)
            start = end
        self.stopped_at = None

    def _write_group(self, group, write, workers, record):
        applied = self.applied if record else []
        if workers == 1 or len(group) == 1:
            for change in group:
                self._check_halt()
                self.stopped_at = change.key
                write(change)
                applied.append(change.key)
            return
        done, failures, in_flight = set(), [], {}
        todo = list(reversed(group))
        pool = ThreadPoolExecutor(max_workers=min(workers, len(group)))
        try:
            while in_flight or (todo and not failures and not self._halted()):
                while todo and not failures and not self._halted() and len(in_flight) < workers:
                    change = todo.pop()
                    in_flight[pool.submit(write, change)] = change
                finished, dummy = wait(list(in_flight), return_when=FIRST_COMPLETED)
                for future in finished:
                    change = in_flight.pop(future)
                    if future.exception() is None:
                        done.add(id(change))
                    else:
                        failures.append((group.index(change), change, future.exception()))
        finally:
            pool.shutdown(wait=True)
            applied.extend(change.key for change in group if id(change) in done)
        if failures:
            failures.sort(key=lambda failure: failure[0])
            self.stopped_at = ", ".join(change.key for dummy, change, dummy2 in failures)
            raise failures[0][2]
        # Halted with changes of the group left: stop before anything reads or writes more.
        self._check_halt()

    def _create(self, change):
        try:
            change.id = self.resource.create(change)
        except ApiError as error:
            if not self.resource.is_conflict(error):
                raise
            # Another run created it between our read and our write: converge on theirs.
            current = self.resource.find(change.key)
            if current is None:
                raise
            replan = self._plan_item(change.item, "present", current)
            change.current, change.id = current, replan.id
            change.action, change.body = replan.action, replan.body
            change.before, change.after = replan.before, replan.after
            change.notes = replan.notes
            if change.action == "update":
                self.resource.update(change)

    # 5. confirm -------------------------------------------------------------------------
    def _read_back(self, changes):
        """The objects the task touched, read once after the writes, by key."""
        resource = self.resource
        if len(changes) == 1 and changes[0].id and not resource.report_all:
            found = [resource.read_one(changes[0].id)]
        else:
            found = resource.read_all()
        return dict((resource.key_of(obj), obj) for obj in found if obj)

    def _left_to_do(self, change, found):
        """What a fresh plan of a created or updated item still wants, after the writes."""
        current = found.get(change.key)
        if current is None:
            return None
        self.resource.confirming = True
        try:
            return self._plan_item(change.item, "present", current,
                                   just_created=change.action == "create")
        finally:
            self.resource.confirming = False

    def settle(self, changes):
        """Read back what was written; finish creates whose settings the server did not take
        with the create (one update each), and fail where the server did not reach the
        state it answered success for. Returns the objects read back, by key."""
        resource = self.resource
        self.stopped_at = None
        found = self._read_back(changes)
        follow_ups = []
        for change in changes:
            if change.action == "create":
                rest = self._left_to_do(change, found)
                if rest is not None and rest.body:
                    follow_ups.append(rest)
        self.write_all(follow_ups, resource.update, record=False)
        if follow_ups:
            found = self._read_back(changes)
        for dummy in range(resource.race_rounds):
            raced = [rest for rest in (self._left_to_do(change, found) for change in changes
                                       if change.action in ("create", "update"))
                     if rest is not None and rest.changed]
            if not raced:
                break
            for rest in raced:
                self.module.warn("%s %s changed again while this run wrote it (another run at "
                                 "the same time?): applied once more" % (resource.noun, rest.key))
                self.stopped_at = rest.key
                resource.update(rest)
            self.stopped_at = None
            found = self._read_back(changes)
        problems = {}
        for change in changes:
            if change.action == "delete":
                if change.key in found:
                    problems[change.key] = resource.still_there(change)
            elif change.action in ("create", "update"):
                if change.key not in found:
                    problems[change.key] = "%s %s is missing after it was %s" % (
                        resource.noun, change.key,
                        "created" if change.action == "create" else "updated")
                    continue
                rest = self._left_to_do(change, found)
                if rest is not None and rest.changed:
                    problems[change.key] = "%s %s reads back %s where the task wants %s" % (
                        resource.noun, change.key, rest.before or "unchanged", rest.after)
        for change in changes:
            resource.inspect(change, found.get(change.key))
        if problems:
            # What did not take effect was not applied, whatever the server answered.
            self.applied = [key for key in self.applied if key not in problems]
            raise PlanError("the server answered success but did not reach the state: "
                            + "; ".join(problems[key] for key in sorted(problems)))
        return found

    # 6. report --------------------------------------------------------------------------
    def prepare(self, items, state, objects=None):
        """Validate and plan: reads only, nothing is written."""
        self._validate(items)
        changes = self.plan(items, state, objects)
        for change in changes:
            if change.current is not None:
                self.resource.inspect(change, change.current)
        return changes

    def execute(self, changes):
        """Write what was planned, then confirm it by a read."""
        self._check_halt()
        self.apply(changes)
        if any(change.changed for change in changes):
            self.read_back = self.settle(changes)

    def run(self, items, state):
        return run_together(self.module, [(self, items, state)])[0]

    def outcome(self, changes, single):
        """The module result: ``changed``, ``diff`` and the objects after the change."""
        resource = self.resource
        after = self._objects_after(changes)
        results = self.results(changes)
        result = {"changed": any(change.changed for change in changes)}
        if single:
            change = changes[0]
            result["diff"] = {"before": change.before if change.current else {},
                              "after": change.after if change.action != "delete" else {}}
            if change.action == "create":
                result["diff"]["after"] = dict({resource.key: change.key}, **change.after)
            result[resource.noun] = after.get(change.key)
            result["id"] = change.id
            result.update(change.notes)
        else:
            result["diff"] = self.diff(changes)
            if resource.report_all:
                result[resource.plural] = [after[key] for key in sorted(after)]
            else:
                result[resource.plural] = [after[c.key] for c in changes if c.key in after]
            result["results"] = results
            result["counts"] = counts(results)
            result["msg"] = summary(resource.plural, results)
        return result

    def results(self, changes):
        """One entry per change: its key, id, whether it changed, the action and notes."""
        entries = []
        for change in changes:
            entry = {self.resource.key: change.key, "id": change.id, "changed": change.changed,
                     "action": RESULT_ACTIONS[change.action]}
            entry.update(change.notes)
            entries.append(entry)
        return entries

    @staticmethod
    def diff(changes):
        """Before and after of the changed items, by key."""
        changed = [change for change in changes if change.changed]
        return {"before": dict((c.key, c.before) for c in changed if c.current is not None),
                "after": dict((c.key, c.after) for c in changed if c.action != "delete")}

    def _objects_after(self, changes):
        """Objects after the change by key: as read back after the writes, else predicted from
        what was read and what was planned (check mode, or nothing to do)."""
        resource = self.resource
        if self.read_back is not None:
            objects = dict((key, resource.view(obj)) for key, obj in self.read_back.items())
        else:
            objects = dict((key, resource.view(obj)) for key, obj in self.current.items())
            for change in changes:
                if change.action == "delete":
                    objects.pop(change.key, None)
                elif change.changed:
                    objects[change.key] = resource.view(resource.predict(change))
        if not resource.report_all:
            wanted = set(change.key for change in changes)
            objects = dict((key, obj) for key, obj in objects.items() if key in wanted)
        return objects


RESULT_ACTIONS = {"none": "unchanged", "create": "created", "update": "updated",
                  "delete": "deleted"}
ACTION_WORDS = (("created", "created"), ("updated", "updated"), ("deleted", "deleted"),
                ("unchanged", "unchanged"))


def counts(results):
    """How many results of each action: what a role sums up without looping over results."""
    found = dict((action, 0) for action, dummy in ACTION_WORDS)
    for result in results:
        found[result["action"]] += 1
    return found


def summary(plural, results, words=ACTION_WORDS):
    """One line that sums up a list run: "agents: 8 created, 0 updated, 0 deleted, 992 unchanged"."""
    found = counts(results)
    return "%s: %s" % (plural, ", ".join("%d %s" % (found[action], word) for action, word in words))


def run_together(module, runs):
    """Several engines as one task: ``runs`` holds ``(engine, items, state)``. Every run is
    planned before the first write of any; a failure says what every run had applied.
    Returns the planned changes of each run, in order."""
    planned = prepare_together(runs)
    execute_together(module, [run[0] for run in runs], planned)
    return planned


def prepare_together(runs):
    """Validate and plan every run of ``(engine, items, state)``: reads only. One error names
    every run that cannot be planned."""
    planned, errors = [], []
    for (engine, items, state), objects in zip(runs, read_together(runs)):
        try:
            planned.append(engine.prepare(items, state, objects))
        except PlanError as error:
            if len(runs) == 1:
                raise
            errors.append("%s: %s" % (engine.label, error))
    if errors:
        raise PlanError("; ".join(errors))
    return planned


def read_together(runs):
    """The current objects of every run, read ``max_concurrent_writes`` at a time (a run of
    queues' parameters or members is one list read per queue); None for each when there is
    only one run."""
    if len(runs) < 2:
        return [None] * len(runs)
    workers = requests_at_once(runs[0][0].module.params, READ_WORKERS)
    pool = ThreadPoolExecutor(max_workers=min(workers, len(runs)))
    try:
        return list(pool.map(lambda run: run[0].resource.read_all(), runs))
    finally:
        pool.shutdown(wait=True)


def execute_together(module, engines, planned, done=(), independent=False):
    """Write what ``engines`` planned (nothing in check mode), one engine after the other,
    or, when ``independent`` (no run's writes depend on another's), up to
    ``max_concurrent_writes`` of them at once. ``done`` holds engines of the same task that
    wrote before: a failure names what they applied too, as a partial change must not look
    like none."""
    if module.check_mode:
        return
    workers = requests_at_once(module.params)
    try:
        if independent and workers > 1 and len(engines) > 1:
            write_independently(engines, planned, workers)
        else:
            for engine, changes in zip(engines, planned):
                engine.execute(changes)
    except (ApiError, PlanError) as error:
        fail_with_applied(module, error, list(done) + list(engines))


def write_independently(engines, planned, workers):
    """Execute runs that do not depend on each other, ``workers`` at a time (the client
    bounds the requests in flight of all of them together). After a failure of one, no run
    starts another write; those in flight finish; the first failure in plan order is raised."""
    halt = threading.Event()
    errors = [None] * len(engines)

    def execute(index):
        try:
            engines[index].execute(planned[index])
        except Halted:
            pass
        except Exception as error:  # pylint: disable=broad-except
            errors[index] = error
            halt.set()

    for engine in engines:
        engine.halt = halt
    pool = ThreadPoolExecutor(max_workers=min(workers, len(engines)))
    try:
        list(pool.map(execute, range(len(engines))))
    finally:
        pool.shutdown(wait=True)
        for engine in engines:
            engine.halt = None
    for error in errors:
        if error is not None:
            raise error


def fail_with_applied(module, error, engines):
    """End the task on ``error``, saying what each of ``engines`` had applied and where one
    stopped in the middle."""
    labelled = len(engines) > 1
    applied = [("%s: %s" % (engine.label, key)) if labelled else key
               for engine in engines for key in engine.applied]
    done = "; applied before the failure: %s" % ", ".join(applied) if applied else ""
    for engine in engines:
        if engine.stopped_at:
            done += "; stopped at %s%s, which may be partly applied" % (
                engine.label + ": " if labelled else "", engine.stopped_at)
    module.fail_json(msg=str(error) + done, changed=bool(applied), applied=applied)


# ``exclusive`` and its guard against an empty list, for every module that takes a list.
EXCLUSIVE_SPEC = dict(
    exclusive=dict(type="bool", default=False),
    allow_delete_all=dict(type="bool", default=False),
)


def resource_argument_spec(resource_class, item_spec, connection_spec, extra_spec=None):
    """The argument spec of a resource module: one item's options at the top level, the
    same options as elements of the list form, ``state``, ``exclusive`` and the connection."""
    key = resource_class.key
    items = dict(item_spec)
    items[key] = dict(items[key], required=True)
    spec = dict(connection_spec)
    spec.update(item_spec)
    spec[resource_class.plural] = dict(type="list", elements="dict", options=items)
    spec["state"] = dict(type="str", default="present", choices=["present", "absent"])
    spec.update(EXCLUSIVE_SPEC)
    spec.update(extra_spec or {})
    return spec


def run_resource_module(resource_class, item_spec, client_class, connection_spec,
                        connection_rules, extra_spec=None):
    """The whole life of a resource module; a module file calls this and nothing else."""
    key, plural = resource_class.key, resource_class.plural
    rules = dict((name, list(value)) for name, value in connection_rules.items())
    rules.setdefault("mutually_exclusive", []).append((key, plural))
    rules.setdefault("required_one_of", []).append((key, plural))
    module = CallcenterModule(
        argument_spec=resource_argument_spec(resource_class, item_spec, connection_spec, extra_spec),
        item_lists={plural: key}, supports_check_mode=True, **rules)
    params = module.params
    single = params.get(plural) is None
    if single and params.get(key) in (None, ""):
        # "agents: null" passes required_one_of, which counts the key as given.
        module.fail_json(msg="Invalid input, nothing was changed: %s or %s is required%s" % (
            key, plural, " (%s is null)" % plural if plural in module.raw_params else ""))
    if single and params["exclusive"]:
        module.fail_json(msg="exclusive needs the list form (%s)" % plural)
    if single:
        items = [dict((name, params.get(name)) for name in item_spec)]
    else:
        items = params[plural]
    with module.reporting_errors():
        client = client_class(params)
        engine = Engine(module, resource_class(client, module), None if single else plural,
                        params["exclusive"])
        result = engine.outcome(engine.run(items, params["state"]), single)
    module.exit_json(**result)
