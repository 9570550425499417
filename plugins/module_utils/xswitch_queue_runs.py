# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runs behind the xswitch_queue_param and xswitch_queue_member modules: one queue or a
list of queues, each queue's parameters or members planned by the engine against that queue,
every queue planned before the first write."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import to_text
from ansible_collections.telephony.callcenter.plugins.module_utils.engine import (
    Engine,
    counts,
    run_together,
    summary,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch import (
    XSwitchClient,
    xswitch_module,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_queues import (
    MEMBER_WORDS,
    Members,
    Params,
    UserIndex,
    exit_per_queue,
    param_items,
    params_realm,
    queue_entries,
    queue_for,
    queue_result,
    queues_by_name,
    unknown_params,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_users import AgentUsers


def run_queue_params_module(options, rules):
    """The whole life of the xswitch_queue_param module; its file calls this and nothing else."""
    module = xswitch_module(options, rules=rules, item_lists={"queues": "name"})
    params = module.params
    entries, single = queue_entries(module, "params")
    state = params["state"]
    errors = []
    for entry in entries:
        entry["items"], problems = param_items(entry["params"], state)
        errors.extend((entry["option"] + problem[len("params"):]) if problem.startswith("params")
                      else "%s: %s" % (entry["option"], problem) for problem in problems)
    if errors:
        module.fail_json(msg="Invalid input, nothing was changed: " + "; ".join(errors))
    with module.reporting_errors():
        client = XSwitchClient(params)
        queues = queues_by_name(client)
        runs, unknown = [], []
        for entry in entries:
            queue = queue_for(module, queues, entry["name"])
            names = [to_text(item["name"]) for item in entry["items"]]
            realm = params_realm(client, queue, names, entry.get("realm") or params["realm"])
            problem = unknown_params(client, realm, names, entry["name"])
            if problem:
                unknown.append(problem)
            exclusive = params["exclusive"] if entry.get("exclusive") is None else entry["exclusive"]
            engine = Engine(module, Params(client, module, queue, realm), entry["option"],
                            exclusive, label="queue %s" % entry["name"])
            runs.append((engine, entry["items"], state))
        if unknown:
            module.fail_json(msg="Invalid input, nothing was changed: " + "; ".join(unknown))
        planned = run_together(module, runs)
        results = []
        for (engine, dummy, dummy2), changes, entry in zip(runs, planned, entries):
            result = engine.outcome(changes, single=False)
            queue = engine.resource.queue
            result.update(name=entry["name"], realm=engine.resource.realm,
                          queue_id=to_text(queue.get("id")) if queue.get("id") is not None else None)
            results.append(result)
    every = [item for result in results for item in result["results"]]
    line = summary("params", every)
    exit_per_queue(module, results, line, counts(every), single)


def run_queue_members_module(options, rules):
    """The whole life of the xswitch_queue_member module; its file calls this and nothing else."""
    module = xswitch_module(options, rules=rules, item_lists={"queues": "name"})
    params = module.params
    entries, single = queue_entries(module, "agents")
    with module.reporting_errors():
        client = XSwitchClient(params)
        queues = queues_by_name(client)
        users = UserIndex(client.list_all(AgentUsers.path))
        runs = []
        for entry in entries:
            members = Members(client, module, queue_for(module, queues, entry["name"]), users)
            exclusive = params["exclusive"] if entry["exclusive"] is None else entry["exclusive"]
            engine = Engine(module, members, entry["option"], exclusive,
                            label="queue %s" % entry["name"])
            runs.append((engine, [{"agent": login} for login in entry["agents"]], params["state"]))
        planned = run_together(module, runs)
        results = [queue_result(engine, engine.resource, changes)
                   for (engine, dummy, dummy2), changes in zip(runs, planned)]
    every = [entry for result in results for entry in result["results"]]
    line = summary("members", every, words=MEMBER_WORDS)
    for entry, result in zip(entries, results):
        result["name"] = entry["name"]
    # Many queues' members as logins: full rows of every member of many queues would make a
    # large center's result many megabytes.
    exit_per_queue(module, results, line, counts(every), single,
                   compact=("members", lambda result: result["diff"]["after"]["members"]))
