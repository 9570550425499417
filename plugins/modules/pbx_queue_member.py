#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: pbx_queue_member
short_description: Add, remove, pause and resume agents in Simotel queues, in batches
version_added: 0.2.0
description:
  - Brings agents in queues of a Simotel server (API v4) to O(state), many queue and agent
    pairs per request, with the batch services C(pbx/queues/batchaddagent),
    C(batchremoveagent), C(batchpauseagent) and C(batchresumeagent) of the vendor's wiki
    (repository C(simotel/wiki), pages C(6-queues/9-queue_batchaddagent.md) to
    C(12-queue_batchremoveagent.md)).
  - Simotel has no call that lists a queue's members, so the module cannot look before it acts.
    It is idempotent through the server's answer about each pair instead. C(ok=1) means the
    pair changed. C(ok=0) with a message that matches one of O(unchanged_patterns) means there
    was nothing to do (the agent was in the queue already, or was not in it), so the pair is
    unchanged. Any other C(ok=0) is a failure.
  - A pair listed more than once is sent once; listed twice with another O(agents[].source)
    or O(agents[].penalty) it is refused.
  - Every item is checked before the first request, and the task fails naming every item that
    is wrong, without sending anything.
  - After all batches ran, the task fails if any pair failed, naming those pairs. The result
    still holds every pair's outcome and C(changed) is true when anything changed, so no change
    is hidden by the failure.
  - When a whole request is refused (wrong credentials, no permission, a server error), the
    module stops there. The pairs of that batch and of every later one are reported as failed
    and the task fails with the server's answer and advice on what to fix.
  - M(telephony.callcenter.pbx_queue_batch_remove) stays for playbooks that use it; it is this
    module with O(state=absent).
author:
  - telephony.callcenter contributors (!UNKNOWN)
extends_documentation_fragment:
  - telephony.callcenter.pbx
attributes:
  check_mode:
    support: full
    description:
      - Sends no request at all. Returns the requests that would be sent and reports
        C(changed) for any non-empty list, because the server cannot be asked first whether a
        pair needs the change (Simotel cannot list a queue's members); each result, the
        message and a warning say so.
  diff_mode:
    support: full
    description:
      - Shows each pair that changed as a line per side, for example C(queue 10000 agent 570
        member) after an addition. Unchanged pairs do not appear; pairs that failed appear on
        both sides as C(membership unknown). In check mode every pair is shown, marked
        C(unconfirmed) where the side before the change cannot be known.
options:
  agents:
    description:
      - The queue and agent pairs.
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
      source:
        description:
          - What the agent is reached by, as C(batchaddagent) takes it (required there; the
            wiki's examples send the agent number).
          - Defaults to O(agents[].agent). Only with O(state=present).
        type: raw
      penalty:
        description:
          - The member's penalty, a whole number of 0 or more. Not given, the server's default
            applies. Only with O(state=present).
          - Set only when the agent is added. An agent already in the queue keeps its own
            penalty and source, since the API can neither read nor change them.
        type: raw
  state:
    description:
      - V(present) adds the agents to the queues, V(absent) removes them, V(paused) pauses them
        and V(resumed) resumes them (the agents must be in the queues for the last two).
    type: str
    choices: [absent, paused, present, resumed]
    default: present
  batch_size:
    description:
      - The largest number of pairs sent in one request; a longer list goes out in several
        requests, one after another.
      - Must be at least 1.
    type: int
    default: 100
  unchanged_patterns:
    description:
      - Regular expressions, matched case-insensitively anywhere in the message of an item
        the server did not change (C(ok=0)). A match means there was nothing to do, so the
        pair is unchanged, not failed.
      - "Simotel documents only the successes. Not set, the patterns of O(state) apply, taken
        from Asterisk's own words: for V(present) C(already there), C(already (a )?member),
        C(already in (the )?queue) (as in C(Unable to add interface: Already there)); for
        V(absent) C(not there), C(not in (the )?queue), C(not a member); for V(paused)
        C(already paused); for V(resumed) C(not paused), C(already (un|resum))."
      - Asterisk pauses a member without looking whether it is paused already and says it
        succeeded, so against such a server a repeated V(paused) or V(resumed) reports a
        change.
      - An empty list makes every item that was not changed a failure.
    type: list
    elements: str
notes:
  - Every request may be sent again after a timeout or a busy reply (see O(retries)), since
    adding, removing, pausing or resuming a pair twice changes nothing more. When a reply was lost
    and the batch was sent again, a pair answered "nothing to do" may have been changed by the
    lost attempt. It counts as changed, is marked RV(results[].replayed), and a warning says
    so.
  - The server's answers are matched to the pairs by queue and agent, not by position. A pair
    the server gives no answer for is reported as failed.
  - A reply with C(success=0) that still carries per-item results is judged item by item.
    C(success=0) without per-item results fails the task with the server's message.
seealso:
  - module: telephony.callcenter.pbx_queue
  - module: telephony.callcenter.pbx_queue_batch_remove
"""

EXAMPLES = r"""
- name: Agents 570 and 553 join queue 10000
  telephony.callcenter.pbx_queue_member:
    pbx_url: https://simotel.example.com
    pbx_api_key: "{{ vault_simotel_api_key }}"
    pbx_username: sadr
    pbx_password: "{{ vault_simotel_password }}"
    agents:
      - {queue: "10000", agent: "570"}
      - {queue: "10000", agent: "553", penalty: 2}

- name: Many agents join, 100 pairs per request
  module_defaults:
    group/telephony.callcenter.pbx:
      pbx_url: https://simotel.example.com
      pbx_api_key: "{{ vault_simotel_api_key }}"
  telephony.callcenter.pbx_queue_member:
    agents: "{{ queue_agents }}"
    batch_size: 100
  register: joined

- name: Show the pairs that were added by this run
  ansible.builtin.debug:
    msg: "{{ joined.results | selectattr('status', 'equalto', 'added') | list }}"

- name: Agent 570 takes a break from queue 10000
  telephony.callcenter.pbx_queue_member:
    agents:
      - {queue: "10000", agent: "570"}
    state: paused

- name: Agent 570 leaves queue 10000
  telephony.callcenter.pbx_queue_member:
    agents:
      - {queue: "10000", agent: "570"}
    state: absent
"""

RETURN = r"""
results:
  description:
    - One entry per distinct queue and agent pair, in the order of O(agents).
  returned: always
  type: list
  elements: dict
  sample: [{"queue": "10000", "agent": "570", "status": "added",
            "message": "Added successfully"},
           {"queue": "10000", "agent": "553", "status": "unchanged",
            "message": "Unable to add interface: Already there"}]
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
        - What O(state) did to the pair, V(added), V(removed), V(paused) or V(resumed); or
          V(unchanged) (nothing to do), or V(failed) (see RV(results[].message)).
        - In check mode V(unconfirmed), since nothing is sent.
      type: str
      choices: [added, removed, paused, resumed, unchanged, failed, unconfirmed]
      sample: added
    message:
      description:
        - The server's message about this pair, or why there is none (the request failed, the
          reply did not mention the pair, check mode).
      type: str
      sample: Added successfully
    replayed:
      description:
        - Present and true when the pair answered "nothing to do" to a batch that was sent
          again after an attempt whose reply was lost (a timeout or a dropped connection).
          That attempt may have changed it, so it counts as changed; a warning says so.
      type: bool
      returned: when the batch was replayed
counts:
  description:
    - How many pairs changed (under the status of O(state), for example C(added)), were
      unchanged, or failed. In check mode nothing is sent and all three are 0.
  returned: always
  type: dict
  sample: {"added": 2, "unchanged": 1, "failed": 0}
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
  sample: [{"agents": [{"queue": "10000", "agent": "570", "agents": "570", "source": "570",
                        "penalty": ""}]}]
msg:
  description: A summary of the outcome, or of the failure.
  returned: always
  type: str
  sample: "added 2, unchanged 1, failed 0 (1 request)"
"""

from ansible_collections.telephony.callcenter.plugins.module_utils.simotel_members import (
    run_member_module,
)


def main():
    run_member_module()


if __name__ == "__main__":
    main()
