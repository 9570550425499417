"""Helpers of the packaging tests (a module of its own: ``conftest`` is not importable by name
when pytest collects several test directories at once)."""

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def tool(name):
    """A command of the virtual environment that runs the tests."""
    return os.path.join(BIN, name)


def without_collections_path():
    """The environment without collection paths: ansible-galaxy says "Nothing to do" when the
    configured path already holds the collection."""
    env = dict(os.environ)
    for name in ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS"):
        env.pop(name, None)
    return env


def run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    assert done.returncode == 0, "%s failed (exit %s):\n%s\n%s" % (
        " ".join(command), done.returncode, done.stdout, done.stderr)
    return done
