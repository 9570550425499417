#!/usr/bin/env python
"""Prepare ~/.ansible/test/cache so that ``ansible-test --venv`` works offline from its bootstrap host.

Every virtual environment that ansible-test creates is bootstrapped with a
``get_pip_<version>.py`` script that ansible-test normally downloads from a
host this project cannot reach. ansible-test looks in ``~/.ansible/test/cache``
first, so this script places a small stand-in there that installs pip from a
pip wheel fetched from PyPI into the same folder.

Run it with the Python of the virtual environment that has ansible-core: noxfile.py does,
before each ansible-test session. It is kept because neither ansible-test nor antsibull-nox
has an option for another bootstrap source.
"""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

import ansible_test

STAND_IN = '''\
"""Stand-in for get-pip.py: installs pip from the wheel stored beside this file."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WHEEL = os.path.join(HERE, {wheel!r})
GET_PIP_ONLY_OPTIONS = ('--no-setuptools', '--no-wheel', '--no-pip')


def main():
    """Install pip (and any requested packages) from the local wheel."""
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    sys.path.insert(0, WHEEL)
    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel
    return pip_main(['install', '--no-index', '--find-links', HERE, '--upgrade', '--force-reinstall'] + args)


if __name__ == '__main__':
    sys.exit(main())
'''


def wanted_pip_version() -> str:
    """Return the pip version that the installed ansible-test bootstraps into its virtual environments."""
    source = pathlib.Path(ansible_test.__file__).parent / '_internal' / 'python_requirements.py'
    match = re.search(r"""\bpip\s*=\s*['"]([0-9][0-9.]*)['"]""", source.read_text(encoding='utf-8'))

    if not match:
        raise SystemExit(f'cannot find the bootstrap pip version in {source}')

    return match.group(1)


def main() -> int:
    """Create the pip wheel and the get-pip stand-in in the ansible-test cache."""
    version = wanted_pip_version()
    cache = pathlib.Path(os.path.expanduser('~/.ansible/test/cache'))
    cache.mkdir(parents=True, exist_ok=True)

    wheel = f'pip-{version}-py3-none-any.whl'

    if not (cache / wheel).is_file():
        print(f'Downloading {wheel} into {cache}', flush=True)
        subprocess.run(
            [sys.executable, '-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:',
             '--dest', str(cache), f'pip=={version}'],
            check=True,
        )

    if not (cache / wheel).is_file():
        raise SystemExit(f'pip download did not produce {cache / wheel}')

    script = cache / f"get_pip_{version.replace('.', '_')}.py"
    content = STAND_IN.format(wheel=wheel)

    if not script.is_file() or script.read_text(encoding='utf-8') != content:
        script.write_text(content, encoding='utf-8')

    print(f'ansible-test pip bootstrap ready: {script}')

    return 0


if __name__ == '__main__':
    sys.exit(main())
