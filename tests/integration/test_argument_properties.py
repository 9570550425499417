"""Property-based tests of every module's arguments (hypothesis).

Each example runs one module the way Ansible runs a local module, without ansible-playbook:
``python -m ansible_collections.telephony.callcenter.plugins.modules.<name> <args.json>``,
where ``args.json`` is ``{"ANSIBLE_MODULE_ARGS": {...}}`` and ``PYTHONPATH`` holds a directory
with ``ansible_collections/telephony/callcenter`` (a link to this checkout).

The arguments are drawn from each module's own argument spec, read from the module itself:
a valid task as a starting point, then options replaced by values of any type (None, numbers,
booleans, unicode text with control characters, long text, lists, nested dicts), list options
given bad items (text, numbers, dicts with unknown keys, nested lists), duplicate items and
duplicate JSON keys, unknown options, and long lists. The connection always points at a running
simulator whose token, passwords and API key are known secrets, and the items' password fields
hold known secrets too.

The property, for every example:

* the module prints one JSON object and no Python traceback;
* it either succeeds, or fails with a non-empty ``msg`` that names an option the example
  changed (or the list item, by its right index and name);
* a failure wrote nothing (the simulator's write count is the same before and after), and a
  run in check mode writes nothing at all;
* no secret (token, passwords, API key, the Basic auth header value, a SIP ha1 digest of a
  password) appears anywhere in stdout or stderr, ``invocation`` included.
"""

import atexit
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from simulator.testing import Simulator

from conftest import COLLECTIONS, server_secrets

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULE_PACKAGE = "ansible_collections.telephony.callcenter.plugins.modules."
MODULES = ("xswitch_agent", "xswitch_agent_info", "xswitch_queue", "xswitch_queue_info",
           "xswitch_queue_param", "xswitch_queue_member", "xswitch_center", "pbx_queue_batch_remove",
           "pbx_queue", "pbx_queue_member")

# Known secrets: the simulator is started with them, and the examples put them in every
# password field. Each is long and distinctive, so finding one in the output is a leak.
XSWITCH_TOKEN = "tok-XSw-7f3Qz9-SECRET"
ADMIN_PASSWORD = "adm-PW-4k8Lm2-SECRET"
PBX_USERNAME = "pbxuser"
PBX_PASSWORD = "pbx-PW-9c2Vb1-SECRET"
PBX_API_KEY = "key-API-3n6Tr5-SECRET"
AGENT_PASSWORDS = ("agent-PW-1a9Xq-SECRET", "agent-\u00c4\u00d6-PW-2b8-SECRET",
                   "agent pw with spaces 3c7-SECRET", "agent-PW-\u4e2d\u6587-4d6-SECRET")
NUMERIC_SECRET = 9876543210123
SECRETS = (XSWITCH_TOKEN, ADMIN_PASSWORD, PBX_PASSWORD, PBX_API_KEY) + AGENT_PASSWORDS + (
    str(NUMERIC_SECRET),
    base64.b64encode(("%s:%s" % (PBX_USERNAME, PBX_PASSWORD)).encode()).decode())
SIM_ENV = {"SIM_XSWITCH_TOKEN": XSWITCH_TOKEN, "SIM_ADMIN_PASSWORD": ADMIN_PASSWORD,
           "SIM_PBX_USERNAME": PBX_USERNAME, "SIM_PBX_PASSWORD": PBX_PASSWORD,
           "SIM_PBX_API_KEY": PBX_API_KEY, "SIM_PBX_AUTH": "both", "SIM_QUIET": "1"}

# Options that always carry the connection to the simulator (never fuzzed).
CONNECTION = ("xswitch_url", "xswitch_token", "xswitch_username", "xswitch_password",
              "pbx_url", "pbx_api_key", "pbx_username", "pbx_password")
EXAMPLES = int(os.environ.get("CALLCENTER_PROPERTY_EXAMPLES", "12"))
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    # No shrinking: every step of it is a module run; the failing example is printed whole.
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.large_base_example],
    print_blob=False)


PYCACHE = tempfile.mkdtemp(prefix="callcenter-properties-pycache-")
atexit.register(shutil.rmtree, PYCACHE, True)

# Reads each module's argument spec by running its main() with CallcenterModule.__init__
# replaced by a function that captures the spec and stops.
SPEC_READER = r"""
import importlib, json, sys
from ansible_collections.telephony.callcenter.plugins.module_utils import module as mu

class Captured(Exception):
    pass

def plain(spec):
    out = {}
    for name, option in spec.items():
        entry = dict((k, option[k]) for k in
                     ("type", "elements", "choices", "required", "no_log", "default")
                     if k in option)
        if option.get("options"):
            entry["options"] = plain(option["options"])
        out[name] = entry
    return out

def capture(self, argument_spec, item_lists=None, **kwargs):
    raise Captured({"spec": plain(argument_spec), "item_lists": item_lists or {},
                    "rules": dict((k, [list(x) for x in v]) for k, v in kwargs.items()
                                  if isinstance(v, list))})

mu.CallcenterModule.__init__ = capture
specs = {}
for name in sys.argv[1:]:
    module = importlib.import_module(%r + name)
    try:
        module.main()
    except Captured as got:
        specs[name] = got.args[0]
print(json.dumps(specs))
""" % MODULE_PACKAGE


def module_env():
    # Byte code goes to a cache of this run, never into the checkout.
    env = dict(os.environ, PYTHONPATH=COLLECTIONS, PYTHONPYCACHEPREFIX=PYCACHE,
               LANG="C.UTF-8", LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8")
    for name in list(env):
        if name.startswith(("XSWITCH_", "PBX_", "ANSIBLE_")):
            env.pop(name)
    return env


def read_specs():
    done = subprocess.run([sys.executable, "-c", SPEC_READER] + list(MODULES), env=module_env(),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    specs = json.loads(done.stdout)
    assert sorted(specs) == sorted(MODULES), "no argument spec captured for %s" % (
        sorted(set(MODULES) - set(specs)))
    return specs


@pytest.fixture(scope="module")
def sim():
    """One simulator for this file, started with the known secrets."""
    with Simulator(env=SIM_ENV) as running:
        yield running


@pytest.fixture(scope="module")
def specs():
    return read_specs()


@pytest.fixture(scope="module")
def workdir():
    path = tempfile.mkdtemp(prefix="callcenter-properties-run-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


class Run:
    def __init__(self, done, text):
        self.returncode = done.returncode
        self.stdout = done.stdout
        self.stderr = done.stderr
        self.args_text = text
        try:
            self.result = json.loads(done.stdout.strip())
        except ValueError:
            self.result = None


def run_module(name, args_text, workdir):
    """Run a module as Ansible runs a local one; ``args_text`` is the whole args file."""
    path = os.path.join(workdir, "args.json")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(args_text)
    done = subprocess.run([sys.executable, "-m", MODULE_PACKAGE + name, path], cwd=workdir,
                          env=module_env(), capture_output=True, timeout=300, check=False)
    done.stdout = done.stdout.decode("utf-8", "replace")
    done.stderr = done.stderr.decode("utf-8", "replace")
    return Run(done, args_text)


def args_file(pairs, check_mode=False, diff=False):
    """``{"ANSIBLE_MODULE_ARGS": {...}}`` written from (key, value) pairs, so that a key may
    appear twice (JSON keeps the last)."""
    fields = ["%s: %s" % (json.dumps(key), json.dumps(value)) for key, value in pairs]
    if check_mode:
        fields.append('"_ansible_check_mode": true')
    if diff:
        fields.append('"_ansible_diff": true')
    return '{"ANSIBLE_MODULE_ARGS": {%s}}' % ", ".join(fields)


# -- the simulator's state before each example -------------------------------------------
def prepare(sim, module):
    """A fresh server with agents 1001 and 1002 and queues support (call center, 1001 a
    member) and hold (FIFO), so that updates and member changes have something to act on."""
    sim.reset()
    # These examples are about arguments, not about who may reset a password.
    sim.config("xswitch", super_admin_resets_password=True)
    if module.startswith("xswitch"):
        ids = {}
        for login, name in (("1001", "Ava"), ("1002", "Ben")):
            reply = sim.api("xswitch", "POST", "users", json={
                "login": login, "name": name, "extn": login, "password": AGENT_PASSWORDS[0],
                "type": "AGENT", "domain": "xswitch.cn"})
            assert reply.status_code == 200, reply.text
            ids[login] = reply.json()["data"]["id"] if isinstance(reply.json()["data"], dict) \
                else reply.json()["data"]
        queue = sim.api("xswitch", "POST", "queues", json={
            "name": "support", "type": "callcenter", "strategy": "ring-all"})
        assert queue.status_code == 200, queue.text
        queue_id = queue.json()["data"]
        queue_id = queue_id["id"] if isinstance(queue_id, dict) else queue_id
        member = sim.api("xswitch", "POST", "queues/%s/agents" % queue_id,
                         json={"agents": [{"agent_id": str(ids["1001"]), "agent_name": "1001"}]})
        assert member.status_code < 300, member.text
        fifo = sim.api("xswitch", "POST", "queues", json={
            "name": "hold", "type": "fifo", "strategy": "ringall"})
        assert fifo.status_code == 200, fifo.text


def writes(sim):
    return sim.stats("xswitch")["writes"] + sim.stats("simotel")["writes"]


def connection(sim, module, login):
    if module.startswith("pbx"):
        return [("pbx_url", sim.url("simotel")), ("pbx_api_key", PBX_API_KEY),
                ("pbx_username", PBX_USERNAME), ("pbx_password", PBX_PASSWORD)]
    if login:
        return [("xswitch_url", sim.url("xswitch")), ("xswitch_username", sim.admin_login),
                ("xswitch_password", ADMIN_PASSWORD)]
    return [("xswitch_url", sim.url("xswitch")), ("xswitch_token", XSWITCH_TOKEN)]


# -- strategies ---------------------------------------------------------------------------
ODD_CHARACTERS = "\x00\x01\x07\x08\t\n\r\x1b\x7f\u0085\u200b\u202e\ufeff\U0001f600\"'\\{}[]%$~/"
TEXT = st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(ODD_CHARACTERS)),
               max_size=30)
LONG_TEXT = st.builds(lambda chunk, times: (chunk * times)[:20000],
                      st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=4),
                      st.integers(min_value=300, max_value=6000))
NUMBERS = st.one_of(st.integers(), st.integers(min_value=-3, max_value=3),
                    st.floats(allow_nan=True, allow_infinity=True))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT, LONG_TEXT)
JUNK = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)), max_leaves=8)
SECRET_VALUE = st.one_of(st.sampled_from(AGENT_PASSWORDS), st.just(NUMERIC_SECRET),
                         st.none(), st.sampled_from(AGENT_PASSWORDS).map(lambda s: [s]),
                         st.sampled_from(AGENT_PASSWORDS).map(lambda s: {"value": s}))
LOGINS = st.one_of(st.sampled_from(["1001", "1002", "2001", "2002", "2003", "3001"]),
                   st.integers(min_value=1000, max_value=9999).map(str),
                   st.text(alphabet=st.characters(categories=("L", "N")), min_size=1,
                           max_size=12),
                   TEXT)
NAMES = st.one_of(st.sampled_from(["Ava", "Ben", "\u5f20\u4f1f", "Zo\u00eb", "\u0627\u0644\u064a"]),
                  TEXT)


def typed(option, name):
    """A value of the option's own type (valid or near it)."""
    if option.get("no_log"):
        return SECRET_VALUE
    if option.get("choices"):
        return st.one_of(st.sampled_from(option["choices"]), TEXT)
    kind = option.get("type", "str")
    if kind == "int":
        return st.one_of(st.integers(min_value=-5, max_value=400), st.integers(),
                         st.integers(min_value=0, max_value=99).map(str))
    if kind == "bool":
        return st.one_of(st.booleans(), st.sampled_from(["yes", "no", "on", "0", "1", "maybe"]))
    if kind == "list":
        if option.get("options"):
            return st.lists(item(option["options"]), max_size=3)
        return st.one_of(st.lists(LOGINS, max_size=4), TEXT)
    if kind == "dict":
        if option.get("options"):
            return fields(option["options"])
        return st.dictionaries(TEXT, JUNK, max_size=3)
    if name in ("login", "queue", "agent"):
        return LOGINS
    if name == "name":
        return NAMES
    return TEXT


def value(option, name):
    """Anything: the option's type, another type, or junk."""
    if option.get("no_log"):
        return SECRET_VALUE
    return st.one_of(typed(option, name), JUNK)


def fields(spec):
    """A dict of some of ``spec``'s options, each with any value, sometimes an unknown key."""
    return st.fixed_dictionaries({}, optional=dict(
        [(name, value(option, name)) for name, option in spec.items()]
        + [("bogus_key", JUNK), ("\u00fcnknown", JUNK)]))


def item(spec):
    return st.one_of(fields(spec), JUNK)


BAD_ITEMS = st.one_of(TEXT, st.sampled_from(["8105", "login=1001", ""]), NUMBERS, st.none(),
                      st.lists(JUNK, max_size=3),
                      st.dictionaries(st.sampled_from(["bogus", "agent_ids", "Login"]), JUNK,
                                      min_size=1, max_size=2))


# Valid tasks to start from, per module (connection added later).
def agent_item(login, secret):
    return {"login": login, "name": "Agent %s" % login, "extn": login, "password": secret,
            "domain": "xswitch.cn",
            "agent_info": {"status": "Available", "max_no_answer": 3}}


BASELINES = {
    "xswitch_agent": [
        agent_item("2001", AGENT_PASSWORDS[0]),
        {"agents": [agent_item("1001", AGENT_PASSWORDS[1]),
                    agent_item("2002", AGENT_PASSWORDS[2])]},
        {"agents": [agent_item("2001", AGENT_PASSWORDS[3]), agent_item("2002", AGENT_PASSWORDS[0]),
                    agent_item("1002", AGENT_PASSWORDS[0])]},
        {"login": "1002", "state": "absent"},
    ],
    "xswitch_agent_info": [{}, {"login": "1001", "include_extensions": True,
                                "include_queues": True}],
    "xswitch_queue": [
        {"name": "sales", "type": "callcenter", "strategy": "longest-idle-agent",
         "description": "Sales"},
        {"queues": [{"name": "support", "strategy": "round-robin"},
                    {"name": "sales", "type": "callcenter", "strategy": "top-down",
                     "auto_record": True},
                    {"name": "night", "type": "fifo", "strategy": "enterprise"}]},
    ],
    "xswitch_queue_info": [{}, {"name": "support", "include_params": True,
                                "include_members": True}],
    "xswitch_queue_param": [
        {"queue": "support", "params": {"wait-timeout": 300, "announce-frequency": 60}},
        {"queue": "hold", "params": [{"name": "importance", "value": 2, "enabled": True}]},
    ],
    "xswitch_queue_member": [
        {"queue": "support", "agents": ["1001", "1002"]},
        {"queue": "support", "agents": ["1001"], "state": "absent"},
        {"queue": "hold", "agents": ["1002"], "exclusive": True},
    ],
    "xswitch_center": [
        {"agents": [agent_item("1001", AGENT_PASSWORDS[1]), agent_item("2003", AGENT_PASSWORDS[2])],
         "queues": [{"name": "support", "strategy": "round-robin",
                     "params": {"wait-timeout": 300}, "members": ["1001", "2003"]},
                    {"name": "hold", "type": "fifo", "members": []}]},
        {"domain": "xswitch.cn", "agent_defaults": {"max_no_answer": 3, "status": "Available"},
         "agents": [agent_item("2001", AGENT_PASSWORDS[3]), agent_item("1002", AGENT_PASSWORDS[0])],
         "queues": [{"name": "night", "type": "fifo", "strategy": "enterprise",
                     "params": [{"name": "importance", "value": 2, "enabled": True}],
                     "members": ["2001"]}],
         "exclusive": True},
    ],
    "pbx_queue_batch_remove": [{"agents": [
        {"queue": "10000", "agent": "570"}, {"queue": 10001, "agent": 600},
        {"queue": "10000", "agent": "999"}]}],
    "pbx_queue": [
        {"number": "10000", "name": "support", "strategy": "rrmemory", "ring_timeout": 30,
         "call_record": True, "joinempty": "strict"},
        {"queues": [{"number": "9009", "name": "NasimTelecom", "maxlen": 0, "music": "default"},
                    {"number": 10001, "name": "queue 10001", "ringinuse": False}],
         "exclusive": True},
    ],
    "pbx_queue_member": [
        {"agents": [{"queue": "10000", "agent": "700", "source": "700", "penalty": 1},
                    {"queue": 10001, "agent": 600}], "batch_size": 1},
        {"agents": [{"queue": "10000", "agent": "570"}, {"queue": "10000", "agent": "999"}],
         "state": "absent"},
        {"agents": [{"queue": "10000", "agent": "553"}], "state": "paused"},
    ],
}


class Example:
    """One drawn example: the (key, value) pairs of the args file and what was changed."""

    def __init__(self, module, pairs, touched, args, check_mode, diff):
        self.module = module
        self.pairs = pairs
        self.touched = touched
        self.args = args
        self.check_mode = check_mode
        self.diff = diff

    def text(self):
        return args_file(self.pairs, self.check_mode, self.diff)


def mutate_list(draw, name, items, option, touched):
    """Bad items, changed items, duplicates, or a long list."""
    items = list(items)
    if option.get("options"):
        how = draw(st.sampled_from(["bad", "bad", "bad", "field", "duplicate", "long",
                                    "empty", "other"]))
    else:
        how = draw(st.sampled_from(["bad", "bad", "duplicate", "long", "empty", "other"]))
    if how == "bad":
        for dummy in range(draw(st.integers(min_value=1, max_value=3))):
            items.insert(draw(st.integers(min_value=0, max_value=len(items))), draw(BAD_ITEMS))
    elif how == "field":
        index = draw(st.integers(min_value=0, max_value=max(len(items) - 1, 0)))
        if items and isinstance(items[index], dict):
            changed = dict(items[index])
            changed.update(draw(fields(option["options"])))
            items[index] = changed
        else:
            items.append(draw(fields(option["options"])))
    elif how == "duplicate" and items:
        items.append(draw(st.sampled_from(items)))
    elif how == "long":
        size = draw(st.integers(min_value=100, max_value=400))
        if option.get("options") and "queue" in option["options"]:
            long_items = [{"queue": "10000", "agent": str(5000 + n)} for n in range(size)]
        elif option.get("options") and "login" in option["options"]:
            long_items = [{"login": str(5000 + n), "password": AGENT_PASSWORDS[n % 4],
                           "name": "N%d" % n} for n in range(size)]
        elif option.get("options"):
            long_items = [{"name": "q%d" % n, "strategy": "ring-all"} for n in range(size)]
        else:
            long_items = [str(5000 + n) for n in range(size)]
        items = long_items
        if draw(st.booleans()):
            items.insert(draw(st.integers(min_value=0, max_value=size)), draw(BAD_ITEMS))
    elif how == "empty":
        items = []
    else:
        items = draw(st.lists(item(option.get("options") or {}) if option.get("options")
                              else st.one_of(LOGINS, JUNK), max_size=4))
    touched.add(name)
    return items


@st.composite
def examples(draw, module, spec):
    options = spec["spec"]
    args = json.loads(json.dumps(draw(st.sampled_from(BASELINES[module]))))
    touched = set()
    rate = draw(st.sampled_from([0.0, 0.08, 0.25, 0.6]))
    for name in sorted(options):
        option = options[name]
        if name in CONNECTION:
            continue
        if option.get("type") == "list" and isinstance(args.get(name), list):
            # The list options are where most of a task is: changed in most examples.
            if draw(st.integers(min_value=0, max_value=9)) < 6:
                args[name] = mutate_list(draw, name, args[name], option, touched)
                continue
        if draw(st.floats(min_value=0, max_value=1)) >= rate:
            continue
        how = draw(st.sampled_from(["typed", "junk", "omit"] if name in args
                                   else ["typed", "junk"]))
        touched.add(name)
        if how == "omit":
            del args[name]
        elif how == "typed":
            args[name] = draw(typed(option, name))
        else:
            args[name] = draw(value(option, name))
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        unknown = draw(st.sampled_from(["bogus", "Login", "agent_ids", "_private"]))
        args[unknown] = draw(JUNK)
        touched.add(unknown)
    login = draw(st.booleans()) if module.startswith("xswitch") else False
    pairs = []
    for key, val in args.items():
        if draw(st.integers(min_value=0, max_value=14)) == 0:
            # A duplicate JSON key: the first one is shadowed (JSON keeps the last).
            pairs.append((key, draw(st.one_of(JUNK, st.sampled_from(AGENT_PASSWORDS)))))
        pairs.append((key, val))
    check_mode = draw(st.integers(min_value=0, max_value=3)) == 0
    diff = draw(st.booleans())
    return Example(module, pairs, touched, args, check_mode, diff), login


# -- the property --------------------------------------------------------------------------
def word(name):
    return re.compile(r"(?<![\w-])%s(?![\w-])" % re.escape(name))


def label_problems(msg, args, spec):
    """Every ``option[k]`` a message names must be an item of that list, and the name after
    it, ``(login X)``, that item's own."""
    problems = []
    for option, key in spec["item_lists"].items():
        items = args.get(option)
        for match in re.finditer(re.escape(option) + r"\[(\d+)\]", msg):
            index = int(match.group(1))
            if not isinstance(items, list) or index >= len(items):
                problems.append("%s names %s[%d], but the list has %s items" % (
                    "msg", option, index, len(items) if isinstance(items, list) else "no"))
                continue
            rest = msg[match.end():]
            named = " (%s " % key
            if rest.startswith(named):
                held = items[index]
                if not isinstance(held, dict) or not rest[len(named):].startswith(
                        "%s" % (held.get(key),)):
                    problems.append("msg labels %s[%d] with %r, but that item is %r" % (
                        option, index, rest[:60], held))
    return problems


def input_digests(args):
    """SIP ha1/ha1b digests of the passwords a task gives, as a server would store them."""
    found = set()
    entries = [args]
    if isinstance(args.get("agents"), list):
        entries += [entry for entry in args["agents"] if isinstance(entry, dict)]
    for entry in entries:
        password = entry.get("password")
        if not isinstance(password, str):
            continue
        for user in set(str(entry.get(k)) for k in ("login", "extn") if entry.get(k) is not None):
            for domain in set(["xswitch.cn", str(entry.get("domain") or "xswitch.cn")]):
                for principal in (user, "%s@%s" % (user, domain)):
                    found.add(hashlib.md5(("%s:%s:%s" % (principal, domain, password))
                                          .encode("utf-8")).hexdigest())
    return found


def leaks(text, example, known=()):
    """The secrets found in ``text``: the known ones, the digests of the task's passwords,
    and ``known``, what the server held around the run."""
    candidates = set(SECRETS) | input_digests(example.args) | set(known)
    return sorted(secret for secret in candidates if secret in text)


def check(example, run, before, after, spec, known=()):
    shown = "module %s\nargs: %s\nrc %s\nstdout: %s\nstderr: %s" % (
        example.module, example.text()[:3000], run.returncode, run.stdout[:3000],
        run.stderr[:3000])
    output = run.stdout + run.stderr
    assert "Traceback" not in output, "a Python traceback:\n" + shown
    assert isinstance(run.result, dict), "the output is not one JSON object:\n" + shown
    assert run.result.get("invocation") is not None, "no invocation: not the module's output\n" \
        + shown
    found = leaks(output, example, known)
    assert not found, "secret values in the output: %s\n%s" % (found, shown)
    if example.check_mode:
        assert after == before, "check mode wrote %d times:\n%s" % (after - before, shown)
    if not run.result.get("failed"):
        assert run.returncode == 0, shown
        return
    msg = run.result.get("msg")
    assert isinstance(msg, str) and msg.strip(), "a failure without msg:\n" + shown
    assert example.touched, "the unchanged valid task failed:\n" + shown
    assert any(word(name).search(msg) for name in example.touched), (
        "the message names none of the options the example changed (%s):\n%s"
        % (", ".join(sorted(example.touched)), shown))
    problems = label_problems(msg, example.args, spec)
    assert not problems, "; ".join(problems) + "\n" + shown
    if after != before and not server_judged(example, run):
        raise AssertionError("the run failed after %d write(s):\n%s" % (after - before, shown))


def server_judged(example, run):
    """Input only the server can judge, where the failure says what was applied.

    pbx_queue_batch_remove and pbx_queue_member fail, by design, when the server refuses a
    pair it was sent (an unknown queue, for one): the requests are the module's only writes
    and its result lists the server's answer for each pair. A media id (moh_sound, greeting) can only be checked by the
    server, since the API has no call that lists media: a refusal stops the run, and the
    failure names what was applied before it."""
    result = run.result
    if example.module in ("pbx_queue_batch_remove", "pbx_queue_member"):
        return result.get("batches", 0) >= 1 and (result.get("counts") or {}).get("failed", 0) >= 1
    return (example.module == "xswitch_queue" and "media" in result.get("msg", "")
            and "applied before the failure" in result.get("msg", "") and result.get("changed"))


# -- tests ---------------------------------------------------------------------------------
def test_runner_really_runs_the_module(sim, specs, workdir):
    """The runner reaches the module: a valid read lists the agents and hits the server."""
    prepare(sim, "xswitch_agent_info")
    before = sim.stats("xswitch")["total"]
    run = run_module("xswitch_agent_info", args_file(connection(sim, "xswitch_agent_info", False)),
                     workdir)
    assert run.returncode == 0, run.stdout + run.stderr
    assert sorted(agent["login"] for agent in run.result["agents"]) == ["1001", "1002"]
    assert run.result["invocation"]["module_args"]["xswitch_token"] != XSWITCH_TOKEN
    assert sim.stats("xswitch")["total"] > before
    assert set(specs["xswitch_agent"]["spec"]) >= {"agents", "login", "password", "agent_info"}


BASELINE_CASES = [(module, index) for module in MODULES for index in range(len(BASELINES[module]))]


@pytest.mark.parametrize("module,index", BASELINE_CASES,
                         ids=["%s-%d" % case for case in BASELINE_CASES])
def test_unchanged_baseline_succeeds(sim, workdir, module, index):
    """Every starting point the examples change is a valid task, else the property is void."""
    prepare(sim, module)
    pairs = connection(sim, module, False) + list(BASELINES[module][index].items())
    run = run_module(module, args_file(pairs), workdir)
    assert isinstance(run.result, dict) and not run.result.get("failed"), (
        "%s\n%s" % (run.stdout, run.stderr))


@pytest.mark.parametrize("module", MODULES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_arguments_fail_cleanly_or_succeed(sim, specs, workdir, module, data):
    spec = specs[module]
    example, login = data.draw(examples(module, spec), label="example")
    prepare(sim, module)
    example.pairs = connection(sim, module, login) + example.pairs
    known = server_secrets(sim)
    before = writes(sim)
    run = run_module(module, example.text(), workdir)
    after = writes(sim)
    check(example, run, before, after, spec, known | server_secrets(sim))


# Hand-picked cases of the same property, so that they run whatever hypothesis draws.
CASES = [
    ("xswitch_agent", {"agents": [{"login": "2001", "password": AGENT_PASSWORDS[0]}, "8105"]},
     {"agents"}),
    ("xswitch_agent", {"agents": [{"login": "2001", "password": AGENT_PASSWORDS[0]}, 8105,
                                  {"login": "2002", "bogus": 1}]}, {"agents"}),
    ("xswitch_agent", {"agents": [{"login": "2001", "password": AGENT_PASSWORDS[1],
                                   "agent_info": "lag"}]}, {"agents"}),
    ("xswitch_agent", {"login": "2001", "password": AGENT_PASSWORDS[2], "timeout": 10 ** 20},
     {"timeout"}),
    ("xswitch_queue", {"queues": [{"name": "q1"}, ["nested"], {"name": "q2", "type": "x"}]},
     {"queues"}),
    ("pbx_queue_batch_remove", {"agents": ["10000/570"]}, {"agents"}),
    ("pbx_queue_batch_remove", {"agents": [{"queue": "10000", "agent": "570"}, None]},
     {"agents"}),
    ("xswitch_queue_member", {"queue": "support", "agents": ["1001", {"login": "1002"}]},
     {"agents"}),
    ("xswitch_queue_param", {"queue": "support", "params": [{"name": "wait-timeout"}, 5]},
     {"params"}),
    # Input that passes the module's checks and that the server refuses after other items of
    # the same list were written: two new agents with one extension number, an empty domain,
    # a media id the server does not have.
    ("xswitch_agent", {"agents": [agent_item("2001", AGENT_PASSWORDS[0]),
                                  dict(agent_item("2002", AGENT_PASSWORDS[1]), extn="2001")]},
     {"agents"}),
    ("xswitch_agent", {"agents": [agent_item("2001", AGENT_PASSWORDS[0]),
                                  dict(agent_item("2002", AGENT_PASSWORDS[1]), domain="")]},
     {"agents"}),
    ("xswitch_queue", {"queues": [{"name": "sales"}, {"name": "night", "moh_sound": 99999}]},
     {"queues"}),
]


CASE_IDS = [
    "agent-string-item", "agent-number-item-before-a-bad-one", "agent-info-as-text",
    "timeout-too-large", "queue-nested-list-item", "pbx-string-item", "pbx-null-item",
    "member-dict-item", "param-number-item", "agents-sharing-an-extension",
    "agent-empty-domain", "queue-unknown-media-id"]


@pytest.mark.parametrize("module,options,touched", CASES, ids=CASE_IDS)
def test_hand_picked_cases(sim, specs, workdir, module, options, touched):
    prepare(sim, module)
    example = Example(module, connection(sim, module, False) + list(options.items()), touched,
                      options, False, True)
    known = server_secrets(sim)
    before = writes(sim)
    run = run_module(module, example.text(), workdir)
    check(example, run, before, writes(sim), specs[module], known | server_secrets(sim))


def test_secret_digests_are_what_the_check_looks_for(sim):
    """The leak check knows a password's SIP ha1 from the task and from the server."""
    ha1 = hashlib.md5(("2001:xswitch.cn:%s" % AGENT_PASSWORDS[0]).encode()).hexdigest()
    example = Example("xswitch_agent", [], set(), agent_item("2001", AGENT_PASSWORDS[0]),
                      False, False)
    assert leaks("ha1 is %s." % ha1, example) == [ha1]
    prepare(sim, "xswitch_agent")
    stored = sim.api("xswitch", "GET", "users", params={"login": "1001"}).json()["data"][0]
    assert stored["ha1"] in server_secrets(sim)
