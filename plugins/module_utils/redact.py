# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place that decides what is secret and masks it.

Everything a module returns, diffs, warns or fails with passes through here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

MASK = "********"

# Field names whose values are secrets. ha1/ha1b are SIP digest hashes: as good as the
# password to anyone who can speak SIP to the server.
SECRET_FIELDS = frozenset((
    "password", "extn_password", "old_password", "vm_password", "ha1", "ha1b",
    "token", "xswitch_token", "xswitch_password", "pbx_password", "pbx_api_key",
    "api_key", "apikey", "x-apikey", "x-xtra-auth-id", "authorization", "dev_key", "secret",
))


def is_secret_field(name):
    return isinstance(name, str) and name.lower() in SECRET_FIELDS


def redact(value):
    """A deep copy of ``value`` with every secret field's value masked (empty values stay
    empty: that a secret is unset is not itself a secret)."""
    if isinstance(value, dict):
        return dict((key, _mask(item) if is_secret_field(key) else redact(item))
                    for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [redact(item) for item in value]
    return value


def _mask(value):
    # Already-masked markers such as "******** (changed)" stay readable in diffs.
    if value in (None, "") or (isinstance(value, str) and value.startswith(MASK)):
        return value
    return MASK


# An MD5 digest in text from a server: most likely an ha1/ha1b, which is as good as a password.
DIGEST = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32}(?![0-9A-Fa-f])")


def mask_text(text, secrets):
    """``text`` with every known secret value, and every MD5 digest, replaced by the mask."""
    if not isinstance(text, str):
        return text
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        if isinstance(secret, str) and len(secret) >= 3:
            text = text.replace(secret, MASK)
    return DIGEST.sub(MASK, text)


# What ansible-core puts in place of a value that is a secret as a whole.
NO_LOG_PLACEHOLDER = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def _trie_pattern(words):
    """One regular expression that finds any of ``words``, built as a trie so that a text is
    scanned once whatever the number of words (a thousand agents' passwords, say)."""
    trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node):
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:%s)" % "|".join(branches)
        return "(?:%s)?" % body if ends else body

    return re.compile(build(trie))


def secret_masker(secrets):
    """A function that masks every secret in a value, deeply, as ansible-core's no_log does
    (a string that is a secret becomes the placeholder, a secret inside a string the mask),
    in one scan of each string."""
    secrets = set(s for s in secrets if isinstance(s, str) and s)
    pattern = _trie_pattern(secrets) if secrets else None

    def mask(value):
        if isinstance(value, dict):
            return dict((mask(key), mask(item)) for key, item in value.items())
        if isinstance(value, (list, tuple, set)):
            return [mask(item) for item in value]
        if pattern is None or value is None or isinstance(value, bool):
            return value
        if not isinstance(value, str):
            # A number that is a secret (a numeric password) goes as a whole, as in ansible-core.
            return NO_LOG_PLACEHOLDER if str(value) in secrets else value
        if value in secrets:
            return NO_LOG_PLACEHOLDER
        return pattern.sub(MASK, value)

    return mask
