"""nox sessions of the telephony.callcenter collection, made with antsibull-nox.

The Makefile runs them with the nox of requirements-nox.txt (``make sanity``, ``make units``,
``make action-groups``); ``.venv/nox/bin/nox -l`` lists them. antsibull-nox.toml configures
the sessions it defines itself; the ansible-test ones are below.

sanity and units: antsibull-nox installs ansible-core, copies the collection into a
temporary ansible_collections/telephony/callcenter/ tree and runs ansible-test there with
--venv (its own sessions would use --docker, and there is no container engine here).
Before ansible-test starts, ``_ansible_test_steps`` pins ansible-core to the version of
requirements-dev.txt and prepares ansible-test's pip bootstrap
(scripts/prepare-ansible-test.py). The junit reports end up in build/reports/<session>/.
"""

from __future__ import annotations

import atexit
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import nox

import antsibull_nox

ROOT = Path(__file__).resolve().parent
ENVDIR = ROOT / 'build' / 'nox'
REPORTS = ROOT / 'build' / 'reports'
ANSIBLE_TEST_PYTHON = '3.11'

# Session venvs under build/, which yamllint, ansible-lint, git and the tarball leave out.
nox.options.envdir = str(ENVDIR)
# They only hold pinned packages, which each run installs again (pip install -U).
nox.options.reuse_venv = 'yes'

antsibull_nox.load_antsibull_nox_toml()


def _pinned_ansible_core() -> str:
    """Return the ansible-core requirement of requirements-dev.txt, e.g. ansible-core==2.19.14."""
    text = (ROOT / 'requirements-dev.txt').read_text(encoding='utf-8')
    match = re.search(r'^ansible-core==\S+', text, re.MULTILINE)

    if not match:
        raise ValueError('requirements-dev.txt has no ansible-core==<version> line')

    return match.group(0)


def _session_python(name: str) -> str:
    """Return the Python of the session's virtual environment (nox names it after the session)."""
    python = ENVDIR / name / 'bin' / 'python'

    if not python.exists():
        raise FileNotFoundError(f'no virtual environment of session {name}: {python} is missing')

    return str(python)


def _take_reports(collection: Path, reports: Path) -> None:
    """Copy the junit reports of ansible-test into build/reports/<session>/ and drop tests/output."""
    output = collection / 'tests' / 'output'

    for report in sorted((output / 'junit').glob('*.xml')):
        shutil.copy2(report, reports / report.name)

    # antsibull-nox would copy tests/output into the repository next, and fails on its nested
    # directories (tests/output/.tmp/...): nothing in it is needed but the reports.
    shutil.rmtree(output, ignore_errors=True)


def _ansible_test_steps(name: str) -> tuple[Callable[[], None], Callable[[], None]]:
    """Return the steps that run in antsibull-nox's copy of the collection before and after ansible-test."""
    place: list[Path] = []

    def before() -> None:
        collection = Path.cwd()
        place.append(collection)
        python = _session_python(name)
        # antsibull-nox installs the newest ansible-core of the 2.19 series; use the pinned one.
        subprocess.run([python, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check',
                        _pinned_ansible_core()], check=True)
        # ansible-test --venv downloads get-pip from a host that cannot be reached here.
        subprocess.run([python, str(ROOT / 'scripts' / 'prepare-ansible-test.py')], check=True)

        reports = REPORTS / name
        shutil.rmtree(reports, ignore_errors=True)
        reports.mkdir(parents=True)
        # When ansible-test fails, the session stops before the step after it; antsibull-nox
        # removes its copy of the collection when nox exits. atexit runs the handlers
        # registered last first, so this one still finds the reports.
        atexit.register(_take_reports, collection, reports)

    def after() -> None:
        _take_reports(place[-1], REPORTS / name)

    return before, after


SANITY_STEPS = _ansible_test_steps('sanity')
UNITS_STEPS = _ansible_test_steps('units')

antsibull_nox.add_ansible_test_session(
    name='sanity',
    description=f'ansible-test sanity --venv --python {ANSIBLE_TEST_PYTHON} (junit in build/reports/sanity)',
    ansible_test_params=['sanity', '--venv', '--python', ANSIBLE_TEST_PYTHON, '--junit'],
    default=False,
    ansible_core_version='2.19',
    ansible_core_source='pypi',
    callback_before=SANITY_STEPS[0],
    callback_after=SANITY_STEPS[1],
)

antsibull_nox.add_ansible_test_session(
    name='units',
    description=f'ansible-test units --venv --python {ANSIBLE_TEST_PYTHON} (junit in build/reports/units)',
    ansible_test_params=['units', '--venv', '--python', ANSIBLE_TEST_PYTHON],
    default=False,
    ansible_core_version='2.19',
    ansible_core_source='pypi',
    callback_before=UNITS_STEPS[0],
    callback_after=UNITS_STEPS[1],
)
