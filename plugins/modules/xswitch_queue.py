#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xswitch_queue
short_description: Manage XSwitch call-center and FIFO queues
version_added: 0.1.0
description:
  - Creates, updates and deletes queues on an XSwitch server, one named by O(name) or many
    with O(queues) in one module run.
  - Compares only what the task sets, by meaning, and sends a request only when something
    differs.
  - The queue's extra parameters and members have their own modules,
    M(telephony.callcenter.xswitch_queue_param) and M(telephony.callcenter.xswitch_queue_member).
author:
  - telephony.callcenter contributors (!UNKNOWN)
extends_documentation_fragment:
  - telephony.callcenter.xswitch
  - telephony.callcenter.attributes.writes
  - telephony.callcenter.attributes.exclusive
options:
  name:
    description:
      - The queue's name, unique on the server. Mutually exclusive with O(queues).
    type: str
  type: &type
    description:
      - V(callcenter) (FreeSWITCH mod_callcenter) or V(fifo) (mod_fifo). A queue is created as
        V(callcenter) when the task does not say.
      - The type of an existing queue is never changed, since that would change what the queue
        is; a different value is an error.
      - An existing queue's type is read from C(type), else from C(cti_template) (the API
        document's queue reads carry only the latter). When the server returns neither, the
        type is unknown and not compared. See C(docs/api/xswitch.md) in the collection.
    type: str
    choices: [callcenter, fifo]
  strategy: &strategy
    description:
      - How calls are offered to agents. Call-center queues take V(ring-all),
        V(longest-idle-agent), V(round-robin), V(top-down), V(agent-with-least-talk-time),
        V(agent-with-fewest-calls), V(sequentially-by-agent-order), V(random) or
        V(ring-progressively); FIFO queues take V(ringall) or V(enterprise).
      - Checked against the queue's type before anything is written.
    type: str
    choices: [ring-all, longest-idle-agent, round-robin, top-down, agent-with-least-talk-time,
              agent-with-fewest-calls, sequentially-by-agent-order, random, ring-progressively,
              ringall, enterprise]
  description: &description
    description: A description of the queue.
    type: str
  template: &template
    description:
      - The template the queue is created from. Sent when the queue is created only, never
        compared later (the API's queue reads do not return it).
    type: str
  cti_template: &cti_template
    description:
      - The CTI template of the queue. When a queue is created without it, it is sent equal to
        O(type), so that the type can be read back.
    type: str
  moh_sound: &moh_sound
    description:
      - Music on hold while callers wait. A media id (V(411)), a media path
        (V(phrase:welcome@xui)), or a dict with C(media_id) or C(media_path).
      - An id is compared with the C(media_id) the server reads back, a path with its
        C(media_path). An empty string clears it.
    type: raw
  greeting: &greeting
    description:
      - The greeting played when a caller enters the queue; the same forms as O(moh_sound).
    type: raw
  auto_record: &auto_record
    description: Whether calls of the queue are recorded.
    type: bool
  queues:
    description:
      - Many queues in one task, each with the same options as a single queue.
      - Mutually exclusive with O(name).
    type: list
    elements: dict
    suboptions:
      name:
        description: The queue's name.
        type: str
        required: true
      type: *type
      strategy: *strategy
      description: *description
      template: *template
      cti_template: *cti_template
      moh_sound: *moh_sound
      greeting: *greeting
      auto_record: *auto_record
  state:
    description: V(present) creates or updates, V(absent) deletes.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - With O(queues) and O(state=present), also delete every queue that the list does not
        name.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: The API document's example queue
  telephony.callcenter.xswitch_queue:
    name: test2
    type: callcenter
    strategy: agent-with-fewest-calls
    description: test
    template: default
    cti_template: callcenter
    moh_sound: 411
    auto_record: true

- name: Queues of a center in one task
  telephony.callcenter.xswitch_queue:
    queues:
      - {name: support, strategy: longest-idle-agent, greeting: "phrase:welcome@xui"}
      - {name: sales, strategy: ring-all}
      - {name: callback, type: fifo, strategy: ringall}

- name: A queue is retired
  telephony.callcenter.xswitch_queue:
    name: test2
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
  sample: "queues: 1 created, 0 updated, 0 deleted, 49 unchanged"
queue:
  description: The queue after the change (predicted in check mode).
  returned: single form, unless the queue is absent
  type: dict
  sample: {"id": 2, "name": "test2", "type": "callcenter", "strategy": "agent-with-fewest-calls",
           "moh_sound": {"media_id": "411", "media_path": "local_stream://moh", "media_type": "FILE"}}
id:
  description: The queue's id (text).
  returned: single form, when the queue exists or was created
  type: str
  sample: "2"
queues:
  description: The queues named by the list after the change.
  returned: list form
  type: list
  elements: dict
results:
  description: One entry per item of the list, and per queue deleted by O(exclusive).
  returned: list form
  type: list
  elements: dict
  contains:
    name:
      description: The queue's name.
      type: str
    id:
      description: The queue's id, if it exists.
      type: str
    changed:
      description: Whether this queue changed.
      type: bool
    action:
      description: C(created), C(updated), C(deleted) or C(unchanged).
      type: str
"""

from ansible_collections.telephony.callcenter.plugins.module_utils.engine import run_resource_module
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import (
    XSWITCH_CONNECTION_RULES,
    XSWITCH_CONNECTION_SPEC,
    XSwitchClient,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_queues import (
    QUEUE_ITEM_SPEC,
    Queues,
)


def main():
    run_resource_module(Queues, QUEUE_ITEM_SPEC, XSwitchClient, XSWITCH_CONNECTION_SPEC,
                        XSWITCH_CONNECTION_RULES)


if __name__ == "__main__":
    main()
