# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How XSwitch users behave as agents: what a module that manages agents needs beyond the
generic engine (type conversion, password comparison by ha1, the agent defaults, which users
may never be deleted)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.telephony.callcenter.plugins.module_utils.api_assumptions import (
    XSWITCH_USER_HA1_USES_LOGIN,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.compare import to_text
from ansible_collections.telephony.callcenter.plugins.module_utils.engine import (
    CHANGED_SECRET,
    NOT_SET,
    Resource,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import ApiError
from ansible_collections.telephony.callcenter.plugins.module_utils.module import PlanError
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import MASK
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import sip_ha1

AGENT_TYPE = "AGENT"
# The system user and the first super admin exist on every server and are never deleted.
PROTECTED_USER_IDS = frozenset(("0", "1"))
PASSWORD_PATH = "/api/users/change_password"

# Input spellings the seed uses, mapped to what the server stores.
STATUS_SPELLINGS = {"Out": "Logged Out", "Available(On Demand)": "Available (On Demand)"}
AGENT_TYPE_SPELLINGS = {"standBy": "uuid-standby"}
STATUS_CHOICES = ["Logged Out", "Available", "Available (On Demand)", "On Break"] + list(STATUS_SPELLINGS)
AGENT_TYPE_CHOICES = ["callback", "uuid-standby"] + list(AGENT_TYPE_SPELLINGS)


def is_agent(user):
    return to_text(user.get("type")) == AGENT_TYPE


class AgentUsers(Resource):
    """Agents are users of type AGENT; a module declares their ``fields``."""

    noun = "agent"
    plural = "agents"
    key = "login"
    path = "/api/users"

    def __init__(self, client, module):
        super(AgentUsers, self).__init__(client, module)
        self._warned_no_ha1 = False
        for item in module.params.get(self.plural) or [module.params]:
            for secret in ("password", "extn_password", "old_password"):
                client.http.add_secret(item.get(secret))

    def find(self, key_value):
        # The login filter narrows the read; the exact match below still holds when a server
        # ignores the filter and answers with every user.
        for user in self.client.list_all(self.path, {"login": key_value}):
            if self.key_of(user) == to_text(key_value):
                return user
        return None

    def deletable(self, obj):
        return is_agent(obj) and to_text(obj.get("id")) not in PROTECTED_USER_IDS

    # Planning ---------------------------------------------------------------------------
    def plan_present(self, change):
        item = change.item
        if change.action == "create":
            missing = [name for name in ("extn", "password") if item.get(name) in (None, "")]
            if missing:
                raise PlanError("%s required to create agent %s" % (
                    " and ".join(missing) + (" are" if len(missing) > 1 else " is"), change.key))
            change.after["password"] = MASK
            return
        current = change.current
        if not is_agent(current):
            change.body["type"] = AGENT_TYPE
            change.before["type"] = current.get("type")
            change.after["type"] = AGENT_TYPE
        if self._password_differs(change):
            change.notes["password_changed"] = True
            change.before["password"] = MASK
            change.after["password"] = CHANGED_SECRET
        if change.body or change.notes.get("password_changed"):
            change.action = "update"

    def _password_differs(self, change):
        item, current = change.item, change.current
        if item.get("password") in (None, ""):
            return False
        if self.module.params.get("update_password") == "on_create":
            return False
        stored = current.get("ha1")
        if stored in (None, ""):
            if not self._warned_no_ha1:
                self._warned_no_ha1 = True
                self.module.warn("The server returns no ha1 for agents, so their passwords cannot "
                                 "be compared: with update_password=always they are set on every "
                                 "run and reported as changed.")
            return True
        domain = item.get("domain") or current.get("domain") or ""
        user = change.key if XSWITCH_USER_HA1_USES_LOGIN else current.get("extn")
        return sip_ha1(user, domain, item["password"]) != stored

    def create_body(self, change):
        item = change.item
        body = {"login": change.key, "type": AGENT_TYPE, "name": item.get("name") or change.key,
                "extn": item.get("extn"), "password": item.get("password"),
                "extn_password": item.get("extn_password") or ""}
        for name in ("domain", "context"):
            if item.get(name) not in (None, ""):
                body[name] = item[name]
        agent_info = self._agent_fields(item)
        if agent_info:
            body["agent_info"] = agent_info
        return body

    def _agent_fields(self, item):
        return dict((field.api, field.encode(field.wanted(item))) for field in self.fields
                    if field.group == "agent_info" and field.wanted(item) is not NOT_SET)

    def predict(self, change):
        # A user reads back flat: agent settings at the top level, no password in clear.
        obj = super(AgentUsers, self).predict(change)
        obj.update(obj.pop("agent_info", None) or {})
        for secret in ("password", "extn_password"):
            obj.pop(secret, None)
        return obj

    # Writing ----------------------------------------------------------------------------
    def create(self, change):
        new_id = self.client.create(self.path, change.body)
        if new_id is None:
            found = self.find(change.key)
            new_id = to_text(found.get("id")) if found else None
        agent_info = self._agent_fields(change.item)
        if agent_info and new_id:
            # The server fills in its agent defaults on create; settings go in with a PUT.
            self.client.update(self.object_path(new_id), agent_info)
        return new_id

    def update(self, change):
        if change.body:
            self.client.update(self.object_path(change.id), change.body)
        if change.notes.get("password_changed"):
            self.change_password(change)

    def change_password(self, change):
        body = {"id": change.id, "password": change.item["password"]}
        if change.item.get("old_password"):
            body["old_password"] = change.item["old_password"]
        try:
            self.client.update(PASSWORD_PATH, body)
        except ApiError as error:
            if error.status in (400, 401, 403):
                raise ApiError("PUT", PASSWORD_PATH, status=error.status,
                               api_message=error.api_message,
                               reason="the server refused to change the password of agent %s: set "
                                      "old_password to its current password, or connect as a super "
                                      "admin" % change.key)
            raise
