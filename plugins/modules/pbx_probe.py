#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: pbx_probe
short_description: Find out how a Simotel server behaves where the vendor's wiki is silent
version_added: 0.2.0
description:
  - Asks the server each point the collection's API description (C(docs/api/simotel.md))
    marks as assumed that a call can show, and returns what it saw as RV(findings), with
    the evidence.
  - Returns RV(simulator_config), the C(/_sim/config) switches that make the collection's
    simulator behave like this server, so that playbooks can be rehearsed against a twin of it.
  - Without O(scratch) it calls only C(setting/ping/act), which changes nothing - with every
    method the simulator knows, then with the API key alone, the Basic user alone and no
    credentials at all, to tell which credentials the account needs.
  - With O(scratch=true) it adds a scratch agent (O(scratch_agent)) to the queue O(scratch_queue)
    and removes it, twice each, with the single-pair and the batch services, to record the
    server's own "already there" and "not there" answers and the agent field
    C(batchaddagent) reads; with O(scratch_create_queue) it also creates scratch queues of its
    own to learn the id field C(pbx/queues/remove) takes. It writes to nothing else. The
    scratch agent is removed at the end, also after a failure, and a removal that answers
    "not there" confirms it; RV(leftovers) names anything still there.
  - Not probed are the simulator switches C(pbx_username), C(pbx_password) and C(pbx_api_key)
    (the credentials themselves, never reported), C(pbx_refuse_clients) and
    C(pbx_denied_services) (the server's and the account's settings, not its behaviour).
author:
  - telephony.callcenter contributors (!UNKNOWN)
extends_documentation_fragment:
  - telephony.callcenter.pbx
options:
  scratch:
    description:
      - Also probe the points that need writes. Needs O(scratch_queue), and an API account
        that may call C(pbx/queues/addagent), C(removeagent), C(pauseagent), C(resumeagent),
        C(batchaddagent), C(batchremoveagent) and, with O(scratch_create_queue), C(pbx/queues/add),
        C(search) and C(remove).
      - In check mode nothing is written, whatever this says.
    type: bool
    default: false
  scratch_queue:
    description:
      - The number of an existing queue the scratch agent is added to and removed from.
        Required with O(scratch=true). Its own agents are never touched.
    type: str
  scratch_agent:
    description:
      - The agent number to add and remove. It must not be in O(scratch_queue) already - the
        probe stops, removing nothing, when the first add is refused.
      - Default, a number of nine digits starting with V(99), random for each run.
    type: str
  scratch_create_queue:
    description:
      - With O(scratch=true), also create scratch queues (an unused number starting with V(99),
        named with O(prefix)) to learn which id field C(pbx/queues/remove) takes, its answer
        to an unknown id, and the answers of C(addagent) and C(removeagent) to a queue that does
        not exist.
    type: bool
    default: true
  prefix:
    description:
      - Start of the names of the scratch queues; a random part follows, unique to the run.
    type: str
    default: ccprobe-
attributes:
  check_mode:
    support: full
    description: Calls C(setting/ping/act) only; sends no write request.
  diff_mode:
    support: none
    description: Leaves the server as it found it, so there is nothing to diff.
"""

EXAMPLES = r"""
- name: Probe the server, ping only
  telephony.callcenter.pbx_probe:
    pbx_url: https://simotel.example.com
    pbx_api_key: "{{ vault_pbx_api_key }}"
    pbx_username: apiuser
    pbx_password: "{{ vault_pbx_password }}"
  register: probe

- name: Probe the agent answers too, on queue 10000
  telephony.callcenter.pbx_probe:
    scratch: true
    scratch_queue: "10000"
  register: probe

- name: Turn the bundled simulator into a twin of that server
  ansible.builtin.uri:
    url: http://127.0.0.1:8082/_sim/config
    method: POST
    body_format: json
    body: "{{ probe.simulator_config }}"
"""

RETURN = r"""
findings:
  description: One entry per point, in the order asked.
  returned: always
  type: list
  elements: dict
  contains:
    point:
      description: What was asked.
      type: str
    switch:
      description: The simulator switch this point sets, when there is one.
      type: str
      returned: when the point has a switch
    value:
      description: What the server showed; null when it could not be told.
      type: raw
    determined:
      description: Whether the answers settled the point.
      type: bool
    note:
      description: Why a point is not settled, or what else was seen.
      type: str
      returned: when there is something to add
    evidence:
      description:
        - The calls the point rests on, with C(service), C(method), C(path), C(body),
          C(status) and C(excerpt), the start of the reply with secrets masked; the credential
          trials also say which C(credentials) were sent (V(none), V(key) or V(basic)), never
          their values.
      type: list
      elements: dict
  sample: [{"point": "single-pair failure form", "switch": "pbx_single_failure",
            "value": "data", "determined": true,
            "evidence": [{"service": "pbx/queues/addagent", "method": "POST",
                          "path": "/api/v4/pbx/queues/addagent",
                          "body": {"queue": "10000", "agent": "990123456", "source": "990123456"},
                          "status": 200,
                          "excerpt": "{\"data\": {\"message\": \"Unable to add interface: Already there\", \"ok\": 0}}"}]}]
simulator_config:
  description:
    - The simulator switches the findings settle, with the position this server showed; a
      switch the probe could not settle, or whose behaviour no position plays, is left out
      (the simulator keeps its default).
    - C(pbx_messages) holds only the wordings that differ from the simulator's.
  returned: always
  type: dict
  sample: {"pbx_auth": "key", "pbx_ping_methods": ["POST", "PUT"], "pbx_single_failure": "data",
           "pbx_batchadd_agent_field": "agents", "pbx_queue_remove_id_field": "_id",
           "pbx_messages": {"not_member_remove": "Agent is not in queue"}}
scratch_agent:
  description: The agent number the probe added and removed.
  returned: when O(scratch=true) and not in check mode
  type: str
  sample: "990123456"
scratch_queue:
  description: The queue the scratch agent was added to.
  returned: when O(scratch=true) and not in check mode
  type: str
  sample: "10000"
leftovers:
  description:
    - What the probe added or created and could not confirm gone - C(kind) V(member) with
      C(queue) and C(agent), or V(queue) with C(number) and C(id). The task fails when it is
      not empty.
  returned: always
  type: list
  elements: dict
  sample: []
"""

from ansible_collections.telephony.callcenter.plugins.module_utils.module import CallcenterModule
from ansible_collections.telephony.callcenter.plugins.module_utils.simotel import (
    PBX_CONNECTION_RULES,
    PBX_CONNECTION_SPEC,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.simotel_probe import (
    SimotelProbe,
    probe_error_message,
)


def main():
    spec = dict(PBX_CONNECTION_SPEC)
    spec.update(
        scratch=dict(type="bool", default=False),
        scratch_queue=dict(type="str"),
        scratch_agent=dict(type="str"),
        scratch_create_queue=dict(type="bool", default=True),
        prefix=dict(type="str", default="ccprobe-"),
    )
    module = CallcenterModule(argument_spec=spec, supports_check_mode=True,
                              required_if=[("scratch", True, ("scratch_queue",))],
                              **PBX_CONNECTION_RULES)
    for name in ("scratch_queue", "scratch_agent"):
        value = module.params.get(name)
        if value is not None and not value.strip():
            module.fail_json(msg="Invalid input, nothing was changed: %s must not be empty" % name)
        if value is not None:
            module.params[name] = value.strip()
    with module.reporting_errors():
        result, error = SimotelProbe(module).run()
    if error is not None:
        module.fail_json(msg=probe_error_message(error), **result)
    if result["leftovers"]:
        module.fail_json(msg="the probe left scratch objects on the server (see leftovers)",
                         **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
