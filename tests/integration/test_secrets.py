"""No secret reaches the output of ansible-playbook -vvvv --diff, whatever the module does.

Every module runs through real ``ansible-playbook`` runs (the ``play`` fixture, at ``-vvvv``
with ``--diff``): success paths, check mode, argument failures, and API error pages that echo
the request back (the token, the passwords, the Basic auth header value, a SIP ha1 digest of
an agent password). The secrets reach the modules the way users pass them: environment
variables, ``module_defaults`` for the action groups, and module options templated from
variables.

Checked in everything ansible-playbook prints (stdout and stderr) and in every registered
result: each secret value, the base64 of ``user:password`` of Simotel's Basic auth, and the
ha1/ha1b digests (md5 of ``login:domain:password``) of the agents' passwords, computed and as
the simulator stores them.
"""

import base64
import hashlib
import json

import pytest

from simulator.testing import Simulator

from conftest import server_secrets

AGENT = "telephony.callcenter.xswitch_agent"
AGENT_INFO = "telephony.callcenter.xswitch_agent_info"
QUEUE = "telephony.callcenter.xswitch_queue"
QUEUE_INFO = "telephony.callcenter.xswitch_queue_info"
QUEUE_PARAM = "telephony.callcenter.xswitch_queue_param"
QUEUE_MEMBER = "telephony.callcenter.xswitch_queue_member"
BATCH_REMOVE = "telephony.callcenter.pbx_queue_batch_remove"

XSWITCH_TOKEN = "tok-Sec-8hJ2wQ-TOKEN"
ADMIN_PASSWORD = "adm-Sec-5tR7yU-ADMIN"
PBX_USERNAME = "pbxapi"
PBX_PASSWORD = "pbx-Sec-3kL9mN-BASIC"
PBX_API_KEY = "key-Sec-6vB1xZ-APIKEY"
DOMAIN = "xswitch.cn"
# Agent passwords, each handed over as a variable (the environment here, as a vault would).
PASSWORDS = {
    "AGENT_PW_2001": "agent-Sec-2001-Qw9",
    "AGENT_PW_2002": "agent-Sec-2002-\u00c4\u00df7",
    "AGENT_PW_2003": "agent Sec 2003 with spaces",
    "AGENT_PW_NEW": "agent-Sec-new-Zx4",
    "EXTN_PW_2001": "extn-Sec-2001-Pl0",
}
BASIC = base64.b64encode(("%s:%s" % (PBX_USERNAME, PBX_PASSWORD)).encode()).decode()
SECRETS = [XSWITCH_TOKEN, ADMIN_PASSWORD, PBX_PASSWORD, PBX_API_KEY, BASIC] + list(
    PASSWORDS.values())
SIM_ENV = {"SIM_XSWITCH_TOKEN": XSWITCH_TOKEN, "SIM_ADMIN_PASSWORD": ADMIN_PASSWORD,
           "SIM_PBX_USERNAME": PBX_USERNAME, "SIM_PBX_PASSWORD": PBX_PASSWORD,
           "SIM_PBX_API_KEY": PBX_API_KEY, "SIM_PBX_AUTH": "both", "SIM_QUIET": "1"}


def ha1(user, password, domain=DOMAIN):
    return hashlib.md5(("%s:%s:%s" % (user, domain, password)).encode("utf-8")).hexdigest()


def digests():
    """ha1 and ha1b of every agent password under every login this file uses."""
    found = []
    for password in PASSWORDS.values():
        for login in ("2001", "2002", "2003", "2004", "1001"):
            found += [ha1(login, password), ha1("%s@%s" % (login, DOMAIN), password)]
    return found


def password(name):
    """A module option templated from a variable, as users pass secrets."""
    return "{{ lookup('ansible.builtin.env', '%s') }}" % name


def agent(login, secret, **more):
    options = {"login": login, "name": "Agent %s" % login, "extn": login,
               "password": password(secret), "domain": DOMAIN}
    options.update(more)
    return options


@pytest.fixture(scope="module")
def sim():
    """This file's simulator, started with the secrets above."""
    with Simulator(env=SIM_ENV) as running:
        yield running


@pytest.fixture
def secret_play(play):
    """``play`` at -vvvv with --diff and the agent passwords in the environment."""

    def run(tasks, **kwargs):
        env = dict(PASSWORDS)
        env.update(kwargs.pop("env", {}) or {})
        kwargs.setdefault("verbosity", 4)
        kwargs.setdefault("diff", True)
        return play(tasks, env=env, **kwargs)

    return run


def assert_no_secret(run, sim):
    """No secret in what ansible-playbook printed nor in any registered result (digests in
    lower and upper case)."""
    texts = {"output": run.stdout,
             "results": json.dumps(run.results, ensure_ascii=False),
             "results (ASCII)": json.dumps(run.results)}
    candidates = set(SECRETS)
    for digest in set(digests()) | server_secrets(sim):
        candidates.update((digest, digest.upper()))
    found = dict((where, sorted(secret for secret in candidates if secret in text))
                 for where, text in texts.items())
    found = dict((where, secrets) for where, secrets in found.items() if secrets)
    assert not found, "secrets in the output: %s\n%s" % (found, run.stdout[-20000:])
    # The run really was at -vvvv with --diff: module arguments and results are printed.
    assert "<localhost> EXEC" in run.stdout and "invocation" in run.stdout


def ok(result):
    return not result.get("failed") and not result.get("skipped")


# -- success paths ------------------------------------------------------------------------
def test_every_module_succeeds_without_printing_a_secret(sim, secret_play):
    run = secret_play([
        {AGENT: {"agents": [agent("2001", "AGENT_PW_2001", extn_password=password("EXTN_PW_2001")),
                            agent("2002", "AGENT_PW_2002",
                                  agent_info={"status": "Available", "max_no_answer": 3}),
                            agent("2003", "AGENT_PW_2003")]}},
        # A password change with the old password, then the same again (unchanged).
        {AGENT: agent("2002", "AGENT_PW_NEW", old_password=password("AGENT_PW_2002"))},
        {AGENT: agent("2002", "AGENT_PW_NEW")},
        {AGENT_INFO: {}},
        {AGENT_INFO: {"login": "2001", "include_extensions": True, "include_queues": True}},
        {QUEUE: {"queues": [{"name": "support", "strategy": "longest-idle-agent"},
                            {"name": "hold", "type": "fifo", "strategy": "ringall"}]}},
        {QUEUE_PARAM: {"queue": "support", "params": {
            "wait-timeout": 300, "overflow-capacity-action": {"action": "transfer",
                                                              "data": "2003"}}}},
        {QUEUE_MEMBER: {"queue": "support", "agents": ["2001", "2002", "2003"]}},
        {QUEUE_INFO: {"name": "support", "include_params": True, "include_members": True}},
        {QUEUE_INFO: {}},
        {QUEUE_MEMBER: {"queue": "support", "agents": ["2003"], "state": "absent"}},
        {AGENT: {"login": "2003", "state": "absent"}},
        {BATCH_REMOVE: {"agents": [{"queue": "10000", "agent": "570"},
                                   {"queue": "10001", "agent": "999"}]}},
    ])
    assert all(ok(result) for result in run.results), [r.get("msg") for r in run.results]
    assert run[0]["changed"] is True and run[1]["changed"] is True
    assert run[2]["changed"] is False
    assert_no_secret(run, sim)


def test_check_mode_prints_no_secret(sim, secret_play):
    secret_play([{AGENT: agent("2001", "AGENT_PW_2001")},
                 {QUEUE: {"name": "support", "strategy": "ring-all"}}])
    before = sim.stats("xswitch")["writes"]
    run = secret_play([
        {AGENT: {"agents": [agent("2001", "AGENT_PW_NEW"), agent("2002", "AGENT_PW_2002")],
                 "exclusive": True}},
        {AGENT: agent("2004", "AGENT_PW_2003", agent_info={"status": "On Break"})},
        {QUEUE: {"name": "night", "type": "fifo", "strategy": "enterprise"}},
        {QUEUE_PARAM: {"queue": "night", "params": {"importance": 2}}},
        {QUEUE_MEMBER: {"queue": "support", "agents": ["2001", "2002"], "exclusive": True}},
        {AGENT_INFO: {"login": "2001", "include_extensions": True}},
        {QUEUE_INFO: {"name": "support", "include_members": True}},
        {BATCH_REMOVE: {"agents": [{"queue": "10000", "agent": "553"}]}},
    ], check=True)
    assert all(ok(result) for result in run.results), [r.get("msg") for r in run.results]
    assert run[0]["changed"] is True
    assert sim.stats("xswitch")["writes"] == before
    assert_no_secret(run, sim)


def test_connection_from_module_defaults_and_a_login(sim, secret_play):
    """The token and passwords set once for a play in module_defaults (templated, as from a
    vault), XSwitch through a login with user and password."""
    env = {"VAULT_ADMIN_PASSWORD": ADMIN_PASSWORD, "VAULT_PBX_PASSWORD": PBX_PASSWORD,
           "VAULT_PBX_API_KEY": PBX_API_KEY}
    run = secret_play([
        {AGENT: agent("2001", "AGENT_PW_2001")},
        {AGENT_INFO: {"login": "2001"}},
        {BATCH_REMOVE: {"agents": [{"queue": "10000", "agent": "554"}]}},
    ], xswitch={"xswitch_url": sim.url("xswitch"), "xswitch_username": sim.admin_login,
                "xswitch_password": password("VAULT_ADMIN_PASSWORD")},
        pbx={"pbx_url": sim.url("simotel"), "pbx_username": PBX_USERNAME,
             "pbx_password": password("VAULT_PBX_PASSWORD"),
             "pbx_api_key": password("VAULT_PBX_API_KEY")}, env=env)
    assert all(ok(result) for result in run.results), [r.get("msg") for r in run.results]
    assert sim.stats("xswitch")["requests"].get("POST /api/sessions", 0) >= 1
    assert_no_secret(run, sim)


def test_connection_as_plain_module_options(sim, secret_play):
    """The connection given as the task's own options."""
    run = secret_play([
        {AGENT: dict(agent("2001", "AGENT_PW_2001"), xswitch_url=sim.url("xswitch"),
                     xswitch_token="{{ lookup('ansible.builtin.env', 'MY_TOKEN') }}")},
        {BATCH_REMOVE: {"agents": [{"queue": "10000", "agent": "570"}],
                        "pbx_url": sim.url("simotel"), "pbx_username": PBX_USERNAME,
                        "pbx_password": "{{ lookup('ansible.builtin.env', 'MY_PBX_PW') }}",
                        "pbx_api_key": "{{ lookup('ansible.builtin.env', 'MY_PBX_KEY') }}"}},
    ], env={"MY_TOKEN": XSWITCH_TOKEN, "MY_PBX_PW": PBX_PASSWORD, "MY_PBX_KEY": PBX_API_KEY})
    assert all(ok(result) for result in run.results), [r.get("msg") for r in run.results]
    assert_no_secret(run, sim)


# -- argument failures --------------------------------------------------------------------
def test_argument_failures_print_no_secret(sim, secret_play):
    run = secret_play([
        {AGENT: {"agents": [agent("2001", "AGENT_PW_2001"), "8105"]}},
        {AGENT: {"agents": [agent("2001", "AGENT_PW_2001", agent_info="lag")]}},
        {AGENT: {"agents": [agent("2001", "AGENT_PW_2001", bogus=1),
                            agent("2002", "AGENT_PW_2002", extn_password=password("EXTN_PW_2001"),
                                  agent_info={"status": "Sleeping"})]}},
        {AGENT: agent("2001", "AGENT_PW_2001", agents=[agent("2002", "AGENT_PW_2002")])},
        {AGENT: {"agents": [agent("2001", "AGENT_PW_2001"), agent("2001", "AGENT_PW_2002")]}},
        {AGENT: dict(agent("2001", "AGENT_PW_2001"), timeout=0)},
        {AGENT: {"agents": [], "exclusive": True}},
        {QUEUE: {"queues": [{"name": "q1", "strategy": "ringall"}, ["nested"]]}},
        {QUEUE_PARAM: {"queue": "support", "params": [{"name": "wait-timeout", "x": 1}]}},
        {QUEUE_MEMBER: {"queue": "support", "agents": ["2001", {"login": "2002"}]}},
        {BATCH_REMOVE: {"agents": ["10000/570"]}},
        {BATCH_REMOVE: {"agents": [{"queue": "10000", "agent": "570"}], "batch_size": 0,
                        "absent_patterns": ["("]}},
    ])
    assert all(result.get("failed") for result in run.results), [
        (r.get("changed"), r.get("msg")) for r in run.results]
    assert sim.stats("xswitch")["writes"] == 0 and sim.stats("simotel")["writes"] == 0
    assert_no_secret(run, sim)


# -- error pages that echo the request ----------------------------------------------------
def echo_page(lines):
    return "<html><body><h1>500 Internal Server Error</h1><pre>%s</pre></body></html>" % (
        "\n".join(lines))


def xswitch_echo(*passwords):
    """What an error page echoes of a request: the module's token, the passwords it sent
    (only those: a module cannot mask what it was never given), and the ha1/ha1b digests a
    server derives from the agent's password, lower and upper case."""
    lines = ["X-XTRA-AUTH-ID: %s" % XSWITCH_TOKEN]
    if passwords:
        lines.append('body: {"login": "2001", %s}' % ", ".join(
            '"password": "%s"' % PASSWORDS[name] for name in passwords))
    lines += ["ha1=%s ha1b=%s" % (ha1("2001", PASSWORDS["AGENT_PW_2001"]),
                                  ha1("2001@" + DOMAIN, PASSWORDS["AGENT_PW_2001"])),
              "HA1=%s" % ha1("2002", PASSWORDS["AGENT_PW_2002"]).upper()]
    return lines


SHAPES = {
    "html": echo_page,
    "envelope": lambda lines: {"code": 500, "message": " | ".join(lines)},
    "nested-json": lambda lines: {"error": {"request": " | ".join(lines)}},
    "text": " | ".join,
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_xswitch_error_pages_echoing_the_request(sim, secret_play, shape):
    """XSwitch calls answered by a page that echoes the request: the create of an agent (its
    token, password and extension password), the reads of users and queues."""
    body = SHAPES[shape]
    sim.faults("xswitch", route="^GET /api/users", count=1, status=400, body=body(
        xswitch_echo("AGENT_PW_2001", "EXTN_PW_2001")))
    sim.faults("xswitch", route="^POST /api/users$", count=1, status=500, body=body(
        xswitch_echo("AGENT_PW_2001", "EXTN_PW_2001")))
    sim.faults("xswitch", route="^GET /api/queues", count=1, status=404, body=body(
        xswitch_echo()))
    run = secret_play([
        {AGENT: {"agents": [agent("2001", "AGENT_PW_2001",
                                  extn_password=password("EXTN_PW_2001"))]}},
        {AGENT: {"agents": [agent("2001", "AGENT_PW_2001",
                                  extn_password=password("EXTN_PW_2001"))]}},
        {QUEUE_INFO: {}},
        {AGENT_INFO: {}},
    ])
    assert [bool(result.get("failed")) for result in run.results] == [True, True, True, False]
    assert all(fault["applied"] >= 1 for fault in sim.faults("xswitch")), sim.faults("xswitch")
    assert_no_secret(run, sim)


@pytest.mark.parametrize("body", [
    lambda lines: {"code": 500, "message": " | ".join(lines), "data": None},
    lambda lines: {"code": "403", "error_text": " | ".join(lines), "data": {}},
], ids=["code-500", "code-403"])
def test_xswitch_envelope_errors_in_a_200_reply(sim, secret_play, body):
    """An envelope whose code is an error, inside an HTTP 200 reply, echoing the request."""
    secret_play([{AGENT: agent("2001", "AGENT_PW_2001")}])
    sim.faults("xswitch", route="^PUT /api/users/", count=1, status=200,
               body=body(xswitch_echo("AGENT_PW_NEW")))
    sim.faults("xswitch", route="^POST /api/queues$", count=1, status=200,
               body=body(xswitch_echo()))
    run = secret_play([
        {AGENT: agent("2001", "AGENT_PW_NEW", name="Renamed")},
        {QUEUE: {"name": "support", "strategy": "ring-all"}},
    ])
    assert all(result.get("failed") for result in run.results), [
        r.get("msg") for r in run.results]
    assert all(fault["applied"] == 1 for fault in sim.faults("xswitch")), sim.faults("xswitch")
    assert_no_secret(run, sim)


def test_xswitch_login_refused_with_an_echo(sim, secret_play):
    """A login whose refusal echoes the user and password back."""
    sim.faults("xswitch", route="^POST /api/sessions$", count=1, status=401, body={
        "code": 401, "message": "bad login admin/%s" % ADMIN_PASSWORD})
    run = secret_play([{AGENT_INFO: {}}],
                      xswitch={"xswitch_url": sim.url("xswitch"),
                               "xswitch_username": sim.admin_login,
                               "xswitch_password": password("VAULT_ADMIN_PASSWORD")},
                      env={"VAULT_ADMIN_PASSWORD": ADMIN_PASSWORD})
    assert run[0]["failed"] is True and "login refused" in run[0]["msg"]
    assert_no_secret(run, sim)


SIMOTEL_ECHO = (
    "Authorization: Basic %s" % BASIC,
    "X-APIKEY: %s" % PBX_API_KEY,
    "user %s password %s" % (PBX_USERNAME, PBX_PASSWORD),
    "ha1 %s" % ha1("2001", PASSWORDS["AGENT_PW_2001"]))
SIMOTEL_ECHO_TEXT = " | ".join(SIMOTEL_ECHO)


@pytest.mark.parametrize("status,body", [
    (401, echo_page(SIMOTEL_ECHO)),
    (403, {"success": 0, "message": SIMOTEL_ECHO_TEXT, "data": None}),
    (500, SIMOTEL_ECHO_TEXT),
    (200, {"success": 0, "message": SIMOTEL_ECHO_TEXT, "data": None}),
    (200, {"success": 1, "message": SIMOTEL_ECHO_TEXT, "data": {"Data": [
        {"queue": "10000", "agent": "570", "ok": 0, "message": SIMOTEL_ECHO_TEXT},
        {"queue": "10000", "agent": "999", "ok": 0, "message": SIMOTEL_ECHO_TEXT}], "ok": 0}}),
], ids=["401-html", "403-json", "500-text", "success-0", "per-item"])
def test_simotel_error_pages_echoing_the_request(sim, secret_play, status, body):
    sim.faults("simotel", route="batchremoveagent", count=1, status=status, body=body)
    run = secret_play([{BATCH_REMOVE: {"agents": [{"queue": "10000", "agent": "570"}]}}])
    assert run[0]["failed"] is True, run[0]
    assert sim.faults("simotel")[0]["applied"] == 1
    assert_no_secret(run, sim)
