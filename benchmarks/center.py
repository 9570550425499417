"""Benchmark: a whole call center deployed with the xswitch_center role, then re-applied.

Prints figures; it never fails on a slow figure (a target not met is printed as "NOT MET").
Everything runs against the bundled simulator on 127.0.0.1, started and stopped here.

First the start-up floor: ansible-playbook with a play that has no task, and one uncounted run
of the role on a 10-agent center (a warm-up). Then, for each center
size (agents/queues; 100 members and 10 CC parameters per queue):

  first converge  the role on an empty simulator
  no-op           the same playbook again, --repeat times, the median reported (0 writes;
                  reads <= 1.1 x min_reads())

The role's variables go to ansible-playbook as a JSON file (-e @file; --vars-format yaml for
YAML). With JSON, each size's no-op at 0 ms runs once more from the same variables in YAML,
a figure without a target: what ansible-core spends on values read from YAML.

The first size runs once per latency of --latency (milliseconds added to every API request by
the simulator's latency fault, as a remote PBX adds its round trip) and per max_concurrent_writes
of --pools; the other sizes run at 0 ms. Targets (TARGETS, stated for 1,000 agents):

  0 ms     first <= 6 s, no-op <= 2.0 s and <= the empty play + 1.0 s
  20 ms    first <= 12 s, no-op <= 2.5 s and <= the no-op at 0 ms + 0.5 s
  100 ms   first <= 40 s, no-op <= 4 s

A larger center gets the first converge target scaled linearly, and at 0 ms a no-op target on
the line from 2 s at 1,000 agents to 12 s at 10,000. Module peak RSS <= 300 MB at every size.
Across sizes, each larger center's no-op is compared with the smallest one's (target: <= 1.1 x
the size ratio). Last, the same no-op written with ansible.builtin.uri only
(benchmarks/uri_center.yml: per agent a GET, per queue a GET of its parameters and one of its
members) at 200 agents / 10 queues against the role, once per latency (target: >= 80 x).
A table of every figure by latency ends the output.

Each step prints its wall time, the requests the simulator counted by method, the peak RSS of
the module processes, where the controller spent the time (per task, from the bench_timer
callback in callback_plugins/, plus start-up and exit) and each module run's own time.

Peak RSS of the module processes: every module run is started through a wrapper given as
ansible_python_interpreter (see WRAPPER). It runs the real interpreter as its only child and,
once the child has exited, reads getrusage(RUSAGE_CHILDREN).ru_maxrss, the peak resident set
size of that child (the module: AnsiballZ runs the module inside the process it starts). It
appends one line per module run to a log. This measures exactly the module processes, not the
controller or its forked workers (their peak is shown apart, from wait4 on ansible-playbook),
and costs one small extra Python start per module run. The uri playbook runs without the
wrapper, so that its hundreds of module runs do not pay for it.

    python benchmarks/center.py [--agents "1000 10000" --queues "50 500"] [--uri 200/10]
                                [--latency "0 20 100"] [--pools "default 10"]
                                [--repeat 3] [--out build/bench]
    (needs a staged collection; `make bench` stages one and runs this)
"""

import argparse
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from simulator.testing import Simulator  # noqa: E402 pylint: disable=wrong-import-position

PAGE_SIZE = 1000            # the collection reads lists with perPage=1000
MEMBERS_PER_QUEUE = 100
REFERENCE_AGENTS = 1000     # the center the absolute wall-time targets are stated for
LARGE_AGENTS = 10000        # the large center of the no-op target below
# Wall-time targets of the reference center by added latency per request (ms):
# (first converge, no-op, no-op's allowed excess over the baseline, what that baseline is).
TARGETS = {
    0: (6.0, 2.0, 1.0, "the empty play"),
    20: (12.0, 2.5, 0.5, "the no-op at 0 ms"),
    100: (40.0, 4.0, None, None),
}
LARGE_NOOP_TARGET_S = 12.0  # no-op of the 10,000-agent center at 0 ms
READS_FACTOR = 1.1          # no-op reads <= 1.1 x the minimum
SCALING_SLACK = 1.1         # a no-op of k times the center takes <= 1.1 k times as long
RSS_TARGET_MB = 300.0
URI_RATIO_TARGET = 80.0
RUN_TIMEOUT_S = 1800        # one ansible-playbook run; the benchmark stops by itself
# Every XSwitch API route of the simulator, not its control routes (/_sim).
API_ROUTES = "^(GET|POST|PUT|DELETE) /api/"


def wall_targets(agents, latency_ms):
    """(first converge target, no-op target) in seconds, or (None, None) for a latency
    without targets. First converge scales linearly with the center; the no-op goes from
    its 1,000-agent target to 12 s at 10,000 agents (0 ms), on a straight line."""
    if latency_ms not in TARGETS:
        return None, None
    first, noop = TARGETS[latency_ms][:2]
    scale = max(1.0, agents / REFERENCE_AGENTS)
    if latency_ms == 0 and agents > REFERENCE_AGENTS:
        noop += (LARGE_NOOP_TARGET_S - noop) * (agents - REFERENCE_AGENTS) \
            / (LARGE_AGENTS - REFERENCE_AGENTS)
    elif agents > REFERENCE_AGENTS:
        noop *= scale
    return first * scale, noop


# Ten CC parameters per queue, keys of the simulator's QUEUE_CC_PARAM dict (simulator/db.py).
def queue_params(index):
    return {
        "announce-frequency": 30,
        "wait-timeout": 300 + index,
        "wait-timeout-without-agent": 60,
        "wait-timeout-without-agent-time-reached": 5,
        "tier-rules-apply": False,
        "tier-rule-wait-second": 30,
        "abandoned-resume-allowed": True,
        "discard-abandoned-after": 600,
        "capacity": 20,
        "overflow-capacity-action": {"action": "transfer", "data": "1009"},
    }


WRAPPER = '''#!{python} -S
# Runs the real Python (the module) as the only child, then records its peak RSS.
import json, os, resource, subprocess, sys, time
started = time.monotonic()
code = subprocess.call([{python!r}] + sys.argv[1:])
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB
module = next((os.path.basename(a) for a in sys.argv[1:] if "AnsiballZ_" in a), "(stdin)")
with open({log!r}, "a") as log:
    log.write(json.dumps({{"module": module, "rss_kb": peak_kb,
                           "seconds": time.monotonic() - started}}) + "\\n")
sys.exit(code)
'''


def center_vars(agents, queues, pool=None):
    """The role's variables for a center of ``agents`` agents and ``queues`` queues;
    ``pool`` sets max_concurrent_writes (None: the collection's default)."""
    logins = [str(100000 + n) for n in range(agents)]
    step = max(1, agents // queues)
    queue_list = []
    for q in range(queues):
        members = [logins[(q * step + j) % agents] for j in range(min(MEMBERS_PER_QUEUE, agents))]
        queue_list.append({"name": "bench-q%03d" % q, "strategy": "longest-idle-agent",
                           "description": "Benchmark queue %d" % q,
                           "params": queue_params(q), "members": members})
    return {
        "xswitch_center_domain": "xswitch.cn",
        "xswitch_center_agent_defaults": {"status": "Available", "max_no_answer": 3,
                                          "wrap_up_time": 10},
        "xswitch_center_agents": [
            {"login": login, "name": "Agent %s" % login, "extn": login,
             "password": "Bench-Pw-%s" % login} for login in logins],
        "xswitch_center_queues": queue_list,
        "xswitch_center_connection": {} if pool is None else {"max_concurrent_writes": pool},
    }


def center_counts(agents, queues):
    """The memberships and parameters of a center made by center_vars."""
    return dict(memberships=queues * min(MEMBERS_PER_QUEUE, agents),
                parameters=queues * len(queue_params(0)))


def min_reads(agents, queues):
    """The fewest GETs a no-op of the center can make: the users' pages, the queues' pages,
    one parameter read and one member read per queue, and the one dict (all queues are CC)."""
    parts = {"user pages": math.ceil(agents / PAGE_SIZE),
             "queue pages": math.ceil(queues / PAGE_SIZE),
             "params reads": queues, "members reads": queues, "dicts": 1}
    return sum(parts.values()), parts


def write_yaml(path, data):
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle, sort_keys=False, width=1000)


def write_vars(path, data, vars_format):
    """The role's variables as a file given with -e @path. ansible-core 2.19 tags every value
    it reads from YAML with where it came from and copies those tags along with the values,
    which a JSON file's values do not carry: the same center reads faster from JSON."""
    if vars_format == "yaml":
        write_yaml(path, data)
        return
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle)


def by_method(before, after):
    out = {"GET": 0, "POST": 0, "PUT": 0, "DELETE": 0}
    routes = {}
    for route, count in after["requests"].items():
        delta = count - before["requests"].get(route, 0)
        if delta:
            method = route.split(" ", 1)[0]
            out[method] = out.get(method, 0) + delta
            routes[route] = delta
    return out, routes


class Runner:
    def __init__(self, sim, workdir, collections):
        self.sim = sim
        self.workdir = workdir
        self.collections = collections
        self.rss_log = os.path.join(workdir, "module-rss.jsonl")
        self.timer_log = os.path.join(workdir, "task-times.jsonl")
        self.wrapper = os.path.join(workdir, "python-rss")
        with open(self.wrapper, "w", encoding="utf-8") as handle:
            handle.write(WRAPPER.format(python=sys.executable, log=self.rss_log))
        os.chmod(self.wrapper, 0o755)
        self.playbook_vars_none = os.path.join(workdir, "no-vars.yml")
        write_yaml(self.playbook_vars_none, {})
        self.playbook = os.path.join(workdir, "center.yml")
        write_yaml(self.playbook, [{
            "name": "Benchmark center", "hosts": "localhost", "gather_facts": False,
            "roles": [{"role": "telephony.callcenter.xswitch_center"}]}])

    def run(self, playbook, varsfile, measure_rss=True):
        """One ansible-playbook run: wall time, requests, module runs and their peak RSS."""
        interpreter = self.wrapper if measure_rss else sys.executable
        env = dict(os.environ, XSWITCH_URL=self.sim.xswitch_url, XSWITCH_TOKEN=self.sim.token,
                   ANSIBLE_COLLECTIONS_PATH=self.collections, ANSIBLE_NOCOLOR="1",
                   ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
                   ANSIBLE_PIPELINING="0",
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(REPO, "benchmarks", "callback_plugins"),
                   ANSIBLE_CALLBACKS_ENABLED="bench_timer", BENCH_TIMER_LOG=self.timer_log)
        env.pop("ANSIBLE_CONFIG", None)
        for log in (self.rss_log, self.timer_log):
            if os.path.exists(log):
                os.unlink(log)
        before = self.sim.stats("xswitch")
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
                   "-i", "localhost,", "-c", "local",
                   "-e", "ansible_python_interpreter=%s" % interpreter, "-e", "@" + varsfile,
                   playbook]
        started = time.monotonic()
        launched = time.time()
        with open(os.path.join(self.workdir, "last-run.log"), "w", encoding="utf-8") as out:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, cwd=self.workdir)
            deadline = started + RUN_TIMEOUT_S
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    sys.exit("ansible-playbook took longer than %d s; stopped" % RUN_TIMEOUT_S)
                time.sleep(0.02)
        seconds = time.monotonic() - started
        exited = time.time()
        process.returncode = os.waitstatus_to_exitcode(status)
        after = self.sim.stats("xswitch")
        with open(os.path.join(self.workdir, "last-run.log"), encoding="utf-8") as out:
            output = out.read()
        if process.returncode != 0:
            sys.exit("ansible-playbook failed (exit %d):\n%s"
                     % (process.returncode, output[-4000:]))
        recap = [line for line in output.splitlines() if line.startswith("localhost ")]
        changed = int(recap[-1].split("changed=")[1].split()[0]) if recap else -1
        methods, routes = by_method(before, after)
        modules = []
        if measure_rss and os.path.exists(self.rss_log):
            with open(self.rss_log, encoding="utf-8") as handle:
                modules = [json.loads(line) for line in handle if line.strip()]
        phases = []
        if os.path.exists(self.timer_log):
            with open(self.timer_log, encoding="utf-8") as handle:
                events = [json.loads(line) for line in handle if line.strip()]
            marks = {e["event"]: e["time"] for e in events if "event" in e}
            if "playbook_start" in marks:
                phases.append(("start-up", marks["playbook_start"] - launched))
            phases.extend((short_task(e["task"]), e["end"] - e["start"])
                          for e in events if "task" in e)
            if "stats" in marks:
                phases.append(("exit", exited - marks["stats"]))
        return {
            "phases": phases,
            "wall_s": seconds, "methods": methods, "routes": routes,
            "writes": after["writes"] - before["writes"],
            "changed_tasks": changed, "modules": modules,
            "module_rss_mb": max((m["rss_kb"] for m in modules), default=0) / 1024.0,
            # ansible-playbook and everything it waited for (workers, modules): from wait4.
            "tree_rss_mb": usage.ru_maxrss / 1024.0,
        }

    def run_repeated(self, playbook, varsfile, times, measure_rss=True):
        """The same no-op ``times`` times: the run with the median wall time, plus every
        wall time (the machine may be shared, so one run alone can mislead)."""
        results = sorted((self.run(playbook, varsfile, measure_rss) for dummy in range(times)),
                         key=lambda result: result["wall_s"])
        median = dict(results[(len(results) - 1) // 2])
        median["all_wall_s"] = [result["wall_s"] for result in results]
        median["module_rss_mb"] = max(result["module_rss_mb"] for result in results)
        median["tree_rss_mb"] = max(result["tree_rss_mb"] for result in results)
        median["writes"] = max(result["writes"] for result in results)
        return median


def verdict(ok):
    return "met" if ok else "NOT MET"


def short_task(name):
    """A task's name without its role prefix, cut at the first comma."""
    name = name.rsplit(" : ", 1)[-1].split(",")[0]
    return "argument check" if name.startswith("Validating arguments") else name


def module_breakdown(modules):
    parts = []
    for entry in modules:
        name = entry["module"].replace("AnsiballZ_", "").replace(".py", "")
        parts.append("%s %.2fs/%.0fMB" % (name, entry["seconds"], entry["rss_kb"] / 1024.0))
    return ", ".join(parts)


def print_row(label, result, checks):
    m = result["methods"]
    rss = ("%5.1f MB" % result["module_rss_mb"]) if result["modules"] else "  n/a   "
    print("  %-14s %7.2f s  GET %5d  POST %5d  PUT %5d  DELETE %4d  module RSS %s"
          "  (ansible-playbook tree %5.1f MB)"
          % (label, result["wall_s"], m["GET"], m["POST"], m["PUT"], m["DELETE"],
             rss, result["tree_rss_mb"]))
    if len(result.get("all_wall_s", ())) > 1:
        print("  %-14s median of %d runs: %s s" % ("", len(result["all_wall_s"]), ", ".join(
            "%.2f" % wall for wall in result["all_wall_s"])))
    if result.get("phases"):
        print("  %-14s controller: %s" % ("", ", ".join(
            "%s %.2fs" % (name, secs) for name, secs in result["phases"] if secs >= 0.05)))
    if result["modules"]:
        print("  %-14s module runs: %s" % ("", module_breakdown(result["modules"])))
    for text, ok in checks:
        print("  %-14s %-7s %s" % ("", verdict(ok), text))


def parse_sizes(agents, queues):
    """[(agents, queues), ...] from two lists paired in order; queues default to agents / 20."""
    agent_counts = parse_numbers(agents, "--agents", 1, 10 ** 6)
    queue_counts = parse_numbers(queues, "--queues", 1, 10 ** 6) if queues.strip() else []
    sizes = {(a, queue_counts[i] if i < len(queue_counts) else max(1, a // 20))
             for i, a in enumerate(agent_counts)}
    if not sizes or any(a < 1 or q < 1 for a, q in sizes):
        sys.exit("center sizes must be positive: --agents %r --queues %r" % (agents, queues))
    return sorted(sizes)


def parse_size(text):
    agents, dummy, queues = text.partition("/")
    return int(agents), int(queues or max(1, int(agents) // 20))


def chart(rows, path):
    """Left: wall time against center size at 0 ms (first converge, no-op, the start-up
    floor). Middle: the first size against the latency added per request, per pool size.
    Right: the uri comparison's two no-ops at 0 ms, side by side."""
    import matplotlib  # pylint: disable=import-outside-toplevel
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel

    center = [r for r in rows if r["part"] == "center"]
    uri_rows = [r for r in rows if r["part"] == "uri comparison" and r["latency_ms"] == 0]
    latencies = sorted({r["latency_ms"] for r in center})
    panels = 1 + (len(latencies) > 1) + bool(uri_rows)
    fig, axes = plt.subplots(1, panels, figsize=(5 + 4 * (panels - 1), 4.4), dpi=110,
                             squeeze=False)
    axes = list(axes[0])
    ax = axes.pop(0)
    zero = [r for r in center if r["latency_ms"] == 0]
    for step, marker, color in (("first converge", "o", "tab:blue"), ("no-op", "s", "tab:orange")):
        points = sorted((r["agents"], r["wall_s"]) for r in zero if r["step"] == step)
        ax.plot([p[0] for p in points], [p[1] for p in points], marker=marker, label=step,
                color=color)
        for agents, wall in points:
            ax.annotate("%.1f s" % wall, (agents, wall), textcoords="offset points",
                        xytext=(7, -3), fontsize=8)
        targets = sorted((r["agents"], r["wall_target_s"]) for r in zero
                         if r["step"] == step and r.get("wall_target_s") not in (None, ""))
        ax.plot([t[0] for t in targets], [t[1] for t in targets], marker="_", markersize=22,
                markeredgewidth=2, linestyle="none", color=color, alpha=0.45,
                label="%s target" % step)
    for r in rows:
        if r["part"] == "floor":
            ax.axhline(r["wall_s"], color="grey", linestyle=":", linewidth=1,
                       label="start-up floor (a play with no task)")
    sizes = sorted({(r["agents"], r["queues"]) for r in zero})
    ax.set_xticks([size[0] for size in sizes])
    ax.set_xticklabels(["%d/%d" % size for size in sizes], fontsize=8)
    ax.set_xlabel("center size: agents/queues (100 members, 10 parameters per queue)",
                  fontsize=9)
    ax.set_ylabel("wall time of one ansible-playbook run (s)", fontsize=9)
    ax.set_title("xswitch_center role, 0 ms added", fontsize=10)
    ax.set_xlim(left=0, right=max(size[0] for size in sizes) * 1.15)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    if len(latencies) > 1:
        ax = axes.pop(0)
        first_size = min(sizes)
        pools = sorted({str(r["max_concurrent_writes"]) for r in center})
        for pool in pools:
            for step, marker in (("first converge", "o"), ("no-op", "s")):
                # 0 ms runs with one pool only: every pool's line starts at that point.
                points = sorted((r["latency_ms"], r["wall_s"]) for r in center
                                if (r["agents"], r["queues"]) == first_size and r["step"] == step
                                and (r["latency_ms"] == 0
                                     or str(r["max_concurrent_writes"]) == pool))
                ax.plot([p[0] for p in points], [p[1] for p in points], marker=marker,
                        label="%s, pool %s" % (step, pool or "4"))
                for latency_ms, wall in points:
                    ax.annotate("%.1f" % wall, (latency_ms, wall), textcoords="offset points",
                                xytext=(5, 3), fontsize=7)
        ax.set_xticks(latencies)
        ax.set_xlabel("milliseconds added to every request", fontsize=9)
        ax.set_ylabel("wall time (s)", fontsize=9)
        ax.set_title("%d/%d against latency" % first_size, fontsize=10)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    if uri_rows:
        ax = axes.pop(0)
        labels = ["xswitch_center\nrole" if r["playbook"] == "xswitch_center"
                  else "ansible.builtin.uri\nplaybook" for r in uri_rows]
        walls = [r["wall_s"] for r in uri_rows]
        bars = ax.bar(labels, walls, color=["tab:orange" if r["playbook"] == "xswitch_center"
                                            else "tab:red" for r in uri_rows])
        for column, r in zip(bars, uri_rows):
            ax.annotate("%.1f s, %d GET" % (r["wall_s"], r["GET"]),
                        (column.get_x() + column.get_width() / 2, column.get_height()),
                        textcoords="offset points", xytext=(0, 3), ha="center", fontsize=8)
        ax.set_title("no-op, %d agents / %d queues, 0 ms"
                     % (uri_rows[0]["agents"], uri_rows[0]["queues"]), fontsize=10)
        ax.set_ylabel("wall time (s)", fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_ylim(0, max(walls) * 1.15)
        ax.grid(True, axis="y", alpha=0.3)
    fig.suptitle("telephony.callcenter against its simulator on 127.0.0.1 "
                 "(2 CPUs, shared: load average %.1f to %.1f)"
                 % (min(r["load_1min_start"] for r in rows),
                    max(r["load_1min_end"] for r in rows)), fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def read_csv(path):
    """The rows of a center.csv, numbers as numbers (for --replot)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for key, value in row.items():
            if key in ("part", "playbook", "step", "met", "wall_runs_s") or value == "":
                continue
            number = float(value)
            row[key] = int(number) if number.is_integer() and "." not in value else number
    return rows


def parse_numbers(text, name, low, high):
    try:
        numbers = [int(n) for n in text.replace(",", " ").split()]
    except ValueError:
        numbers = []
    if not numbers or any(not low <= n <= high for n in numbers):
        sys.exit("%s takes whole numbers from %d to %d: %r" % (name, low, high, text))
    return numbers


class Bench:
    """The runs of one benchmark, their printed lines and their CSV rows."""

    def __init__(self, sim, runner, workdir, repeat, vars_format):
        self.sim = sim
        self.runner = runner
        self.workdir = workdir
        self.repeat = repeat
        self.vars_format = vars_format
        self.rows = []
        self.floor = None
        self.noops = {}       # (agents, queues, latency_ms, pool) -> the no-op's result

    def prepare(self, agents, queues, latency_ms, pool):
        """An empty simulator with the latency fault, and the role's variables file."""
        self.sim.reset("xswitch")
        if latency_ms:
            self.sim.faults("xswitch", route=API_ROUTES, latency=latency_ms / 1000.0)
        varsfile = os.path.join(self.workdir, "center-%d-%d-%s.%s"
                                % (agents, queues, pool, self.vars_format))
        write_vars(varsfile, center_vars(agents, queues, pool), self.vars_format)
        return varsfile

    def measure_floor(self):
        empty = os.path.join(self.workdir, "empty.yml")
        write_yaml(empty, [{"name": "Nothing", "hosts": "localhost", "gather_facts": False,
                            "tasks": []}])
        self.floor = self.runner.run_repeated(empty, self.runner.playbook_vars_none,
                                              self.repeat, False)
        print("\nansible-playbook floor (a play with no task): %.2f s (runs: %s s)"
              % (self.floor["wall_s"], ", ".join("%.2f" % w for w in self.floor["all_wall_s"])))
        self.rows.append(dict(part="floor", playbook="(empty play)", step="start-up",
                              agents=0, queues=0, latency_ms=0, wall_s=self.floor["wall_s"],
                              wall_runs_s=runs_text(self.floor),
                              tree_rss_mb=self.floor["tree_rss_mb"]))

    def warm_up(self):
        """One uncounted run of the role on a small center, then an empty simulator again:
        the first run after the simulator and the staged collection are new was seen to be
        slower than the same run after it, and that is not what a size should be judged by."""
        varsfile = self.prepare(10, 1, 0, None)
        seconds = self.runner.run(self.runner.playbook, varsfile)["wall_s"]
        self.sim.reset("xswitch")
        print("warm-up, the role on 10 agents / 1 queue (not counted): %.2f s" % seconds)

    def measure_center(self, agents, queues, latency_ms, pool):
        varsfile = self.prepare(agents, queues, latency_ms, pool)
        counts = center_counts(agents, queues)
        least, parts = min_reads(agents, queues)
        first_target, noop_target = wall_targets(agents, latency_ms)
        print("\n%d agents, %d queues, %d memberships, %d parameters; %d ms added per request,"
              " max_concurrent_writes %s"
              % (agents, queues, counts["memberships"], counts["parameters"], latency_ms,
                 "default (4)" if pool is None else pool))
        first = self.runner.run(self.runner.playbook, varsfile)
        checks = [("module peak RSS %.1f MB <= %.0f MB" % (first["module_rss_mb"], RSS_TARGET_MB),
                   first["module_rss_mb"] <= RSS_TARGET_MB)]
        if first_target is not None:
            checks.insert(0, ("wall %.2f s <= %.1f s" % (first["wall_s"], first_target),
                              first["wall_s"] <= first_target))
        print_row("first converge", first, checks)
        self.add_center_row("first converge", first, agents, queues, latency_ms, pool,
                            first_target, checks)
        print("  %-14s first converge requests by route: %s" % ("", ", ".join(
            "%s %d" % (route, count) for route, count in sorted(first["routes"].items()))))

        noop = self.runner.run_repeated(self.runner.playbook, varsfile, self.repeat)
        self.noops[(agents, queues, latency_ms, pool)] = noop
        reads = noop["methods"]["GET"]
        checks = [
            ("writes %d = 0 (changed tasks %d)" % (noop["writes"], noop["changed_tasks"]),
             noop["writes"] == 0),
            ("reads %d <= %.1f = 1.1 x minimum %d (%s)" % (
                reads, READS_FACTOR * least, least,
                " + ".join("%d %s" % (v, k) for k, v in parts.items())),
             reads <= READS_FACTOR * least),
            ("module peak RSS %.1f MB <= %.0f MB" % (noop["module_rss_mb"], RSS_TARGET_MB),
             noop["module_rss_mb"] <= RSS_TARGET_MB)]
        if noop_target is not None:
            checks.insert(0, ("wall %.2f s <= %.1f s" % (noop["wall_s"], noop_target),
                              noop["wall_s"] <= noop_target))
        excess, baseline_name = TARGETS.get(latency_ms, (None,) * 4)[2:]
        baseline = self.baseline(agents, queues, latency_ms)
        if excess is not None and agents == REFERENCE_AGENTS and baseline is not None:
            checks.insert(1, ("wall %.2f s <= %.2f s = %s %.2f s + %.1f s" % (
                noop["wall_s"], baseline + excess, baseline_name, baseline, excess),
                noop["wall_s"] <= baseline + excess))
        print_row("no-op", noop, checks)
        self.add_center_row("no-op", noop, agents, queues, latency_ms, pool, noop_target,
                            checks, least)
        print("  %-14s no-op reads by route: %s" % ("", ", ".join(
            "%s %d" % (route, count) for route, count in sorted(noop["routes"].items()))))
        if latency_ms == 0 and self.vars_format != "yaml":
            self.measure_yaml_noop(agents, queues, pool)

    def measure_yaml_noop(self, agents, queues, pool):
        """The same no-op with the variables in YAML, as a figure without a target: what
        reading them from YAML costs ansible-core."""
        varsfile = os.path.join(self.workdir, "center-%d-%d-%s.yml" % (agents, queues, pool))
        write_vars(varsfile, center_vars(agents, queues, pool), "yaml")
        noop = self.runner.run_repeated(self.runner.playbook, varsfile, self.repeat)
        print_row("no-op (YAML)", noop, [("writes %d = 0" % noop["writes"], noop["writes"] == 0)])
        self.add_center_row("no-op, variables in YAML", noop, agents, queues, 0, pool, None,
                            [("writes", noop["writes"] == 0)])

    def baseline(self, agents, queues, latency_ms):
        """What a no-op at this latency is compared with: the empty play at 0 ms, else the
        same center's no-op at 0 ms (a size runs at 0 ms with one pool only)."""
        if latency_ms == 0:
            return self.floor["wall_s"]
        zero = [noop for key, noop in self.noops.items() if key[:3] == (agents, queues, 0)]
        return zero[0]["wall_s"] if zero else None

    def add_center_row(self, step, result, agents, queues, latency_ms, pool, target_s,
                       checks, least=""):
        self.rows.append(dict(
            part="center", playbook="xswitch_center", step=step, agents=agents, queues=queues,
            latency_ms=latency_ms, max_concurrent_writes=pool or "",
            wall_s=result["wall_s"], **center_counts(agents, queues),
            wall_runs_s=runs_text(result), wall_target_s="" if target_s is None else target_s,
            **result["methods"], writes=result["writes"],
            min_reads=least if step == "no-op" else "",
            module_rss_mb=result["module_rss_mb"], tree_rss_mb=result["tree_rss_mb"],
            module_runs=len(result["modules"]),
            met="yes" if all(ok for dummy, ok in checks) else "no"))

    def scaling(self, sizes, pool):
        base = sizes[0]
        print("\nScaling of the no-op (0 ms) against %d/%d" % base)
        for size in sizes[1:]:
            factor = size[0] / base[0]
            ratio = self.noops[size + (0, pool)]["wall_s"] / self.noops[base + (0, pool)]["wall_s"]
            limit = SCALING_SLACK * factor
            print("  %d/%d: %.2f s / %.2f s = %.2f x  <= %.2f x (%.1f x the center)  %s"
                  % (size[0], size[1], self.noops[size + (0, pool)]["wall_s"],
                     self.noops[base + (0, pool)]["wall_s"], ratio, limit, factor,
                     verdict(ratio <= limit)))
            for row in self.rows:
                if ((row["agents"], row["queues"]) == size and row["step"] == "no-op"
                        and row["part"] == "center" and row["latency_ms"] == 0):
                    row["scaling_x"] = round(ratio, 3)
                    row["scaling_target_x"] = round(limit, 3)
                    if ratio > limit:
                        row["met"] = "no"

    def uri_comparison(self, agents, queues, latency_ms, uri_repeat):
        """The no-op of the role and of benchmarks/uri_center.yml on the same center."""
        print("\nansible.builtin.uri playbook (benchmarks/uri_center.yml) against the "
              "collection, no-op of %d agents / %d queues, %d ms added per request"
              % (agents, queues, latency_ms))
        varsfile = self.prepare(agents, queues, latency_ms, None)
        self.runner.run(self.runner.playbook, varsfile)
        small = self.runner.run_repeated(self.runner.playbook, varsfile, self.repeat)
        print_row("collection", small, [
            ("writes %d = 0" % small["writes"], small["writes"] == 0)])
        # The uri playbook runs with the plain interpreter: the RSS wrapper would add one
        # Python start to each of its per-object module runs.
        uri = self.runner.run_repeated(os.path.join(REPO, "benchmarks", "uri_center.yml"),
                                       varsfile, uri_repeat, measure_rss=False)
        print_row("uri", uri, [("writes %d = 0" % uri["writes"], uri["writes"] == 0)])
        ratio = uri["wall_s"] / small["wall_s"]
        print("  uri %.2f s / collection %.2f s = %.1f x  >= %.0f x  %s"
              % (uri["wall_s"], small["wall_s"], ratio, URI_RATIO_TARGET,
                 verdict(ratio >= URI_RATIO_TARGET)))
        for label, result in (("xswitch_center", small), ("ansible.builtin.uri", uri)):
            self.rows.append(dict(
                part="uri comparison", playbook=label, step="no-op", agents=agents,
                queues=queues, latency_ms=latency_ms,
                wall_s=result["wall_s"], **center_counts(agents, queues),
                wall_runs_s=runs_text(result), **result["methods"], writes=result["writes"],
                module_rss_mb=result["module_rss_mb"] if label != "ansible.builtin.uri" else "",
                tree_rss_mb=result["tree_rss_mb"], module_runs=len(result["modules"]) or "",
                uri_over_collection_x=round(ratio, 2),
                met=("yes" if ratio >= URI_RATIO_TARGET else "no")
                if label == "ansible.builtin.uri" else ""))


def runs_text(result):
    return " ".join("%.2f" % w for w in result.get("all_wall_s", []))


def print_table(rows):
    """The center's figures by latency, as the performance guide shows them."""
    center = [r for r in rows if r["part"] == "center"]
    uri = {r["latency_ms"]: r for r in rows
           if r["part"] == "uri comparison" and r["playbook"] == "ansible.builtin.uri"}
    print("\n%-12s %-8s %-6s %-16s %-16s %-13s %s" % (
        "center", "latency", "pool", "first converge", "no-op", "no-op (YAML)",
        "uri / collection (%s)" % ", ".join(sorted({"%d/%d" % (r["agents"], r["queues"])
                                                   for r in uri.values()}))))
    keys = sorted({(r["agents"], r["queues"], r["latency_ms"], str(r["max_concurrent_writes"]))
                   for r in center})
    for agents, queues, latency_ms, pool in keys:
        cells = {}
        for r in center:
            if (r["agents"], r["queues"], r["latency_ms"], str(r["max_concurrent_writes"])) \
                    == (agents, queues, latency_ms, pool):
                target = ("<= %.1f" % r["wall_target_s"]) if r["wall_target_s"] != "" else ""
                cells[r["step"]] = "%6.2f s %s" % (r["wall_s"], target)
        ratio = uri.get(latency_ms)
        print("%-12s %-8s %-6s %-16s %-16s %-13s %s" % (
            "%d/%d" % (agents, queues), "%d ms" % latency_ms, pool or "4",
            cells.get("first converge", ""), cells.get("no-op", ""),
            cells.get("no-op, variables in YAML", ""),
            "%.1f x" % ratio["uri_over_collection_x"] if ratio else ""))


def write_csv(rows, path):
    columns = ["part", "playbook", "step", "agents", "queues", "latency_ms",
               "max_concurrent_writes", "memberships", "parameters", "wall_s", "wall_runs_s",
               "wall_target_s", "GET", "POST", "PUT", "DELETE", "writes", "min_reads",
               "module_rss_mb", "tree_rss_mb", "module_runs", "scaling_x", "scaling_target_x",
               "uri_over_collection_x", "met", "load_1min_start", "load_1min_end"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            row = dict(row)
            for key in ("wall_s", "module_rss_mb", "tree_rss_mb", "wall_target_s"):
                if isinstance(row.get(key), float):
                    row[key] = round(row[key], 3 if key == "wall_s" else 1)
            writer.writerow(row)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--agents", default="1000 10000",
                        help="agent counts, spaces or commas (default: 1000 10000)")
    parser.add_argument("--queues", default="",
                        help="queue counts paired with --agents in order (default: agents / 20)")
    parser.add_argument("--latency", default="0 20 100",
                        help="milliseconds added to every API request, for the first size and "
                             "the uri comparison (default: 0 20 100); other sizes run at 0")
    parser.add_argument("--pools", default="default",
                        help="max_concurrent_writes values to run the latencies with "
                             "('default': the collection's own; e.g. 'default 10')")
    parser.add_argument("--uri", default="200/10",
                        help="AGENTS/QUEUES of the ansible.builtin.uri comparison; "
                             "'none' skips it")
    parser.add_argument("--repeat", type=int, default=3,
                        help="no-op runs of the role per size; the median is reported")
    parser.add_argument("--uri-repeat", type=int, default=1,
                        help="no-op runs of the uri playbook; the median is reported")
    parser.add_argument("--vars-format", choices=("json", "yaml"), default="json",
                        help="the format of the role's variables file (default: json; with "
                             "json, each size's no-op at 0 ms also runs from YAML)")
    parser.add_argument("--out", default=os.path.join(REPO, "build", "bench"))
    parser.add_argument("--replot", action="store_true",
                        help="only draw OUT/center.png again from OUT/center.csv")
    args = parser.parse_args()
    if args.replot:
        chart(read_csv(os.path.join(args.out, "center.csv")),
              os.path.join(args.out, "center.png"))
        return
    if not 1 <= args.repeat <= 9 or not 1 <= args.uri_repeat <= 9:
        sys.exit("--repeat and --uri-repeat take 1 to 9")
    sizes = parse_sizes(args.agents, args.queues)
    latencies = parse_numbers(args.latency, "--latency", 0, 1000)
    pools = [None if p == "default" else parse_numbers(p, "--pools", 1, 10)[0]
             for p in args.pools.replace(",", " ").split()] or [None]
    collections = os.path.abspath(os.environ.get("CALLCENTER_COLLECTIONS_PATH",
                                                 os.path.join(REPO, "build", "collections")))
    os.makedirs(args.out, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="callcenter-bench-")
    load_start = os.getloadavg()
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO,
                            capture_output=True, text=True, check=False).stdout.strip()
    print("Whole-center benchmark: telephony.callcenter.xswitch_center against the simulator "
          "on 127.0.0.1")
    print("  collection: %s (work tree %s), %d CPUs, load average at start %.2f %.2f %.2f"
          % (collections, commit or "?", os.cpu_count(), *load_start))
    try:
        with Simulator(env={"SIM_QUIET": "1"}) as sim:
            bench = Bench(sim, Runner(sim, workdir, collections), workdir, args.repeat,
                          args.vars_format)
            bench.measure_floor()
            bench.warm_up()
            for latency_ms in sorted(set(latencies) | {0}):
                for pool in pools if latency_ms else pools[:1]:
                    bench.measure_center(sizes[0][0], sizes[0][1], latency_ms, pool)
            for agents, queues in sizes[1:]:
                bench.measure_center(agents, queues, 0, pools[0])
            if len(sizes) > 1:
                bench.scaling(sizes, pools[0])
            if args.uri != "none":
                uri_agents, uri_queues = parse_size(args.uri)
                for latency_ms in sorted(set(latencies) | {0}):
                    bench.uri_comparison(uri_agents, uri_queues, latency_ms, args.uri_repeat)
            rows = bench.rows
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    load_end = os.getloadavg()
    print("\nload average at end %.2f %.2f %.2f (%d CPUs; other jobs may share the machine)"
          % (*load_end, os.cpu_count()))
    rows = [dict(row, load_1min_start=round(load_start[0], 2),
                 load_1min_end=round(load_end[0], 2)) for row in rows]
    print_table(rows)
    csv_path = os.path.join(args.out, "center.csv")
    write_csv(rows, csv_path)
    png_path = os.path.join(args.out, "center.png")
    chart(rows, png_path)
    print("wrote %s and %s" % (os.path.relpath(csv_path, REPO), os.path.relpath(png_path, REPO)))


if __name__ == "__main__":
    main()
