# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a Simotel server does where the vendor's wiki is silent, measured (pbx_probe).

Each point docs/api/simotel.md marks [assumed] that a call can show is asked of the server
and recorded as a finding: the value seen and the evidence (service, method, status, a
masked excerpt of the reply). A point the simulator can play has a switch of the same name,
so the findings also give the ``/_sim/config`` that turns the simulator into a twin.

Without ``scratch`` only ``setting/ping/act`` is called (it changes nothing). With
``scratch`` a scratch agent is added to and removed from the queue the user names, and a
scratch queue the probe creates itself is removed; nothing else is written, the scratch
agent is removed at the end (also after a failure) and every clean-up is confirmed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import secrets

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import to_bool
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import ApiError
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import (
    mask_text,
    redact,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.simotel import (
    PING_SERVICE,
    STATUS_ADVICE,
    SimotelClient,
    advice_for,
    batch_answers,
    service_path,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.xswitch_probe import (
    Finding as XSwitchFinding,
    probe_result,
)

EXCERPT_LENGTH = 160
# Every method the simulator's pbx_ping_methods may list, in the order reported.
PING_METHODS = ("POST", "PUT", "GET", "PATCH", "DELETE")
# The simulator's own wordings (simulator/assumed.py SIMOTEL_MESSAGES): a wording seen that
# differs from these goes into pbx_messages.
SIMULATOR_MESSAGES = {
    "removed": "Removed successfully",
    "not_member_remove": "Unable to remove interface: Not there",
    "no_queue_remove": "Unable to remove interface from queue: No such queue",
    "added": "Added successfully",
    "already_member": "Unable to add interface: Already there",
    "no_queue_add": "Unable to add interface to queue: No such queue",
    "paused": "Paused successfully",
    "resumed": "UnPaused successfully",
    "not_found_pause": "Interface not found",
    "queue_not_found": "Requested operation failed",
    "already_paused": "Unable to pause interface: Already paused",
    "not_paused": "Unable to unpause interface: Not paused",
}
# Scratch queue numbers tried before giving up on finding a free one.
FREE_NUMBER_TRIES = 5

ADD = "pbx/queues/addagent"
REMOVE = "pbx/queues/removeagent"
PAUSE = "pbx/queues/pauseagent"
RESUME = "pbx/queues/resumeagent"
BATCH_ADD = "pbx/queues/batchaddagent"
BATCH_REMOVE = "pbx/queues/batchremoveagent"
QUEUE_ADD = "pbx/queues/add"
QUEUE_SEARCH = "pbx/queues/search"
QUEUE_REMOVE = "pbx/queues/remove"


class ProbeError(Exception):
    """The probe cannot go on; the message says why and what to change."""


def improbable_agent():
    """A scratch agent number no real agent is likely to have."""
    return "99%07d" % secrets.randbelow(10 ** 7)


class Finding(XSwitchFinding):
    """One point, as xswitch_probe records it; a point may be settled with no simulator
    position that plays it (``twin=False``)."""

    def settle(self, value, position=None, note=None, twin=True):
        super(Finding, self).settle(value, position=position, note=note)
        if not twin:
            self.position = None


class Answer:
    """One reply as the probe reads it: the HTTP status, the envelope's ``success`` and
    ``message``, and ``data``."""

    def __init__(self, status, reply):
        self.status = status
        self.reply = reply
        self.success = None
        self.message = ""
        self.data = None
        if isinstance(reply, dict) and "success" in reply:
            try:
                self.success = to_bool(reply.get("success"))
            except ValueError:
                self.success = None
            message = reply.get("message")
            self.message = "" if message is None else str(message)
            self.data = reply.get("data")

    @property
    def done(self):
        return self.status == 200 and self.success is True

    def outcome(self):
        """A single-pair call's ``(ok, message, form)``: form ``data`` (success 1 and
        ``data.ok``) or ``envelope`` (success 0); None when the reply says neither."""
        if self.status != 200 or self.success is None:
            return None
        if not self.success:
            return False, self.message, "envelope"
        data = self.data
        if not isinstance(data, dict) or data.get("ok") in (None, ""):
            return None
        try:
            ok = to_bool(data.get("ok"))
        except ValueError:
            return None
        message = data.get("message")
        return ok, "" if message is None else str(message), "data"


class SimotelProbe:
    """Asks one server every point; ``run()`` returns the module's result."""

    def __init__(self, module, client_class=SimotelClient):
        self.module = module
        self.params = module.params
        self.client_class = client_class
        self.client = client_class(self.params)
        self.scratch = bool(self.params.get("scratch")) and not module.check_mode
        self.queue = self.params.get("scratch_queue")
        self.agent = self.params.get("scratch_agent") or improbable_agent()
        self.prefix = "%s%s" % (self.params.get("prefix") or "ccprobe-", secrets.token_hex(3))
        self.findings = []
        self.messages = {}           # simulator message key -> wording seen
        self.members = []            # (queue, agent) pairs the probe added and may not have removed
        self.queues = {}             # number -> id of every scratch queue the probe created
        self.not_there = None        # the removeagent wording of an agent not in the queue
        self.added = False           # whether the scratch agent was ever added to scratch_queue
        self.wrote = False

    # Recording ------------------------------------------------------------------------
    def finding(self, point, switch=None):
        found = Finding(point, switch)
        self.findings.append(found)
        return found

    def excerpt(self, reply):
        """A reply cut short, secret fields and this run's secrets masked before the cut."""
        text = reply if isinstance(reply, str) else json.dumps(redact(reply), sort_keys=True)
        return mask_text(text, self.client.http.secrets)[:EXCERPT_LENGTH]

    def send(self, found, service, body, method="POST", client=None, credentials=None):
        """One call, its answer recorded as evidence of ``found``. Only a call that got no
        answer at all raises."""
        client = client or self.client
        if service not in (PING_SERVICE, QUEUE_SEARCH):
            self.wrote = True
        path = service_path(service)
        try:
            status, reply = client.http.request(method, path, body=body,
                                                ok_statuses=range(300, 600))
        except ApiError as error:
            if error.status in (None, ""):
                raise
            status, reply = error.status, error.api_message or error.reason or ""
        item = dict(service=service, method=method, path=path, body=body, status=status,
                    excerpt=self.excerpt(reply))
        if credentials:
            item["credentials"] = credentials
        if found is not None:
            found.evidence.append(item)
        return Answer(status, reply)

    def refused(self, service, answer, what):
        """A ProbeError for a call the server would not carry out, with advice."""
        advice = advice_for(answer.message) or STATUS_ADVICE.get(answer.status)
        text = answer.message or (answer.reply if isinstance(answer.reply, str) else "")
        return ProbeError("%s: %s answered HTTP %s%s%s" % (
            what, service_path(service), answer.status,
            ": %s" % self.client.mask(text)[:EXCERPT_LENGTH] if text else "",
            " (%s)" % advice if advice else ""))

    def learn(self, key, message):
        self.messages[key] = self.client.mask(message)

    # The run ----------------------------------------------------------------------------
    def run(self):
        """``(result, error)``: the error that stopped the probe, if any, with the findings
        made until then."""
        error = None
        leftovers = []
        try:
            self.ping_points()
        except (ApiError, ProbeError) as caught:
            return self.result(leftovers), caught
        if self.scratch:
            try:
                self.member_points()
                self.batch_points()
                if self.params.get("scratch_create_queue", True):
                    self.queue_points()
                else:
                    self.finding("pbx/queues/remove takes the id as",
                                 "pbx_queue_remove_id_field").unsettled(
                        "not asked: scratch_create_queue is false")
            except (ApiError, ProbeError) as caught:
                error = caught
            finally:
                leftovers = self.clean_up()
            self.message_point()
        elif self.params.get("scratch"):
            self.module.warn("check mode: the points that need writes were not probed")
        return self.result(leftovers), error

    def result(self, leftovers):
        result = probe_result(self.findings, self.wrote, leftovers)
        if self.scratch:
            result["scratch_agent"] = self.agent
            result["scratch_queue"] = self.queue
        return result

    # Ping and credentials (no write) ------------------------------------------------------
    def ping_points(self):
        methods = self.finding("methods setting/ping/act takes", "pbx_ping_methods")
        taken, other = [], []
        for method in PING_METHODS:
            answer = self.send(methods, PING_SERVICE, {}, method=method)
            if answer.done:
                taken.append(method)
            elif answer.status != 405:
                other.append((method, answer))
        if not taken:
            method, answer = other[0] if other else ("POST", None)
            if answer is None:
                raise ProbeError("setting/ping/act refused every method (HTTP 405)")
            raise self.refused(PING_SERVICE, answer, "the ping failed")
        if other:
            methods.settle(taken, note="answered otherwise than 405 to %s" % ", ".join(
                "%s (HTTP %s)" % (method, answer.status) for method, answer in other),
                twin=False)
        else:
            methods.settle(taken)
        self.credential_point(taken[0])

    def credential_point(self, method):
        found = self.finding("credentials the account needs", "pbx_auth")
        has_key = bool(self.params.get("pbx_api_key"))
        has_basic = bool(self.params.get("pbx_username"))
        none = dict(self.params, pbx_api_key=None, pbx_username=None, pbx_password=None)
        alone = {}
        trials = [("none", none)]
        if has_key and has_basic:
            trials += [("key", dict(self.params, pbx_username=None, pbx_password=None)),
                       ("basic", dict(self.params, pbx_api_key=None))]
        for name, params in trials:
            answer = self.send(found, PING_SERVICE, {}, method=method,
                               client=self.client_class(params), credentials=name)
            alone[name] = answer.done
        if alone["none"]:
            found.settle("none", note="the ping passed without credentials", twin=False)
        elif has_key and has_basic:
            if alone["key"] and alone["basic"]:
                found.settle("basic or key", twin=False,
                             note="either alone is enough; no simulator position plays that")
            elif alone["key"]:
                found.settle("key")
            elif alone["basic"]:
                found.settle("basic")
            else:
                found.settle("both")
        else:
            given = "key" if has_key else "basic"
            found.settle(given, note="only the %s was given, so only it was tried"
                         % ("API key" if has_key else "Basic user"))

    # Single-pair services (scratch) -------------------------------------------------------
    def single(self, found, service, queue, agent=None):
        agent = agent or self.agent
        body = {"queue": queue, "agent": agent}
        if service == ADD:
            body["source"] = agent
        answer = self.send(found, service, body)
        outcome = answer.outcome()
        if outcome is None:
            if answer.status != 200:
                raise self.refused(service, answer, "the probe could not go on")
            raise ProbeError("%s: the reply is neither success 0 nor a data.ok: %s"
                             % (service_path(service), self.excerpt(answer.reply)))
        return outcome

    def member_points(self):
        queue, agent = self.queue, self.agent
        added = self.finding("addagent of a new agent")
        ok, message, dummy = self.single(added, ADD, queue)
        if not ok:
            added.settle(False, note=message)
            raise ProbeError(
                "addagent of scratch agent %s to queue %s was refused (%s): the agent may "
                "already be in that queue or not exist on this server; nothing was removed. "
                "Name another scratch_agent or scratch_queue" % (agent, queue, message))
        self.members.append((queue, agent))
        self.added = True
        added.settle(message)
        self.learn("added", message)
        form = self.finding("single-pair failure form", "pbx_single_failure")
        forms = []
        self.expect_failure("addagent of an agent already there", ADD, "already_member", forms)
        repeat = self.finding("the same pause or resume twice", "pbx_pause_repeat")
        repeats = []
        for key, again_key, service in (("paused", "already_paused", PAUSE),
                                        ("resumed", "not_paused", RESUME)):
            found = self.finding("%s of a member" % service.rsplit("/", 1)[1])
            ok, message, dummy = self.single(found, service, queue)
            found.settle(message if ok else False, note=None if ok else message)
            if not ok:
                continue
            self.learn(key, message)
            # Asterisk's QueuePause answers a repeat as it answered the first; a server may
            # refuse it instead.
            twice = self.finding("%s of a member twice" % service.rsplit("/", 1)[1])
            ok, message, dummy = self.single(twice, service, queue)
            twice.settle(message if ok else "refused", note=None if ok else message)
            repeat.evidence.extend(twice.evidence)
            repeats.append("again" if ok else "refuse")
            if not ok:
                self.learn(again_key, message)
        if len(set(repeats)) == 1:
            repeat.settle(repeats[0], position=repeats[0])
        else:
            repeat.unsettled("pause and resume answered their repeats differently: %s"
                             % ", ".join(repeats) if repeats else "no pause or resume was taken")
        removed = self.finding("removeagent of a member")
        ok, message, dummy = self.single(removed, REMOVE, queue)
        if not ok:
            removed.settle(False, note=message)
            raise ProbeError("removeagent of scratch agent %s from queue %s failed: %s"
                             % (agent, queue, message))
        self.members.remove((queue, agent))
        removed.settle(message)
        self.learn("removed", message)
        self.not_there = self.expect_failure("removeagent of an agent not there", REMOVE,
                                             "not_member_remove", forms)
        self.expect_failure("pauseagent of an agent not there", PAUSE, "not_found_pause", forms)
        form.evidence = [item for dummy, found in forms for item in found.evidence]
        shapes = sorted(set(shape for shape, dummy in forms))
        if not shapes:
            form.unsettled("no single-pair call failed")
        elif len(shapes) == 1:
            form.settle(shapes[0])
        else:
            form.unsettled("the failures came in both forms: %s" % ", ".join(shapes))

    def expect_failure(self, point, service, key, forms, queue=None):
        """A call that should fail: its wording learnt as ``key``, its form and finding added
        to ``forms``; the wording, or None when the server carried it out."""
        found = self.finding(point)
        ok, message, shape = self.single(found, service, queue or self.queue)
        if ok:
            found.settle("accepted", note="answered ok: 1")
            return None
        found.settle(self.client.mask(message))
        forms.append((shape, found))
        self.learn(key, message)
        return self.client.mask(message)

    # Batch services (scratch) -------------------------------------------------------------
    def batch(self, found, service, items):
        answer = self.send(found, service, {"agents": items})
        if answer.status != 200 or answer.success is None:
            raise self.refused(service, answer, "the probe could not go on")
        answers = batch_answers(answer.data)
        if answers is None:
            return None, answer.message
        mine = [item for item in answers if isinstance(item, dict)]
        if len(mine) != 1 or mine[0].get("ok") in (None, ""):
            raise ProbeError("%s: the reply's data.Data does not answer the one item sent: %s"
                             % (service_path(service), self.excerpt(answer.reply)))
        try:
            ok = to_bool(mine[0].get("ok"))
        except ValueError:
            raise ProbeError("%s: the item's ok is neither 1 nor 0" % service_path(service))
        message = mine[0].get("message")
        return ok, "" if message is None else str(message)

    def batch_points(self):
        queue, agent = self.queue, self.agent
        field = self.finding("batchaddagent reads the agent from", "pbx_batchadd_agent_field")
        taken = []
        for name in ("agents", "agent"):
            item = {"queue": queue, "source": agent, name: agent, "penalty": ""}
            ok, message = self.batch(field, BATCH_ADD, [item])
            if not ok:
                continue
            taken.append(name)
            self.members.append((queue, agent))
            ok, message = self.batch(field, BATCH_REMOVE, [{"queue": queue, "agent": agent}])
            if not ok:
                raise ProbeError("batchremoveagent of scratch agent %s from queue %s failed: %s"
                                 % (agent, queue, message))
            self.members.remove((queue, agent))
        if taken == ["agents", "agent"]:
            field.settle("either")
        elif taken:
            field.settle(taken[0])
        else:
            field.unsettled("neither agents nor agent added the scratch agent")
        absent = self.finding("batchremoveagent of an agent not there")
        ok, message = self.batch(absent, BATCH_REMOVE, [{"queue": queue, "agent": agent}])
        if ok is None:
            absent.settle(False, note="refused as a whole: %s" % self.client.mask(message))
        elif ok:
            absent.settle("accepted", note="a removal of an agent not there answered ok: 1")
        else:
            same = self.not_there is None or message == self.not_there
            absent.settle(self.client.mask(message), note=None if same else
                          "worded otherwise than removeagent's (%s)" % self.not_there)

    # Queues (scratch, on a queue the probe creates) ---------------------------------------
    def search(self, found, number):
        answer = self.send(found, QUEUE_SEARCH, {"alike": "false",
                                                 "conditions": {"number": number}})
        if not answer.done or not isinstance(answer.data, list):
            raise self.refused(QUEUE_SEARCH, answer, "the queue search failed")
        return [row for row in answer.data
                if isinstance(row, dict) and str(row.get("number")) == number]

    def create_queue(self, found):
        for dummy in range(FREE_NUMBER_TRIES):
            number = "99%06d" % secrets.randbelow(10 ** 6)
            if not self.search(found, number):
                break
        else:
            raise ProbeError("no free scratch queue number found in %d tries" % FREE_NUMBER_TRIES)
        answer = self.send(found, QUEUE_ADD, {"name": "%s-q" % self.prefix, "number": number})
        queue_id = answer.data.get("_id") if isinstance(answer.data, dict) else None
        if not answer.done or not queue_id:
            raise self.refused(QUEUE_ADD, answer, "the probe could not create its scratch queue")
        self.queues[number] = str(queue_id)
        return number, str(queue_id)

    def queue_points(self):
        found = self.finding("pbx/queues/remove takes the id as", "pbx_queue_remove_id_field")
        taken = []
        try:
            number, queue_id = self.create_queue(found)
        except ProbeError as error:
            # Optional: a server or an account that does not let the probe create a queue of
            # its own leaves these points open; nothing was created.
            found.unsettled("not asked: %s" % error)
            self.module.warn("the queue points were not probed: %s (scratch_create_queue: "
                             "false skips them)" % error)
            return
        for field in ("_id", "id_"):
            if not self.search(found, number):
                number, queue_id = self.create_queue(found)
            self.send(found, QUEUE_REMOVE, {field: queue_id})
            if not self.search(found, number):
                taken.append(field)
        if taken == ["_id", "id_"]:
            found.settle("either")
        elif taken:
            found.settle(taken[0])
        else:
            found.unsettled("neither _id nor id_ removed the scratch queue")
        if self.search(found, number):
            # Neither field worked: both at once, as pbx_queue sends them.
            self.send(found, QUEUE_REMOVE, {"_id": queue_id, "id_": queue_id})
            if self.search(found, number):
                raise ProbeError("the scratch queue %s could not be removed" % number)
        unknown = self.finding("pbx/queues/remove of an unknown id")
        answer = self.send(unknown, QUEUE_REMOVE, {"_id": queue_id, "id_": queue_id})
        if answer.status == 200 and answer.success is False:
            unknown.settle(self.client.mask(answer.message))
            self.learn("queue_not_found", answer.message)
        else:
            unknown.unsettled("answered HTTP %s, success %s" % (answer.status, answer.success))
        for key, service in (("no_queue_add", ADD), ("no_queue_remove", REMOVE)):
            found = self.finding("%s %s a queue that does not exist" % (
                service.rsplit("/", 1)[1], "to" if service == ADD else "from"))
            if service == ADD:
                self.members.append((number, self.agent))
            ok, message, dummy = self.single(found, service, number)
            if service == ADD and not ok:
                self.members.remove((number, self.agent))
            if service == REMOVE and ok:
                self.members.remove((number, self.agent))
            if ok:
                found.settle("accepted", note="answered ok: 1")
            else:
                found.settle(self.client.mask(message))
                self.learn(key, message)

    # The wordings ---------------------------------------------------------------------------
    def message_point(self):
        found = self.finding("per-item wordings", "pbx_messages")
        for other in self.findings:
            if other is not found and other.switch is None:
                found.evidence.extend(other.evidence[-1:])
        if not self.messages:
            found.unsettled("no wording was seen")
            return
        unseen = sorted(set(SIMULATOR_MESSAGES) - set(self.messages))
        found.settle(dict(self.messages), position=dict(
            (key, message) for key, message in self.messages.items()
            if message != SIMULATOR_MESSAGES[key]),
            note="not seen: %s" % ", ".join(unseen) if unseen else None)

    # Clean-up ---------------------------------------------------------------------------
    def clean_up(self):
        """Every pair the probe added removed, and confirmed by a removal that answers "not
        there"; every scratch queue removed and confirmed by a search. What is still there
        is named."""
        leftovers = []
        pairs = list(self.members)
        if self.added and (self.queue, self.agent) not in pairs:
            pairs.append((self.queue, self.agent))
        for queue, agent in pairs:
            try:
                if not self._pair_gone(queue, agent):
                    leftovers.append(dict(kind="member", queue=queue, agent=agent))
            except (ApiError, ProbeError) as error:
                self.module.warn("scratch agent %s in queue %s: %s" % (agent, queue, error))
                leftovers.append(dict(kind="member", queue=queue, agent=agent))
        for number, queue_id in self.queues.items():
            try:
                if self.search(None, number):
                    self.send(None, QUEUE_REMOVE, {"_id": queue_id, "id_": queue_id})
                    still = bool(self.search(None, number))
                else:
                    still = False
            except (ApiError, ProbeError) as error:
                self.module.warn("scratch queue %s: %s" % (number, error))
                still = True
            if still:
                leftovers.append(dict(kind="queue", number=number, id=queue_id))
        if leftovers:
            self.module.warn("scratch objects still on the server: %s" % ", ".join(
                "agent %s in queue %s" % (item["agent"], item["queue"]) if item["kind"] == "member"
                else "queue %s (%s)" % (item["number"], item["id"]) for item in leftovers))
        return leftovers

    def _pair_gone(self, queue, agent):
        """Removed, or not there: a removal must answer ok: 0 with the "not there" wording
        seen earlier (any ok: 0 when none was seen) after at most one ok: 1."""
        for dummy in range(2):
            ok, message, dummy_form = self.single(None, REMOVE, queue, agent)
            if not ok:
                return (self.not_there is None or message == self.not_there
                        or queue in self.queues)
        return False


def probe_error_message(error):
    """The task's failure message for an error that stopped the probe."""
    if isinstance(error, ApiError):
        return str(error)
    return "the probe stopped: %s" % error
