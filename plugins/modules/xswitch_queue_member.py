#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xswitch_queue_member
short_description: Manage which agents answer an XSwitch queue
version_added: 0.1.0
description:
  - Adds agents to a queue and removes them, by agent login.
  - Reads the queue, the users and the members once; adds every missing member in one request.
  - Every login is checked before anything is written; an unknown one is an error naming it.
author:
  - telephony.callcenter contributors (!UNKNOWN)
extends_documentation_fragment:
  - telephony.callcenter.xswitch
  - telephony.callcenter.attributes.writes
  - telephony.callcenter.attributes.exclusive
options:
  queue:
    description:
      - The name of the queue. Together with O(agents); mutually exclusive with O(queues).
    type: str
  agents:
    description: Logins of the agents.
    type: list
    elements: str
  queues:
    description:
      - Many queues in one task, each with its members. The queues, the users and the
        members of each queue are read once, and everything is planned before the first write.
      - Mutually exclusive with O(queue).
    type: list
    elements: dict
    suboptions:
      name:
        description: The name of the queue.
        type: str
        required: true
      agents:
        description: Logins of the agents.
        type: list
        elements: str
        required: true
      exclusive:
        description: Like O(exclusive), for this queue; O(exclusive) when not set.
        type: bool
  state:
    description:
      - V(present) adds the agents that are not members yet, V(absent) removes the named ones.
      - An agent that does not exist is in no queue, so with V(absent) it is unchanged.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - With O(state=present), also remove the members that O(agents) does not name.
    type: bool
    default: false
notes:
  - Queue members must be agents. A login of a user of another type fails before anything is
    written and points to M(telephony.callcenter.xswitch_agent), which turns it into an agent.
  - The system user (id 0), the super admin (id 1) and the account the task is connected as (the
    login of O(xswitch_username); with a bare O(xswitch_token), the user that
    C(GET /api/users/me) names, read once and only before a write to an existing user) are never
    changed. They are never added or removed (naming one fails before anything is
    written, in check mode too, with the item and the reason), and O(exclusive) keeps their
    rows. See C(docs/protected-accounts.md).
  - A queue or an agent that does not exist is an error before anything is written, except in
    check mode, where an earlier task of the same dry run would have created it; there the
    members are reported as to be added, with a warning.
  - Removal uses C(DELETE /api/queues/$id/agents/$member_id), which the API document does not
    describe; the collection keeps that path in one place (C(api_assumptions.py)). Adds and
    removals are confirmed by one read of the queue's members; a member still there after its
    removal, or missing after its add, is a failure that names the route tried.
  - Members are added with C(agent_name) set to the agent's extension, as in every example of
    the API document.
  - A member that reads back disabled gets no calls; it is reported with C(disabled=true) and a
    warning.
"""

EXAMPLES = r"""
- name: The support team answers the support queue, nobody else
  telephony.callcenter.xswitch_queue_member:
    queue: support
    agents: ["1001", "1002", "1003"]
    exclusive: true

- name: An agent leaves the sales queue
  telephony.callcenter.xswitch_queue_member:
    queue: sales
    agents: ["1004"]
    state: absent

- name: Every queue's members in one task
  telephony.callcenter.xswitch_queue_member:
    queues:
      - {name: support, agents: ["1001", "1002"], exclusive: true}
      - {name: sales, agents: ["1005"]}
"""

RETURN = r"""
counts:
  description: How many results of each action (C(created), C(updated), C(deleted), C(unchanged)).
  returned: success
  type: dict
  sample: {"created": 8, "updated": 0, "deleted": 0, "unchanged": 992}
msg:
  description: One line that sums up the run.
  returned: success
  type: str
  sample: "members: 2 added, 0 removed, 8 unchanged"
queue_id:
  description:
    - The queue's id; V(null) in check mode when the queue does not exist yet.
  returned: single form
  type: str
  sample: "2"
members:
  description: All members of the queue after the change (predicted in check mode).
  returned: single form
  type: list
  elements: dict
  sample: [{"id": "4", "queue_id": "2", "agent_id": "24", "agent_name": "1022", "level": "1",
            "position": "1"}]
results:
  description: One entry per named agent, and per member removed by O(exclusive).
  returned: single form
  type: list
  elements: dict
  contains:
    agent:
      description: The agent's login.
      type: str
    id:
      description: The member row's id, if it exists.
      type: str
    changed:
      description: Whether this membership changed.
      type: bool
    action:
      description: C(created) (added), C(deleted) (removed) or C(unchanged).
      type: str
    disabled:
      description: Present and true when the member reads back disabled.
      type: bool
      returned: when the member is disabled
queues:
  description:
    - One entry per queue of O(queues), with RV(queue_id), RV(results) and RV(counts) as
      the single form returns them, its C(name), whether it C(changed), and C(members), the
      logins of its members after the change.
  returned: list form
  type: list
  elements: dict
"""

from ansible_collections.telephony.callcenter.plugins.module_utils.engine import EXCLUSIVE_SPEC
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_queue_runs import run_queue_members_module


def main():
    run_queue_members_module(
        dict(queue=dict(type="str"),
             agents=dict(type="list", elements="str"),
             queues=dict(type="list", elements="dict", options=dict(
                 name=dict(type="str", required=True),
                 agents=dict(type="list", elements="str", required=True),
                 exclusive=dict(type="bool"))),
             state=dict(type="str", default="present", choices=["present", "absent"]),
             **EXCLUSIVE_SPEC),
        rules=dict(mutually_exclusive=[("queue", "queues")], required_one_of=[("queue", "queues")],
                   required_together=[("queue", "agents")]))


if __name__ == "__main__":
    main()
