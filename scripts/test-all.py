#!/usr/bin/env python
"""Run every test stage of the collection, even after a failure, and print a summary.

Each stage is a make target. Stages that write junit XML reports (ansible-test
sanity and units, the pytest suites, the Molecule scenarios) count one test case
per ``<testcase>``; every other stage counts as one test case. The last line
printed is ``N passed, M failed``. The exit status is non-zero when a stage
failed or when no test case ran at all.

Runs with the machine's Python 3 (the standard library only), since the first
stage creates the virtual environment.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import pathlib
import shlex
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parent.parent
REPORTS = ROOT / 'build' / 'reports'


@dataclasses.dataclass
class Stage:
    """One stage of the test run."""

    name: str
    target: str
    reports: str = ''  # glob of junit XML files relative to build/reports, empty for a one-case stage
    required: bool = False  # when it fails, the later stages cannot run
    result: str = 'not run'
    seconds: float = 0.0
    passed: int = 0
    failed: int = 0
    skipped: int = 0


STAGES = [
    Stage('venv', 'venv', required=True),
    Stage('stage', 'stage', required=True),
    Stage('action-groups', 'action-groups'),
    Stage('sanity', 'sanity', reports='sanity/*.xml'),
    Stage('units', 'units', reports='units/*.xml'),
    Stage('simulator tests', 'simtest', reports='simulator.xml'),
    Stage('integration tests', 'integration', reports='integration.xml'),
    Stage('molecule', 'molecule', reports='molecule.xml'),
    Stage('yamllint', 'yamllint'),
    Stage('ansible-lint', 'ansible-lint'),
    Stage('changelog-lint', 'changelog-lint'),
    Stage('build+install+doc', 'build'),
    Stage('documentation site', 'docs-test', reports='docs.xml'),
    Stage('galaxy-importer', 'galaxy-import'),
    Stage('execution environment', 'ee', reports='packaging-ee.xml'),
    Stage('AWX: ansible-runner', 'runner', reports='packaging-runner.xml'),
    Stage('version matrix', 'matrix', reports='matrix-*.xml'),
]


def count_junit(pattern: str) -> tuple[int, int, int, list[str]]:
    """Return passed, failed and skipped test cases and the unreadable files of the junit reports matching the pattern."""
    passed = failed = skipped = 0
    broken = []

    for path in sorted(glob.glob(str(REPORTS / pattern))):
        try:
            tree = ET.parse(path)
        except (ET.ParseError, OSError) as ex:
            broken.append(f'{path}: {ex}')
            continue

        for case in tree.iter('testcase'):
            tags = {child.tag for child in case}

            if tags & {'failure', 'error'}:
                failed += 1
            elif 'skipped' in tags:
                skipped += 1
            else:
                passed += 1

    return passed, failed, skipped, broken


def run_stage(stage: Stage, make: list[str]) -> None:
    """Run one stage and record its result and test counts."""
    command = make + [stage.target]
    banner = f'===== stage: {stage.name} ({shlex.join(command)})'
    print(f'\n{banner}', flush=True)

    if stage.reports:
        # Never count a report left over from an earlier run.
        for stale in glob.glob(str(REPORTS / stage.reports)):
            os.remove(stale)

    start = time.monotonic()
    status = subprocess.run(command, cwd=ROOT, stdin=subprocess.DEVNULL, check=False).returncode
    stage.seconds = time.monotonic() - start

    if stage.reports:
        stage.passed, stage.failed, stage.skipped, broken = count_junit(stage.reports)

        for problem in broken:
            print(f'ERROR: unreadable junit report {problem}', flush=True)

        if status != 0 and stage.failed == 0:
            # The runner failed without reporting a failed test case (crash, collection error, ...).
            stage.failed = 1
    elif status == 0:
        stage.passed = 1
    else:
        stage.failed = 1

    stage.result = 'passed' if status == 0 and stage.failed == 0 else 'FAILED'
    print(f'===== stage {stage.name}: {stage.result} in {stage.seconds:.0f} s (exit {status})', flush=True)


def print_summary(stages: list[Stage], total_seconds: float) -> tuple[int, int]:
    """Print the summary table and return the total passed and failed test cases."""
    header = ('stage', 'result', 'seconds', 'passed', 'failed', 'skipped')
    rows = [(s.name, s.result, f'{s.seconds:.0f}', str(s.passed), str(s.failed), str(s.skipped)) for s in stages]
    passed = sum(s.passed for s in stages)
    failed = sum(s.failed for s in stages)
    skipped = sum(s.skipped for s in stages)
    rows.append(('total', 'passed' if failed == 0 and passed else 'FAILED', f'{total_seconds:.0f}', str(passed), str(failed), str(skipped)))
    widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])] + [row[i].rjust(widths[i]) for i in range(2, len(row))]
        return '  '.join(cells).rstrip()

    rule = '  '.join('-' * width for width in widths)
    print('\n===== summary', flush=True)
    print(line(header))
    print(rule)

    for row in rows[:-1]:
        print(line(row))

    print(rule)
    print(line(rows[-1]))

    return passed, failed


def main() -> int:
    """Run all stages and print the summary."""
    make = shlex.split(os.environ.get('MAKE', 'make')) + ['--no-print-directory']
    start = time.monotonic()
    blocked_by = ''

    for stage in STAGES:
        if blocked_by:
            stage.result = f'not run ({blocked_by} failed)'
            stage.failed = 1
            continue

        run_stage(stage, make)

        if stage.required and stage.result != 'passed':
            blocked_by = stage.name

    passed, failed = print_summary(STAGES, time.monotonic() - start)

    if passed == 0 and failed == 0:
        print('ERROR: no test case ran.')

    print(f'{passed} passed, {failed} failed', flush=True)

    return 1 if failed or passed == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
