#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xswitch_agent_info
short_description: Read XSwitch call-center agents
version_added: 0.1.0
description:
  - Reads one agent by O(login), or every agent (users of type C(AGENT)) on the server.
  - Optionally adds each agent's extensions and the queues it belongs to.
  - Secrets (passwords and the C(ha1)/C(ha1b) hashes) are masked in everything returned.
author:
  - telephony.callcenter contributors (!UNKNOWN)
extends_documentation_fragment:
  - telephony.callcenter.xswitch
  - telephony.callcenter.attributes.reads
options:
  login:
    description:
      - The login of the agent to read. Without it, every agent is returned.
    type: str
  include_extensions:
    description:
      - Add each agent's extensions as RV(agents[].extensions). Costs one request per agent.
    type: bool
    default: false
  include_queues:
    description:
      - Add the names of the queues each agent belongs to as RV(agents[].queues). Costs one
        request per agent.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Every agent
  telephony.callcenter.xswitch_agent_info:
  register: all_agents

- name: One agent with its queues
  telephony.callcenter.xswitch_agent_info:
    login: "1006"
    include_queues: true
  register: alice

- name: Show where Alice answers calls
  ansible.builtin.debug:
    msg: "{{ alice.agents[0].queues | default([]) }}"
"""

RETURN = r"""
agents:
  description:
    - The agents found, as the server returns them, secrets masked. Empty when O(login)
      names no agent.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 37, "login": "1006", "name": "Alice", "extn": "1006", "type": "AGENT",
            "status": "Available", "ha1": "********", "queues": ["support"]}]
  contains:
    extensions:
      description: The agent's extensions, secrets masked.
      returned: when O(include_extensions=true)
      type: list
      elements: dict
    queues:
      description: Names of the queues the agent belongs to.
      returned: when O(include_queues=true)
      type: list
      elements: str
agent:
  description: The agent named by O(login), secrets masked.
  returned: when O(login) is given and the agent exists
  type: dict
"""

from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_users import run_agent_info_module


def main():
    run_agent_info_module(dict(
        login=dict(type="str"),
        include_extensions=dict(type="bool", default=False),
        include_queues=dict(type="bool", default=False),
    ))


if __name__ == "__main__":
    main()
