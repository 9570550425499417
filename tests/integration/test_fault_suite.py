"""The demo center under injected faults.

The example center of ``playbooks/demo.yml`` -- its first play's XSwitch deploy through the
``xswitch_center`` role and its second play's Simotel removals through the
``callcenter_offboarding`` role -- is run while the simulator injects one kind of fault:
bursts of 503, 429 with Retry-After, connections dropped before or after the server applied a
write, a reply slower than the role's timeout, a session token that expires mid-run, and
bodies that are not JSON. See docs/fault-suite.md.

Every case starts from the same partly deployed, drifted center (``plant_drift``), so that
every XSwitch write route is used: agents and queues to create and to update, parameters to
add and to change, members to add and one to remove. Each case is one ansible-playbook run at
-vvvv of up to four phases (a task file with block/rescue, included once per phase):

1. the faulted run (``attempt1``); when a case puts faults on several routes that each stop
   a run, the run is repeated (``attempt2``...) until one completes, at most once per such
   fault: each repeat is a re-run after a failure, with the faults not yet spent still armed;
2. the faults are cleared (DELETE /_sim/faults on both servers);
3. a plain re-run (``rerun``), which must bring the server to exactly the declared state;
4. another plain re-run (``again``), which must change nothing. When the faulted run itself
   completed, the plain re-run must already change nothing -- otherwise the faulted run was a
   false success -- and this fourth phase would only repeat it, so it is left out.

Then the test asserts: every failed run failed with a message naming the method and the path
and there is no Python traceback in the output; the server holds exactly the declared state
(read through the API; Simotel has no call that lists queue members, so its members are read
from the simulator's database, read-only); and no secret (the tokens, the demo passwords, the
admin password, the Simotel API key and credentials, any ha1/ha1b digest) is in the -vvvv
output. The figures of every case go to build/reports/fault-suite.json.
"""

import base64
import collections
import datetime
import hashlib
import json
import os
import re
import shlex
import sqlite3
import sys
import time

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPORT_PATH = os.path.join(REPO, "build", "reports", "fault-suite.json")

with open(os.path.join(REPO, "playbooks", "demo.yml")) as demo_file:
    DEMO = yaml.safe_load(demo_file)
CENTER_VARS = DEMO[0]["vars"]
SIMOTEL_MEMBERS = DEMO[1]["roles"][0]["vars"]["callcenter_offboarding_simotel_members"]
DOMAIN = CENTER_VARS["xswitch_center_domain"]
AGENTS = dict((agent["login"], agent) for agent in CENTER_VARS["xswitch_center_agents"])
QUEUES = dict((queue["name"], queue) for queue in CENTER_VARS["xswitch_center_queues"])

# Routes as the simulator matches them: "METHOD /path", searched with the fault's regex.
POST_USERS = r"^POST /api/users$"
PUT_USER = r"^PUT /api/users/\d+$"
POST_QUEUES = r"^POST /api/queues$"
POST_PARAMS = r"^POST /api/queues/\d+/extra_params$"
PUT_PARAM = r"^PUT /api/queues/\d+/extra_params/\d+$"
POST_MEMBERS = r"^POST /api/queues/\d+/agents$"
DELETE_MEMBER = r"^DELETE /api/queues/\d+/agents/\d+$"
SIMOTEL_BATCH = r"(?i)^POST /api/v4/pbx/queues/batchremoveagent$"
CREATE_ROUTES = [POST_USERS, POST_QUEUES, POST_PARAMS, POST_MEMBERS]

# How a failure message names what failed: "POST /api/queues/2/agents failed ...".
NAMES_METHOD_AND_PATH = re.compile(r"\b(GET|POST|PUT|DELETE) /api/[\w./-]*")
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "MODULE FAILURE")

HTML_PAGE = ("<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
             "<body><h1>Corporate proxy</h1><p>Please sign in to continue.</p></body></html>")
TRUNCATED_JSON = '{"code": 200, "message": "success", "data": {"id": "4'

PHASE_TASKS = """\
# One run of the demo center: the XSwitch deploy, then the Simotel removals. A failure stops
# the run (as it stops a play) and is recorded with the result of the task that failed.
- name: "Run {{ fault_suite_phase }}"
  block:
    - name: Deploy the demo center
      ansible.builtin.include_role:
        name: telephony.callcenter.xswitch_center
    - name: Take the leavers out of the Simotel queues
      ansible.builtin.include_role:
        name: telephony.callcenter.callcenter_offboarding
    - name: Record the completed run
      ansible.builtin.set_fact:
        fault_suite_completed: true
        fault_suite_phases: >-
          {{ fault_suite_phases | default({}) | combine({fault_suite_phase: {
               'failed': false,
               'center': xswitch_center_result,
               'offboarding': callcenter_offboarding_result,
               'stats': lookup('ansible.builtin.url', fault_suite_stats_url,
                               split_lines=false, use_proxy=false) | from_json}}) }}
  rescue:
    - name: Record the failed run
      ansible.builtin.set_fact:
        fault_suite_phases: >-
          {{ fault_suite_phases | default({}) | combine({fault_suite_phase: {
               'failed': true,
               'task': ansible_failed_task.name,
               'result': ansible_failed_result,
               'stats': lookup('ansible.builtin.url', fault_suite_stats_url,
                               split_lines=false, use_proxy=false) | from_json}}) }}
"""


# -- the figures of the whole suite ------------------------------------------------------
@pytest.fixture(scope="session")
def fault_figures():
    """Collects one record per case; written to build/reports/fault-suite.json at the end."""
    cases = []
    started = time.monotonic()
    yield cases
    totals = dict((name, sum(case[name] for case in cases)) for name in (
        "faults_injected", "runs", "objects_lost", "objects_duplicated", "secrets_found",
        "false_reports"))
    report = {
        "suite": "tests/integration/test_fault_suite.py",
        "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "cases": len(cases),
        "wall_seconds": round(time.monotonic() - started, 1),
        "cases_passed": sum(1 for case in cases if case["passed"]),
        "totals": totals,
        "per_case": cases,
    }
    os.makedirs(os.path.dirname(REPORT_PATH), exist_ok=True)
    with open(REPORT_PATH, "w") as handle:
        json.dump(report, handle, indent=2, sort_keys=False)
        handle.write("\n")


# -- reading the servers back ------------------------------------------------------------
def rows(sim, path):
    """Every row of a paged XSwitch list (or a bare array)."""
    found, page = [], 1
    while True:
        reply = sim.api("xswitch", "GET", path, params={"perPage": 1000, "page": page})
        assert reply.status_code == 200, (path, reply.status_code, reply.text)
        body = reply.json()
        if isinstance(body, list):
            return body
        found.extend(body["data"] or [])
        if len(found) >= int(body["rowCount"]) or not body["data"]:
            return found
        page += 1


def simotel_members(sim):
    """Simotel's queue members as (queue, agent) pairs with their number of rows. No API call
    lists them, so the simulator's database is read, read-only."""
    connection = sqlite3.connect("file:%s?mode=ro" % sim.db_path, uri=True, timeout=10)
    try:
        pairs = connection.execute("SELECT queue, agent FROM pbx_members").fetchall()
    finally:
        connection.close()
    return collections.Counter((str(queue), str(agent)) for queue, agent in pairs)


def session_tokens(sim):
    connection = sqlite3.connect("file:%s?mode=ro" % sim.db_path, uri=True, timeout=10)
    try:
        return [row[0] for row in connection.execute("SELECT token FROM sessions")]
    finally:
        connection.close()


def same_param(declared, stored):
    if isinstance(declared, dict):
        try:
            return json.loads(stored) == declared
        except ValueError:
            return False
    if isinstance(declared, bool):
        return str(stored).lower() == ("true" if declared else "false")
    return str(stored) == str(declared)


def media_of(value):
    if isinstance(value, str) and value.strip().startswith("{"):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


class StateCheck:
    """What the servers hold, compared with what the demo declares."""

    def __init__(self):
        self.lost = []
        self.duplicated = []
        self.wrong = []

    def count(self, what, found):
        if found == 0:
            self.lost.append(what)
        elif found > 1:
            self.duplicated.extend([what] * (found - 1))

    @property
    def problems(self):
        return (["lost: " + what for what in self.lost]
                + ["duplicated: " + what for what in self.duplicated] + self.wrong)


def check_declared_state(sim, simotel_before):
    check = StateCheck()
    user_rows = rows(sim, "users")
    by_login = collections.defaultdict(list)
    for row in user_rows:
        by_login[str(row["login"])].append(row)
    login_of_id = dict((str(row["id"]), str(row["login"])) for row in user_rows)
    defaults = CENTER_VARS["xswitch_center_agent_defaults"]
    for login, agent in AGENTS.items():
        found = by_login.get(login, [])
        check.count("agent %s" % login, len(found))
        if len(found) != 1:
            continue
        stored = found[0]
        settings = dict(defaults, **agent.get("agent_info", {}))
        wanted = {"type": "AGENT", "name": agent["name"], "extn": agent["extn"],
                  "domain": DOMAIN, "status": settings["status"],
                  "max_no_answer": str(settings["max_no_answer"]),
                  "wrap_up_time": str(settings["wrap_up_time"]),
                  "ha1": hashlib.md5(("%s:%s:%s" % (login, DOMAIN, agent["password"]))
                                     .encode()).hexdigest()}
        held = dict((key, str(stored.get(key))) for key in wanted)
        differs = sorted(key for key in wanted if held[key] != wanted[key])
        if differs:
            # The hash is named, never shown.
            check.wrong.append("agent %s differs in %s: holds %s, declared %s" % (
                login, ", ".join("password (ha1)" if key == "ha1" else key for key in differs),
                dict((key, held[key]) for key in differs if key != "ha1"),
                dict((key, wanted[key]) for key in differs if key != "ha1")))
    queue_rows = rows(sim, "queues")
    by_name = collections.defaultdict(list)
    for row in queue_rows:
        by_name[str(row["name"])].append(row)
    for name, queue in QUEUES.items():
        found = by_name.get(name, [])
        check.count("queue %s" % name, len(found))
        if len(found) != 1:
            continue
        stored = found[0]
        held = {"strategy": stored.get("strategy"), "description": stored.get("description"),
                "type": stored.get("cti_template"), "auto_record": str(stored.get("auto_record"))}
        wanted = {"strategy": queue["strategy"], "description": queue["description"],
                  "type": queue.get("type", "callcenter"),
                  "auto_record": "1" if queue.get("auto_record") else "0"}
        if "moh_sound" in queue:
            held["moh_sound"] = media_of(stored.get("moh_sound")).get("media_id")
            wanted["moh_sound"] = str(queue["moh_sound"])
        if "greeting" in queue:
            held["greeting"] = media_of(stored.get("greeting")).get("media_path")
            wanted["greeting"] = queue["greeting"]
        if held != wanted:
            check.wrong.append("queue %s holds %s, declared %s" % (name, held, wanted))
        queue_id = stored["id"]
        members = collections.Counter(
            login_of_id.get(str(row["agent_id"]), "?id%s" % row["agent_id"])
            for row in rows(sim, "queues/%s/agents" % queue_id))
        for login in queue["members"]:
            check.count("member %s of queue %s" % (login, name), members.get(login, 0))
        extra = sorted(set(members) - set(queue["members"]))
        if extra:
            check.wrong.append("queue %s has undeclared members %s" % (name, ", ".join(extra)))
        params = collections.defaultdict(list)
        for row in rows(sim, "queues/%s/extra_params" % queue_id):
            params[str(row["k"])].append(row)
        for key, value in queue.get("params", {}).items():
            found_params = params.get(key, [])
            check.count("param %s of queue %s" % (key, name), len(found_params))
            if len(found_params) == 1 and not same_param(value, found_params[0]["v"]):
                check.wrong.append("param %s of queue %s is %r, declared %r"
                                   % (key, name, found_params[0]["v"], value))
    # Simotel: the declared pairs gone, every other member as it was before the run.
    removed = set((str(pair["queue"]), str(pair["agent"])) for pair in SIMOTEL_MEMBERS)
    now = simotel_members(sim)
    for pair in sorted(simotel_before):
        if pair in removed:
            if now.get(pair):
                check.wrong.append("Simotel agent %s is still in queue %s" % (pair[1], pair[0]))
        else:
            check.count("Simotel member %s of queue %s" % (pair[1], pair[0]), now.get(pair, 0))
    return check


# -- secrets -----------------------------------------------------------------------------
def known_secrets(sim, extra=()):
    """Every secret value a run can know, by what it is (the report names them, never shows
    them)."""
    secrets = {
        "XSwitch dev key": sim.token,
        "XSwitch admin password": sim.admin_password,
        "Simotel API key": sim.pbx_api_key,
        "Simotel password": sim.pbx_password,
        "Simotel Basic credentials": base64.b64encode(
            ("%s:%s" % (sim.pbx_username, sim.pbx_password)).encode()).decode(),
    }
    for login, agent in AGENTS.items():
        secrets["password of agent %s" % login] = agent["password"]
        for user in set([login, agent["extn"]]):
            for name, text in (("ha1", "%s:%s:%s" % (user, DOMAIN, agent["password"])),
                               ("ha1b", "%s@%s:%s:%s" % (user, DOMAIN, DOMAIN,
                                                         agent["password"]))):
                secrets["%s of agent %s (%s)" % (name, login, user)] = \
                    hashlib.md5(text.encode()).hexdigest()
    for row in rows(sim, "users"):
        for name in ("ha1", "ha1b"):
            if row.get(name):
                secrets.setdefault("%s of user %s" % (name, row["login"]), row[name])
    for index, token in enumerate(session_tokens(sim)):
        secrets["session token %d" % index] = token
    secrets.update(extra)
    # An empty (or very short) value is no secret to look for: the Simotel password is empty.
    # Each value is looked for once, under the first name it has.
    named = {}
    for name, value in secrets.items():
        if value and len(value) >= 4:
            named.setdefault(value, name)
    return dict((name, value) for value, name in named.items())


def secrets_in(stdout, secrets):
    return dict((name, stdout.count(value)) for name, value in secrets.items()
                if value in stdout)


# -- the run of one case -----------------------------------------------------------------
def plant_drift(sim):
    """A partly deployed center that has drifted: agents 1001 (max_no_answer 9) and 1005,
    queue support with an old description, wait-timeout 100, and members 1001 and 1005 (1005
    belongs to sales only). The deploy then creates six agents and two queues, updates an
    agent and a queue, adds parameters and changes one, adds members and removes one."""
    defaults = CENTER_VARS["xswitch_center_agent_defaults"]
    ids = {}
    for login, drift in (("1001", {"max_no_answer": 9}), ("1005", {})):
        agent = AGENTS[login]
        settings = dict(defaults, **agent.get("agent_info", {}))
        settings.update(drift)
        reply = sim.api("xswitch", "POST", "users", json={
            "login": login, "type": "AGENT", "name": agent["name"], "extn": agent["extn"],
            "password": agent["password"], "domain": DOMAIN, "agent_info": settings})
        assert reply.status_code == 200, reply.text
        ids[login] = str(reply.json()["data"]["id"])
    support = QUEUES["support"]
    reply = sim.api("xswitch", "POST", "queues", json={
        "name": "support", "type": "callcenter", "cti_template": "callcenter",
        "strategy": support["strategy"], "description": "Old description"})
    assert reply.status_code == 200, reply.text
    queue_id = str(reply.json()["data"])
    reply = sim.api("xswitch", "POST", "queues/%s/extra_params" % queue_id,
                    json={"realm": "CC", "k": "wait-timeout", "v": "100"})
    assert reply.status_code == 200, reply.text
    reply = sim.api("xswitch", "POST", "queues/%s/agents" % queue_id, json={"agents": [
        {"agent_id": ids[login], "agent_name": login} for login in ("1001", "1005")]})
    assert reply.status_code == 200, reply.text


class CaseRun:
    """What one case did: its phases, the faults as applied, the output."""

    def __init__(self, run, phases, faults):
        self.stdout = run.stdout
        self.phases = phases
        self.faults = faults

    @property
    def attempts(self):
        return [(name, self.phases[name]) for name in sorted(self.phases)
                if name.startswith("attempt")]

    @property
    def completed_attempt(self):
        """The number of the faulted attempt that completed, or None."""
        for name, phase in self.attempts:
            if not phase["failed"]:
                return int(name[len("attempt"):])
        return None

    def failure(self, name):
        """(task name, the failed items' messages) of a failed phase."""
        phase = self.phases[name]
        result = phase["result"]
        items = result.get("results")
        if isinstance(items, list) and items:
            messages = [item.get("msg", "") for item in items if item.get("failed")]
        else:
            messages = [result.get("msg", "")]
        return phase["task"], messages

    def applied(self):
        return sum(fault["applied"] for server in self.faults.values() for fault in server)


def run_case(sim, play, tmp_path, figures, case_id, faults, attempts=1, connection=None,
             rerun_connection=None, xswitch=None):
    """Plant the drifted center, arm ``faults`` ([(server, spec)]), run the phases in one
    ansible-playbook at -vvvv, and return the CaseRun with the state read back."""
    plant_drift(sim)
    simotel_before = simotel_members(sim)
    stats_before = sim.stats("xswitch")
    for server, spec in faults:
        sim.faults(server, **spec)
    phase_file = tmp_path / "fault_suite_phase.yml"
    phase_file.write_text(PHASE_TASKS)
    stats_url = sim.xswitch_url + "/_sim/stats"

    def phase(name, conn, when=None):
        variables = dict(CENTER_VARS, fault_suite_phase=name, fault_suite_stats_url=stats_url,
                         callcenter_offboarding_simotel_members=SIMOTEL_MEMBERS)
        # The phases count on the writes reaching the faults one after another, in the order
        # the deploy plans them; writes in parallel are tested on their own.
        variables["xswitch_center_connection"] = dict(conn or {}, max_concurrent_writes=1)
        task = {"name": "run %s" % name, "ansible.builtin.include_tasks": str(phase_file),
                "vars": variables}
        if when:
            task["when"] = when
        return task

    def faults_url(server):
        return "%s/_sim/faults" % sim.url(server)

    tasks = [phase("attempt%d" % number, connection,
                   when=None if number == 1 else "not (fault_suite_completed | default(false))")
             for number in range(1, attempts + 1)]
    # Read, then clear, the faults of both servers from the controller: a pipe lookup runs no
    # module (the uri module would cost about a second per call on a busy machine).
    urls = [(server, faults_url(server)) for server in ("xswitch", "simotel")]
    script = ("import json, urllib.request as u; urls = %r; "
              "faults = dict((n, json.load(u.urlopen(x, timeout=10))['faults']) for n, x in urls); "
              "[u.urlopen(u.Request(x, method='DELETE'), timeout=10).read() for n, x in urls]; "
              "print(json.dumps(faults))" % (urls,))
    tasks.append({"name": "read and clear the faults", "ansible.builtin.set_fact": {
        "fault_suite_faults": "{{ lookup('ansible.builtin.pipe', fault_suite_clear) | from_json }}",
        "fault_suite_faulted_run_completed": "{{ fault_suite_completed | default(false) }}"},
        "vars": {"fault_suite_clear": " ".join(shlex.quote(part) for part in
                                               (sys.executable, "-c", script))}})
    tasks.append(phase("rerun", rerun_connection if rerun_connection is not None else connection))
    tasks.append(phase("again", rerun_connection if rerun_connection is not None else connection,
                       when="not (fault_suite_faulted_run_completed | bool)"))
    tasks.append({"name": "report the phases", "ansible.builtin.debug": {"var": "fault_suite_phases"}})
    tasks.append({"name": "report the faults", "ansible.builtin.debug": {"var": "fault_suite_faults"}})
    started = time.monotonic()
    run = play(tasks, verbosity=4, xswitch=xswitch)
    seconds = time.monotonic() - started
    case = CaseRun(run, run.results[-2]["fault_suite_phases"],
                   run.results[-1]["fault_suite_faults"])
    case.stats_before = stats_before
    case.state = check_declared_state(sim, simotel_before)
    extra = {}
    if isinstance(connection, dict) and connection.get("xswitch_token"):
        extra["the static session token"] = connection["xswitch_token"]
    case.found_secrets = secrets_in(run.stdout, known_secrets(sim, extra))
    case.record = {
        "case": case_id,
        "faults_injected": case.applied(),
        "runs": len(case.phases),
        "faulted_runs_failed": sum(1 for dummy, phase in case.attempts if phase["failed"]),
        "objects_lost": len(case.state.lost),
        "objects_duplicated": len(case.state.duplicated),
        "secrets_found": sum(case.found_secrets.values()),
        "secrets_found_kinds": sorted(case.found_secrets),
        "false_reports": 0,
        "playbook_seconds": round(seconds, 1),
        "passed": False,
    }
    figures.append(case.record)
    return case


def writes_between(case, first, last):
    """XSwitch writes the server counted from the end of phase ``first`` to the end of
    ``last``."""
    return case.phases[last]["stats"]["writes"] - case.phases[first]["stats"]["writes"]


def assert_case(case, expected_failures=(), completes_at=None, more=(), hint=None):
    """The checks every case makes. ``expected_failures``: (attempt number, regex) pairs, the
    message each of those faulted attempts must fail with; ``completes_at``: the faulted
    attempt that must complete; ``more``: problems the test found itself; ``hint`` is added
    to the failure text when any check fails."""
    problems = list(more)
    if completes_at is not None and case.completed_attempt != completes_at:
        problems.append("the faulted run was expected to complete at attempt%d, it %s" % (
            completes_at, "never did" if case.completed_attempt is None
            else "did at attempt%d" % case.completed_attempt))
    unspent = ["%s %s (%s of %s applied)" % (server, fault_["route"], fault_["applied"],
                                             fault_["count"])
               for server, faults in sorted(case.faults.items()) for fault_ in faults
               if fault_["remaining"]]
    if unspent:
        problems.append("faults the runs never reached, so the case tested nothing there: %s"
                        % "; ".join(unspent))
    for marker in TRACEBACK_MARKERS:
        if marker in case.stdout:
            start = case.stdout.index(marker)
            problems.append("the output has %r: %s" % (marker, case.stdout[start:start + 600]))
    for name, phase in case.attempts:
        if not phase["failed"]:
            continue
        task, messages = case.failure(name)
        if not messages or not all(NAMES_METHOD_AND_PATH.search(text or "") for text in messages):
            problems.append("%s failed in %r without naming the method and path: %s"
                            % (name, task, messages))
    for number, pattern in expected_failures:
        name = "attempt%d" % number
        phase = case.phases.get(name)
        if phase is None or not phase["failed"]:
            problems.append("%s was expected to fail with /%s/ but %s" % (
                name, pattern, "did not run" if phase is None else "completed"))
            continue
        task, messages = case.failure(name)
        if not any(re.search(pattern, text or "") for text in messages):
            problems.append("%s failed in %r with %s, not /%s/" % (name, task, messages, pattern))
    for name in ("rerun", "again"):
        phase = case.phases.get(name)
        if phase is not None and phase["failed"]:
            task, messages = case.failure(name)
            problems.append("the plain %s failed in %r: %s" % (name, task, messages))
    problems.extend("state after the plain re-run: " + text for text in case.state.problems)
    # No change after convergence: the run after the plain re-run, or the plain re-run itself
    # when the faulted run completed (else that run claimed success without reaching the state).
    if "again" in case.phases:
        quiet, before = "again", "rerun"
    elif case.completed_attempt is not None:
        quiet, before = "rerun", "attempt%d" % case.completed_attempt
    else:
        quiet = before = None
    phase = case.phases.get(quiet)
    if phase is not None and not phase["failed"]:
        changed = [what for what in ("center", "offboarding")
                   if phase[what]["changed"] in (True, "True", "true")]
        if changed:
            case.record["false_reports"] += 1
            problems.append("the %s run reported changes: %s" % (
                quiet, dict((what, phase[what]) for what in changed)))
        writes = writes_between(case, before, quiet)
        if writes:
            problems.append("the %s run sent %d XSwitch writes" % (quiet, writes))
    # A faulted run that completed at once must report what it did, as a plain first run does.
    if case.completed_attempt == 1:
        counts = reported_counts(case.phases["attempt1"])
        if counts != FIRST_RUN_REPORT:
            case.record["false_reports"] += 1
            problems.append("the faulted run completed but reported %s where it did %s" % (
                dict((kind, value) for kind, value in counts.items()
                     if value != FIRST_RUN_REPORT[kind]),
                dict((kind, value) for kind, value in FIRST_RUN_REPORT.items()
                     if value != counts[kind])))
    if case.found_secrets:
        problems.append("secrets in the -vvvv output: %s" % ", ".join(
            "%s (%d times)" % item for item in sorted(case.found_secrets.items())))
    case.record["passed"] = not problems
    if problems and hint:
        problems.append(hint)
    assert not problems, "\n".join(problems)


# What a run that completes at once reports, from the drifted center of plant_drift.
FIRST_RUN_REPORT = {
    "agents": {"created": 6, "updated": 1, "deleted": 0, "unchanged": 1},
    "queues": {"created": 2, "updated": 1, "deleted": 0, "unchanged": 0},
    "params": {"changed": 6, "unchanged": 1},
    "members": {"added": 7, "removed": 1, "unchanged": 1},
    "simotel": {"removed": 2, "absent": 0, "failed": 0},
}


def reported_counts(phase):
    center, simotel = phase["center"], phase["offboarding"]["simotel"]
    counts = dict((kind, dict((name, int(center[kind][name])) for name in names))
                  for kind, names in FIRST_RUN_REPORT.items() if kind != "simotel")
    counts["simotel"] = dict((name, int(simotel[name])) for name in FIRST_RUN_REPORT["simotel"])
    return counts


def fault(route, **spec):
    return dict(spec, route=route)


# -- the cases ---------------------------------------------------------------------------
@pytest.mark.parametrize("retry_after", [None, 1], ids=["no-retry-after", "retry-after-1"])
def test_503_burst_on_reads_and_writes(sim, play, tmp_path, fault_figures, retry_after):
    # Bursts of two 503 on reads, on PUT/DELETE, on POST and on the Simotel batch. A read, a
    # PUT, a DELETE and the batch are safe to replay: the retries (3) absorb their bursts. A
    # POST is not: the README says "A POST that may have reached the server ... is never
    # replayed blindly", because a 503 to a write may come from a proxy after the server applied
    # it -- which is what the POST burst does (after_handling). So each 503 to a POST stops a
    # run, and the next run finds what it created. The first write is the PUT of agent 1001,
    # the first POST the create of agent 1002.
    extra = {} if retry_after is None else {"retry_after": retry_after}
    case = run_case(sim, play, tmp_path, fault_figures, "503 reads and writes, %s" % (
        "no Retry-After" if retry_after is None else "Retry-After %s" % retry_after), [
        ("xswitch", fault(r"^GET /api/", count=2, status=503, **extra)),
        ("xswitch", fault(r"^POST /api/(?!sessions$)", count=2, status=503,
                          after_handling=True, **extra)),
        ("xswitch", fault(r"^(PUT|DELETE) /api/", count=2, status=503, **extra)),
        ("simotel", fault(SIMOTEL_BATCH, count=2, status=503, **extra))], attempts=3)
    hint = None
    if case.phases["attempt1"]["failed"] is False:
        hint = ("attempt1 completed although POST /api/users was answered 503 twice after the "
                "server applied it: the POST was sent again within the run (urllib3 retries any "
                "method on a 503 that carries Retry-After, whatever status_forcelist says)")
    assert_case(case, [(1, r"POST /api/users failed: HTTP 503"),
                       (2, r"POST /api/users failed: HTTP 503")], completes_at=3, hint=hint)


def test_429_with_retry_after_on_every_write_route(sim, play, tmp_path, fault_figures):
    routes = [("xswitch", route) for route in (POST_USERS, PUT_USER, POST_QUEUES, POST_PARAMS,
                                               PUT_PARAM, POST_MEMBERS, DELETE_MEMBER)]
    routes.append(("simotel", SIMOTEL_BATCH))
    case = run_case(sim, play, tmp_path, fault_figures, "429 every write route",
                    [(server, fault(route, count=1, status=429, retry_after=1))
                     for server, route in routes])
    # "Too many requests": not processed, so retried for every method after Retry-After. Every
    # fault must be spent (assert_case checks it): the deploy used every route.
    assert_case(case, completes_at=1)


@pytest.mark.parametrize("after_handling", [False, True], ids=["before-applied", "after-applied"])
def test_dropped_connection_on_each_create_route(sim, play, tmp_path, fault_figures,
                                                 after_handling):
    # One drop per create route, in the order the deploy reaches them: each stops a run, the
    # run after it must get past it (and find what the dropped request created). The Simotel
    # batch is replay-safe: its drop is absorbed.
    spec = {"count": 1, "drop": True, "after_handling": after_handling}
    case = run_case(sim, play, tmp_path, fault_figures,
                    "drop %s" % ("after" if after_handling else "before"),
                    [("xswitch", fault(route, **spec)) for route in CREATE_ROUTES]
                    + [("simotel", fault(SIMOTEL_BATCH, **spec))], attempts=5)
    closed = r"failed \(the connection closed before the reply came; the request may have been applied\)"
    more = []
    last = case.phases.get("attempt5")
    if last and not last["failed"]:
        # A replayed removal that finds the agents gone counts them as removed.
        simotel = last["offboarding"]["simotel"]
        if (int(simotel["removed"]), int(simotel["absent"])) != (2, 0):
            more.append("the Simotel removal reported %s, not 2 removed" % simotel)
    assert_case(case, [(1, r"POST /api/users " + closed),
                       (2, r"POST /api/queues " + closed),
                       (3, r"POST /api/queues/\d+/extra_params " + closed),
                       (4, r"POST /api/queues/\d+/agents " + closed)], completes_at=5, more=more)


def test_latency_past_the_timeout(sim, play, tmp_path, fault_figures):
    # The reply to the first queue create comes after 3 s, the role waits 2 s; the server
    # applies the create anyway. A POST is not replayed after a timeout.
    case = run_case(sim, play, tmp_path, fault_figures, "latency past timeout",
                    [("xswitch", fault(POST_QUEUES, count=1, latency=3))], attempts=2,
                    connection={"timeout": 2}, rerun_connection={})
    assert_case(case, [(1, r"POST /api/queues failed \(no complete reply from http://127\.0\.0\.1:\d+ "
                           r"within timeout 2 s, attempt 1, not repeated; the request may have "
                           r"been applied\)")],
                completes_at=2)


@pytest.mark.parametrize("credentials", ["username-password", "static-token"])
def test_token_expiry_mid_run(sim, play, tmp_path, fault_figures, credentials):
    # Every session token expires when the first parameter is added (the third module run).
    expiry = [("xswitch", fault(POST_PARAMS, count=1, expire_token=True))]
    # Without XSWITCH_TOKEN in the environment: the role's connection is all there is.
    url_only = {"xswitch_url": sim.xswitch_url}
    if credentials == "username-password":
        login = {"xswitch_username": sim.admin_login, "xswitch_password": sim.admin_password}
        case = run_case(sim, play, tmp_path, fault_figures, "token expiry, login", expiry,
                        connection=login, xswitch=url_only)
        logins = (case.phases["attempt1"]["stats"]["requests"].get("POST /api/sessions", 0)
                  - case.stats_before["requests"].get("POST /api/sessions", 0))
        # Exactly one login per XSwitch module run of the attempt (the -vvvv output shows each
        # one start), and one more after the expiry: parallel reads that all see the expired
        # token share one new login.
        attempt = case.stdout.split("TASK [run attempt1]", 1)[-1].split("TASK [run rerun]", 1)[0]
        runs = len(re.findall(r"EXEC /bin/sh -c '\S*python\S* \S*/AnsiballZ_xswitch_\w+\.py && sleep 0",
                              attempt))
        more = [] if runs and logins == runs + 1 else [
            "%d logins in %d XSwitch module runs: expected one each and one after the expiry"
            % (logins, runs)]
        assert_case(case, completes_at=1, more=more)
        return
    reply = sim.api("xswitch", "POST", "sessions", auth=False,
                    json={"login": sim.admin_login, "password": sim.admin_password})
    token = reply.json()["token"]
    case = run_case(sim, play, tmp_path, fault_figures, "token expiry, static token", expiry,
                    connection={"xswitch_token": token},
                    rerun_connection={"xswitch_token": sim.token}, xswitch=url_only)
    assert_case(case, [(1, r"POST /api/queues/\d+/extra_params failed: HTTP 403.*xswitch_token")])


@pytest.mark.parametrize("status", [200, 500])
def test_body_that_is_not_json(sim, play, tmp_path, fault_figures, status):
    # An HTML page (a proxy's) and a JSON body cut short. With 200 the cut-off reply is to a
    # create the server applied; with 500 neither request is applied.
    if status == 200:
        faults = [("xswitch", fault(r"^GET /api/users$", count=1, status=200, body=HTML_PAGE)),
                  ("xswitch", fault(POST_QUEUES, count=1, status=200, body=TRUNCATED_JSON,
                                    after_handling=True))]
        expected = [(1, r"GET /api/users failed: HTTP 200 \(the reply is not JSON"),
                    (2, r"POST /api/queues failed: HTTP 200 \(the reply is not JSON")]
    else:
        faults = [("xswitch", fault(POST_USERS, count=1, status=500, body=HTML_PAGE)),
                  ("xswitch", fault(r"^GET /api/queues/\d+/agents$", count=1, status=500,
                                    body=TRUNCATED_JSON))]
        expected = [(1, r"POST /api/users failed: HTTP 500: <!DOCTYPE html>"),
                    (2, r"GET /api/queues/\d+/agents failed: HTTP 500: \{\"code\"")]
    case = run_case(sim, play, tmp_path, fault_figures, "non-JSON body %d" % status, faults,
                    attempts=3)
    assert_case(case, expected, completes_at=3)
