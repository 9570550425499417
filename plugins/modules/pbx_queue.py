#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: pbx_queue
short_description: Manage Simotel queues
version_added: 0.2.0
description:
  - Creates, updates and deletes queues on a Simotel server (API v4), one named by O(number)
    or many with O(queues) in one module run.
  - Reads every queue with one C(pbx/queues/search) call, compares only what the task sets, by
    meaning (V(30) equals V("30"), V(true) equals V(yes)), and writes with C(pbx/queues/add),
    C(pbx/queues/update) or C(pbx/queues/remove) only what differs. Every write is confirmed
    by a second search.
  - The services, fields and replies are those of the vendor's wiki (repository
    C(simotel/wiki), pages C(6-queues/1-queues_add.md) to C(4-queues_remove.md)); see
    C(docs/api/simotel.md) in the collection for what is assumed beyond them.
  - The agents of a queue are not managed here.
author:
  - telephony.callcenter contributors (!UNKNOWN)
extends_documentation_fragment:
  - telephony.callcenter.pbx
  - telephony.callcenter.attributes.writes
  - telephony.callcenter.attributes.exclusive
options:
  number:
    description:
      - The queue's number, unique on the server. Mutually exclusive with O(queues).
    type: str
  name: &name
    description:
      - The queue's name. Required to create a queue; compared and changed on an existing one.
    type: str
  strategy: &strategy
    description:
      - How calls are offered to the agents, by Asterisk's name.
      - A server that reads back the wiki's display names (V(Ring All), V(Least Recent), ...)
        compares equal.
    type: str
    choices: [ringall, leastrecent, fewestcalls, random, rrmemory, rrordered, linear, wrandom]
  joinempty: &joinempty
    description:
      - Whether callers may join a queue without agents, V(yes), V(no) or V(strict). YAML V(true)/V(false) count as V(yes)/V(no).
    type: raw
  ringinuse: &ringinuse
    description:
      - Asterisk's queue setting C(ringinuse); sent as V(yes) or V(no), compared by meaning.
    type: bool
  call_record: &call_record
    description:
      - Whether the queue's calls are recorded.
    type: bool
  setinterfacevar: &setinterfacevar
    description:
      - Asterisk's queue setting C(setinterfacevar); sent as V(yes) or V(no), compared by meaning.
    type: bool
  autofill: &autofill
    description:
      - Asterisk's queue setting C(autofill); sent as V(yes) or V(no), compared by meaning.
    type: bool
  setqueuevar: &setqueuevar
    description:
      - Asterisk's queue setting C(setqueuevar); sent as V(yes) or V(no), compared by meaning.
    type: bool
  setqueueentryvar: &setqueueentryvar
    description:
      - Asterisk's queue setting C(setqueueentryvar); sent as V(yes) or V(no), compared by meaning.
    type: bool
  persistentmembers: &persistentmembers
    description:
      - Asterisk's queue setting C(persistentmembers); sent as V(yes) or V(no), compared by meaning.
    type: bool
  shared_lastcall: &shared_lastcall
    description:
      - Asterisk's queue setting C(shared_lastcall); sent as V(yes) or V(no), compared by meaning.
    type: bool
  announce_holdtime: &announce_holdtime
    description:
      - Asterisk's queue setting C(announce_holdtime); sent as V(yes) or V(no), compared by meaning.
    type: bool
  announce_position: &announce_position
    description:
      - Asterisk's queue setting C(announce_position); sent as V(yes) or V(no), compared by meaning.
    type: bool
  leavewhenempty: &leavewhenempty
    description:
      - Asterisk's queue setting C(leavewhenempty); sent as V(yes) or V(no), compared by meaning.
    type: bool
  reportholdtime: &reportholdtime
    description:
      - Asterisk's queue setting C(reportholdtime); sent as V(yes) or V(no), compared by meaning.
    type: bool
  maxlen: &maxlen
    description:
      - The most callers that may wait in the queue (V(0) for no limit).
      - Sent as text, compared as a number (V(30) equals V("30")).
    type: int
  announce_frequency: &announce_frequency
    description:
      - Asterisk's queue setting C(announce_frequency), a whole number (seconds for the frequencies).
      - Sent as text, compared as a number (V(30) equals V("30")).
    type: int
  min_announce_frequency: &min_announce_frequency
    description:
      - Asterisk's queue setting C(min_announce_frequency), a whole number (seconds for the frequencies).
      - Sent as text, compared as a number (V(30) equals V("30")).
    type: int
  periodic_announce_frequency: &periodic_announce_frequency
    description:
      - Asterisk's queue setting C(periodic_announce_frequency), a whole number (seconds for the frequencies).
      - Sent as text, compared as a number (V(30) equals V("30")).
    type: int
  retry: &retry
    description:
      - Seconds before the agents are tried again.
      - Sent as text, compared as a number (V(30) equals V("30")).
    type: int
  servicelevel: &servicelevel
    description:
      - Seconds within which a call counts as answered in time, for the statistics.
      - Sent as text, compared as a number (V(30) equals V("30")).
    type: int
  ring_timeout: &ring_timeout
    description:
      - Seconds an agent's phone rings before the next try, the API's C(timeout) (the name
        O(timeout) is the connection's).
      - Sent as text, compared as a number (V(30) equals V("30")).
    type: int
  weight: &weight
    description:
      - The queue's weight against other queues sharing agents.
      - Sent as text, compared as a number (V(30) equals V("30")).
    type: int
  wrapuptime: &wrapuptime
    description:
      - Seconds after a call before an agent gets the next one.
      - Sent as text, compared as a number (V(30) equals V("30")).
    type: int
  music: &music
    description:
      - The music on hold of the queue (the wiki's sample is V(gole orkideh)).
    type: str
  queue_callswaiting: &queue_callswaiting
    description:
      - Asterisk's queue setting C(queue_callswaiting) (a sound name, text).
    type: str
  queue_thankyou: &queue_thankyou
    description:
      - Asterisk's queue setting C(queue_thankyou) (a sound name, text).
    type: str
  queue_thereare: &queue_thereare
    description:
      - Asterisk's queue setting C(queue_thereare) (a sound name, text).
    type: str
  queue_youarenext: &queue_youarenext
    description:
      - Asterisk's queue setting C(queue_youarenext) (a sound name, text).
    type: str
  monitor_type: &monitor_type
    description:
      - How calls are recorded (the wiki's sample V(MixMonitor)).
    type: str
  monitor_format: &monitor_format
    description:
      - The recording format (the wiki's sample V(wav)).
    type: str
  more_options: &more_options
    description:
      - Asterisk's queue setting C(more_options) (a sound name, text).
    type: str
  queues:
    description:
      - Many queues in one task, each with the same options as a single queue.
      - Mutually exclusive with O(number).
    type: list
    elements: dict
    suboptions:
      number:
        description: The queue's number.
        type: str
        required: true
      name: *name
      strategy: *strategy
      joinempty: *joinempty
      ringinuse: *ringinuse
      call_record: *call_record
      setinterfacevar: *setinterfacevar
      autofill: *autofill
      setqueuevar: *setqueuevar
      setqueueentryvar: *setqueueentryvar
      persistentmembers: *persistentmembers
      shared_lastcall: *shared_lastcall
      announce_holdtime: *announce_holdtime
      announce_position: *announce_position
      leavewhenempty: *leavewhenempty
      reportholdtime: *reportholdtime
      maxlen: *maxlen
      announce_frequency: *announce_frequency
      min_announce_frequency: *min_announce_frequency
      periodic_announce_frequency: *periodic_announce_frequency
      retry: *retry
      servicelevel: *servicelevel
      ring_timeout: *ring_timeout
      weight: *weight
      wrapuptime: *wrapuptime
      music: *music
      queue_callswaiting: *queue_callswaiting
      queue_thankyou: *queue_thankyou
      queue_thereare: *queue_thereare
      queue_youarenext: *queue_youarenext
      monitor_type: *monitor_type
      monitor_format: *monitor_format
      more_options: *more_options
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
- name: The wiki's example queue
  telephony.callcenter.pbx_queue:
    number: "9009"
    name: NasimTelecom
    strategy: ringall
    ringinuse: false
    call_record: true
    joinempty: strict
    leavewhenempty: true
    maxlen: 0
    retry: 5
    ring_timeout: 30
    weight: 10
    wrapuptime: 1

- name: The queues of a center, and no other
  telephony.callcenter.pbx_queue:
    queues:
      - {number: "9009", name: support, strategy: rrmemory, ring_timeout: 20}
      - {number: "9010", name: sales, strategy: ringall}
    exclusive: true

- name: A queue is retired
  telephony.callcenter.pbx_queue:
    number: "9009"
    state: absent
"""

RETURN = r"""
queue:
  description: The queue after the change, as the search reads it (predicted in check mode).
  returned: single form, unless the queue is absent
  type: dict
  sample: {"_id": "603c8d9ffc909f2e766d40d3", "name": "NasimTelecom", "number": "9009",
           "strategy": "ringall", "timeout": "30", "date": "1399-12-11 10:15:51"}
id:
  description: The queue's C(_id).
  returned: single form, when the queue exists or was created
  type: str
  sample: "603c8d9ffc909f2e766d40d3"
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
    number:
      description: The queue's number.
      type: str
    id:
      description: The queue's C(_id), if it exists.
      type: str
    changed:
      description: Whether this queue changed.
      type: bool
    action:
      description: C(created), C(updated), C(deleted) or C(unchanged).
      type: str
counts:
  description: How many results of each action (C(created), C(updated), C(deleted), C(unchanged)).
  returned: list form
  type: dict
  sample: {"created": 2, "updated": 0, "deleted": 1, "unchanged": 5}
msg:
  description: One line that sums up a list run.
  returned: list form
  type: str
  sample: "queues: 2 created, 0 updated, 1 deleted, 5 unchanged"
"""

from ansible_collections.telephony.callcenter.plugins.module_utils.engine import run_resource_module
from ansible_collections.telephony.callcenter.plugins.module_utils.simotel import (
    PBX_CONNECTION_RULES,
    PBX_CONNECTION_SPEC,
    SimotelClient,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.simotel_queues import (
    QUEUE_ITEM_SPEC,
    SimotelQueues,
)


def main():
    run_resource_module(SimotelQueues, QUEUE_ITEM_SPEC, SimotelClient, PBX_CONNECTION_SPEC,
                        PBX_CONNECTION_RULES)


if __name__ == "__main__":
    main()
