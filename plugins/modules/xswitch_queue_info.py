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

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import to_text
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import redact
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import (
    XSwitchClient,
    xswitch_module,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_queues import (
    QueueMembers,
    QueueParams,
    QueueRecords,
    find_queue,
)


def read_queues(module, client):
    """The queues, with the type read from cti_template where the server returns no type."""
    params = module.params
    records = QueueRecords(client, module)
    if params.get("name"):
        found = find_queue(client, params["name"])
        queues = [found] if found else []
    else:
        queues = records.read_all()
    queues = [records.view(queue) for queue in queues]
    for queue in queues:
        queue_id = to_text(queue.get("id"))
        if params["include_params"]:
            queue["params"] = client.list_all(QueueParams.list_path(queue_id))
        if params["include_members"]:
            queue["members"] = client.list_all(QueueMembers.list_path(queue_id))
    return queues


def main():
    module = xswitch_module(dict(
        name=dict(type="str"),
        include_params=dict(type="bool", default=False),
        include_members=dict(type="bool", default=False),
    ))
    with module.reporting_errors():
        queues = redact(read_queues(module, XSwitchClient(module.params)))
    result = dict(changed=False, queues=queues)
    if module.params.get("name") and queues:
        result["queue"] = queues[0]
    module.exit_json(**result)


if __name__ == "__main__":
    main()
