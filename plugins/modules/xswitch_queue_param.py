#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xswitch_queue_param
short_description: Manage the extra parameters of an XSwitch queue
version_added: 0.1.0
description:
  - Sets, enables, disables and deletes the extra parameters of one queue (FreeSWITCH
    mod_callcenter settings in realm C(CC), mod_fifo settings in realm C(FIFO)).
  - Keys are checked against the server's own dictionary of the realm
    (C(QUEUE_CC_PARAM) or C(QUEUE_FIFO_PARAM)) before anything is written.
  - Values are stored as the API stores them (V(true) becomes C(true)) and compared by
    meaning.
  - 'The C(*-action) keys take a dict such as C({action: transfer, data: "1001"}) and compare as
    JSON, so key order and spacing do not matter.'
  - The API only toggles a parameter's enabled flag; the module reads the flag first and sends
    the toggle only when it must flip.
author:
  - telephony.callcenter contributors (!UNKNOWN)
extends_documentation_fragment:
  - telephony.callcenter.xswitch
  - telephony.callcenter.attributes.writes
  - telephony.callcenter.attributes.exclusive
options:
  queue:
    description:
      - The name of the queue. Together with O(params); mutually exclusive with O(queues).
    type: str
  queues:
    description:
      - Many queues in one task, each with its parameters. The queues and the parameter
        dictionaries are read once, the parameters of each queue once, and everything is
        planned before the first write.
      - Mutually exclusive with O(queue).
    type: list
    elements: dict
    suboptions:
      name:
        description: The name of the queue.
        type: str
        required: true
      realm:
        description: Like O(realm), for this queue.
        type: str
        choices: [CC, FIFO]
      params:
        description: Like O(params), for this queue.
        type: raw
        required: true
      exclusive:
        description: Like O(exclusive), for this queue; O(exclusive) when not set.
        type: bool
  realm:
    description:
      - The parameter realm. Defaults to C(CC) for a call-center queue and C(FIFO) for a FIFO
        queue; for a queue that does not exist yet (check mode), to C(FIFO) when every key is a
        FIFO key, else C(CC).
    type: str
    choices: [CC, FIFO]
  params:
    description:
      - The parameters. Either a mapping of key to value, or a list of dicts with C(name),
        C(value) and optionally C(enabled) (a boolean; not compared when left out).
      - With O(state=absent), also a plain list of keys.
      - A value may be a string, a number, a boolean, or a dict for the C(*-action) keys.
    type: raw
  state:
    description:
      - V(present) adds or updates the parameters, V(absent) deletes them.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - With O(state=present), also delete the queue's parameters of the realm that O(params)
        does not name.
    type: bool
    default: false
notes:
  - A queue that does not exist is an error before anything is written, except in check mode,
    where an earlier task of the same dry run would have created it; there every parameter is
    reported as to be added, with a warning.
"""

EXAMPLES = r"""
- name: The API document's call-center parameters
  telephony.callcenter.xswitch_queue_param:
    queue: test2
    params:
      announce-sound: "1"
      overflow-capacity-action: {action: transfer, data: "1009"}
      discard-abandoned-after: 600
      abandoned-resume-allowed: true

- name: A FIFO queue's importance, and one parameter switched off
  telephony.callcenter.xswitch_queue_param:
    queue: FIFO1
    params:
      - {name: importance, value: 0}
      - {name: outbound_priority, value: 5, enabled: false}

- name: Exactly these parameters, nothing else in the realm
  telephony.callcenter.xswitch_queue_param:
    queue: test2
    exclusive: true
    params:
      wait-timeout: 120
      wait-timeout-action: {action: hangup}

- name: Every queue's parameters in one task
  telephony.callcenter.xswitch_queue_param:
    queues:
      - {name: support, params: {wait-timeout: 300}}
      - {name: callback, params: {importance: 0}}
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
  sample: "params: 1 created, 2 updated, 0 deleted, 5 unchanged"
queues:
  description:
    - One entry per queue of O(queues), with RV(queue_id), RV(realm), RV(params) and
      RV(results) as the single form returns them, its C(name) and whether it C(changed).
  returned: list form
  type: list
  elements: dict
queue_id:
  description:
    - The queue's id; V(null) in check mode when the queue does not exist yet.
  returned: single form
  type: str
  sample: "2"
realm:
  description: The realm the parameters belong to.
  returned: single form
  type: str
  sample: CC
params:
  description: The queue's parameters of the realm after the change (predicted in check mode).
  returned: single form
  type: list
  elements: dict
  sample: [{"id": 114, "realm": "CC", "k": "discard-abandoned-after", "v": "600", "disabled": 0}]
results:
  description: One entry per named parameter, and per parameter deleted by O(exclusive).
  returned: single form
  type: list
  elements: dict
  contains:
    name:
      description: The parameter's key.
      type: str
    id:
      description: The parameter row's id, if it exists.
      type: str
    changed:
      description: Whether this parameter changed.
      type: bool
    action:
      description: C(created), C(updated), C(deleted) or C(unchanged).
      type: str
    toggle:
      description: Present and true when the enabled flag was flipped.
      type: bool
      returned: when the flag flips
"""

from ansible_collections.telephony.callcenter.plugins.module_utils.engine import EXCLUSIVE_SPEC
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_queue_runs import run_queue_params_module


def main():
    run_queue_params_module(
        dict(queue=dict(type="str"),
             realm=dict(type="str", choices=["CC", "FIFO"]),
             params=dict(type="raw"),
             queues=dict(type="list", elements="dict", options=dict(
                 name=dict(type="str", required=True),
                 realm=dict(type="str", choices=["CC", "FIFO"]),
                 params=dict(type="raw", required=True),
                 exclusive=dict(type="bool"))),
             state=dict(type="str", default="present", choices=["present", "absent"]),
             **EXCLUSIVE_SPEC),
        rules=dict(mutually_exclusive=[("queue", "queues")], required_one_of=[("queue", "queues")],
                   required_together=[("queue", "params")]))


if __name__ == "__main__":
    main()
