#!/usr/bin/env python
"""Run the collection's Molecule scenarios one by one and write a junit report.

Usage: scripts/run-molecule.py [SCENARIO ...]

Without arguments every scenario under extensions/molecule/ (a directory with a
molecule.yml) runs, each with ``molecule test -s NAME`` from the repository
root. Each scenario starts its own API simulator in its create step and stops it
in its destroy step; after the scenario this script also stops, by the pid the
scenario recorded in build/molecule/NAME/simulator.pid, a simulator that is
still running (a scenario that was interrupted), so none is left behind.

Writes build/reports/molecule.xml with one test case per scenario and each
scenario's output to build/reports/molecule/NAME.log. The exit status is
non-zero when a scenario failed or when there was none to run.

Expects the virtual environment's bin directory first on PATH and the
collection staged in build/collections (``make molecule`` does both).
"""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / 'extensions' / 'molecule'
REPORTS = ROOT / 'build' / 'reports'
SIMULATORS = ROOT / 'build' / 'molecule'
TAIL_LINES = 60


def find_scenarios() -> list[str]:
    """Return the names of the scenarios, sorted."""
    return sorted(path.parent.name for path in SCENARIOS.glob('*/molecule.yml'))


def stop_leftover_simulator(scenario: str) -> None:
    """Stop the simulator a scenario left running, by the pid it recorded."""
    pid_file = SIMULATORS / scenario / 'simulator.pid'

    try:
        pid = int(pid_file.read_text(encoding='utf-8').strip())
        cmdline = pathlib.Path(f'/proc/{pid}/cmdline').read_bytes()
    except (OSError, ValueError):
        return

    if b'simulator' not in cmdline:
        return  # The pid has been reused by another process.

    print(f'Stopping the simulator scenario {scenario} left running (pid {pid}).', flush=True)
    os.kill(pid, signal.SIGTERM)

    deadline = time.monotonic() + 5

    while pathlib.Path(f'/proc/{pid}').exists():
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.1)

    pid_file.unlink(missing_ok=True)


def run_scenario(scenario: str, log_path: pathlib.Path) -> tuple[int, float, list[str]]:
    """Run one scenario; return its exit status, its seconds and the last lines of its output."""
    env = dict(os.environ)

    if not sys.stdout.isatty():
        env.setdefault('NO_COLOR', '1')
        env.setdefault('ANSIBLE_NOCOLOR', '1')

    command = ['molecule', 'test', '--scenario-name', scenario]
    print(f'\n=== molecule scenario {scenario}: {" ".join(command)}', flush=True)
    start = time.monotonic()
    tail: list[str] = []

    try:
        with open(log_path, 'w', encoding='utf-8') as log, subprocess.Popen(
                command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, errors='replace') as process:
            for line in process.stdout:
                sys.stdout.write(line)
                log.write(line)
                tail = (tail + [line.rstrip('\n')])[-TAIL_LINES:]
            status = process.wait()
    finally:
        stop_leftover_simulator(scenario)

    seconds = time.monotonic() - start
    print(f'=== molecule scenario {scenario}: {"passed" if status == 0 else "FAILED"} in {seconds:.0f} s', flush=True)

    return status, seconds, tail


def write_report(results: list[tuple[str, int, float, list[str]]]) -> None:
    """Write the junit report: one test case per scenario."""
    failures = sum(1 for _name, status, _seconds, _tail in results if status != 0)
    suite = ET.Element('testsuite', name='molecule', tests=str(len(results)), failures=str(failures),
                       errors='0', skipped='0', time=f'{sum(r[2] for r in results):.3f}')

    for name, status, seconds, tail in results:
        case = ET.SubElement(suite, 'testcase', classname='molecule', name=name, time=f'{seconds:.3f}')

        if status != 0:
            failure = ET.SubElement(case, 'failure', message=f'molecule test -s {name} exited with {status}')
            failure.text = '\n'.join(tail)

    suites = ET.Element('testsuites')
    suites.append(suite)
    ET.indent(suites)
    REPORTS.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(REPORTS / 'molecule.xml', encoding='utf-8', xml_declaration=True)


def main() -> int:
    """Run the scenarios named on the command line, or all of them."""
    available = find_scenarios()
    wanted = sys.argv[1:] or available
    unknown = [name for name in wanted if name not in available]

    if unknown:
        print(f'ERROR: no such molecule scenario: {", ".join(unknown)} (there are: {", ".join(available)})', file=sys.stderr)
        return 2

    if not wanted:
        print(f'ERROR: no molecule scenario under {SCENARIOS.relative_to(ROOT)}/', file=sys.stderr)
        return 1

    logs = REPORTS / 'molecule'
    logs.mkdir(parents=True, exist_ok=True)
    results = []

    for name in wanted:
        status, seconds, tail = run_scenario(name, logs / f'{name}.log')
        results.append((name, status, seconds, tail))

    write_report(results)
    print('\n=== molecule summary')

    for name, status, seconds, _tail in results:
        print(f'{name:<32} {"passed" if status == 0 else "FAILED":<7} {seconds:5.0f} s')

    failed = [name for name, status, _seconds, _tail in results if status != 0]
    print(f'{len(results) - len(failed)} passed, {len(failed)} failed (logs in {logs.relative_to(ROOT)}/)', flush=True)

    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
