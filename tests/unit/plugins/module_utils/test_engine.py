# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine against a scripted client: races and confirmations made certain."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

import pytest

from ansible_collections.telephony.callcenter.plugins.module_utils.engine import (
    Engine,
    Field,
    Resource,
    execute_together,
    prepare_together,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import ApiError

DUPLICATE = 'pq: duplicate key value violates unique constraint "queues_name_key"'


class Failed(Exception):
    pass


class FakeModule:
    check_mode = False

    def __init__(self):
        self.params = {}
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)

    def fail_json(self, **result):
        raise Failed(result)


class ScriptedClient:
    """A server whose rows the test controls; ``on_create`` runs when a POST arrives."""

    def __init__(self, rows, on_create=None, on_update=None):
        self.rows = rows
        self.on_create = on_create
        self.on_update = on_update
        self.calls = []

    def list_all(self, path, params=None):
        self.calls.append(("GET", path))
        return [dict(row) for row in self.rows]

    def get(self, path):
        self.calls.append(("GET", path))
        return next((dict(row) for row in self.rows if path.endswith("/%s" % row["id"])), None)

    def create(self, path, body):
        self.calls.append(("POST", path))
        return self.on_create(body)

    def update(self, path, body, replay_safe=None):
        self.calls.append(("PUT", path))
        if self.on_update:
            self.on_update(path, body)

    def delete(self, path):
        self.calls.append(("DELETE", path))


class Queues(Resource):
    noun = "queue"
    plural = "queues"
    key = "name"
    path = "/api/queues"
    fields = (Field("strategy"),)


def test_a_create_that_loses_the_race_converges_on_the_other_runs_object():
    rows = []

    def other_run_wins(body):
        # Another run created the queue between our read and our write.
        rows.append({"id": 7, "name": body["name"], "strategy": "random"})
        raise ApiError("POST", "/api/queues", status=500, api_message=DUPLICATE)

    def apply_update(path, body):
        rows[0].update(body)

    client = ScriptedClient(rows, on_create=other_run_wins, on_update=apply_update)
    engine = Engine(FakeModule(), Queues(client, None), "queues")
    changes = engine.run([{"name": "support", "strategy": "top-down"}], "present")
    assert changes[0].action == "update" and changes[0].id == "7"
    assert [call[0] for call in client.calls].count("POST") == 1
    assert ("PUT", "/api/queues/7") in client.calls
    assert rows == [{"id": 7, "name": "support", "strategy": "top-down"}]


def test_a_create_refused_for_another_reason_is_not_taken_for_a_race():
    def refuse(body):
        raise ApiError("POST", "/api/queues", status=500, api_message="disk full")

    engine = Engine(FakeModule(), Queues(ScriptedClient([], on_create=refuse), None), "queues")
    with pytest.raises(Failed) as failed:
        engine.run([{"name": "support"}], "present")
    assert "disk full" in failed.value.args[0]["msg"]


def test_a_write_the_server_answers_but_does_not_apply_is_a_failure():
    rows = [{"id": 3, "name": "support", "strategy": "random"}]
    engine = Engine(FakeModule(), Queues(ScriptedClient(rows), None), "queues")
    with pytest.raises(Failed) as failed:
        engine.run([{"name": "support", "strategy": "top-down"}], "present")
    result = failed.value.args[0]
    assert "did not reach the state" in result["msg"] and "top-down" in result["msg"]
    assert result["changed"] is False and result["applied"] == []


def test_a_field_the_server_does_not_return_is_never_a_change():
    rows = [{"id": 3, "name": "support"}]
    client = ScriptedClient(rows)
    engine = Engine(FakeModule(), Queues(client, None), "queues")
    changes = engine.run([{"name": "support", "strategy": "top-down"}], "present")
    assert changes[0].action == "none"
    assert [call[0] for call in client.calls] == ["GET", "GET"]  # the list, then the detail


class BarrierClient(ScriptedClient):
    """Every list read waits until ``parties`` reads are in flight at once."""

    def __init__(self, rows, parties):
        super(BarrierClient, self).__init__(rows)
        self.barrier = threading.Barrier(parties, timeout=5)

    def list_all(self, path, params=None):
        self.barrier.wait()
        return super(BarrierClient, self).list_all(path, params)


def test_runs_planned_together_read_their_lists_at_the_same_time():
    module = FakeModule()
    client = BarrierClient([{"id": "1", "name": "support", "strategy": "top-down"}], parties=3)
    runs = [(Engine(module, Queues(client, module), "queues", label="run %d" % n),
             [{"name": "support", "strategy": "top-down"}], "present") for n in range(3)]
    # Reads one after the other would leave each waiting at the barrier until it breaks.
    planned = prepare_together(runs)
    assert [[change.action for change in changes] for changes in planned] == [["none"]] * 3
    assert client.calls == [("GET", "/api/queues")] * 3


def test_an_empty_list_with_exclusive_needs_allow_delete_all_unless_the_engine_allows_it():
    module = FakeModule()
    client = ScriptedClient([{"id": "1", "name": "support"}])
    with pytest.raises(Failed) as refused:
        Engine(module, Queues(client, module), "queues", exclusive=True).prepare([], "present")
    assert "queues is empty and exclusive is true" in refused.value.args[0]["msg"]
    assert client.calls == []
    changes = Engine(module, Queues(client, module), "queues", exclusive=True,
                     allow_empty=True).prepare([], "present")
    assert [(change.key, change.action) for change in changes] == [("support", "delete")]


class CountingClient(ScriptedClient):
    """Creates that take a while and count how many are in flight; ``refuse`` fails one."""

    def __init__(self, rows, refuse=None):
        super(CountingClient, self).__init__(rows)
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0
        self.refuse = refuse
        self.order = []

    def create(self, path, body):
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self.order.append(("POST", body["name"]))
        try:
            time.sleep(0.02)
            if body["name"] == self.refuse:
                raise ApiError("POST", path, status=500, api_message="disk full")
            with self.lock:
                self.rows.append(dict(body, id=len(self.rows) + 100))
            return str(len(self.rows) + 99)
        finally:
            with self.lock:
                self.in_flight -= 1

    def delete(self, path, gone=None):
        with self.lock:
            self.order.append(("DELETE", path))
            self.rows[:] = [row for row in self.rows if not path.endswith("/%s" % row["id"])]


def writes_module(workers):
    module = FakeModule()
    module.params["max_concurrent_writes"] = workers
    return module


@pytest.mark.parametrize("workers", [1, 4])
def test_independent_writes_go_out_at_most_max_concurrent_writes_at_once(workers):
    client = CountingClient([{"id": 1, "name": "old"}])
    module = writes_module(workers)
    engine = Engine(module, Queues(client, module), "queues", exclusive=True)
    engine.run([{"name": "q%02d" % n} for n in range(12)], "present")
    assert client.most_in_flight == workers
    # The delete planned after the creates waits for all of them.
    assert client.order[-1] == ("DELETE", "/api/queues/1")
    assert sorted(name for verb, name in client.order[:-1]) == ["q%02d" % n for n in range(12)]


def test_after_a_failed_write_none_starts_and_the_failure_names_what_was_applied():
    client = CountingClient([], refuse="q02")
    module = writes_module(3)
    engine = Engine(module, Queues(client, module), "queues")
    with pytest.raises(Failed) as failed:
        engine.run([{"name": "q%02d" % n} for n in range(12)], "present")
    result = failed.value.args[0]
    sent = [name for verb, name in client.order]
    # q00-q02 start together; at most the two slots freed before q02 failed are refilled.
    assert len(sent) <= 5 and "q11" not in sent
    assert result["applied"] == [name for name in sent if name != "q02"]
    assert "disk full" in result["msg"] and "stopped at q02" in result["msg"]


class OneFailingReadClient(CountingClient):
    """Reads of one list that take a while; the ``failing``-th read (1-based) is refused."""

    def __init__(self, rows, failing):
        super(OneFailingReadClient, self).__init__(rows)
        self.failing = failing
        self.reads = 0

    def list_all(self, path, params=None):
        with self.lock:
            self.reads += 1
            number = self.reads
        time.sleep(0.02)
        if number == self.failing:
            raise ApiError("GET", path, status=503, api_message="busy")
        return super(OneFailingReadClient, self).list_all(path, params)


def test_a_read_that_fails_among_reads_together_fails_the_plan_and_nothing_is_written():
    module = writes_module(4)
    client = OneFailingReadClient([{"id": "1", "name": "support", "strategy": "top-down"}], 2)
    runs = [(Engine(module, Queues(client, module), "queues", label="run %d" % n),
             [{"name": "support", "strategy": "ring-all"}], "present") for n in range(4)]
    with pytest.raises(ApiError) as failed:
        planned = prepare_together(runs)
        execute_together(module, [run[0] for run in runs], planned)
    assert "busy" in str(failed.value) and "/api/queues" in str(failed.value)
    # Every read ran to its end (none left running behind the failure); no write went out.
    assert client.reads == 4
    assert client.order == [] and [engine.applied for engine, dummy, dummy2 in runs] == [[]] * 4


def queue_runs(client, module, runs, size):
    """``runs`` engines, each creating ``size`` queues named r<run>-<n>."""
    engines, planned = [], []
    for run in range(runs):
        engine = Engine(module, Queues(client, module), "queues", label="run %d" % run)
        engines.append(engine)
        planned.append(engine.prepare([{"name": "r%d-%d" % (run, n)} for n in range(size)],
                                      "present", []))
    return engines, planned


@pytest.mark.parametrize("independent,workers,most", [(True, 4, 4), (True, 1, 1), (False, 4, 1)])
def test_independent_runs_write_at_the_same_time_only_when_allowed(independent, workers, most):
    client = CountingClient([])
    module = writes_module(workers)
    engines, planned = queue_runs(client, module, 4, 1)
    execute_together(module, engines, planned, independent=independent)
    assert client.most_in_flight == most
    assert sorted(name for verb, name in client.order) == ["r%d-0" % n for n in range(4)]
    assert [engine.applied for engine in engines] == [["r%d-0" % n] for n in range(4)]


def test_a_failed_run_halts_the_runs_written_with_it_and_the_failure_names_all_applied():
    client = CountingClient([], refuse="r0-0")
    module = writes_module(2)
    engines, planned = queue_runs(client, module, 4, 6)
    with pytest.raises(Failed) as failed:
        execute_together(module, engines, planned, independent=True)
    result = failed.value.args[0]
    sent = [name for verb, name in client.order]
    # Runs 0 and 1 start together, two writes each; each starts at most the writes whose
    # slots freed before r0-0 failed; runs 2 and 3 never start.
    assert not [name for name in sent if name.startswith(("r2-", "r3-"))]
    assert len([name for name in sent if name.startswith("r0-")]) <= 3
    assert len([name for name in sent if name.startswith("r1-")]) <= 4
    written = sorted((name for name in sent if name != "r0-0"),
                     key=lambda name: [int(part) for part in name[1:].split("-")])
    assert result["applied"] == ["run %s: %s" % (name[1], name) for name in written]
    assert "disk full" in result["msg"] and "stopped at run 0: r0-0" in result["msg"]
    assert result["changed"] is bool(written)
