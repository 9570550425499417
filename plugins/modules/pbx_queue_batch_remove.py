#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: pbx_queue_batch_remove
short_description: Remove agents from Simotel queues in batches
version_added: 0.1.0
description:
  - Removes agents from queues on a Simotel server with the C(pbx/queues/batchremoveagent)
    service of API v4, many queue and agent pairs per request.
  - Simotel has no call that lists a queue's members, so the module cannot look before it acts.
    It is idempotent through the server's answer instead. For every pair the server answers
    with C(ok) and a message. C(ok=1) means the agent was removed (changed). C(ok=0) with a
    message that matches one of O(absent_patterns) means the agent was not in that queue, so
    it is already absent (unchanged). Any other C(ok=0) is a failure.
  - A pair that is listed more than once is sent once.
  - After all batches ran, the task fails if any pair failed, naming those pairs. The result
    still holds every pair's outcome and C(changed) is true when anything was removed, so no
    removal is hidden by the failure.
  - When a whole request is refused (wrong credentials, no permission, a server error), the
    module stops there. The pairs of that batch and of every later one are reported as failed
    and the task fails with the server's answer and advice on what to fix.
author:
  - telephony.callcenter contributors (!UNKNOWN)
extends_documentation_fragment:
  - telephony.callcenter.pbx
attributes:
  check_mode:
    support: full
    description:
      - Sends no request at all. Returns the requests that would be sent and reports
        C(changed) for any non-empty list, because Simotel cannot confirm beforehand whether
        the agents are in those queues; a warning says so.
  diff_mode:
    support: full
    description:
      - In check mode, every pair to be removed is shown before the change as
        C(member, unconfirmed) and gone after, since membership cannot be checked.
      - After a real run, the removed pairs are shown as C(member) before and gone after.
        Pairs that were already absent do not appear; pairs that failed appear on both
        sides as C(membership unknown, not removed).
options:
  agents:
    description:
      - The queue and agent pairs to remove.
      - An empty list sends nothing and changes nothing.
    type: list
    elements: dict
    required: true
    suboptions:
      queue:
        description:
          - The queue number, for example C(10000). A number is accepted and sent as text.
        type: raw
        required: true
      agent:
        description:
          - The agent number, for example C(570). A number is accepted and sent as text.
        type: raw
        required: true
  batch_size:
    description:
      - The largest number of pairs sent in one request; a longer list goes out in several
        requests, one after another.
      - Must be at least 1.
    type: int
    default: 100
  absent_patterns:
    description:
      - Regular expressions, matched case-insensitively anywhere in the message of an item
        the server did not remove (C(ok=0)). A match means the agent was not in that queue,
        which counts as already absent, not as a failure.
      - "Simotel does not document this wording; the default covers Asterisk's own words, as in
        C(Unable to remove interface: Not there). Widen it when a server words it otherwise."
      - An empty list makes every item that was not removed a failure.
    type: list
    elements: str
    default: ["not there", "not in (the )?queue", "not a member"]
notes:
  - Removing an agent that is not in the queue changes nothing, so a request is safe to send
    again; requests are retried after a timeout or a busy reply (see O(retries)).
  - The server's answers are matched to the pairs by queue and agent, not by position. A pair
    the server gives no answer for is reported as failed.
  - A reply with C(success=0) that still carries per-item results is judged item by item, so
    the items that were removed or already absent are reported as such. C(success=0) without
    per-item results fails the task with the server's message.
"""

EXAMPLES = r"""
- name: Agents 570 and 553 leave queue 10000
  telephony.callcenter.pbx_queue_batch_remove:
    pbx_url: https://simotel.example.com
    pbx_api_key: "{{ vault_simotel_api_key }}"
    pbx_username: sadr
    pbx_password: "{{ vault_simotel_password }}"
    agents:
      - queue: "10000"
        agent: "570"
      - queue: "10000"
        agent: "553"

# A long list, for example 250 pairs kept in group_vars:
#   leaving_agents:
#     - {queue: 10000, agent: 5000}
#     - {queue: 10000, agent: 5001}
#     - ...
- name: Many agents leave, 100 pairs per request (3 requests for 250 pairs)
  module_defaults:
    group/telephony.callcenter.pbx:
      pbx_url: https://simotel.example.com
      pbx_api_key: "{{ vault_simotel_api_key }}"
  telephony.callcenter.pbx_queue_batch_remove:
    agents: "{{ leaving_agents }}"
    batch_size: 100
  register: removal

- name: Show the pairs that were still members
  ansible.builtin.debug:
    msg: "{{ removal.results | selectattr('status', 'equalto', 'removed') | list }}"

- name: A server that words "not a member" differently
  telephony.callcenter.pbx_queue_batch_remove:
    agents:
      - {queue: 10001, agent: 600}
    absent_patterns:
      - not there
      - "agent .* is not in queue"
"""

RETURN = r"""
results:
  description:
    - One entry per distinct queue and agent pair, in the order of O(agents).
  returned: always
  type: list
  elements: dict
  sample: [{"queue": "10000", "agent": "570", "status": "removed",
            "message": "Removed successfully"},
           {"queue": "10000", "agent": "999", "status": "absent",
            "message": "Unable to remove interface: Not there"}]
  contains:
    queue:
      description: The queue number, as sent.
      type: str
      sample: "10000"
    agent:
      description: The agent number, as sent.
      type: str
      sample: "570"
    status:
      description:
        - V(removed) (the agent was in the queue and is not any more), V(absent) (it was not in
          the queue), or V(failed) (it could not be removed, see RV(results[].message)).
        - In check mode V(unconfirmed), since nothing is sent.
      type: str
      choices: [removed, absent, failed, unconfirmed]
      sample: removed
    message:
      description:
        - The server's message about this pair, or why there is none (the request failed, the
          reply did not mention the pair, check mode).
      type: str
      sample: Removed successfully
    replayed:
      description:
        - Present and true when the pair answered "not there" to a batch that was sent again
          after an attempt whose reply was lost (a timeout or a dropped connection). That
          attempt may have removed it, so its status is V(removed); a warning says so.
      type: bool
      returned: when the batch was replayed
counts:
  description:
    - How many pairs were removed, already absent, or failed. In check mode nothing is sent
      and all three are 0.
  returned: always
  type: dict
  sample: {"removed": 2, "absent": 1, "failed": 0}
  contains:
    removed:
      description: Pairs removed.
      type: int
    absent:
      description: Pairs that were already absent.
      type: int
    failed:
      description: Pairs that could not be removed, or whose outcome is unknown.
      type: int
batches:
  description:
    - The number of requests sent; in check mode, the number that would be sent.
  returned: always
  type: int
  sample: 3
requests:
  description:
    - The request bodies that would be sent, one per batch.
  returned: in check mode
  type: list
  elements: dict
  sample: [{"agents": [{"queue": "10000", "agent": "570"}, {"queue": "10000", "agent": "553"}]}]
msg:
  description: A summary of the outcome, or of the failure.
  returned: always
  type: str
  sample: "removed 2, already absent 0, failed 0 (1 request)"
"""

from ansible_collections.telephony.callcenter.plugins.module_utils.api_assumptions import (
    SIMOTEL_ABSENT_PATTERNS,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.module import CallcenterModule
from ansible_collections.telephony.callcenter.plugins.module_utils.simotel import (
    ABSENT,
    FAILED,
    PBX_CONNECTION_RULES,
    PBX_CONNECTION_SPEC,
    REMOVED,
    SimotelClient,
    chunks,
    compile_patterns,
    member_key,
    remove_members,
)

UNCONFIRMED = "unconfirmed"
# How many failed pairs the failure message names; all of them are in results.
NAMED_FAILURES = 20
CHECK_MODE_WARNING = (
    "Simotel cannot list a queue's members, so whether these agents are in their queues cannot "
    "be confirmed before the change; check mode reports every pair as a removal.")


def argument_spec():
    spec = dict(
        agents=dict(type="list", elements="dict", required=True, options=dict(
            queue=dict(type="raw", required=True),
            agent=dict(type="raw", required=True),
        )),
        batch_size=dict(type="int", default=100),
        absent_patterns=dict(type="list", elements="str",
                             default=list(SIMOTEL_ABSENT_PATTERNS)),
    )
    spec.update(PBX_CONNECTION_SPEC)
    return spec


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
                  "message": "not sent (check mode)"} for queue, agent in pairs],
        counts=_counts([]),
        msg="would remove %d pair%s in %d request%s; membership is not confirmed beforehand"
            % (len(pairs), "" if len(pairs) == 1 else "s",
               len(planned), "" if len(planned) == 1 else "s"))
    if module._diff:
        result["diff"] = _diff([(queue, agent, "member, unconfirmed") for queue, agent in pairs],
                               [])
    return result


def failure_message(results, error, batches, total_batches):
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
        parts.append("%d of %d pair%s could not be removed: %s" % (
            len(failed), len(results), "" if len(results) == 1 else "s", "; ".join(named)))
    parts.append(_summary(_counts(results), batches))
    return ". ".join(parts)


def main():
    module = CallcenterModule(
        argument_spec=argument_spec(),
        item_lists={"agents": "queue"},
        supports_check_mode=True,
        **PBX_CONNECTION_RULES)
    params = module.params

    pairs, errors = unique_pairs(params["agents"] or [])
    if params["batch_size"] < 1:
        errors.append("batch_size must be at least 1, not %d" % params["batch_size"])
    try:
        patterns = compile_patterns(params["absent_patterns"])
    except ValueError as error:
        errors.append(str(error))
    if errors:
        module.fail_json(msg="Invalid input, nothing was sent: " + "; ".join(errors))

    if not pairs:
        module.exit_json(changed=False, results=[], counts=_counts([]), batches=0,
                         msg="no pairs given, nothing was sent")
    if module.check_mode:
        module.exit_json(**check_mode_result(module, pairs, params["batch_size"]))

    client = SimotelClient(params)
    results, batches, error, unexpected = remove_members(
        client, pairs, params["batch_size"], patterns)
    for answer in unexpected:
        module.warn("the server answered about queue %s agent %s, which this task did not ask "
                    "to remove: %s" % (answer.get("queue"), answer.get("agent"),
                                       client.mask(str(answer.get("message")))))

    replayed = [r for r in results if r.get("replayed")]
    if replayed:
        module.warn("%d pair(s) answered 'not there' to a batch that was sent again after an "
                    "attempt whose reply was lost and which may have removed them: they count "
                    "as removed" % len(replayed))
    counts = _counts(results)
    result = dict(changed=counts[REMOVED] > 0, results=results, counts=counts, batches=batches,
                  msg=_summary(counts, batches))
    if module._diff:
        failed = [(r["queue"], r["agent"], "membership unknown, not removed")
                  for r in results if r["status"] == FAILED]
        result["diff"] = _diff(
            [(r["queue"], r["agent"], "member") for r in results if r["status"] == REMOVED]
            + failed, failed)
    if counts[FAILED]:
        result["msg"] = failure_message(results, error, batches,
                                        len(chunks(pairs, params["batch_size"])))
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
