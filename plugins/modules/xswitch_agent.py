#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xswitch_agent
short_description: Manage XSwitch call-center agents
version_added: 0.1.0
description:
  - Creates, updates and deletes call-center agents on an XSwitch server. An agent is a user of
    type C(AGENT) with call-center settings.
  - Manages one agent named by O(login), or many at once with O(agents) (one read of all users,
    one module run, however many agents).
  - Compares only what the task sets, by meaning (C("10") equals C(10), C("0") equals V(false)),
    and sends a request only when something differs.
  - A user that exists with another type is turned into an agent.
author:
  - telephony.callcenter contributors (!UNKNOWN)
extends_documentation_fragment:
  - telephony.callcenter.xswitch
  - telephony.callcenter.attributes.writes
  - telephony.callcenter.attributes.exclusive
options:
  login:
    description:
      - The agent's login (its work number), unique on the server.
      - Mutually exclusive with O(agents).
    type: str
  name: &name
    description:
      - Display name. When an agent is created without it, the login is used.
    type: str
  extn: &extn
    description:
      - The agent's extension number. Required to create an agent.
      - The API cannot change it afterwards; a different value for an existing agent is an error.
    type: str
  password: &password
    description:
      - The agent's password. Required to create an agent.
      - With O(update_password=always), an existing agent's password is compared with the
        server's C(ha1) and C(ha1b) hashes and changed only when it differs. The API document
        does not say whether a user's hash is built from its login or from its extension, so a
        hash of either matches.
    type: str
  extn_password: &extn_password
    description:
      - The extension's password, set when the agent is created; empty means the same as
        O(password).
    type: str
  old_password: &old_password
    description:
      - The agent's current password, for servers that demand it to change a password.
        A super admin's credentials usually do not need it.
    type: str
  domain: &domain
    description:
      - The agent's domain. The server's default is C(xswitch.cn).
    type: str
  context: &context
    description:
      - The dialplan context calls from the agent start in. The server's default is C(default).
    type: str
  agent_info: &agent_info
    description:
      - Call-center settings of the agent. Only the suboptions the task sets are compared and
        changed.
      - They are sent with the create; a setting the server did not take then is put once
        right after, for that agent only, and every written setting is read back.
    type: dict
    suboptions:
      status:
        description:
          - Agent status, as the API document spells it. FreeSWITCH's spellings C(Logged Out)
            and C(Available (On Demand)) are accepted and compare as the same value.
          - Agents change their status themselves while they work, so it is set when the
            agent is created and enforced later only with O(update_status=always).
        type: str
        choices: [Out, Available, Available(On Demand), On Break, Logged Out, Available (On Demand)]
      agent_type:
        description:
          - How calls reach the agent, as the API document spells it. FreeSWITCH's
            C(uuid-standby) is accepted and compares as C(standBy).
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
  agents:
    description:
      - Many agents in one task, each with the same options as a single agent.
      - Mutually exclusive with O(login).
    type: list
    elements: dict
    suboptions:
      login:
        description: The agent's login.
        type: str
        required: true
      name: *name
      extn: *extn
      password: *password
      extn_password: *extn_password
      old_password: *old_password
      domain: *domain
      context: *context
      agent_info: *agent_info
  state:
    description:
      - V(present) creates or updates, V(absent) deletes. A user of another type is never
        deleted by this module.
      - Before an agent is deleted, its queue memberships are removed and the removal is
        confirmed by reading the queues' members back, since the API document does not say
        whether deleting a user ends them. If a membership stays, the module fails and
        deletes no agent.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - With O(agents) and O(state=present), also delete every agent that the list does not
        name. Only users of type C(AGENT) are deleted, never the system or admin users.
    type: bool
    default: false
  update_password:
    description:
      - V(always) makes the password match O(password); V(on_create) sets it only when the
        agent is created.
    type: str
    choices: [always, on_create]
    default: always
  update_status:
    description:
      - V(on_create) sets O(agent_info.status) only when the agent is created, since agents
        change it themselves while they work; V(always) resets it on every run where it
        differs.
    type: str
    choices: [always, on_create]
    default: on_create
notes:
  - The system user (id 0), the super admin (id 1) and the account the task is connected as (the
    login of O(xswitch_username); with a bare O(xswitch_token), the user that
    C(GET /api/users/me) names, read once and only before a write to an existing user) are never
    changed. Naming one fails before anything is written, in check mode too, with the
    item and the reason; O(exclusive) leaves them alone. A plain user is turned into an agent
    unless it is one of them. See C(docs/protected-accounts.md).
  - The extension password is set when the agent is created; the API has no call that changes
    it later.
  - When the server returns no C(ha1), passwords cannot be compared; with
    O(update_password=always) they are then set on every run, reported as changed, with a warning.
"""

EXAMPLES = r"""
- name: An agent with its call-center settings
  telephony.callcenter.xswitch_agent:
    xswitch_url: https://pbx.example.com:8081
    xswitch_token: "{{ vault_xswitch_token }}"
    login: "1006"
    name: Alice
    extn: "1006"
    password: "{{ vault_agent_password }}"
    context: context-1
    agent_info:
      status: Available
      max_no_answer: 3
      wrap_up_time: 10

- name: A whole team in one task; agents not in the list are deleted
  telephony.callcenter.xswitch_agent:
    agents: "{{ team }}"
    exclusive: true
    update_password: on_create

- name: An agent leaves
  telephony.callcenter.xswitch_agent:
    login: "1006"
    state: absent
"""

RETURN = r"""
counts:
  description: How many results of each action (C(created), C(updated), C(deleted), C(unchanged)).
  returned: list form
  type: dict
  sample: {"created": 8, "updated": 0, "deleted": 0, "unchanged": 992}
msg:
  description: One line that sums up a list run.
  returned: list form
  type: str
  sample: "agents: 8 created, 0 updated, 0 deleted, 992 unchanged"
agent:
  description: The agent after the change (predicted in check mode), secrets masked.
  returned: single form, unless the agent is absent
  type: dict
  sample: {"id": 37, "login": "1006", "name": "Alice", "extn": "1006", "type": "AGENT",
           "status": "Available", "lag": "2", "ha1": "********", "ha1b": "********"}
id:
  description: The agent's id (text).
  returned: single form, when the agent exists or was created
  type: str
  sample: "37"
password_changed:
  description: Whether the password was (or in check mode would be) changed.
  returned: single form, when the password changes
  type: bool
queues_left:
  description: Names of the queues the agent was (or in check mode would be) removed from
    before it was deleted.
  returned: single form, when a deleted agent was in queues
  type: list
  elements: str
agents:
  description: The agents named by the list after the change, secrets masked.
  returned: list form
  type: list
  elements: dict
results:
  description: One entry per item of the list, and per agent deleted by O(exclusive).
  returned: list form
  type: list
  elements: dict
  contains:
    login:
      description: The agent's login.
      type: str
    id:
      description: The agent's id, if it exists.
      type: str
    changed:
      description: Whether this agent changed.
      type: bool
    action:
      description: C(created), C(updated), C(deleted) or C(unchanged).
      type: str
    password_changed:
      description: Present and true when the password changed.
      type: bool
      returned: when the password changes
    queues_left:
      description: Names of the queues the agent was removed from before it was deleted.
      type: list
      elements: str
      returned: when a deleted agent was in queues
"""

from ansible_collections.telephony.callcenter.plugins.module_utils.engine import run_resource_module
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import (
    XSWITCH_CONNECTION_RULES,
    XSWITCH_CONNECTION_SPEC,
    XSwitchClient,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_users import (
    AGENT_EXTRA_SPEC,
    AGENT_ITEM_SPEC,
    Agents,
)


def main():
    run_resource_module(Agents, AGENT_ITEM_SPEC, XSwitchClient, XSWITCH_CONNECTION_SPEC,
                        XSWITCH_CONNECTION_RULES, extra_spec=AGENT_EXTRA_SPEC)


if __name__ == "__main__":
    main()
