# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A whole XSwitch call center in one run: the plan behind the xswitch_center module.

It composes the resources the single modules use (Agents, Queues, Params, Members) in two
rounds: the agents and the queues are planned together and written first; the parameters
and members of each queue are planned against what that left and written after. Every item
of every round is validated before the first write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import to_text
from ansible_collections.telephony.callcenter.plugins.module_utils.engine import (
    Engine,
    counts,
    execute_together,
    fail_with_applied,
    prepare_together,
    summary,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import ApiError
from ansible_collections.telephony.callcenter.plugins.module_utils.module import (
    PlanError,
    item_label,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import (
    XSwitchClient,
    xswitch_module,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_accounts import (
    AGENT_TYPE,
    MAKE_AGENT,
    protected_accounts,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_queues import (
    CALLCENTER,
    MEMBER_WORDS,
    QUEUE_ITEM_SPEC,
    Members,
    Params,
    Queues,
    UserIndex,
    member_logins_diff,
    param_items,
    params_realm,
    queues_by_name,
    unknown_params,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_users import Agents

KINDS = ("agents", "queues", "params", "members")
# How a member that is a plain user becomes an agent, in this module.
AS_AGENT = "add it to agents, or " + MAKE_AGENT


def agent_items(params):
    """The agents with O(domain) and O(agent_defaults) under their own settings."""
    defaults = dict((key, value) for key, value in (params["agent_defaults"] or {}).items()
                    if value is not None)
    items = []
    for agent in params["agents"] or []:
        item = dict(agent)
        info = dict(defaults)
        info.update((key, value) for key, value in (agent.get("agent_info") or {}).items()
                    if value is not None)
        item["agent_info"] = info or None
        if item.get("domain") is None:
            item["domain"] = params["domain"]
        items.append(item)
    return items


def member_logins(members, where):
    """A queue's ``members`` as logins, or an error: a string is refused, since it would
    otherwise be read as one login per character or split at commas."""
    if not isinstance(members, list):
        return None, "%s: must be a list of agent logins, such as [\"9001\"]" % where
    bad = [index for index, login in enumerate(members)
           if isinstance(login, bool) or not isinstance(login, (str, int)) or to_text(login) == ""]
    if bad:
        return None, "%s[%d]: must be an agent login (a string)" % (where, bad[0])
    return [to_text(login) for login in members], None


class Center:
    """One module run over the four kinds of a center."""

    def __init__(self, module):
        self.module = module
        params = module.params
        self.queues = params["queues"] or []
        self.agents = agent_items(params)
        self.client = XSwitchClient(params)
        self.accounts = protected_accounts(self.client, module)
        self.agent_engine = Engine(module, Agents(self.client, module), "agents", params["exclusive"])
        self.queue_engine = Engine(module, Queues(self.client, module), "queues", params["exclusive"])
        # Per queue that sets them: its params items and its member logins.
        self.params_of, self.members_of = {}, {}
        # Without agents, the users are read for the members only (and again after writes).
        self.users_read = False

    def check_input(self):
        """Shape errors of params and members, every item named, before any read."""
        errors = []
        for index, queue in enumerate(self.queues):
            where = "queues" + item_label(index, queue, "name")
            if queue.get("params") is not None:
                items, problems = param_items(queue["params"], "present")
                errors.extend("%s.%s" % (where, problem) for problem in problems)
                self.params_of[queue["name"]] = items
            if queue.get("members") is not None:
                logins, problem = member_logins(queue["members"], where + ".members")
                if problem:
                    errors.append(problem)
                else:
                    self.members_of[queue["name"]] = logins
        if errors:
            self.module.fail_json(msg="Invalid input, nothing was changed: " + "; ".join(errors))

    def first_runs(self):
        runs = []
        if self.agents:
            runs.append((self.agent_engine, self.agents, "present"))
        if self.queues:
            queue_items = [dict((key, queue.get(key)) for key in QUEUE_ITEM_SPEC)
                           for queue in self.queues]
            runs.append((self.queue_engine, queue_items, "present"))
        return runs

    def check_against(self, planned):
        """What the agents' and queues' plan settles: unknown parameter keys, members that
        are no agent. Reads the parameter dictionaries; writes nothing."""
        errors = []
        agent_changes = planned.get(self.agent_engine, [])
        queue_changes = planned.get(self.queue_engine, [])
        deleted = set(change.key for change in agent_changes if change.action == "delete")
        users = self.agent_engine.current
        if not self.agents and self.members_of:
            self.users_read = True
            users = dict((to_text(user.get("login")), user) for user in self.client.list_all(Agents.path))
        named = set(agent["login"] for agent in self.agents)
        logins = (set(users) - deleted) | named
        # The account a token belongs to is read now only when the agents and queues are
        # about to be written: otherwise the members' own plan asks, still before any write.
        ask_token = any(change.changed for change in agent_changes + queue_changes)
        for index, queue in enumerate(self.queues):
            where = "queues" + item_label(index, queue, "name")
            wanted = self.members_of.get(queue["name"], ())
            missing = [login for login in wanted if login not in logins]
            if missing:
                errors.append("%s.members: agent %s does not exist and is not in agents"
                              % (where, ", ".join(missing)))
            for login in wanted:
                if login in users and login not in deleted:
                    refusal = self.accounts.member_refusal(
                        users[login], read=ask_token, becomes_agent=login in named,
                        alternative=AS_AGENT)
                    if refusal:
                        errors.append("%s.members: %s" % (where, refusal))
        queues = self.queues_after(queue_changes)
        for queue in self.queues:
            items = self.params_of.get(queue["name"])
            if items:
                names = [to_text(item["name"]) for item in items]
                realm = params_realm(self.client, queues.get(queue["name"], {}), names)
                problem = unknown_params(self.client, realm, names, queue["name"])
                if problem:
                    errors.append(problem)
        if errors:
            raise PlanError("; ".join(errors))

    def queues_after(self, changes):
        """The queues by name once the queues' changes are written: as read back after the
        writes; before them (and in check mode) as planned."""
        engine = self.queue_engine
        queues = dict(engine.current)
        queues.update(engine.read_back or {})
        for change in changes:
            if change.action == "delete":
                queues.pop(change.key, None)
            elif change.action == "create" and change.key not in queues:
                # Not written yet: no id, so no rows to read under it.
                queues[change.key] = {"name": change.key, "type": change.item.get("type") or CALLCENTER}
        return queues

    def users_after(self, changes):
        """The users by login once the agents' changes are written."""
        engine = self.agent_engine
        if self.users_read:
            users = dict((to_text(user.get("login")), user) for user in self.client.list_all(Agents.path))
        else:
            users = dict(engine.current)
            users.update(engine.read_back or {})
        for change in changes:
            if change.action == "delete":
                users.pop(change.key, None)
            elif change.action == "create" and change.key not in users:
                users[change.key] = {"login": change.key, "extn": change.item.get("extn"),
                                     "type": AGENT_TYPE}
            elif change.key in users:
                # A plain user of agents is an agent once written (in check mode, as planned).
                users[change.key] = dict(users[change.key], type=AGENT_TYPE)
        return users

    def second_runs(self, planned):
        queues = self.queues_after(planned.get(self.queue_engine, []))
        users = None
        if any(queue["name"] not in queues for queue in self.queues):
            # A create that lost a race converged on the queue another run made, which this
            # run's reads have not seen: read the queues again.
            queues = queues_by_name(self.client)
        missing = [queue["name"] for queue in self.queues if queue["name"] not in queues]
        if missing:
            raise PlanError("queue %s is missing after the queues were written" % ", ".join(missing))
        if self.members_of:
            users = self.users_after(planned.get(self.agent_engine, []))
            wanted = set(login for logins in self.members_of.values() for login in logins)
            if not wanted <= set(users):
                # The same for an agent another run created first.
                users = dict((to_text(user.get("login")), user)
                             for user in self.client.list_all(Agents.path))
            users = UserIndex(users.values())
        runs = []
        for index, queue in enumerate(self.queues):
            name = queue["name"]
            label = "queue %s" % name
            if self.params_of.get(name):
                items = self.params_of[name]
                names = [to_text(item["name"]) for item in items]
                resource = Params(self.client, self.module, queues[name],
                                  params_realm(self.client, queues[name], names))
                engine = Engine(self.module, resource, "queues[%d].params" % index, label=label)
                runs.append(("params", name, engine, items))
            if name in self.members_of:
                resource = Members(self.client, self.module, queues[name], users, alternative=AS_AGENT)
                # Exactly the listed members: members: [] written in a queue empties it.
                engine = Engine(self.module, resource, "queues[%d].members" % index,
                                exclusive=True, label=label, allow_empty=True)
                runs.append(("members", name, engine,
                             [{"agent": login} for login in self.members_of[name]]))
        return runs

    def run(self):
        self.check_input()
        first = self.first_runs()
        changes = prepare_together(first)
        planned = dict((run[0], run_changes) for run, run_changes in zip(first, changes))
        self.check_against(planned)
        engines = [run[0] for run in first]
        execute_together(self.module, engines, changes)
        try:
            second = self.second_runs(planned)
            second_changes = prepare_together([(engine, items, "present")
                                               for dummy, dummy2, engine, items in second])
        except (ApiError, PlanError) as error:
            if any(engine.applied for engine in engines):
                fail_with_applied(self.module, error, engines)
            raise
        # The parameters and members of each queue depend on nothing but the queues and
        # agents written above: they go out together.
        execute_together(self.module, [run[2] for run in second], second_changes, done=engines,
                         independent=True)
        return self.result(first, changes, second, second_changes)

    def result(self, first, changes, second, second_changes):
        entries = dict((kind, []) for kind in KINDS)
        found = dict((kind, []) for kind in KINDS)
        diff = {"before": {}, "after": {}}
        for (engine, dummy, dummy2), run_changes in zip(first, changes):
            kind = engine.resource.plural
            found[kind] = engine.results(run_changes)
            part = engine.diff(run_changes)
            if part["before"] or part["after"]:
                diff["before"][kind], diff["after"][kind] = part["before"], part["after"]
        for (kind, name, engine, dummy), run_changes in zip(second, second_changes):
            results = engine.results(run_changes)
            found[kind].extend(results)
            entries[kind].extend(dict(entry, queue=name) for entry in results if entry["changed"])
            part = self.queue_diff(kind, engine, run_changes)
            if part:
                diff["before"].setdefault(kind, {})[name] = part[0]
                diff["after"].setdefault(kind, {})[name] = part[1]
        for kind in ("agents", "queues"):
            entries[kind] = [entry for entry in found[kind] if entry["changed"]]
        lines = [summary(kind, found[kind], MEMBER_WORDS) if kind == "members"
                 else summary(kind, found[kind]) for kind in KINDS]
        return dict(changed=any(entries[kind] for kind in KINDS), msg="; ".join(lines),
                    counts=dict((kind, counts(found[kind])) for kind in KINDS),
                    changes=entries, diff=diff)

    @staticmethod
    def queue_diff(kind, engine, changes):
        if not any(change.changed for change in changes):
            return None
        if kind == "params":
            part = engine.diff(changes)
            return part["before"], part["after"]
        return member_logins_diff(engine, changes)


def run_center_module(argument_spec):
    """The whole life of the xswitch_center module; its file calls this and nothing else."""
    module = xswitch_module(argument_spec, item_lists={"agents": "login", "queues": "name"})
    with module.reporting_errors():
        result = Center(module).run()
    module.exit_json(**result)
