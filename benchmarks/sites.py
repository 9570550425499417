"""Benchmark: many sites, each with its own PBX, deployed by one play (docs multisite.rst).

Prints figures; it never fails on a slow figure. It stops with an error when a run fails or a
site was not deployed as expected (no write on a first converge, a write on a no-op).

N simulators run on 127.0.0.1 (ports chosen by the OS), each its own process and SQLite file.
The inventory is laid out as docs/docsite/rst/multisite.rst shows: a group ``callcenters``
holding one group per site (site_01 ...), one host per site (pbx-01 ...), what every site
shares in group_vars/callcenters.yml (local connection, this Python, xswitch_center_connection
built from the site's variables) and each site's server, token and center (center_vars of
center.py: --agents agents, --queues queues) in group_vars/site_NN/vars.yml. The play runs
telephony.callcenter.xswitch_center on hosts callcenters with forks = N. Steps, each from empty
simulators for the first converge:

  one site    --limit site_01: first converge, then no-op
  all sites   every site at once: first converge, then no-op

Each step prints its wall time and the requests every simulator counted. A table of the four
steps and the ratio all sites / one site ends the output; its rows are appended to
OUT/sites.csv.

    python benchmarks/sites.py [--sites 10] [--agents 1000] [--queues 50] [--out build/bench]
    (needs a staged collection; `make bench` stages one and runs this after center.py)
"""

import argparse
import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# center.py puts the repository on sys.path for simulator.testing.
from center import (REPO, RUN_TIMEOUT_S, Simulator, by_method, center_vars, min_reads,
                    write_yaml)

RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)",
                   re.M)
CSV_COLUMNS = ["date", "commit", "sites", "agents", "queues", "step", "wall_s",
               "all_over_one_x", "GET", "POST", "PUT", "DELETE", "writes",
               "sites_deployed_ok", "load_1min_start", "load_1min_end"]


def site_name(index):
    return "site_%02d" % (index + 1)


def write_inventory(workdir, sims, agents, queues):
    """hosts.yml, group_vars/callcenters.yml and one group_vars/site_NN/vars.yml per site."""
    inventory = os.path.join(workdir, "inventory")
    sites = {site_name(i): {"hosts": {"pbx-%02d" % (i + 1): None}} for i in range(len(sims))}
    os.makedirs(os.path.join(inventory, "group_vars"))
    write_yaml(os.path.join(inventory, "hosts.yml"),
               {"all": {"children": {"callcenters": {"children": sites}}}})
    write_yaml(os.path.join(inventory, "group_vars", "callcenters.yml"), {
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
        "xswitch_center_connection": {"xswitch_url": "{{ site_xswitch_url }}",
                                      "xswitch_token": "{{ site_xswitch_token }}"}})
    center = center_vars(agents, queues)
    del center["xswitch_center_connection"]  # the group's, built from the site's URL/token
    for index, sim in enumerate(sims):
        group_dir = os.path.join(inventory, "group_vars", site_name(index))
        os.makedirs(group_dir)
        write_yaml(os.path.join(group_dir, "vars.yml"),
                   dict(site_xswitch_url=sim.xswitch_url, site_xswitch_token=sim.token, **center))
    playbook = os.path.join(workdir, "site.yml")
    write_yaml(playbook, [{"name": "Call centers of every site", "hosts": "callcenters",
                           "gather_facts": False,
                           "roles": [{"role": "telephony.callcenter.xswitch_center"}]}])
    return inventory, playbook


def run_playbook(workdir, collections, inventory, playbook, forks, limit=None):
    """One ansible-playbook run within RUN_TIMEOUT_S: wall time and the recap by host.
    A failed run stops the benchmark with the tail of its output (as center.py's Runner)."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR="1",
               ANSIBLE_FORKS=str(forks), ANSIBLE_PIPELINING="0")
    # Only the inventory says where each site's server is.
    for name in ("ANSIBLE_CONFIG", "XSWITCH_URL", "XSWITCH_TOKEN"):
        env.pop(name, None)
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
               "-i", inventory, playbook] + (["--limit", limit] if limit else [])
    log_path = os.path.join(workdir, "last-run.log")
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        # Its own process group, so that a run past the bound is stopped with its workers.
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, cwd=workdir,
                                   start_new_session=True)
        try:
            process.wait(timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            sys.exit("ansible-playbook took longer than %d s; stopped" % RUN_TIMEOUT_S)
    seconds = time.monotonic() - started
    with open(log_path, encoding="utf-8") as log:
        output = log.read()
    if process.returncode != 0:
        sys.exit("ansible-playbook failed (exit %d):\n%s" % (process.returncode, output[-4000:]))
    recap = {m.group(1): dict(zip(("ok", "changed", "unreachable", "failed"),
                                  map(int, m.groups()[1:]))) for m in RECAP.finditer(output)}
    return seconds, recap


class Sites:
    """The N simulators, the inventory, and the steps' printed lines and rows."""

    def __init__(self, sims, workdir, collections, agents, queues):
        self.sims = sims
        self.workdir = workdir
        self.collections = collections
        self.agents = agents
        self.queues = queues
        self.inventory, self.playbook = write_inventory(workdir, sims, agents, queues)
        self.first_writes = None  # writes of site_01's first converge alone
        self.rows = []
        self.failures = []

    def step(self, label, count, first):
        """Run the play on the first ``count`` sites (after emptying every simulator if
        ``first``), print the requests of every simulator and check each site's writes."""
        if first:
            for sim in self.sims:
                sim.reset("xswitch")
        before = [sim.stats("xswitch") for sim in self.sims]
        seconds, recap = run_playbook(self.workdir, self.collections, self.inventory,
                                      self.playbook, len(self.sims),
                                      site_name(0) if count == 1 else None)
        totals = {"GET": 0, "POST": 0, "PUT": 0, "DELETE": 0}
        writes, ok_sites = 0, 0
        least = min_reads(self.agents, self.queues)[0]
        print("\n%s, %s: %.2f s" % (label, "first converge" if first else "no-op", seconds))
        for index, (sim, start) in enumerate(zip(self.sims, before)):
            after = sim.stats("xswitch")
            methods = by_method(start, after)[0]
            site_writes = after["writes"] - start["writes"]
            host = recap.get("pbx-%02d" % (index + 1))
            for method, number in methods.items():
                totals[method] = totals.get(method, 0) + number
            writes += site_writes
            if index >= count:
                ok = sum(methods.values()) == 0  # not in the run: no request at all
            elif first:
                self.first_writes = self.first_writes or site_writes
                ok = host is not None and site_writes > 0 and site_writes == self.first_writes
            else:
                ok = host is not None and site_writes == 0 and host["changed"] == 0
            if ok and index < count:
                ok_sites += 1
            if not ok:
                self.failures.append("%s %s: %s" % (label, site_name(index), methods))
            print("  %s  GET %5d  POST %5d  PUT %4d  DELETE %4d  writes %5d  recap %s  %s" % (
                site_name(index), methods["GET"], methods["POST"], methods["PUT"],
                methods["DELETE"], site_writes,
                "changed=%(changed)d failed=%(failed)d" % host if host else "(not in the run)",
                "ok" if ok else "NOT OK"))
        if not first:
            print("  no-op reads per site: minimum %d (min_reads of center.py)" % least)
        self.rows.append(dict(sites=count, step="first converge" if first else "no-op",
                              wall_s=round(seconds, 3), **totals, writes=writes,
                              sites_deployed_ok="%d/%d" % (ok_sites, count)))

    def measure(self):
        # The first run after the simulators and the staged collection are new was seen to be
        # slower than the same run after it: one run of site_01 first, not counted.
        seconds = run_playbook(self.workdir, self.collections, self.inventory, self.playbook,
                               len(self.sims), site_name(0))[0]
        print("\nwarm-up, site_01 alone (not counted): %.2f s" % seconds)
        self.step("one site (--limit site_01)", 1, True)
        self.step("one site (--limit site_01)", 1, False)
        self.step("all %d sites" % len(self.sims), len(self.sims), True)
        self.step("all %d sites" % len(self.sims), len(self.sims), False)
        for row in self.rows[2:]:
            one = next(r for r in self.rows[:2] if r["step"] == row["step"])
            row["all_over_one_x"] = round(row["wall_s"] / one["wall_s"], 2)


def print_table(rows):
    print("\n%-6s %-15s %9s %12s %7s %7s %7s %9s" % (
        "sites", "step", "wall", "all / one", "GET", "POST", "writes", "sites ok"))
    for r in rows:
        ratio = ("%.2f x" % r["all_over_one_x"]) if "all_over_one_x" in r else ""
        print("%-6d %-15s %7.2f s %12s %7d %7d %7d %9s" % (
            r["sites"], r["step"], r["wall_s"], ratio, r["GET"], r["POST"], r["writes"],
            r["sites_deployed_ok"]))


def append_csv(rows, path):
    new = not os.path.exists(path)
    with open(path, "a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, restval="", lineterminator="\n")
        if new:
            writer.writeheader()
        writer.writerows(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sites", type=int, default=10, help="sites, one simulator each")
    parser.add_argument("--agents", type=int, default=1000, help="agents per site")
    parser.add_argument("--queues", type=int, default=50, help="queues per site")
    parser.add_argument("--out", default=os.path.join(REPO, "build", "bench"))
    args = parser.parse_args()
    if not 1 <= args.sites <= 50 or args.agents < 1 or args.queues < 1:
        sys.exit("--sites takes 1 to 50; --agents and --queues positive numbers")
    collections = os.path.abspath(os.environ.get("CALLCENTER_COLLECTIONS_PATH",
                                                 os.path.join(REPO, "build", "collections")))
    os.makedirs(args.out, exist_ok=True)
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO,
                            capture_output=True, text=True, check=False).stdout.strip()
    load_start = os.getloadavg()
    print("Many-sites benchmark: %d sites of %d agents / %d queues, one simulator each on "
          "127.0.0.1, forks %d" % (args.sites, args.agents, args.queues, args.sites))
    print("  collection: %s (work tree %s), %d CPUs, load average at start %.2f %.2f %.2f"
          % (collections, commit or "?", os.cpu_count(), *load_start))
    workdir = tempfile.mkdtemp(prefix="callcenter-sites-")
    sims = [Simulator(env={"SIM_QUIET": "1"}) for dummy in range(args.sites)]
    try:
        started = time.monotonic()
        for sim in sims:
            sim.start()
        print("  %d simulators ready in %.1f s" % (len(sims), time.monotonic() - started))
        sites = Sites(sims, workdir, collections, args.agents, args.queues)
        sites.measure()
    finally:
        for sim in sims:
            sim.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    load_end = os.getloadavg()
    print("\nload average at end %.2f %.2f %.2f (%d CPUs; other jobs may share the machine)"
          % (*load_end, os.cpu_count()))
    rows = [dict(row, date=time.strftime("%Y-%m-%dT%H:%M:%S"), commit=commit,
                 agents=args.agents, queues=args.queues,
                 load_1min_start=round(load_start[0], 2), load_1min_end=round(load_end[0], 2))
            for row in sites.rows]
    print_table(rows)
    csv_path = os.path.join(args.out, "sites.csv")
    append_csv(rows, csv_path)
    print("appended to %s" % csv_path)
    if sites.failures:
        sys.exit("sites not deployed as expected:\n  " + "\n  ".join(sites.failures))


if __name__ == "__main__":
    main()
