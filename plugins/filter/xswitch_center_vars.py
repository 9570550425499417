# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: xswitch_center_vars
short_description: Turn a live XSwitch call center into the variables of the xswitch_center role
version_added: 0.1.0
author:
  - telephony.callcenter contributors (!UNKNOWN)
description:
  - Takes the agents read by M(telephony.callcenter.xswitch_agent_info) and the queues read by
    M(telephony.callcenter.xswitch_queue_info) with O(telephony.callcenter.xswitch_queue_info#module:include_params=true)
    and O(telephony.callcenter.xswitch_queue_info#module:include_members=true), and returns the
    variables of the C(telephony.callcenter.xswitch_center) role that describe that center, so that
    deploying them changes nothing.
  - 'Agents get C(login), C(name), C(extn), C(context) and C(agent_info): the settings that
    M(telephony.callcenter.xswitch_agent) manages, as integers and booleans where it takes them.
    C(status) is left out: agents change it while they work.'
  - No agent gets a password, and nothing secret is copied (the server's C(ha1) hashes, tokens),
    since only the fields named here are taken from what the server returns. Deploy the result with
    C(xswitch_center_update_password=on_create), the role's default; a new agent added to the list
    needs a C(password).
  - When every agent has the same domain, it is returned as C(xswitch_center_domain) and the agents
    carry none; otherwise each agent carries its own C(domain).
  - 'Queues get C(name), C(type), C(strategy), C(description), C(moh_sound) and C(greeting) (a media
    id, else a media path), C(auto_record), C(cti_template), C(params) (the parameters of the
    queue''s realm: C(CC) for a call-center queue, C(FIFO) for a FIFO queue) and C(members) (the
    logins of the agents that answer the queue, sorted).'
  - C(params) is a mapping of key to value; when some parameter of the queue is disabled, it is a list
    of C(name), C(value) and C(enabled) instead. A value that the server stores as JSON text of a number,
    a boolean, an object or a list is returned as that number, boolean, object or list; any other value
    as the text stored.
  - Settings the server holds empty are left out, so they are not compared.
  - Agents are sorted by login, queues by name and parameters by key, so the same center gives the
    same result whatever order the server reads in.
  - A member that is not one of the agents given (a user of another type, or a user that no longer
    exists) is an error, since the role names members by agent login.
  - "Text that holds a Jinja marker (C({{), C({%), C({#)) is returned with each marker written as
    an expression that prints it (C({{ '{{' }})), so that Ansible, which templates the variables
    when the role uses them, gives back the text the server holds."
positional: _input, queues
options:
  _input:
    description:
      - The agents, as RV(telephony.callcenter.xswitch_agent_info#module:agents) returns them.
    type: list
    elements: dict
    required: true
  queues:
    description:
      - The queues, as RV(telephony.callcenter.xswitch_queue_info#module:queues) returns them with
        their C(params) and C(members).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Read the agents
  telephony.callcenter.xswitch_agent_info:
  register: agents_read

- name: Read the queues with their parameters and members
  telephony.callcenter.xswitch_queue_info:
    include_params: true
    include_members: true
  register: queues_read

- name: Write them as the variables of the xswitch_center role
  ansible.builtin.copy:
    dest: center.yml
    content: "{{ agents_read.agents | telephony.callcenter.xswitch_center_vars(queues_read.queues) | to_nice_yaml(indent=2, sort_keys=false) }}"
    mode: "0600"
"""

RETURN = r"""
_value:
  description:
    - The variables of the C(telephony.callcenter.xswitch_center) role, in this order.
  type: dict
  contains:
    xswitch_center_domain:
      description: The domain of every agent.
      returned: when there are agents and they all have the same, non-empty domain
      type: str
      sample: xswitch.cn
    xswitch_center_agents:
      description: The agents, sorted by login. Empty when the server has none.
      returned: always
      type: list
      elements: dict
      sample:
        - login: "1001"
          name: Ava
          extn: "1001"
          context: default
          agent_info: {agent_type: callback, lag: 2, max_no_answer: 3, member_wait: nowait, wrap_up_time: 10}
    xswitch_center_queues:
      description: The queues, sorted by name. Empty when the server has none.
      returned: always
      type: list
      elements: dict
      sample:
        - name: support
          type: callcenter
          strategy: longest-idle-agent
          description: First-line support
          moh_sound: 411
          auto_record: false
          cti_template: callcenter
          params: {overflow-capacity-action: {action: transfer, data: "1009"}, wait-timeout: 300}
          members: ["1001", "1002"]
"""

import json
import re

from ansible.errors import AnsibleFilterError
from ansible_collections.telephony.callcenter.plugins.module_utils.compare import (
    to_bool,
    to_int,
    to_text,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_queues import REALM_OF_TYPE
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_users import AGENT_INFO_SPEC

# The agent settings that telephony.callcenter.xswitch_agent manages, with the type the module
# takes them as. status is left out: it is live state.
AGENT_SETTINGS = tuple((name, spec["type"]) for name, spec in AGENT_INFO_SPEC.items()
                       if name != "status")


def _text(value):
    """A value as text, stripped; empty for None."""
    return to_text(value).strip()


def _setting(kind, value):
    """A stored agent setting as the type the module takes; the stored text when it is not one."""
    try:
        if kind == "int":
            return to_int(value)
        if kind == "bool":
            return to_bool(value)
    except ValueError:
        pass
    return to_text(value)


def _flag(value):
    try:
        return to_bool(value)
    except ValueError:
        return False


def _rows(value, what):
    if not isinstance(value, (list, tuple)) or not all(isinstance(row, dict) for row in value):
        raise AnsibleFilterError("xswitch_center_vars: %s must be a list of dicts" % what)
    return list(value)


def export_agent(agent, shared_domain):
    exported = {"login": _text(agent.get("login"))}
    for key in ("name", "extn"):
        if _text(agent.get(key)):
            exported[key] = to_text(agent[key])
    if shared_domain is None and _text(agent.get("domain")):
        exported["domain"] = to_text(agent["domain"])
    if _text(agent.get("context")):
        exported["context"] = to_text(agent["context"])
    agent_info = {}
    for name, kind in AGENT_SETTINGS:
        if _text(agent.get(name)):
            agent_info[name] = _setting(kind, agent[name])
    if agent_info:
        exported["agent_info"] = agent_info
    return exported


def queue_type(queue):
    """callcenter or fifo, from type or else cti_template; None when neither says."""
    for key in ("type", "cti_template"):
        value = _text(queue.get(key)).lower()
        if value in REALM_OF_TYPE:
            return value
    return None


def export_media(value):
    """A media setting as the role takes it: the media id, else the media path; None when empty."""
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        media_id, media_path = _text(value.get("media_id")), to_text(value.get("media_path"))
    else:
        media_id, media_path = "", to_text(value)
        if media_path.strip().isdigit():
            media_id, media_path = media_path.strip(), ""
    if media_id:
        return int(media_id) if media_id.isdigit() else {"media_id": media_id}
    if media_path.strip():
        # A path of digits alone would be read as an id.
        return {"media_path": media_path} if media_path.strip().isdigit() else media_path
    return None


def export_value(text):
    """A stored parameter value: JSON text of a number, boolean, object or list as that value
    (it is written back as the same text, or as the same JSON), anything else as the text."""
    if not isinstance(text, str):
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if isinstance(value, (dict, list)):
        return value
    if isinstance(value, (bool, int, float)) and json.dumps(value) == text:
        return value
    return text


def export_params(queue, kind):
    rows = _rows(queue["params"], "the params of queue %s" % queue.get("name"))
    realms = set(_text(row.get("realm")).upper() for row in rows)
    realm = REALM_OF_TYPE.get(kind) or (realms.pop() if len(realms) == 1 else "CC")
    rows = sorted((row for row in rows if _text(row.get("realm")).upper() == realm),
                  key=lambda row: to_text(row.get("k")))
    if not any(_flag(row.get("disabled")) for row in rows):
        return dict((to_text(row.get("k")), export_value(row.get("v"))) for row in rows)
    return [{"name": to_text(row.get("k")), "value": export_value(row.get("v")),
             "enabled": not _flag(row.get("disabled"))} for row in rows]


def export_members(queue, login_by_id):
    rows = _rows(queue["members"], "the members of queue %s" % queue.get("name"))
    unknown = [row for row in rows if _text(row.get("agent_id")) not in login_by_id]
    if unknown:
        raise AnsibleFilterError(
            "xswitch_center_vars: queue %s has members that are not agents (%s): a user of another "
            "type, or a user that no longer exists. The xswitch_center role names members by agent "
            "login, so this queue cannot be exported; make the user an agent or take it out of the "
            "queue, then export again." % (queue.get("name"), ", ".join(
                "agent_id %s, agent_name %s" % (_text(row.get("agent_id")) or "?", _text(row.get("agent_name")) or "?")
                for row in unknown)))
    return sorted(set(login_by_id[_text(row.get("agent_id"))] for row in rows))


def export_queue(queue, login_by_id):
    for part, option in (("params", "include_params"), ("members", "include_members")):
        if part not in queue:
            raise AnsibleFilterError("xswitch_center_vars: queue %s has no %s: read the queues with "
                                     "xswitch_queue_info and %s=true" % (queue.get("name"), part, option))
    exported = {"name": to_text(queue.get("name"))}
    kind = queue_type(queue)
    if kind:
        exported["type"] = kind
    for key in ("strategy", "description"):
        if _text(queue.get(key)):
            exported[key] = to_text(queue[key])
    for key in ("moh_sound", "greeting"):
        media = export_media(queue.get(key))
        if media is not None:
            exported[key] = media
    if _text(queue.get("auto_record")):
        exported["auto_record"] = _flag(queue["auto_record"])
    if _text(queue.get("cti_template")):
        exported["cti_template"] = to_text(queue["cti_template"])
    params = export_params(queue, kind)
    if params:
        exported["params"] = params
    exported["members"] = export_members(queue, login_by_id)
    return exported


def xswitch_center_vars(agents, queues):
    """The variables of the xswitch_center role that describe the center read."""
    agents = sorted(_rows(agents, "the agents (the input)"), key=lambda agent: _text(agent.get("login")))
    queues = sorted(_rows(queues, "queues"), key=lambda queue: to_text(queue.get("name")))
    domains = set(to_text(agent.get("domain")) for agent in agents)
    shared_domain = domains.pop() if len(domains) == 1 and _text(list(domains)[0]) else None
    login_by_id = dict((_text(agent.get("id")), _text(agent.get("login"))) for agent in agents
                       if _text(agent.get("id")))
    result = {}
    if shared_domain is not None:
        result["xswitch_center_domain"] = shared_domain
    result["xswitch_center_agents"] = [export_agent(agent, shared_domain) for agent in agents]
    result["xswitch_center_queues"] = [export_queue(queue, login_by_id) for queue in queues]
    return _untemplatable(result)


JINJA_MARKERS = re.compile(r"(\{\{|\{%|\{#)")


def _untemplatable(value):
    """``value`` with every Jinja marker in its text written as an expression that prints the
    marker: the role's variables are templated when it uses them, and must give back the text."""
    if isinstance(value, dict):
        return dict((key, _untemplatable(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_untemplatable(item) for item in value]
    if isinstance(value, str):
        return JINJA_MARKERS.sub(lambda found: "{{ '%s' }}" % found.group(1), value)
    return value


class FilterModule(object):
    """telephony.callcenter filters."""

    def filters(self):
        return {"xswitch_center_vars": xswitch_center_vars}
