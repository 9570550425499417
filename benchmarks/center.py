"""Benchmark: a whole call center deployed with the xswitch_center role, then re-applied.

Prints figures; it never fails on a slow figure (a target not met is printed as "NOT MET").
Everything runs against the bundled simulator on 127.0.0.1, started and stopped here.

First the start-up floor: ansible-playbook with a play that has no task. Then, for each center
size (agents/queues; 100 members and 10 CC parameters per queue):

  first converge  the role on an empty simulator (target: <= 30 s wall at 1,000 agents)
  no-op           the same playbook again, --repeat times, the median reported (targets:
                  <= 5 s wall at 1,000 agents; 0 writes; reads <= 1.1 x min_reads())

The 30 s / 5 s targets are stated for 1,000 agents: a smaller center gets the same, a larger
one gets them scaled linearly. Across sizes, each larger center's no-op is compared with the
smallest one's (target: <= 1.1 x the size ratio, i.e. 2.2 x for 2,000/100 against 1,000/50).
Last, the same no-op written with ansible.builtin.uri only (benchmarks/uri_center.yml: per
agent a GET, per queue a GET of its parameters and one of its members) at 200 agents / 10
queues, against the role (target: >= 40 x), compared two ways: the same center, and time per
object (an agent or a queue) of the uri playbook against the role's at each center size.

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

    python benchmarks/center.py [--agents "1000 2000" --queues "50 100"] [--uri 200/10]
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
FIRST_TARGET_S = 30.0       # first converge of the reference center
NOOP_TARGET_S = 5.0         # no-op of the reference center
READS_FACTOR = 1.1          # no-op reads <= 1.1 x the minimum
SCALING_SLACK = 1.1         # a no-op of k times the center takes <= 1.1 k times as long
RSS_TARGET_MB = 150.0
URI_RATIO_TARGET = 40.0
RUN_TIMEOUT_S = 1800        # one ansible-playbook run; the benchmark stops by itself


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


def center_vars(agents, queues):
    """The role's variables for a center of ``agents`` agents and ``queues`` queues."""
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
    }


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
    agent_counts = [int(a) for a in agents.replace(",", " ").split()]
    queue_counts = [int(q) for q in queues.replace(",", " ").split()]
    sizes = {(a, queue_counts[i] if i < len(queue_counts) else max(1, a // 20))
             for i, a in enumerate(agent_counts)}
    if not sizes or any(a < 1 or q < 1 for a, q in sizes):
        sys.exit("center sizes must be positive: --agents %r --queues %r" % (agents, queues))
    return sorted(sizes)


def parse_size(text):
    agents, dummy, queues = text.partition("/")
    return int(agents), int(queues or max(1, int(agents) // 20))


def chart(rows, path):
    """Left: wall time against center size (first converge, no-op, the start-up floor).
    Right: the uri comparison's two no-ops, side by side."""
    import matplotlib  # pylint: disable=import-outside-toplevel
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel

    uri_rows = [r for r in rows if r["part"] == "uri comparison"]
    fig, axes = plt.subplots(1, 2 if uri_rows else 1, figsize=(10, 4.4), dpi=110,
                             gridspec_kw={"width_ratios": [2.2, 1]} if uri_rows else None,
                             squeeze=False)
    ax = axes[0][0]
    center = [r for r in rows if r["part"] == "center"]
    for step, marker in (("first converge", "o"), ("no-op", "s")):
        points = sorted((r["agents"], r["wall_s"]) for r in center if r["step"] == step)
        ax.plot([p[0] for p in points], [p[1] for p in points], marker=marker, label=step)
        for agents, wall in points:
            ax.annotate("%.1f s" % wall, (agents, wall), textcoords="offset points",
                        xytext=(7, -3), fontsize=8)
    for step, color in (("first converge", "tab:blue"), ("no-op", "tab:orange")):
        targets = sorted((r["agents"], r["wall_target_s"]) for r in center
                         if r["step"] == step and r.get("wall_target_s") not in (None, ""))
        ax.plot([t[0] for t in targets], [t[1] for t in targets], marker="_", markersize=22,
                markeredgewidth=2, linestyle="none", color=color, alpha=0.45,
                label="%s target" % step)
    for r in rows:
        if r["part"] == "floor":
            ax.axhline(r["wall_s"], color="grey", linestyle=":", linewidth=1,
                       label="start-up floor (a play with no task)")
    sizes = sorted({(r["agents"], r["queues"]) for r in center})
    ax.set_xticks([size[0] for size in sizes])
    ax.set_xticklabels(["%d/%d" % size for size in sizes], fontsize=8)
    ax.set_xlabel("center size: agents/queues (100 members, 10 parameters per queue)",
                  fontsize=9)
    ax.set_ylabel("wall time of one ansible-playbook run (s)", fontsize=9)
    ax.set_title("xswitch_center role", fontsize=10)
    ax.set_xlim(left=0, right=max(size[0] for size in sizes) * 1.15)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    if uri_rows:
        ax = axes[0][1]
        labels = ["xswitch_center\nrole" if r["playbook"] == "xswitch_center"
                  else "ansible.builtin.uri\nplaybook" for r in uri_rows]
        walls = [r["wall_s"] for r in uri_rows]
        bars = ax.bar(labels, walls, color=["tab:orange" if r["playbook"] == "xswitch_center"
                                            else "tab:red" for r in uri_rows])
        for column, r in zip(bars, uri_rows):
            ax.annotate("%.1f s, %d GET" % (r["wall_s"], r["GET"]),
                        (column.get_x() + column.get_width() / 2, column.get_height()),
                        textcoords="offset points", xytext=(0, 3), ha="center", fontsize=8)
        ax.set_title("no-op, %d agents / %d queues"
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--agents", default="1000 2000",
                        help="agent counts, spaces or commas (default: 1000 2000)")
    parser.add_argument("--queues", default="",
                        help="queue counts paired with --agents in order (default: agents / 20)")
    parser.add_argument("--uri", default="200/10",
                        help="AGENTS/QUEUES of the ansible.builtin.uri comparison; "
                             "'none' skips it")
    parser.add_argument("--repeat", type=int, default=3,
                        help="no-op runs of the role per size; the median is reported")
    parser.add_argument("--uri-repeat", type=int, default=1,
                        help="no-op runs of the uri playbook; the median is reported")
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
    rows = []
    noop_by_size = {}
    try:
        with Simulator(env={"SIM_QUIET": "1"}) as sim:
            runner = Runner(sim, workdir, collections)
            empty = os.path.join(workdir, "empty.yml")
            write_yaml(empty, [{"name": "Nothing", "hosts": "localhost", "gather_facts": False,
                                "tasks": []}])
            floor = runner.run_repeated(empty, runner.playbook_vars_none, args.repeat, False)
            print("\nansible-playbook floor (a play with no task): %.2f s (runs: %s s)"
                  % (floor["wall_s"], ", ".join("%.2f" % w for w in floor["all_wall_s"])))
            rows.append(dict(part="floor", playbook="(empty play)", step="start-up",
                             agents=0, queues=0, wall_s=floor["wall_s"],
                             wall_runs_s=" ".join("%.2f" % w for w in floor["all_wall_s"]),
                             tree_rss_mb=floor["tree_rss_mb"]))
            for agents, queues in sizes:
                sim.reset("xswitch")
                varsfile = os.path.join(workdir, "center-%d-%d.yml" % (agents, queues))
                write_yaml(varsfile, center_vars(agents, queues))
                members = queues * min(MEMBERS_PER_QUEUE, agents)
                params = queues * len(queue_params(0))
                # The 30 s / 5 s targets are stated for 1,000 agents: a smaller center gets the
                # same, a larger one gets them scaled linearly with its agents.
                scale = max(1.0, agents / REFERENCE_AGENTS)
                least, parts = min_reads(agents, queues)
                print("\n%d agents, %d queues, %d memberships, %d parameters"
                      % (agents, queues, members, params))
                first = runner.run(runner.playbook, varsfile)
                first_target = FIRST_TARGET_S * scale
                print_row("first converge", first, [
                    ("wall %.2f s <= %.1f s%s" % (
                        first["wall_s"], first_target,
                        " (30 s x %.1f, the size)" % scale if scale != 1 else ""),
                     first["wall_s"] <= first_target),
                    ("module peak RSS %.1f MB <= %.0f MB" % (first["module_rss_mb"], RSS_TARGET_MB),
                     first["module_rss_mb"] <= RSS_TARGET_MB)])
                print("  %-14s first converge requests by route: %s" % ("", ", ".join(
                    "%s %d" % (route, count) for route, count in sorted(first["routes"].items()))))
                noop = runner.run_repeated(runner.playbook, varsfile, args.repeat)
                noop_by_size[(agents, queues)] = noop
                noop_target = NOOP_TARGET_S * scale
                reads = noop["methods"]["GET"]
                print_row("no-op", noop, [
                    ("wall %.2f s <= %.1f s%s" % (
                        noop["wall_s"], noop_target,
                        " (5 s x %.1f, the size)" % scale if scale != 1 else ""),
                     noop["wall_s"] <= noop_target),
                    ("writes %d = 0 (changed tasks %d)" % (noop["writes"], noop["changed_tasks"]),
                     noop["writes"] == 0),
                    ("reads %d <= %.1f = 1.1 x minimum %d (%s)" % (
                        reads, READS_FACTOR * least, least,
                        " + ".join("%d %s" % (v, k) for k, v in parts.items())),
                     reads <= READS_FACTOR * least),
                    ("module peak RSS %.1f MB <= %.0f MB" % (noop["module_rss_mb"], RSS_TARGET_MB),
                     noop["module_rss_mb"] <= RSS_TARGET_MB)])
                print("  %-14s no-op reads by route: %s" % ("", ", ".join(
                    "%s %d" % (route, count) for route, count in sorted(noop["routes"].items()))))
                for step, result, target_s in (("first converge", first, first_target),
                                               ("no-op", noop, noop_target)):
                    rows.append(dict(
                        part="center", playbook="xswitch_center", step=step,
                        wall_runs_s=" ".join("%.2f" % w for w in result.get("all_wall_s", [])), agents=agents, queues=queues,
                        memberships=members, parameters=params, wall_s=result["wall_s"],
                        wall_target_s=target_s, **result["methods"], writes=result["writes"],
                        min_reads=least if step == "no-op" else "",
                        module_rss_mb=result["module_rss_mb"], tree_rss_mb=result["tree_rss_mb"],
                        module_runs=len(result["modules"]),
                        met="yes" if (result["wall_s"] <= target_s
                                      and result["module_rss_mb"] <= RSS_TARGET_MB
                                      and (step != "no-op" or (
                                          result["writes"] == 0
                                          and result["methods"]["GET"] <= READS_FACTOR * least)))
                        else "no"))

            if len(sizes) > 1:
                base = sizes[0]
                print("\nScaling of the no-op against %d/%d" % base)
                for size in sizes[1:]:
                    factor = size[0] / base[0]
                    ratio = noop_by_size[size]["wall_s"] / noop_by_size[base]["wall_s"]
                    limit = SCALING_SLACK * factor
                    print("  %d/%d: %.2f s / %.2f s = %.2f x  <= %.2f x (%.1f x the center)  %s"
                          % (size[0], size[1], noop_by_size[size]["wall_s"],
                             noop_by_size[base]["wall_s"], ratio, limit, factor,
                             verdict(ratio <= limit)))
                    for row in rows:
                        if ((row["agents"], row["queues"]) == size and row["step"] == "no-op"
                                and row["part"] == "center"):
                            row["scaling_x"] = round(ratio, 3)
                            row["scaling_target_x"] = round(limit, 3)
                            if ratio > limit:
                                row["met"] = "no"

            if args.uri != "none":
                uri_agents, uri_queues = parse_size(args.uri)
                print("\nansible.builtin.uri playbook (benchmarks/uri_center.yml) against the "
                      "collection, no-op of %d agents / %d queues" % (uri_agents, uri_queues))
                sim.reset("xswitch")
                varsfile = os.path.join(workdir, "center-%d-%d.yml" % (uri_agents, uri_queues))
                write_yaml(varsfile, center_vars(uri_agents, uri_queues))
                runner.run(runner.playbook, varsfile)
                small = runner.run_repeated(runner.playbook, varsfile, args.repeat)
                print_row("collection", small, [
                    ("writes %d = 0" % small["writes"], small["writes"] == 0)])
                # The uri playbook runs with the plain interpreter: the RSS wrapper would add one
                # Python start to each of its per-object module runs.
                uri = runner.run_repeated(os.path.join(REPO, "benchmarks", "uri_center.yml"),
                                          varsfile, args.uri_repeat, measure_rss=False)
                print_row("uri", uri, [("writes %d = 0" % uri["writes"], uri["writes"] == 0)])
                objects_small = uri_agents + uri_queues
                same_size = uri["wall_s"] / small["wall_s"]
                print("  objects = agents + queues (a queue: its parameters and its members)")
                print("  same center (%d/%d): uri %.2f s / collection %.2f s = %.1f x  >= %.0f x  %s"
                      % (uri_agents, uri_queues, uri["wall_s"], small["wall_s"], same_size,
                         URI_RATIO_TARGET, verdict(same_size >= URI_RATIO_TARGET)))
                uri_per_object = uri["wall_s"] / objects_small
                for agents, queues in sizes:
                    per_object = noop_by_size[(agents, queues)]["wall_s"] / (agents + queues)
                    ratio = uri_per_object / per_object
                    print("  per object: uri %.1f ms (%d/%d) / collection %.2f ms (%d/%d) = %.1f x"
                          "  >= %.0f x  %s" % (uri_per_object * 1000, uri_agents, uri_queues,
                                               per_object * 1000, agents, queues, ratio,
                                               URI_RATIO_TARGET,
                                               verdict(ratio >= URI_RATIO_TARGET)))
                    for row in rows:
                        if ((row["agents"], row["queues"]) == (agents, queues)
                                and row["step"] == "no-op" and row["part"] == "center"):
                            row["uri_per_object_x"] = round(ratio, 2)
                for label, result in (("xswitch_center", small), ("ansible.builtin.uri", uri)):
                    rows.append(dict(
                        part="uri comparison", playbook=label, step="no-op",
                        wall_runs_s=" ".join("%.2f" % w for w in result.get("all_wall_s", [])), agents=uri_agents, queues=uri_queues,
                        memberships=uri_queues * min(MEMBERS_PER_QUEUE, uri_agents),
                        parameters=uri_queues * len(queue_params(0)), wall_s=result["wall_s"],
                        **result["methods"], writes=result["writes"],
                        module_rss_mb=result["module_rss_mb"] if label != "ansible.builtin.uri"
                        else "", tree_rss_mb=result["tree_rss_mb"],
                        module_runs=len(result["modules"]) or "",
                        uri_over_collection_x=round(same_size, 2),
                        met=("yes" if same_size >= URI_RATIO_TARGET else "no")
                        if label == "ansible.builtin.uri" else ""))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    load_end = os.getloadavg()
    print("\nload average at end %.2f %.2f %.2f (%d CPUs; other jobs may share the machine)"
          % (*load_end, os.cpu_count()))
    columns = ["part", "playbook", "step", "agents", "queues", "memberships", "parameters",
               "wall_s", "wall_runs_s", "wall_target_s", "GET", "POST", "PUT", "DELETE", "writes", "min_reads",
               "module_rss_mb", "tree_rss_mb", "module_runs", "scaling_x", "scaling_target_x",
               "uri_over_collection_x", "uri_per_object_x", "met", "load_1min_start", "load_1min_end"]
    rows = [dict(row, load_1min_start=round(load_start[0], 2),
                 load_1min_end=round(load_end[0], 2)) for row in rows]
    csv_path = os.path.join(args.out, "center.csv")
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            row = dict(row)
            for key in ("wall_s", "module_rss_mb", "tree_rss_mb", "wall_target_s"):
                if isinstance(row.get(key), float):
                    row[key] = round(row[key], 3 if key == "wall_s" else 1)
            writer.writerow(row)
    png_path = os.path.join(args.out, "center.png")
    chart(rows, png_path)
    print("wrote %s and %s" % (os.path.relpath(csv_path, REPO), os.path.relpath(png_path, REPO)))


if __name__ == "__main__":
    main()
