"""AWX / Automation Controller: the credential types of extensions/awx/, the playbook that
creates them, and playbooks/demo.yml run by ansible-runner (the engine AWX runs) with the
environment those credential types inject, against the simulator."""

import glob
import json
import os
import re
import secrets
import shutil
import subprocess
import sys

import pytest
import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from packaging_support import BIN, REPO, tool
from simulator.testing import Simulator

AWX = os.path.join(REPO, "extensions", "awx")
TYPES = ("xswitch", "simotel")
# What AWX accepts in a custom credential type (awx/main/fields.py).
FIELD_KEYS = {"id", "label", "type", "help_text", "secret", "multiline", "format", "choices",
              "default", "ask_at_runtime"}
ENV_NAME = re.compile(r"^[a-zA-Z_]+[a-zA-Z0-9_]*$")
# Every option a credential type injects, by the module_utils that declares the connection.
SPECS = {"xswitch": ("xswitch", "XSWITCH_CONNECTION_SPEC"),
         "simotel": ("simotel", "PBX_CONNECTION_SPEC")}
CONNECTION_NAMES = ("XSWITCH_URL", "XSWITCH_TOKEN", "XSWITCH_USERNAME", "XSWITCH_PASSWORD",
                    "XSWITCH_VALIDATE_CERTS", "PBX_URL", "PBX_API_KEY", "PBX_USERNAME",
                    "PBX_PASSWORD", "PBX_VALIDATE_CERTS")


def credential_type(name):
    with open(os.path.join(AWX, "credential_types", name + ".yml")) as handle:
        return yaml.safe_load(handle)


def inject(definition, inputs):
    """The environment AWX injects for a credential of this type with these inputs
    (CredentialType.inject_credential): an empty or missing input is left out of the
    namespace, so it renders as an empty string."""
    namespace = dict((key, value) for key, value in inputs.items() if value)
    sandbox = ImmutableSandboxedEnvironment()
    return dict((name, sandbox.from_string(template).render(**namespace))
                for name, template in definition["injectors"]["env"].items())


def connection_spec(installed_collection, kind):
    """The connection options' spec of the installed collection's module_utils."""
    module, attribute = SPECS[kind]
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]);"
            "from ansible_collections.telephony.callcenter.plugins.module_utils.%s import %s as s;"
            "print(json.dumps(dict((k, v['fallback'][1][0]) for k, v in s.items() if 'fallback' in v)))"
            % (module, attribute))
    done = subprocess.run([sys.executable, "-c", code, str(installed_collection)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("kind", TYPES)
def test_credential_type_is_what_awx_accepts(kind):
    definition = credential_type(kind)
    assert set(definition) == {"name", "description", "kind", "inputs", "injectors"}
    assert definition["kind"] == "cloud"
    assert definition["name"] and definition["description"]
    assert set(definition["inputs"]) <= {"fields", "required"}
    ids = []
    for field in definition["inputs"]["fields"]:
        assert set(field) <= FIELD_KEYS, field
        assert ENV_NAME.match(field["id"]) and field["id"] != "tower"
        assert field["label"] and field.get("type", "string") == "string"
        ids.append(field["id"])
        secret = re.search(r"token|password|key", field["id"]) is not None
        assert field.get("secret", False) is secret, "%s: secret must be %s" % (field["id"], secret)
    assert len(ids) == len(set(ids))
    assert set(definition["inputs"]["required"]) <= set(ids)
    assert [f for f in ids if f.endswith("_url")] == definition["inputs"]["required"]
    assert set(definition["injectors"]) == {"env"}
    for name, template in definition["injectors"]["env"].items():
        assert ENV_NAME.match(name) and not name.startswith("ANSIBLE_"), name
        assert template.isascii()
        # AWX's own check when the type is saved: every template names a defined field.
        ImmutableSandboxedEnvironment(undefined=StrictUndefined).from_string(template).render(
            dict((i, "EXAMPLE") for i in ids))


@pytest.mark.parametrize("kind", TYPES)
def test_each_injected_variable_is_a_module_option(installed_collection, kind):
    definition = credential_type(kind)
    fallbacks = connection_spec(installed_collection, kind)
    ids = [field["id"] for field in definition["inputs"]["fields"]]
    rendered = inject(definition, dict((i, "value-of-" + i) for i in ids))
    for name, value in rendered.items():
        option = value[len("value-of-"):]
        assert fallbacks.get(option) == name, "%s does not set the option %s" % (name, option)
    # The URL and every credential the modules take.
    assert set(rendered) == set(name for name in fallbacks.values() if not name.endswith("_VALIDATE_CERTS"))


def test_create_credential_types_playbook(tmp_path):
    """The playbook hands each definition to awx.awx.credential_type as it is, the injectors'
    templates untouched (awx.awx is a stand-in here: Galaxy is out of reach)."""
    modules = tmp_path / "collections" / "ansible_collections" / "awx" / "awx" / "plugins" / "modules"
    modules.mkdir(parents=True)
    (modules / "credential_type.py").write_text(
        "import json, os\n"
        "from ansible.module_utils.basic import AnsibleModule\n"
        "spec = dict(name=dict(required=True), description=dict(), kind=dict(),\n"
        "            inputs=dict(type='dict'), injectors=dict(type='dict'), state=dict())\n"
        "module = AnsibleModule(argument_spec=spec)\n"
        "with open(os.environ['STAND_IN_RECORD'], 'a') as handle:\n"
        "    handle.write(json.dumps(module.params) + '\\n')\n"
        "module.exit_json(changed=True)\n")
    record = tmp_path / "record.jsonl"
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / "collections"),
               STAND_IN_RECORD=str(record), ANSIBLE_NOCOLOR="1")
    done = subprocess.run(
        [tool("ansible-playbook"), "-i", "localhost,", "-c", "local",
         "-e", "ansible_python_interpreter=%s" % sys.executable,
         os.path.join(AWX, "create_credential_types.yml")],
        env=env, cwd=str(tmp_path), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    sent = [json.loads(line) for line in record.read_text().splitlines()]
    assert len(sent) == len(TYPES)
    for params, kind in zip(sent, TYPES):
        expected = credential_type(kind)
        expected["state"] = "present"
        assert params == expected


# -- the demo through ansible-runner, as an AWX job ---------------------------------------

def run_job(private_data_dir, ident, envvars):
    (private_data_dir / "env" / "envvars").write_text(json.dumps(envvars))
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    for name in CONNECTION_NAMES + ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS"):
        env.pop(name, None)
    done = subprocess.run(
        [tool("ansible-runner"), "run", str(private_data_dir), "-p", "demo.yml", "--ident", ident],
        env=env, capture_output=True, text=True, timeout=600, check=False)
    artifacts = private_data_dir / "artifacts" / ident
    events = []
    for path in sorted(glob.glob(str(artifacts / "job_events" / "*.json"))):
        with open(path) as handle:
            events.append((path, handle.read()))
    stdout = (artifacts / "stdout").read_text() if (artifacts / "stdout").exists() else ""
    status = (artifacts / "status").read_text().strip() if (artifacts / "status").exists() else ""
    return done, status, stdout, events


def recap(events):
    for dummy, text in events:
        event = json.loads(text)
        if event.get("event") == "playbook_on_stats":
            return event["event_data"]
    raise AssertionError("no playbook_on_stats event")


def test_demo_as_an_awx_job(installed_collection, tmp_path):
    secret_values = {
        "xswitch_token": "tok-" + secrets.token_hex(12),
        "xswitch_admin_password": "Adm-" + secrets.token_hex(12),
        "pbx_api_key": "key-" + secrets.token_hex(12),
        "pbx_password": "pw-" + secrets.token_hex(12),
    }
    demo = os.path.join(str(installed_collection), "ansible_collections", "telephony", "callcenter",
                        "playbooks", "demo.yml")
    with open(demo) as handle:
        demo_text = handle.read()
    agent_passwords = set(re.findall(r"password: (Demo-[\w-]+)", demo_text))
    assert len(agent_passwords) == 8

    pdd = tmp_path / "job"
    for sub in ("project", "inventory", "env"):
        (pdd / sub).mkdir(parents=True)
    shutil.copy(demo, str(pdd / "project" / "demo.yml"))
    (pdd / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)

    sim_env = {"SIM_XSWITCH_TOKEN": secret_values["xswitch_token"],
               "SIM_ADMIN_PASSWORD": secret_values["xswitch_admin_password"],
               "SIM_PBX_API_KEY": secret_values["pbx_api_key"],
               "SIM_PBX_PASSWORD": secret_values["pbx_password"]}
    with Simulator(env=sim_env) as sim:
        assert sim.token == secret_values["xswitch_token"]
        simotel = inject(credential_type("simotel"), {
            "pbx_url": sim.simotel_url, "pbx_api_key": sim.pbx_api_key,
            "pbx_username": sim.pbx_username, "pbx_password": sim.pbx_password})
        # First job: an XSwitch credential with a token; the username and password fields are
        # empty, and AWX injects them as empty strings.
        by_token = inject(credential_type("xswitch"), {
            "xswitch_url": sim.xswitch_url, "xswitch_token": sim.token})
        assert by_token["XSWITCH_USERNAME"] == "" and by_token["XSWITCH_PASSWORD"] == ""
        # Second job: a credential with the admin's login instead, and an empty token.
        by_login = inject(credential_type("xswitch"), {
            "xswitch_url": sim.xswitch_url, "xswitch_username": sim.admin_login,
            "xswitch_password": sim.admin_password})
        assert by_login["XSWITCH_TOKEN"] == ""
        collections = {"ANSIBLE_COLLECTIONS_PATH": str(installed_collection)}

        first, first_status, first_stdout, first_events = run_job(
            pdd, "first", dict(collections, **dict(by_token, **simotel)))
        assert first.returncode == 0 and first_status == "successful", first.stdout + first.stderr
        first_recap = recap(first_events)
        assert sum(first_recap["changed"].values()) > 0
        assert sim.stats("xswitch")["writes"] > 0

        writes = sim.stats("xswitch")["writes"]
        second, second_status, second_stdout, second_events = run_job(
            pdd, "second", dict(collections, **dict(by_login, **simotel)))
        assert second.returncode == 0 and second_status == "successful", second.stdout + second.stderr
        second_recap = recap(second_events)
        assert sum(second_recap["changed"].values()) == 0, second_recap["changed"]
        assert not second_recap["failures"] and not second_recap["dark"]
        assert sim.stats("xswitch")["writes"] == writes
        assert "changed=0" in second_stdout

    assert "XSwitch: 8 agents and 3 queues on the server" in first_stdout
    # The events carry the modules' arguments (a queue's strategy, say), so a secret among
    # them would show.
    assert any("longest-idle-agent" in text for dummy, text in first_events)
    # No secret in what AWX shows and stores: the job's output and its events. (The
    # artifacts' command file records the injected environment by design.)
    hidden = set(secret_values.values()) | agent_passwords
    for ident, stdout, events in (("first", first_stdout, first_events),
                                  ("second", second_stdout, second_events)):
        assert stdout and events
        for value in hidden:
            assert value not in stdout, "a secret is in the stdout of the %s job" % ident
            for path, text in events:
                assert value not in text, "a secret is in %s" % path
