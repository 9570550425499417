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

from ansible_collections.telephony.callcenter.plugins.module_utils.simotel_members import (
    BATCH_REMOVE_SPEC,
    QueueMemberships,
    run_batch_module,
)

ITEM_SPEC = dict(
    queue=dict(type="raw", required=True),
    agent=dict(type="raw", required=True),
)


def main():
    run_batch_module(QueueMemberships, ITEM_SPEC, BATCH_REMOVE_SPEC)


if __name__ == "__main__":
    main()
