# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simotel queue memberships as a resource: named by (queue, agent), removed in batches.

Simotel cannot list a queue's members, so nothing can be read before the change: every pair
is planned as a removal, and each pair's own answer in the batch reply says what happened
(removed, already absent, or failed). The module hands the resource to ``run_batch_module``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.telephony.callcenter.plugins.module_utils.api_assumptions import (
    SIMOTEL_ABSENT_PATTERNS,
    SIMOTEL_UNCHANGED_PATTERNS,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.module import CallcenterModule
from ansible_collections.telephony.callcenter.plugins.module_utils.simotel import (
    ABSENT,
    BATCH_ADD_SERVICE,
    BATCH_PAUSE_SERVICE,
    BATCH_REMOVE_SERVICE,
    BATCH_RESUME_SERVICE,
    FAILED,
    PBX_CONNECTION_RULES,
    PBX_CONNECTION_SPEC,
    REMOVED,
    SimotelClient,
    answer_agent,
    chunks,
    compile_patterns,
    batch_add_item,
    member_key,
    remove_members,
    send_member_batches,
)

UNCONFIRMED = "unconfirmed"
# How many failed pairs the failure message names; all of them are in results.
NAMED_FAILURES = 20
# Why check mode of a removal is "would try", never "would change".
CANNOT_ASK = ("Simotel cannot list a queue's members, so the server cannot be asked first "
              "whether the pair is there")
CHECK_MODE_WARNING = (
    "Simotel cannot list a queue's members, so whether these agents are in their queues cannot "
    "be confirmed before the change; check mode reports every pair as a removal.")


def _label(index, item):
    """``agents[3] (queue 10000, agent 570)``: how an error names a list item."""
    named = ["%s %s" % (key, item.get(key)) for key in ("queue", "agent")
             if isinstance(item.get(key), (str, int)) and not isinstance(item.get(key), bool)
             and str(item.get(key)).strip()]
    return "agents[%d]%s" % (index, " (%s)" % ", ".join(named) if named else "")


def _field_error(key, value):
    if value is None:
        return "%s is required" % key
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return "%s must be a string or a whole number, not %s" % (key, type(value).__name__)
    if not str(value).strip():
        return "%s must not be empty" % key
    return None


def unique_pairs(agents):
    """``(pairs, errors)``: the distinct (queue, agent) text pairs in list order, and what is
    wrong with any item."""
    pairs = []
    seen = set()
    errors = []
    for index, item in enumerate(agents):
        problems = [problem for problem in (_field_error(key, item.get(key))
                                            for key in ("queue", "agent")) if problem]
        if problems:
            errors.append("%s: %s" % (_label(index, item), "; ".join(problems)))
            continue
        pair = member_key(item["queue"], item["agent"])
        if pair not in seen:
            seen.add(pair)
            pairs.append(pair)
    return pairs, errors


def _lines(entries):
    return "".join("queue %s agent %s: %s\n" % entry for entry in entries)


def _diff(before, after):
    return {"before": _lines(before), "after": _lines(after),
            "before_header": "queue members", "after_header": "queue members"}


def _counts(results):
    counts = dict((status, 0) for status in (REMOVED, ABSENT, FAILED))
    for result in results:
        if result["status"] in counts:
            counts[result["status"]] += 1
    return counts


def _summary(counts, batches):
    return "removed %d, already absent %d, failed %d (%d request%s)" % (
        counts[REMOVED], counts[ABSENT], counts[FAILED], batches, "" if batches == 1 else "s")


def check_mode_result(module, pairs, batch_size):
    planned = chunks(pairs, batch_size)
    module.warn(CHECK_MODE_WARNING)
    result = dict(
        changed=True,
        batches=len(planned),
        requests=[{"agents": [{"queue": queue, "agent": agent} for queue, agent in batch]}
                  for batch in planned],
        results=[{"queue": queue, "agent": agent, "status": UNCONFIRMED,
                  "message": "not sent (check mode): " + CANNOT_ASK} for queue, agent in pairs],
        counts=_counts([]),
        msg="would try to remove %d pair%s in %d request%s: %s"
            % (len(pairs), "" if len(pairs) == 1 else "s",
               len(planned), "" if len(planned) == 1 else "s", CANNOT_ASK))
    if module._diff:
        result["diff"] = _diff([(queue, agent, "member, unconfirmed") for queue, agent in pairs],
                               [])
    return result


def failure_message(results, error, batches, total_batches, done=REMOVED, summary=None):
    """Why the task failed: the request that stopped the run, or the pairs that failed (the
    first NAMED_FAILURES of them), then ``summary`` (the removal's by default)."""
    failed = [r for r in results if r["status"] == FAILED]
    parts = []
    if error is not None:
        if total_batches > 1:
            parts.append("request %d of %d failed%s: %s" % (
                batches, total_batches,
                ", the later ones were not sent" if batches < total_batches else "", error))
        else:
            parts.append(str(error))
    else:
        named = ["queue %s agent %s (%s)" % (r["queue"], r["agent"], r["message"])
                 for r in failed[:NAMED_FAILURES]]
        if len(failed) > NAMED_FAILURES:
            named.append("and %d more (see results)" % (len(failed) - NAMED_FAILURES))
        parts.append("%d of %d pair%s could not be %s: %s" % (
            len(failed), len(results), "" if len(results) == 1 else "s", done, "; ".join(named)))
    parts.append(_summary(_counts(results), batches) if summary is None else summary)
    return ". ".join(parts)


class QueueMemberships:
    """Queue memberships of Simotel agents, under the batch removal service."""

    noun = "membership"
    plural = "agents"
    service = BATCH_REMOVE_SERVICE

    def __init__(self, module):
        self.module = module
        self.params = module.params

    def plan(self):
        """The distinct pairs, the batches they go in, and the compiled absent patterns; every
        input error at once, before anything is sent."""
        pairs, errors = unique_pairs(self.params[self.plural] or [])
        if self.params["batch_size"] < 1:
            errors.append("batch_size must be at least 1, not %d" % self.params["batch_size"])
        patterns = None
        try:
            patterns = compile_patterns(self.params["absent_patterns"])
        except ValueError as error:
            errors.append(str(error))
        if errors:
            self.module.fail_json(msg="Invalid input, nothing was sent: " + "; ".join(errors))
        return pairs, patterns

    @staticmethod
    def counts(results):
        return _counts(results)

    def check_mode_result(self, pairs):
        return check_mode_result(self.module, pairs, self.params["batch_size"])

    def apply(self, pairs, patterns):
        """Send the batches; the module's result, judged pair by pair."""
        module = self.module
        client = SimotelClient(self.params)
        results, batches, error, unexpected = remove_members(
            client, pairs, self.params["batch_size"], patterns)
        for answer in unexpected:
            module.warn("the server answered about queue %s agent %s, which this task did not "
                        "ask to remove: %s" % (answer.get("queue"), answer_agent(answer),
                                               client.mask(str(answer.get("message")))))
        replayed = [r for r in results if r.get("replayed")]
        if replayed:
            module.warn("%d pair(s) answered 'not there' to a batch that was sent again after "
                        "an attempt whose reply was lost and which may have removed them: they "
                        "count as removed" % len(replayed))
        counts = _counts(results)
        result = dict(changed=counts[REMOVED] > 0, results=results, counts=counts,
                      batches=batches, msg=_summary(counts, batches))
        if module._diff:
            failed = [(r["queue"], r["agent"], "membership unknown, not removed")
                      for r in results if r["status"] == FAILED]
            result["diff"] = _diff(
                [(r["queue"], r["agent"], "member") for r in results if r["status"] == REMOVED]
                + failed, failed)
        if counts[FAILED]:
            result["msg"] = failure_message(results, error, batches,
                                            len(chunks(pairs, self.params["batch_size"])))
            result["failed"] = True
        return result


def run_batch_module(resource_class, item_spec, extra_spec):
    """The whole life of a Simotel batch module; a module file calls this and nothing else."""
    spec = dict(PBX_CONNECTION_SPEC)
    spec[resource_class.plural] = dict(type="list", elements="dict", required=True,
                                       options=item_spec)
    spec.update(extra_spec)
    module = CallcenterModule(argument_spec=spec, item_lists={resource_class.plural: "queue"},
                              supports_check_mode=True, **PBX_CONNECTION_RULES)
    resource = resource_class(module)
    pairs, patterns = resource.plan()
    if not pairs:
        module.exit_json(changed=False, results=[], counts=resource.counts([]), batches=0,
                         msg="no pairs given, nothing was sent")
    if module.check_mode:
        module.exit_json(**resource.check_mode_result(pairs))
    result = resource.apply(pairs, patterns)
    if result.pop("failed", False):
        module.fail_json(**result)
    module.exit_json(**result)


# The options of a batch removal beside the items and the connection.
BATCH_REMOVE_SPEC = dict(
    batch_size=dict(type="int", default=100),
    absent_patterns=dict(type="list", elements="str", default=list(SIMOTEL_ABSENT_PATTERNS)),
)


# pbx_queue_member ---------------------------------------------------------------------------

UNCHANGED = "unchanged"
NO_LISTING = ("Simotel cannot list a queue's members, so the server cannot be asked first "
              "whether %s")


class Operation:
    """What bringing a member to one ``state`` means: the batch service, the status of an
    item that changed, and how the diff shows a member before and after."""

    def __init__(self, state, service, verb, done, unchanged_means, before, after):
        self.state = state
        self.service = service
        self.verb = verb
        self.done = done
        self.unchanged_means = unchanged_means
        self.before = before
        self.after = after


OPERATIONS = dict((operation.state, operation) for operation in (
    Operation("present", BATCH_ADD_SERVICE, "add", "added",
              "the agent is in the queue already", None, "member"),
    Operation("absent", BATCH_REMOVE_SERVICE, "remove", "removed",
              "the agent is not in the queue", "member", None),
    Operation("paused", BATCH_PAUSE_SERVICE, "pause", "paused",
              "the member is paused already", "member, not paused", "member, paused"),
    Operation("resumed", BATCH_RESUME_SERVICE, "resume", "resumed",
              "the member is not paused", "member, paused", "member, not paused"),
))


def _whole_number(value):
    """``value`` as a whole number of at least 0, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


class QueueMembers:
    """Agents in Simotel queues, brought to a ``state`` by the batch services; the server's
    answer about each item says whether it changed."""

    plural = "agents"

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.operation = OPERATIONS[self.params["state"]]
        self.items = {}

    def _item_errors(self, index, item, adding):
        problems = [problem for problem in (_field_error(key, item.get(key))
                                            for key in ("queue", "agent")) if problem]
        for key in ("source", "penalty"):
            if item.get(key) is not None and not adding:
                problems.append("%s applies only to state present, not %s"
                                % (key, self.params["state"]))
        if adding and item.get("source") is not None:
            problem = _field_error("source", item["source"])
            if problem:
                problems.append(problem)
        if adding and item.get("penalty") is not None and _whole_number(item["penalty"]) is None:
            problems.append("penalty must be a whole number of 0 or more, not %r" % (item["penalty"],))
        return problems

    def plan(self):
        """The distinct (queue, agent) pairs in list order, their request items, and the
        compiled patterns of an unchanged item; every input error at once, before anything
        is sent."""
        adding = self.operation.state == "present"
        pairs = []
        errors = []
        first = {}
        for index, item in enumerate(self.params[self.plural] or []):
            problems = self._item_errors(index, item, adding)
            if problems:
                errors.append("%s: %s" % (_label(index, item), "; ".join(problems)))
                continue
            pair = member_key(item["queue"], item["agent"])
            body = batch_add_item(item["queue"], item["agent"], item.get("source"),
                                  item.get("penalty")) if adding \
                else {"queue": pair[0], "agent": pair[1]}
            if pair in self.items:
                if body != self.items[pair]:
                    errors.append("%s: the same queue and agent as agents[%d] with another "
                                  "source or penalty" % (_label(index, item), first[pair]))
                continue
            first[pair] = index
            self.items[pair] = body
            pairs.append(pair)
        if self.params["batch_size"] < 1:
            errors.append("batch_size must be at least 1, not %d" % self.params["batch_size"])
        patterns = None
        given = self.params["unchanged_patterns"]
        try:
            patterns = compile_patterns(
                SIMOTEL_UNCHANGED_PATTERNS[self.operation.state] if given is None else given)
        except ValueError as error:
            errors.append(str(error).replace("absent_patterns", "unchanged_patterns"))
        if errors:
            self.module.fail_json(msg="Invalid input, nothing was sent: " + "; ".join(errors))
        return pairs, patterns

    def counts(self, results):
        counts = dict((status, 0) for status in (self.operation.done, UNCHANGED, FAILED))
        for result in results:
            if result["status"] in counts:
                counts[result["status"]] += 1
        return counts

    def summary(self, counts, batches):
        return "%s %d, unchanged %d, failed %d (%d request%s)" % (
            self.operation.done, counts[self.operation.done], counts[UNCHANGED], counts[FAILED],
            batches, "" if batches == 1 else "s")

    def _diff(self, entries, before_state, after_state):
        def side(show):
            return "".join("queue %s agent %s: %s\n" % (queue, agent, text)
                           for queue, agent, text in ((q, a, show(s)) for q, a, s in entries)
                           if text)
        return {"before": side(before_state), "after": side(after_state),
                "before_header": "queue members", "after_header": "queue members"}

    def check_mode_result(self, pairs):
        operation = self.operation
        planned = chunks(pairs, self.params["batch_size"])
        cannot = NO_LISTING % operation.unchanged_means
        self.module.warn(cannot + "; check mode reports every pair as a change.")
        result = dict(
            changed=True,
            batches=len(planned),
            requests=[{"agents": [self.items[pair] for pair in batch]} for batch in planned],
            results=[{"queue": queue, "agent": agent, "status": UNCONFIRMED,
                      "message": "not sent (check mode): " + cannot}
                     for queue, agent in pairs],
            counts=self.counts([]),
            msg="would %s %d pair%s in %d request%s; not confirmed beforehand: %s" % (
                operation.verb, len(pairs), "" if len(pairs) == 1 else "s", len(planned),
                "" if len(planned) == 1 else "s", cannot))
        if self.module._diff:
            unconfirmed = [(queue, agent, None) for queue, agent in pairs]
            result["diff"] = self._diff(
                unconfirmed,
                lambda dummy: operation.before and operation.before + ", unconfirmed",
                lambda dummy: operation.after)
        return result

    def apply(self, pairs, patterns):
        """Send the batches; the module's result, judged pair by pair."""
        module = self.module
        operation = self.operation
        client = SimotelClient(self.params)
        results, batches, error, unexpected = send_member_batches(
            client, operation.service, pairs, self.params["batch_size"], patterns,
            lambda pair: self.items[pair], done=operation.done, unchanged=UNCHANGED,
            verb=operation.verb)
        for answer in unexpected:
            module.warn("the server answered about queue %s agent %s, which this task did not "
                        "ask to %s: %s" % (answer.get("queue"), answer_agent(answer),
                                           operation.verb, client.mask(str(answer.get("message")))))
        replayed = [r for r in results if r.get("replayed")]
        if replayed:
            module.warn("%d pair(s) answered that there was nothing to do (%s) to a batch that "
                        "was sent again after an attempt whose reply was lost and which may "
                        "have done it: they count as %s" % (len(replayed),
                                                            operation.unchanged_means,
                                                            operation.done))
        counts = self.counts(results)
        result = dict(changed=counts[operation.done] > 0, results=results, counts=counts,
                      batches=batches, msg=self.summary(counts, batches))
        if module._diff:
            shown = [(r["queue"], r["agent"], r["status"]) for r in results
                     if r["status"] in (operation.done, FAILED)]
            unknown = "membership unknown, not %s" % operation.done
            result["diff"] = self._diff(
                shown,
                lambda status: unknown if status == FAILED else operation.before,
                lambda status: unknown if status == FAILED else operation.after)
        if counts[FAILED]:
            result["msg"] = failure_message(
                results, error, batches, len(chunks(pairs, self.params["batch_size"])),
                operation.done, self.summary(counts, batches))
            result["failed"] = True
        return result


# The options of pbx_queue_member beside the items and the connection.
MEMBER_ITEM_SPEC = dict(
    queue=dict(type="raw", required=True),
    agent=dict(type="raw", required=True),
    source=dict(type="raw"),
    penalty=dict(type="raw"),
)
MEMBER_SPEC = dict(
    state=dict(type="str", default="present", choices=sorted(OPERATIONS)),
    batch_size=dict(type="int", default=100),
    unchanged_patterns=dict(type="list", elements="str"),
)


def run_member_module():
    """The whole life of pbx_queue_member."""
    run_batch_module(QueueMembers, MEMBER_ITEM_SPEC, MEMBER_SPEC)
