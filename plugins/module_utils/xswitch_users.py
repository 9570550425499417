# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How XSwitch users behave as agents: what a module that manages agents needs beyond the
generic engine (type conversion, password comparison by ha1, the agent defaults). Which users
are never changed is decided in ``xswitch_accounts``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import to_text
from ansible_collections.telephony.callcenter.plugins.module_utils.engine import (
    CHANGED_SECRET,
    NOT_SET,
    Field,
    Resource,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import ApiError
from ansible_collections.telephony.callcenter.plugins.module_utils.module import PlanError
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import MASK, redact
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import (
    SESSIONS_PATH,
    XSwitchClient,
    sip_ha1,
    xswitch_module,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_accounts import (
    AGENT_TYPE,
    is_agent,
    protected_accounts,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_queues import (
    QueueMembers,
    QueueRecords,
    removal_failure,
)

# The domain a user is created in when the task gives none (the API document's default).
DEFAULT_DOMAIN = "xswitch.cn"
PASSWORD_PATH = "/api/users/change_password"

# The API document's spellings are sent; FreeSWITCH mod_callcenter's are accepted on input
# and in reads, and compare as the same value.
STATUS_SPELLINGS = {"Logged Out": "Out", "Available (On Demand)": "Available(On Demand)"}
AGENT_TYPE_SPELLINGS = {"uuid-standby": "standBy"}
STATUS_CHOICES = ["Out", "Available", "Available(On Demand)", "On Break"] + list(STATUS_SPELLINGS)
AGENT_TYPE_CHOICES = ["callback", "standBy"] + list(AGENT_TYPE_SPELLINGS)


def password_matches(password, user, domain=None):
    """Whether a user's stored ``ha1`` or ``ha1b`` is the hash of ``password``.

    The API document does not say whether a user's hash is built from its login or from its
    extension (every example has the two equal), so either matches.
    """
    domain = domain or to_text(user.get("domain"))
    stored = set(to_text(user.get(key)).lower() for key in ("ha1", "ha1b")) - set([""])
    for name in set((to_text(user.get("login")), to_text(user.get("extn")))) - set([""]):
        if sip_ha1(name, domain, password) in stored:
            return True
        if sip_ha1("%s@%s" % (name, domain), domain, password) in stored:
            return True
    return False


class AgentUsers(Resource):
    """Agents are users of type AGENT; a module declares their ``fields``."""

    noun = "agent"
    plural = "agents"
    key = "login"
    path = "/api/users"

    def __init__(self, client, module):
        super(AgentUsers, self).__init__(client, module)
        self._warned_no_ha1 = False
        self._memberships = {}
        self.accounts = protected_accounts(client, module)
        # The logins the task names: naming a protected account is refused, while
        # ``exclusive`` leaves one it does not name alone.
        self._named = set()
        for item in module.params.get(self.plural) or [module.params]:
            for secret in ("password", "extn_password", "old_password"):
                client.http.add_secret(item.get(secret))
            if item.get(self.key) not in (None, ""):
                self._named.add(to_text(item[self.key]))

    def extensions_path(self, user_id):
        return self.object_path(user_id) + "/extensions"

    def queue_names(self, user_id):
        """Names of the queues the user is a member of (one read)."""
        return [to_text(row.get("name")) for row in
                self.client.list_all(self.object_path(user_id) + "/queue/name")]

    def find(self, key_value):
        # The login filter narrows the read; the exact match below still holds when a server
        # ignores the filter and answers with every user.
        for user in self.client.list_all(self.path, {"login": key_value}):
            if self.key_of(user) == to_text(key_value):
                return user
        return None

    def check_item(self, item):
        # An empty value would leave the server's default in place, which the read-back would
        # then report as a change that did not happen.
        errors = ["%s must not be empty (leave it out for the server's default)" % name
                  for name in ("name", "extn", "domain", "context")
                  if isinstance(item.get(name), str) and not item[name].strip()]
        refusal = self.accounts.login_refusal(item.get(self.key))
        return errors + ([refusal] if refusal else [])

    def deletable(self, obj):
        """An agent that is no protected account. Called for the items the task names with
        ``state: absent`` (a protected one is refused) and for those ``exclusive`` would
        delete (a protected one is left alone); the account a token belongs to is read only
        when an agent would be deleted."""
        refusal = self.accounts.agent_refusal(obj, read=is_agent(obj))
        if refusal is None:
            return is_agent(obj)
        if self.key_of(obj) in self._named:
            raise PlanError(refusal)
        return False

    # Planning ---------------------------------------------------------------------------
    def plan_present(self, change):
        self._plan_present(change)
        if change.current is not None and not self.confirming:
            # The protected ids always; a token's account only when the run would write to it.
            refusal = self.accounts.agent_refusal(change.current, read=change.changed)
            if refusal:
                raise PlanError(refusal)

    def _plan_present(self, change):
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
            self._check_old_password(change)
            change.notes["password_changed"] = True
            change.before["password"] = MASK
            change.after["password"] = CHANGED_SECRET
        if change.body or change.notes.get("password_changed"):
            change.action = "update"

    def _password_differs(self, change):
        """Whether the agent's password is not the task's: its ha1/ha1b compared. While the
        engine confirms the writes this is the read-back check of a change just made."""
        item, current = change.item, change.current
        if item.get("password") in (None, ""):
            return False
        if self.module.params.get("update_password") == "on_create":
            return False
        if not (current.get("ha1") or current.get("ha1b")):
            if self.confirming:
                return False  # nothing to confirm with; warned when planned
            if not self._warned_no_ha1:
                self._warned_no_ha1 = True
                self.module.warn("The server returns no ha1 for agents, so their passwords cannot "
                                 "be compared: with update_password=always they are set on every "
                                 "run and reported as changed.")
            return True
        return not password_matches(item["password"], current, item.get("domain"))

    def _check_old_password(self, change):
        """A wrong old_password, found against the agent's hash before anything is written
        (a refused sign-in counts towards the server's lock of the agent's login)."""
        old, current = change.item.get("old_password"), change.current
        if (old and not self.confirming and (current.get("ha1") or current.get("ha1b"))
                and not password_matches(old, current, change.item.get("domain"))):
            raise PlanError("old_password of agent %s is not its current password (checked "
                            "against the hash the server holds)" % change.key)

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

    # Queue memberships of the agents to delete -----------------------------------------
    def plan_all(self, changes, current):
        self._check_extensions(changes, current)
        self._plan_memberships(changes)

    def _check_extensions(self, changes, current):
        """Two agents may not share an extension number in a domain: the server refuses the
        second create, after the first was written. Found before anything is written."""
        taken = dict(((to_text(user.get("extn")), to_text(user.get("domain"))), key)
                     for key, user in current.items() if user.get("extn"))
        errors = []
        for change in changes:
            if change.action != "create":
                continue
            extn = (to_text(change.item.get("extn")),
                    to_text(change.item.get("domain") or DEFAULT_DOMAIN))
            if extn in taken:
                errors.append("%s: extn %s in domain %s is already agent %s's"
                              % (change.where, extn[0], extn[1], taken[extn]))
            taken[extn] = change.key
        if errors:
            raise PlanError("; ".join(errors))

    def _plan_memberships(self, changes):
        """Find the queue memberships of every agent to delete: the server may keep member
        rows when a user is deleted (the API document does not say), so they go first."""
        self._memberships = {}
        deleting = dict((change.id, change) for change in changes if change.action == "delete")
        if not deleting:
            return
        queues = None
        for user_id, change in deleting.items():
            names = self.queue_names(user_id)
            if not names:
                continue
            if queues is None:
                queues = dict((to_text(q.get("name")), q) for q in
                              self.client.list_all(QueueRecords.path))
            change.notes["queues_left"] = sorted(names)
            for name in names:
                if name in queues:
                    self._memberships.setdefault(to_text(queues[name].get("id")), (name, []))
        for queue_id, (name, rows) in self._memberships.items():
            rows.extend(row for row in self.client.list_all(QueueMembers.list_path(queue_id))
                        if to_text(row.get("agent_id")) in deleting)

    def before_writes(self, changes):
        """Remove the memberships found by ``plan_all``, then confirm with one read per queue."""
        applied = []
        logins = dict((change.id, change.key) for change in changes if change.action == "delete")
        for queue_id, (name, rows) in sorted(self._memberships.items()):
            members = QueueMembers(self.client, self.module, {"id": queue_id, "name": name}, [])
            for row in rows:
                row_id = to_text(row.get("id"))
                self.client.delete(members.object_path(row_id),
                                   gone=lambda row_id=row_id: members.read_one(row_id) is None)
            left = [row for row in self.client.list_all(QueueMembers.list_path(queue_id))
                    if to_text(row.get("agent_id")) in logins]
            if left:
                route = QueueMembers.row_path(queue_id, to_text(left[0].get("id")))
                raise PlanError(removal_failure(
                    name, [logins[to_text(row.get("agent_id"))] for row in left], route)
                    + "; the agent was not deleted")
            applied.extend("%s left queue %s" % (logins[to_text(row.get("agent_id"))], name)
                           for row in rows)
        return applied

    def predict(self, change):
        # A user reads back flat: agent settings at the top level, no password in clear.
        obj = super(AgentUsers, self).predict(change)
        obj.update(obj.pop("agent_info", None) or {})
        for secret in ("password", "extn_password"):
            obj.pop(secret, None)
        return obj

    # Writing ----------------------------------------------------------------------------
    def create(self, change):
        # agent_info goes with the create; settings the server did not take are put by the
        # engine after its read-back, for those agents only.
        new_id = self.client.create(self.path, change.body)
        if new_id is None:
            found = self.find(change.key)
            new_id = to_text(found.get("id")) if found else None
        return new_id

    def update(self, change):
        if change.body:
            self.client.update(self.object_path(change.id), change.body)
        if change.notes.get("password_changed"):
            self.change_password(change)

    def change_password(self, change):
        """change_password in the agent's own session when ``old_password`` is given (the
        change then lands on the agent whether the server reads the body's ``id`` or the
        session's user); without it in this run's session, on the assumption that a super
        admin may reset a password (see api_assumptions). The read-back of the agent's ha1
        after the writes confirms it either way."""
        old = change.item.get("old_password")
        body = {"id": change.id, "password": change.item["password"]}
        client = self.client
        if old:
            body["old_password"] = old
            client = self.client.as_user(change.key, old)
        try:
            client.update(PASSWORD_PATH, body)
        except ApiError as error:
            if error.path == SESSIONS_PATH:
                raise ApiError("POST", SESSIONS_PATH, status=error.status,
                               api_message=error.api_message,
                               reason="agent %s could not sign in with old_password to change its "
                                      "password (not tried again)" % change.key)
            if error.status in (400, 401, 403):
                raise ApiError("PUT", PASSWORD_PATH, status=error.status,
                               api_message=error.api_message,
                               reason="the server refused to change the password of agent %s%s"
                                      % (change.key, "" if old else
                                         ": set old_password to its current password (the "
                                         "server does not let this account reset it)"))
            raise
        finally:
            if client is not self.client:
                warning = client.logout()
                if warning:
                    self.module.warn("agent %s: %s" % (change.key, warning))


# The agents modules manage ------------------------------------------------------------
AGENT_INFO_SPEC = dict(
    status=dict(type="str", choices=STATUS_CHOICES),
    agent_type=dict(type="str", choices=AGENT_TYPE_CHOICES),
    lag=dict(type="int"),
    simo=dict(type="int"),
    timeout=dict(type="int"),
    member_wait=dict(type="str", choices=["wait", "nowait"]),
    max_no_answer=dict(type="int"),
    wrap_up_time=dict(type="int"),
    reject_delay_time=dict(type="int"),
    busy_delay_time=dict(type="int"),
    no_answer_delay_time=dict(type="int"),
    hardware_phone_only=dict(type="bool"),
    level=dict(type="int"),
    position=dict(type="int"),
)

AGENT_ITEM_SPEC = dict(
    login=dict(type="str"),
    name=dict(type="str"),
    extn=dict(type="str"),
    password=dict(type="str", no_log=True),
    extn_password=dict(type="str", no_log=True),
    old_password=dict(type="str", no_log=True),
    domain=dict(type="str"),
    context=dict(type="str"),
    agent_info=dict(type="dict", options=AGENT_INFO_SPEC),
)


def _agent_info(name, kind, **options):
    return Field(name, kind, group="agent_info", **options)


class Agents(AgentUsers):
    """Agents under /api/users, named by login; agent settings sit at the top level of a user."""

    fields = (
        Field("name"),
        Field("extn", create_only=True),
        Field("domain"),
        Field("context"),
        _agent_info("status", "str", spellings=STATUS_SPELLINGS, enforce="update_status"),
        _agent_info("agent_type", "str", spellings=AGENT_TYPE_SPELLINGS),
        _agent_info("lag", "int"),
        _agent_info("simo", "int"),
        _agent_info("timeout", "int"),
        _agent_info("member_wait", "str"),
        _agent_info("max_no_answer", "int"),
        _agent_info("wrap_up_time", "int"),
        _agent_info("reject_delay_time", "int"),
        _agent_info("busy_delay_time", "int"),
        _agent_info("no_answer_delay_time", "int"),
        _agent_info("hardware_phone_only", "bool"),
        _agent_info("level", "int"),
        _agent_info("position", "int"),
    )


# The module options of how existing agents are updated.
AGENT_EXTRA_SPEC = dict(
    update_password=dict(type="str", default="always", no_log=False, choices=["always", "on_create"]),
    update_status=dict(type="str", default="on_create", choices=["always", "on_create"]),
)


def read_agents(client, module):
    """The agents xswitch_agent_info reports: one login or every agent, with what the options add."""
    users = AgentUsers(client, module)
    login = module.params.get("login")
    if login:
        found = users.find(login)
        agents = [found] if found and is_agent(found) else []
    else:
        # The type filter narrows the read; the check below holds if a server ignores it.
        agents = [user for user in client.list_all(users.path, {"type": AGENT_TYPE})
                  if is_agent(user)]
    for agent in agents:
        if module.params["include_extensions"]:
            agent["extensions"] = client.list_all(users.extensions_path(agent.get("id")))
        if module.params["include_queues"]:
            agent["queues"] = users.queue_names(agent.get("id"))
    return agents


def run_agent_info_module(options):
    """The whole life of the xswitch_agent_info module; its file calls this and nothing else."""
    module = xswitch_module(options)
    with module.reporting_errors():
        agents = read_agents(XSwitchClient(module.params), module)
    result = dict(changed=False, agents=redact(agents))
    if module.params.get("login") and agents:
        result["agent"] = result["agents"][0]
    module.exit_json(**result)
