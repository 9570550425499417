#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xswitch_queue_info
short_description: Read XSwitch queues with their parameters and members
version_added: 0.1.0
description:
  - Reads one queue by O(name), or every queue on the server.
  - Optionally adds each queue's extra parameters and members.
author:
  - telephony.callcenter contributors (!UNKNOWN)
extends_documentation_fragment:
  - telephony.callcenter.xswitch
  - telephony.callcenter.attributes.reads
options:
  name:
    description: The name of the queue to read. Without it, every queue is returned.
    type: str
  include_params:
    description:
      - Add each queue's extra parameters as RV(queues[].params). Costs one request per queue.
    type: bool
    default: false
  include_members:
    description:
      - Add each queue's members as RV(queues[].members). Costs one paged read per queue.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Every queue
  telephony.callcenter.xswitch_queue_info:
  register: all_queues

- name: One queue with its parameters and members
  telephony.callcenter.xswitch_queue_info:
    name: support
    include_params: true
    include_members: true
  register: support
"""

RETURN = r"""
queues:
  description: The queues found, as the server returns them. Empty when O(name) names no queue.
  returned: always
  type: list
  elements: dict
  sample: [{"id": "1", "name": "support", "type": "callcenter", "strategy": "ring-all"}]
  contains:
    params:
      description: The queue's extra parameter rows (C(realm), C(k), C(v), C(disabled)).
      returned: when O(include_params=true)
      type: list
      elements: dict
    members:
      description: The queue's member rows (C(agent_id), C(agent_name), C(level), C(position)).
      returned: when O(include_members=true)
      type: list
      elements: dict
queue:
  description: The queue named by O(name).
  returned: when O(name) is given and the queue exists
  type: dict
"""

from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_queues import run_queue_info_module


def main():
    run_queue_info_module(dict(
        name=dict(type="str"),
        include_params=dict(type="bool", default=False),
        include_members=dict(type="bool", default=False),
    ))


if __name__ == "__main__":
    main()
