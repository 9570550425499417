#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xswitch_probe
short_description: Find out how an XSwitch server behaves where its API document is silent
version_added: 0.2.0
description:
  - Asks the server each point the collection's API description (C(docs/api/xswitch.md))
    marks as assumed, and returns what it saw as RV(findings), with the evidence.
  - Returns RV(simulator_config), the C(/_sim/config) switches that make the collection's
    simulator behave like this server, so that playbooks can be rehearsed against a twin of it.
  - Without O(scratch) it only reads. With O(scratch=true) it creates three agents and a queue
    named with O(prefix) and a random part, writes only to them, signs in only as those agents,
    and deletes them at the end, also after a failure; reads confirm the clean-up and
    RV(leftovers) names anything still there.
  - Never changes the password of the account it signs in with. Whether a super admin may
    reset another user's password is asked only of a server whose C(change_password) acts on
    the user named in the body.
  - Not probed, because the API cannot show them, are the simulator's C(write_latency) and
    C(token_ttl).
author:
  - telephony.callcenter contributors (!UNKNOWN)
extends_documentation_fragment:
  - telephony.callcenter.xswitch
options:
  scratch:
    description:
      - Also probe the points that need writes, on scratch objects the probe creates and
        removes. Needs an account that may create and delete users and queues.
      - In check mode nothing is written, whatever this says.
      - Two refused sign-ins of a scratch agent are part of the probe (to see whether the
        server then asks for a captcha); they concern that agent only.
    type: bool
    default: false
  prefix:
    description:
      - Start of the names of the scratch objects; a random part follows, unique to the run.
    type: str
    default: ccprobe-
attributes:
  check_mode:
    support: full
    description: Runs the read-only points only; sends no write request.
  diff_mode:
    support: none
    description: Leaves the server as it found it, so there is nothing to diff.
"""

EXAMPLES = r"""
- name: Probe the server, reads only
  telephony.callcenter.xswitch_probe:
    xswitch_url: https://pbx.example.com:8081
    xswitch_username: admin
    xswitch_password: "{{ vault_xswitch_password }}"
  register: probe

- name: Probe everything, with scratch objects removed at the end
  telephony.callcenter.xswitch_probe:
    scratch: true
  register: probe

- name: Turn the bundled simulator into a twin of that server
  ansible.builtin.uri:
    url: http://127.0.0.1:8081/_sim/config
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
        - The requests the point rests on, with C(method), C(path), C(params), C(status) and
          C(excerpt), the start of the reply with secrets and hash-like values masked.
      type: list
      elements: dict
  sample: [{"point": "status of a DELETE of nothing", "switch": "delete_absent_status",
            "value": 500, "determined": true,
            "evidence": [{"method": "DELETE", "path": "/api/users/41", "params": {},
                          "status": 500, "excerpt": "{}"}]}]
simulator_config:
  description:
    - The simulator switches the findings settle, with the position this server showed; a
      switch the probe could not settle is left out (the simulator keeps its default).
  returned: always
  type: dict
  sample: {"delete_absent_status": 500, "change_password_target": "session",
           "page_count_in_reply": false}
prefix:
  description: The names of this run's scratch objects start with it.
  returned: when O(scratch=true) and not in check mode
  type: str
  sample: ccprobe-3fa2c1-
leftovers:
  description: Scratch objects still on the server after the clean-up, by kind, path and name.
  returned: always
  type: list
  elements: dict
  sample: []
"""

from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import (
    XSwitchClient,
    xswitch_module,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_probe import (
    XSwitchProbe,
)


def main():
    module = xswitch_module(dict(
        scratch=dict(type="bool", default=False),
        prefix=dict(type="str", default="ccprobe-"),
    ))
    with module.reporting_errors():
        result = XSwitchProbe(XSwitchClient(module.params), module).run()
    if result["leftovers"]:
        module.fail_json(msg="the probe left scratch objects on the server (see leftovers)",
                         **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
