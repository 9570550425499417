#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xswitch_center
short_description: Deploy a whole XSwitch call center in one module run
version_added: 0.2.0
description:
  - Agents, queues, the queues' extra parameters and the queues' members of an XSwitch server,
    in one module run. It does what M(telephony.callcenter.xswitch_agent),
    M(telephony.callcenter.xswitch_queue), M(telephony.callcenter.xswitch_queue_param) and
    M(telephony.callcenter.xswitch_queue_member) do, with the same comparisons, checks and
    read-backs, and reads the users and the queues once for all of them.
  - The role C(telephony.callcenter.xswitch_center) deploys a center with this module.
  - Every item, parameter and member is checked, and the agents and queues are planned, before
    the first write. Parameters and members are planned once their queue exists, right after
    the agents and queues are written; a failure names everything already applied.
  - The result lists only what changed (or would change in check mode), and counts the rest,
    so that a run over thousands of agents stays small.
author:
  - telephony.callcenter contributors (!UNKNOWN)
extends_documentation_fragment:
  - telephony.callcenter.xswitch
  - telephony.callcenter.attributes.writes
options:
  agents:
    description:
      - The agents, each with the options of O(telephony.callcenter.xswitch_agent#module:agents).
      - Left out or empty, agents are not managed, even with O(exclusive=true).
    type: list
    elements: dict
    suboptions:
      login:
        description: The agent's login, unique on the server.
        type: str
        required: true
      name:
        description: Display name; the login when left out at creation.
        type: str
      extn:
        description: The agent's extension. Required to create an agent; never changed later.
        type: str
      password:
        description:
          - The agent's password. Required to create an agent; compared with the server's
            C(ha1) as O(update_password) says.
        type: str
      extn_password:
        description: The extension's password, set when the agent is created.
        type: str
      old_password:
        description: The agent's current password, for servers that demand it to change one.
        type: str
      domain:
        description: The agent's domain; O(domain) when not set.
        type: str
      context:
        description: The dialplan context calls from the agent start in.
        type: str
      agent_info:
        description:
          - Call-center settings, as
            O(telephony.callcenter.xswitch_agent#module:agents[].agent_info) takes them.
          - Set over O(agent_defaults); a setting here wins.
        type: dict
        suboptions: &agent_info
          status:
            description:
              - Agent status. Set when the agent is created; enforced later only with
                O(update_status=always).
            type: str
            choices: [Out, Available, Available(On Demand), On Break, Logged Out, Available (On Demand)]
          agent_type:
            description: How calls reach the agent.
            type: str
            choices: [callback, standBy, uuid-standby]
          lag:
            description: Seconds to wait after a call before offering the next one.
            type: int
          simo:
            description: Number of simultaneous calls.
            type: int
          timeout:
            description: Seconds an offered call rings at the agent.
            type: int
          member_wait:
            description: Whether callers wait for this agent.
            type: str
            choices: [wait, nowait]
          max_no_answer:
            description: Unanswered calls after which the agent gets no more calls.
            type: int
          wrap_up_time:
            description: Seconds after a call before the agent waits in the queue again.
            type: int
          reject_delay_time:
            description: Seconds to wait after the agent rejects a call.
            type: int
          busy_delay_time:
            description: Seconds to wait after the agent's phone was busy.
            type: int
          no_answer_delay_time:
            description: Seconds to wait after the agent did not answer.
            type: int
          hardware_phone_only:
            description: Whether the agent works from a hardware phone only.
            type: bool
          level:
            description: The agent's level.
            type: int
          position:
            description: The agent's position.
            type: int
  agent_defaults:
    description:
      - C(agent_info) settings every agent of O(agents) gets unless its own C(agent_info) sets
        them.
    type: dict
    suboptions: *agent_info
  domain:
    description:
      - The domain of the agents of O(agents) that do not set their own. When not set, new
        agents get the server's default and existing ones keep theirs.
    type: str
  queues:
    description:
      - The queues, each with the options of O(telephony.callcenter.xswitch_queue#module:queues),
        plus its C(params) and C(members).
      - Left out or empty, queues are not managed, even with O(exclusive=true).
    type: list
    elements: dict
    suboptions:
      name:
        description: The queue's name, unique on the server.
        type: str
        required: true
      type:
        description: V(callcenter) or V(fifo); new queues are V(callcenter) when not set. Never changed.
        type: str
        choices: [callcenter, fifo]
      strategy:
        description: How calls are offered to agents; checked against the queue's type.
        type: str
        choices: [ring-all, longest-idle-agent, round-robin, top-down, agent-with-least-talk-time,
                  agent-with-fewest-calls, sequentially-by-agent-order, random, ring-progressively,
                  ringall, enterprise]
      description:
        description: A description of the queue.
        type: str
      template:
        description: The template the queue is created from; sent on create only.
        type: str
      cti_template:
        description: The CTI template of the queue.
        type: str
      moh_sound:
        description: Music on hold, a media id, a media path or a dict with C(media_id) or C(media_path).
        type: raw
      greeting:
        description: The greeting, in the same forms as C(moh_sound).
        type: raw
      auto_record:
        description: Whether calls of the queue are recorded.
        type: bool
      params:
        description:
          - Extra parameters of the queue, as
            O(telephony.callcenter.xswitch_queue_param#module:params) takes them (a mapping of
            key to value, or a list of C(name), C(value), C(enabled)), in the realm of the
            queue's type. Parameters not named are left alone.
          - Every key is checked against the server's dictionary before anything is written.
        type: raw
      members:
        description:
          - Logins of exactly the agents that answer the queue; members not listed are
            removed, and V([]) empties the queue. Left out or V(null), members are not managed.
          - Each login is an agent of O(agents) or an agent the server has (and that
            O(exclusive) does not delete), checked before anything is written. A plain user,
            the system user, the super admin and the account the task is connected as are
            refused; the rows of the last three are never removed.
        type: raw
  exclusive:
    description:
      - Also delete the agents (users of type C(AGENT), never the system user, the super admin
        or the account the task is connected as) and
        the queues that O(agents) and O(queues) do not name. Queue memberships of a deleted
        agent are removed first, as M(telephony.callcenter.xswitch_agent) does.
    type: bool
    default: false
  update_password:
    description:
      - V(always) makes each agent's password match its C(password); V(on_create) sets it only
        when the agent is created.
    type: str
    choices: [always, on_create]
    default: always
  update_status:
    description:
      - V(on_create) sets C(agent_info.status) only when the agent is created; V(always) resets
        it on every run where it differs.
    type: str
    choices: [always, on_create]
    default: on_create
notes:
  - In check mode, the parameters and members of a queue that does not exist yet are reported
    as to be added.
  - The system user (id 0), the super admin (id 1) and the account the task is connected as (the
    login of O(xswitch_username); with a bare O(xswitch_token), the user that
    C(GET /api/users/me) names, read once and only before a write to an existing user) are never
    changed. Naming one in O(agents) or in a queue's C(members) fails before anything
    is written, in check mode too, with the item and the reason; O(exclusive) and the exact
    member lists leave them and their memberships alone. A member must be an agent, or a user
    of O(agents), which is made one. See C(docs/protected-accounts.md).
seealso:
  - module: telephony.callcenter.xswitch_agent
  - module: telephony.callcenter.xswitch_queue
  - module: telephony.callcenter.xswitch_queue_param
  - module: telephony.callcenter.xswitch_queue_member
"""

EXAMPLES = r"""
- name: Two agents answering one queue
  telephony.callcenter.xswitch_center:
    xswitch_url: https://pbx.example.com:8081
    xswitch_token: "{{ vault_xswitch_token }}"
    domain: xswitch.cn
    agent_defaults:
      status: Available
      max_no_answer: 3
    agents:
      - login: "9001"
        name: Alice
        extn: "9001"
        password: "{{ vault_agent_passwords['9001'] }}"
      - login: "9002"
        name: Bob
        extn: "9002"
        password: "{{ vault_agent_passwords['9002'] }}"
        agent_info:
          wrap_up_time: 10
    queues:
      - name: support
        strategy: longest-idle-agent
        params:
          max-wait-time: 120
          tier-rules-apply: false
        members: ["9001", "9002"]
  register: center

- name: Say what changed
  ansible.builtin.debug:
    msg: "{{ center.msg }}"

- name: Only the servers' queues and agents named here remain
  telephony.callcenter.xswitch_center:
    agents: "{{ my_agents }}"
    queues: "{{ my_queues }}"
    exclusive: true
"""

RETURN = r"""
msg:
  description: One line per kind of object that sums up the run.
  returned: always
  type: str
  sample: "agents: 2 created, 0 updated, 0 deleted, 998 unchanged; queues: 0 created, 0 updated,
    0 deleted, 50 unchanged; params: 0 created, 0 updated, 0 deleted, 500 unchanged; members:
    2 added, 0 removed, 4998 unchanged"
counts:
  description:
    - How many objects of each kind were C(created), C(updated), C(deleted) and left
      C(unchanged) (for members, C(created) are the added ones and C(deleted) the removed ones).
      A kind the task does not manage counts zero.
  returned: always
  type: dict
  contains:
    agents:
      description: Counts of the agents.
      type: dict
    queues:
      description: Counts of the queues.
      type: dict
    params:
      description: Counts of the parameters, over every queue.
      type: dict
    members:
      description: Counts of the memberships, over every queue.
      type: dict
  sample: {"agents": {"created": 2, "updated": 0, "deleted": 0, "unchanged": 998}}
changes:
  description:
    - What changed (would change, in check mode), one entry per object, by kind. Unchanged
      objects are only counted in RV(counts).
  returned: always
  type: dict
  contains:
    agents:
      description: Entries with C(login), C(id), C(action) (C(created), C(updated), C(deleted)) and notes such as C(password_changed).
      type: list
      elements: dict
    queues:
      description: Entries with C(name), C(id) and C(action).
      type: list
      elements: dict
    params:
      description: Entries with C(queue), C(name), C(id) and C(action).
      type: list
      elements: dict
    members:
      description: Entries with C(queue), C(agent), C(id) and C(action) (C(created) is added, C(deleted) removed).
      type: list
      elements: dict
  sample: {"agents": [{"login": "9001", "id": "32", "changed": true, "action": "created"}],
           "queues": [], "params": [], "members": []}
"""

from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_center import run_center_module
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_queues import QUEUE_ITEM_SPEC
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_users import (
    AGENT_EXTRA_SPEC,
    AGENT_INFO_SPEC,
    AGENT_ITEM_SPEC,
)


def argument_spec():
    agent = dict(AGENT_ITEM_SPEC, login=dict(type="str", required=True))
    queue = dict(QUEUE_ITEM_SPEC, name=dict(type="str", required=True),
                 params=dict(type="raw"), members=dict(type="raw"))
    spec = dict(agents=dict(type="list", elements="dict", options=agent),
                agent_defaults=dict(type="dict", options=AGENT_INFO_SPEC),
                domain=dict(type="str"),
                queues=dict(type="list", elements="dict", options=queue),
                exclusive=dict(type="bool", default=False))
    spec.update(AGENT_EXTRA_SPEC)
    return spec


def main():
    run_center_module(argument_spec())


if __name__ == "__main__":
    main()
