# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import (
    canonical,
    same,
    to_api_text,
)


@pytest.mark.parametrize("kind,wanted,held", [
    ("int", 10, "10"),
    ("int", "10", 10),
    ("int", 0, "0"),
    ("int", 3, "3.0"),
    ("bool", False, "0"),
    ("bool", False, 0),
    ("bool", False, "false"),
    ("bool", True, "1"),
    ("bool", True, 1),
    ("bool", "yes", "true"),
    ("bool", False, ""),
    ("str", "On Break", "On Break"),
    ("str", 1006, "1006"),
    ("json", {"action": "transfer", "data": "1001"}, '{"data":"1001","action":"transfer"}'),
    ("json", '{"action": "hangup"}', '{"action":"hangup"}'),
])
def test_same_by_meaning(kind, wanted, held):
    assert same(kind, wanted, held)


@pytest.mark.parametrize("kind,wanted,held", [
    ("int", 10, "11"),
    ("int", 0, ""),
    ("bool", True, "0"),
    ("bool", False, "true"),
    ("str", "On Break", "on break"),
    ("json", {"action": "transfer", "data": "1001"}, '{"action":"transfer","data":"1002"}'),
    ("int", 5, "five"),
])
def test_different_by_meaning(kind, wanted, held):
    assert not same(kind, wanted, held)


@given(st.integers(min_value=-10 ** 9, max_value=10 ** 9))
def test_an_integer_survives_the_api_text_form(number):
    assert same("int", number, to_api_text("int", number))
    assert same("int", number, number)


@given(st.booleans())
def test_a_boolean_survives_the_api_text_form(flag):
    assert same("bool", flag, to_api_text("bool", flag))
    assert same("bool", flag, int(flag))
    assert not same("bool", flag, int(not flag))


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=5))
def test_json_compares_whatever_the_key_order(document):
    reordered = json.dumps(dict(reversed(list(document.items()))))
    assert same("json", document, reordered)
    assert same("json", to_api_text("json", document), document)


def test_empty_means_unset():
    assert canonical("int", "") is None
    assert canonical("json", "") is None
    assert canonical("str", "") == ""
    assert same("int", None, "")
