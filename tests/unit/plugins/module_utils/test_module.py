# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CallcenterModule: what every module's output passes through."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.telephony.callcenter.plugins.module_utils.module import (
    CallcenterModule,
    shape_errors,
)

SPEC = dict(
    xswitch_url=dict(type="str", required=True),
    xswitch_token=dict(type="str", no_log=True),
    agents=dict(type="list", elements="dict", options=dict(
        login=dict(type="str", required=True),
        password=dict(type="str", no_log=True),
        agent_info=dict(type="dict", options=dict(lag=dict(type="int"))))),
)


def run_module(capsys, args, then=None):
    """Build the module with ``args``, call ``then(module)``, return the JSON it printed."""
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module = CallcenterModule(argument_spec=SPEC, item_lists={"agents": "login"})
            then(module)
    return json.loads(capsys.readouterr().out)


ARGS = {"xswitch_url": "http://127.0.0.1:9", "xswitch_token": "Tok-abc-123"}


@pytest.mark.parametrize("exit_name", ["exit_json", "fail_json"])
def test_output_is_redacted_on_the_way_out(capsys, exit_name):
    nested = {"agent": {"login": "1001", "ha1": "0123456789abcdef0123456789abcdef",
                        "password": "Pw-1", "token": "Other-tok"}}
    out = run_module(capsys, ARGS, lambda module: getattr(module, exit_name)(msg="done", **nested))
    assert out["agent"]["ha1"] == "********" and out["agent"]["password"] == "********"
    assert out["agent"]["token"] == "********" and out["agent"]["login"] == "1001"
    assert "Tok-abc-123" not in json.dumps(out)


@pytest.mark.parametrize("exit_name", ["exit_json", "fail_json"])
def test_the_invocation_names_the_items_of_a_list_by_their_key(capsys, exit_name):
    agents = [{"login": "100%d" % n, "password": "Pw-of-100%d" % n, "agent_info": {"lag": n}}
              for n in range(3)]
    out = run_module(capsys, dict(ARGS, agents=agents),
                     lambda module: getattr(module, exit_name)(msg="done"))
    args = out["invocation"]["module_args"]
    assert args["agents"] == ["1000", "1001", "1002"]
    assert args["xswitch_url"] == ARGS["xswitch_url"] and args["xswitch_token"] != "Tok-abc-123"
    assert "Pw-of-" not in json.dumps(out) and "Tok-abc-123" not in json.dumps(out)


def test_a_bad_item_names_itself_and_leaks_no_other_secret(capsys):
    args = dict(ARGS, agents=[{"login": "1001", "password": "Pw-of-1001"}, "8105",
                              {"login": "1002", "password": "Pw-of-1002", "agent_info": ["lag", 3]}])
    out = run_module(capsys, args, lambda module: module.exit_json(msg="unreachable"))
    assert out["failed"] is True
    assert "agents[1]: must be a mapping, not a string" in out["msg"]
    assert "agents[2] (login 1002).agent_info: must be a mapping, not a list" in out["msg"]
    for secret in ("Pw-of-1001", "Pw-of-1002", "Tok-abc-123"):
        assert secret not in json.dumps(out)


@pytest.mark.parametrize("changes, says", [
    ({"xswitch_url": ""}, "xswitch_url must be the server's base URL"),
    ({"xswitch_url": "pbx.example.com:8081"}, "xswitch_url must be the server's base URL"),
])
def test_connection_options_are_checked(capsys, changes, says):
    out = run_module(capsys, dict(ARGS, **changes), lambda module: module.exit_json(msg="no"))
    assert out["failed"] is True and says in out["msg"]


def test_shape_errors_walk_nested_options():
    assert shape_errors(SPEC, {"agents": [{"login": "a", "agent_info": {"lag": 1}}]}, "") == []
    assert shape_errors(SPEC, {"agents": [{"login": "a", "agent_info": 7}]}, "") == [
        "agents[0] (login a).agent_info: must be a mapping, not a number"]


def test_a_list_of_mappings_given_as_an_unreadable_string_names_the_option(capsys):
    # ansible-core's own message for this shape names no option.
    assert shape_errors(SPEC, {"agents": "login=a,login=b"}, "") == []
    out = run_module(capsys, dict(ARGS, agents="\u0088\u007f\u0091"), lambda module: module.exit_json(msg="no"))
    assert out["failed"] is True
    assert out["msg"] == "Invalid input, nothing was changed: agents: must be a list of mappings, not a string"
