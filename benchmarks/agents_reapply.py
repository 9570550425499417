"""Benchmark: a center of N agents deployed with one xswitch_agent task, then re-applied.

Prints the wall time of each ansible-playbook run and the requests the simulator saw. The
target is a 1,000-agent center re-applied with no change in about 5 seconds.

    python benchmarks/agents_reapply.py [N]   (needs the staged collection: make stage)
"""

import os
import subprocess
import sys
import tempfile
import time

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from simulator.testing import Simulator  # noqa: E402 pylint: disable=wrong-import-position


def playbook(count):
    agents = [{"login": str(10000 + n), "name": "Agent %d" % n, "extn": str(10000 + n),
               "password": "Bench-Pw-%d" % n,
               "agent_info": {"status": "Available", "max_no_answer": 3}} for n in range(count)]
    return [{"name": "benchmark", "hosts": "localhost", "gather_facts": False,
             "tasks": [{"name": "agents", "telephony.callcenter.xswitch_agent": {"agents": agents}}]}]


def run(sim, book, collections):
    env = dict(os.environ, XSWITCH_URL=sim.xswitch_url, XSWITCH_TOKEN=sim.token,
               ANSIBLE_COLLECTIONS_PATH=collections)
    before = sim.stats("xswitch")
    started = time.monotonic()
    done = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,",
         "-c", "local", "-e", "ansible_python_interpreter=%s" % sys.executable, book],
        env=env, capture_output=True, text=True, timeout=600, check=False)
    seconds = time.monotonic() - started
    after = sim.stats("xswitch")
    if done.returncode != 0:
        sys.exit("ansible-playbook failed:\n" + done.stdout[-3000:])
    changed = "changed=1" in done.stdout
    return seconds, changed, after["total"] - before["total"], after["writes"] - before["writes"]


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    collections = os.environ.get("CALLCENTER_COLLECTIONS_PATH",
                                 os.path.join(REPO, "build", "collections"))
    book = os.path.join(tempfile.mkdtemp(prefix="callcenter-bench-"), "agents.yml")
    with open(book, "w", encoding="utf-8") as handle:
        yaml.safe_dump(playbook(count), handle)
    with Simulator(env={"SIM_QUIET": "1"}) as sim:
        print("%d agents, one xswitch_agent task" % count)
        for label in ("deploy", "re-apply", "re-apply"):
            seconds, changed, total, writes = run(sim, book, collections)
            print("%-9s %6.2f s  changed=%-5s requests=%-5d writes=%d"
                  % (label, seconds, changed, total, writes))


if __name__ == "__main__":
    main()
