# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values compared as the APIs mean them, not by raw JSON type.

The XSwitch API returns numbers as strings (``"lag": "2"``), flags as ``0``/``1`` or
``"0"``/``"1"``, ids as strings here and numbers there, and JSON documents inside strings.
Each field of a resource names one of the kinds below; ``canonical`` turns any spelling of a
value into one form, so ``"10" == 10`` and ``"0" == 0 == False``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

TRUE_WORDS = frozenset(("1", "true", "yes", "on", "y", "t"))
FALSE_WORDS = frozenset(("0", "false", "no", "off", "n", "f", ""))


def to_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if value is None:
        return False
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("%r is not a boolean" % (value,))


def to_int(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            raise ValueError("%r is not a whole number" % (value,))
        if not number.is_integer():
            raise ValueError("%r is not a whole number" % (value,))
        return int(number)


def to_json(value):
    """A JSON document given as text or as data, as data (key order no longer matters)."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return text
    return value


def to_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def canonical(kind, value):
    """The one form of ``value`` that a field of ``kind`` compares by.

    Empty means unset for every kind, so a server's ``""`` equals an unset integer.
    """
    if kind == "bool":
        return to_bool(value)
    if value is None or (isinstance(value, str) and value.strip() == "" and kind != "str"):
        return None
    if kind == "int":
        return to_int(value)
    if kind == "json":
        return to_json(value)
    return to_text(value)


def same(kind, wanted, current):
    """Whether a wanted value and what the server holds mean the same."""
    try:
        return canonical(kind, wanted) == canonical(kind, current)
    except ValueError:
        return False


def to_api_text(kind, value):
    """The string form the XSwitch API stores settings in (``"10"``, ``"true"``, JSON text)."""
    if value is None:
        return ""
    if kind == "bool":
        return "true" if to_bool(value) else "false"
    if kind == "int":
        return str(to_int(value))
    if kind == "json" and not isinstance(value, str):
        return json.dumps(value, separators=(",", ":"), sort_keys=True)
    return to_text(value)
