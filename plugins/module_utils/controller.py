# -*- coding: utf-8 -*-
# Copyright (c) telephony.callcenter contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Whether the ansible-playbook that started this run is still there.

ansible-core runs each task in a worker process that it forks and that calls ``setsid``: the
module runs in the worker's session, and the worker's parent is ansible-playbook. A SIGTERM or
SIGINT reaches the module through the worker; a ``kill -9`` of ansible-playbook does not, and
the worker stays behind, waiting for the module, which would go on writing for nobody. So the
session leader's parent is noted when the run starts, and before each write the client asks
whether it changed. Only where /proc tells (Linux); elsewhere nothing is watched.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os


def parent_of(pid):
    """The parent pid of ``pid`` from /proc, or None when it cannot be read."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as handle:
            stat = handle.read()
    except (IOError, OSError):
        return None
    # "pid (command) state ppid ...": the command may hold spaces and parentheses.
    fields = stat[stat.rindex(b")") + 2:].split()
    try:
        return int(fields[1])
    except (IndexError, ValueError):
        return None


def _ancestors(pid, limit=64):
    seen = []
    while pid and pid > 1 and len(seen) < limit:
        seen.append(pid)
        pid = parent_of(pid)
    return seen


class ControllerWatch:
    """Notes, when made, the parent of this process's session leader (the worker's parent,
    ansible-playbook), provided the leader is one of this process's ancestors."""

    def __init__(self):
        self.leader = self.parent = None
        try:
            leader = os.getsid(0)
        except OSError:
            return
        if leader == os.getpid() or leader not in _ancestors(os.getpid()):
            return
        parent = parent_of(leader)
        if parent is None or parent <= 1:
            return
        self.leader, self.parent = leader, parent

    @property
    def watching(self):
        return self.leader is not None

    def gone(self):
        """True once the process that started the worker has ended."""
        return self.watching and parent_of(self.leader) != self.parent


_WATCH = []


def controller_gone():
    """For the whole run: made at the first question, so at the module's first request."""
    if not _WATCH:
        _WATCH.append(ControllerWatch())
    return _WATCH[0].gone()
