# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Callback of benchmarks/center.py: the wall time of every task of a playbook run."""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_timer
type: aggregate
short_description: Wall time of every task, for benchmarks/center.py
description:
  - Appends one JSON line per task (name, start, end as time.time()) to the file named by the
    BENCH_TIMER_LOG environment variable. Only benchmarks/center.py enables it.
requirements:
  - BENCH_TIMER_LOG set to a writable file
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._path = os.environ.get("BENCH_TIMER_LOG")
        self._task = None
        self._started = None

    def _write(self, record):
        if self._path:
            with open(self._path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(record) + "\n")

    def _close(self):
        if self._task is not None:
            self._write({"task": self._task, "start": self._started, "end": time.time()})
            self._task = None

    def v2_playbook_on_start(self, playbook):
        self._write({"event": "playbook_start", "time": time.time()})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close()
        self._task = task.get_name()
        self._started = time.time()

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def v2_playbook_on_stats(self, stats):
        self._close()
        self._write({"event": "stats", "time": time.time()})
