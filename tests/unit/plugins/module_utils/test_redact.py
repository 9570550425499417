# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.telephony.callcenter.plugins.module_utils.module import secret_values
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import (
    MASK,
    mask_text,
    redact,
    secret_masker,
)


def test_secret_fields_are_masked_at_any_depth():
    user = {"login": "1006", "ha1": "a18a5aaa9a668a1afc0dd6d7369fb06d", "ha1b": "e0654132",
            "vm_password": "5555", "extensions": [{"password": "$VeryGoodPassw0rd", "extn": "1006"}],
            "nested": {"X-APIKEY": "SAMPLE_API_KEY", "token": "abc"}}
    masked = redact(user)
    assert masked["login"] == "1006"
    assert masked["ha1"] == masked["ha1b"] == masked["vm_password"] == MASK
    assert masked["extensions"][0] == {"password": MASK, "extn": "1006"}
    assert masked["nested"] == {"X-APIKEY": MASK, "token": MASK}
    assert user["ha1"] == "a18a5aaa9a668a1afc0dd6d7369fb06d"  # the input is left alone


def test_unset_secrets_stay_visibly_unset():
    assert redact({"ha1": "", "password": None}) == {"ha1": "", "password": None}


def test_masked_markers_stay_readable():
    assert redact({"password": MASK + " (changed)"}) == {"password": MASK + " (changed)"}


def test_known_secret_values_are_masked_in_text():
    text = "duplicate key for login 1006 with password hunter22 and token tok-9"
    assert mask_text(text, ["hunter22", "tok-9", None, ""]) == (
        "duplicate key for login 1006 with password %s and token %s" % (MASK, MASK))


def test_secrets_are_collected_from_raw_input_even_beside_a_bad_item():
    spec = {"xswitch_token": {"no_log": True},
            "agents": {"type": "list", "options": {"login": {}, "password": {"no_log": True},
                                                   "agent_info": {"type": "dict", "options": {}}}}}
    params = {"xswitch_token": "Tok-123", "agents": [
        {"login": "1", "password": "Pw-one"}, "8105",
        {"login": "2", "password": "Pw-two", "agent_info": "lag"}]}
    assert secret_values(spec, params) == set(["Tok-123", "Pw-one", "Pw-two"])


def test_secret_values_are_masked_wherever_they_appear_in_one_scan():
    mask = secret_masker(set(["Pw-1", "Pw-12345", "tok-abc"]))
    masked = mask({"msg": "login with Pw-12345 refused", "exact": "tok-abc",
                   "nested": [{"note": "a Pw-1 b"}], "flag": True, "count": 3})
    assert masked == {"msg": "login with ******** refused",
                      "exact": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER",
                      "nested": [{"note": "a ******** b"}], "flag": True, "count": 3}
    assert secret_masker(set())({"a": "Pw-1"}) == {"a": "Pw-1"}
    # A numeric password given as a number.
    assert secret_masker(set(["9876543210123"]))({"password": 9876543210123, "n": 5}) == {
        "password": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", "n": 5}
