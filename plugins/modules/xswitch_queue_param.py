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
    description: The name of the queue.
    type: str
    required: true
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
    required: true
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
"""

RETURN = r"""
queue_id:
  description:
    - The queue's id; V(null) in check mode when the queue does not exist yet.
  returned: success
  type: str
  sample: "2"
realm:
  description: The realm the parameters belong to.
  returned: success
  type: str
  sample: CC
params:
  description: The queue's parameters of the realm after the change (predicted in check mode).
  returned: success
  type: list
  elements: dict
  sample: [{"id": 114, "realm": "CC", "k": "discard-abandoned-after", "v": "600", "disabled": 0}]
results:
  description: One entry per named parameter, and per parameter deleted by O(exclusive).
  returned: success
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

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import to_bool, to_text
from ansible_collections.telephony.callcenter.plugins.module_utils.engine import (
    EXCLUSIVE_SPEC,
    Engine,
    Field,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import (
    XSwitchClient,
    xswitch_module,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_queues import (
    REALM_OF_TYPE,
    QueueParams,
    guess_realm,
    param_keys,
    queue_for,
    queue_type,
)


class Params(QueueParams):
    """Rows under /api/queues/$id/extra_params, named by key; values compare as JSON."""

    report_all = True
    fields = (Field("value", "json", api="v"),)


def param_items(params, state):
    """The ``params`` option as items ``{name, value, enabled}``, or a list of errors."""
    if isinstance(params, dict):
        return [{"name": to_text(key), "value": value} for key, value in params.items()], []
    if not isinstance(params, list):
        return [], ["params must be a mapping of key to value, or a list"]
    items, errors = [], []
    for index, entry in enumerate(params):
        where = "params[%d]" % index
        if isinstance(entry, str) and state == "absent":
            items.append({"name": entry})
            continue
        if not isinstance(entry, dict):
            errors.append("%s: must be a dict with name, value and enabled" % where)
            continue
        unknown = sorted(set(entry) - set(("name", "value", "enabled")))
        if unknown:
            errors.append("%s: unknown keys %s; use name, value and enabled" % (where, ", ".join(unknown)))
        if entry.get("enabled") is not None:
            try:
                to_bool(entry["enabled"])
            except ValueError:
                errors.append("%s (name %s): enabled must be a boolean" % (where, entry.get("name")))
        items.append(dict((key, entry.get(key)) for key in ("name", "value", "enabled")))
    return items, errors


def main():
    module = xswitch_module(
        queue=dict(type="str", required=True),
        realm=dict(type="str", choices=["CC", "FIFO"]),
        params=dict(type="raw", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        **EXCLUSIVE_SPEC
    )
    params = module.params
    items, errors = param_items(params["params"], params["state"])
    if errors:
        module.fail_json(msg="Invalid input, nothing was changed: " + "; ".join(errors))
    with module.reporting_errors():
        client = XSwitchClient(params)
        queue = queue_for(module, client, params["queue"])
        realm = (params["realm"] or REALM_OF_TYPE.get(queue_type(queue))
                 or guess_realm(client, [to_text(item["name"]) for item in items]))
        known = param_keys(client, realm)
        unknown = [item["name"] for item in items if to_text(item["name"]) not in known]
        if unknown:
            module.fail_json(msg="Invalid input, nothing was changed: unknown %s parameter %s of "
                                 "queue %s; the server's dictionary lists %s"
                                 % (realm, ", ".join(unknown), params["queue"], ", ".join(sorted(known))))
        engine = Engine(module, Params(client, module, queue, realm), "params", params["exclusive"])
        result = engine.outcome(engine.run(items, params["state"]), single=False)
    result.update(queue_id=to_text(queue.get("id")) if queue.get("id") is not None else None,
                  realm=realm)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
