# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AnsibleModule every module of the collection runs as.

It adds three things: the requests guard, errors that name the list item they are about,
and output that passes through the redaction helper on the way out.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import os

from ansible.module_utils.basic import AnsibleModule, heuristic_log_sanitize, missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.validation import check_type_dict
from ansible.module_utils.six.moves.urllib.parse import urlparse

from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import (
    REQUESTS_IMPORT_ERROR,
    ApiError,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import (
    redact,
    secret_masker,
)


# A reply that takes longer than an hour is not coming: fail rather than hang.
MAX_TIMEOUT = 3600
# The most writes in flight at once: the size of requests' connection pool for one host.
MAX_CONCURRENT_WRITES = 10


# What a module run must do when it ends, whichever way (see run_at_finish).
_AT_FINISH = []


def run_at_finish(callback):
    """Call ``callback`` once when the module ends, by success or failure, before its result
    goes out (closing a session the run opened, say); a text it returns becomes a warning."""
    _AT_FINISH.append(callback)


class PlanError(Exception):
    """Input that cannot be applied; the message names the item and the field."""


def item_label(index, item, key):
    """``agents[3] (login 1003)``: how an error names a list item."""
    label = "[%d]" % index
    if isinstance(item, dict) and item.get(key) not in (None, ""):
        label += " (%s %s)" % (key, item.get(key))
    return label


def secret_values(spec, params):
    """Every value a ``no_log`` option holds in ``params``, at the top level and inside list
    and dict suboptions, read from the raw input: ansible-core stops collecting them when a
    suboption fails to validate, and would then print the others in its failure output."""
    found = set()
    if not isinstance(params, dict):
        return found
    for name, option in spec.items():
        value = params.get(name)
        if value is None:
            continue
        if option.get("no_log"):
            found.update(_scalars(value))
        suboptions = option.get("options")
        if suboptions:
            for element in value if isinstance(value, list) else [value]:
                found.update(secret_values(suboptions, element))
    return found


def _scalars(value):
    if isinstance(value, dict):
        return set(text for item in value.values() for text in _scalars(item))
    if isinstance(value, (list, tuple)):
        return set(text for item in value for text in _scalars(item))
    if isinstance(value, bool) or value in (None, ""):
        return set()
    return set([str(value)])


def shape_errors(spec, params, prefix, item_keys=None):
    """Options with suboptions given in a shape that is not a mapping (or a list of them),
    each error naming the option and the list item."""
    errors = []
    for name, option in spec.items():
        value = params.get(name)
        suboptions = option.get("options")
        if value is None or not suboptions:
            continue
        where = prefix + name
        if option.get("type") == "list":
            if isinstance(value, str):
                # The validator splits a string at commas and reads each piece as a mapping;
                # a piece that is not one stops it with a message that names no option.
                if not all(_reads_as_mapping(piece) for piece in value.split(",")):
                    errors.append("%s: must be a list of mappings, not a string" % where)
                continue
            if not isinstance(value, list):
                continue
            key = (item_keys or {}).get(name) or next(
                (sub for sub, spec_of in suboptions.items() if spec_of.get("required")), None)
            for index, element in enumerate(value):
                label = where + item_label(index, element, key)
                if not isinstance(element, dict):
                    errors.append("%s: must be a mapping, not %s" % (label, _kind(element)))
                else:
                    errors.extend(shape_errors(suboptions, element, label + "."))
        elif isinstance(value, dict):
            errors.extend(shape_errors(suboptions, value, where + "."))
        elif not (isinstance(value, str) and "=" in value):
            errors.append("%s: must be a mapping, not %s" % (where, _kind(value)))
    return errors


def _reads_as_mapping(text):
    try:
        check_type_dict(text)
    except (TypeError, ValueError):
        return False
    return True


def _kind(value):
    return {"list": "a list", "str": "a string", "int": "a number", "float": "a number",
            "bool": "a boolean"}.get(type(value).__name__, type(value).__name__)


def _without_unset(value):
    """Validation fills unset suboptions with None; a second validation must not see them."""
    if isinstance(value, dict):
        return dict((key, _without_unset(item)) for key, item in value.items() if item is not None)
    return value


class CallcenterModule(AnsibleModule):
    """``item_lists`` maps a list option to the key that names its items, e.g.
    ``{"agents": "login"}``; argument errors inside such a list name the item."""

    def __init__(self, argument_spec, item_lists=None, **kwargs):
        self._item_lists = item_lists or {}
        self._argument_spec_for_items = argument_spec
        self._in_init = True
        super(CallcenterModule, self).__init__(argument_spec=argument_spec, **kwargs)
        self._in_init = False
        if REQUESTS_IMPORT_ERROR:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        errors = self._connection_errors()
        if errors:
            self.fail_json(msg="Invalid input, nothing was changed: " + "; ".join(errors))

    def _connection_errors(self):
        """The connection options checked beyond their types, each error naming the option."""
        errors = []
        for name in sorted(self.argument_spec):
            value = self.params.get(name)
            if name.endswith("_url"):
                parts = urlparse(value or "")
                if parts.scheme not in ("http", "https") or not parts.hostname:
                    errors.append("%s must be the server's base URL, starting with http:// or "
                                  "https://, for example https://pbx.example.com:8081" % name)
            elif name == "timeout" and value is not None and not 0 < value <= MAX_TIMEOUT:
                errors.append("timeout must be a number of seconds from 1 to %d, not %s"
                              % (MAX_TIMEOUT, value))
            elif name == "max_concurrent_writes" and value is not None \
                    and not 1 <= value <= MAX_CONCURRENT_WRITES:
                errors.append("max_concurrent_writes must be from 1 to %d, not %s"
                              % (MAX_CONCURRENT_WRITES, value))
            elif name == "retries" and value is not None and value < 0:
                errors.append("retries must be 0 or more, not %s" % value)
            elif name == "max_reply_size" and value is not None and value < 1:
                errors.append("max_reply_size must be a number of MiB, 1 or more, not %s" % value)
            elif name == "ca_path" and value and not os.path.isfile(value):
                errors.append("ca_path %s is not a file" % value)
        return errors

    def _log_invocation(self):
        """ansible-core's own logging of the arguments runs every secret over the text of
        every argument (for a thousand agents, their passwords over a megabyte of text, once
        per password); this masks each argument's text in one scan, with the same result."""
        mask = secret_masker(self.no_log_values)
        log_args = {}
        for param, value in self.params.items():
            if self.boolean(self.argument_spec.get(self.aliases.get(param, param), {}).get("no_log")):
                log_args[param] = "NOT_LOGGING_PARAMETER"
            else:
                log_args[param] = heuristic_log_sanitize(mask(str(value)))
        # Masked already: log() would run every secret over the whole text once more.
        secrets, self.no_log_values = self.no_log_values, set()
        try:
            self.log("Invoked with %s" % " ".join("%s=%s" % item for item in log_args.items()),
                     log_args=log_args)
        finally:
            self.no_log_values = secrets

    def _load_params(self):
        super(CallcenterModule, self)._load_params()
        self.no_log_values.update(secret_values(self.argument_spec, self.params))
        # The validator works on its own deep copy and then replaces whole top-level values,
        # so a shallow copy keeps the arguments as given without copying every agent again.
        self.raw_params = dict(self.params)
        errors = shape_errors(self.argument_spec, self.params, "", self._item_lists)
        if errors:
            # ansible-core's validator stops with a traceback on some of these shapes.
            self._in_init = False
            self.fail_json(msg="Invalid input, nothing was changed: " + "; ".join(errors))

    def _item_errors(self):
        """Validate each element of each item list on its own, so an error can say which."""
        messages = []
        for option, key in self._item_lists.items():
            items = self.raw_params.get(option) or []
            item_spec = self._argument_spec_for_items[option].get("options") or {}
            validator = ArgumentSpecValidator(item_spec)
            for index, item in enumerate(items if isinstance(items, list) else []):
                if not isinstance(item, dict):
                    messages.append("%s%s: must be a mapping" % (option, item_label(index, item, key)))
                    continue
                for error in validator.validate(_without_unset(item)).errors:
                    messages.append("%s%s: %s" % (option, item_label(index, item, key), error))
        return messages

    def fail_json(self, msg, **kwargs):  # pylint: disable=arguments-differ
        if getattr(self, "_in_init", False):
            self._in_init = False
            messages = self._item_errors()
            if messages:
                msg = "; ".join(messages)
        kwargs["msg"] = msg
        self._finish(super(CallcenterModule, self).fail_json, kwargs)

    @contextlib.contextmanager
    def reporting_errors(self):
        """An impossible plan or an API refusal ends the run as a failure that says why."""
        try:
            yield
        except PlanError as error:
            self.fail_json(msg="Cannot apply, nothing was changed: %s" % error)
        except ApiError as error:
            self.fail_json(msg=str(error))

    def exit_json(self, **kwargs):  # pylint: disable=arguments-differ
        self._finish(super(CallcenterModule, self).exit_json, kwargs)

    def _invocation_args(self):
        """The arguments the result repeats as ``invocation.module_args``: an item list is
        named by its items' keys (``agents: [1001, 1002, ...]``), not repeated whole. The
        task holds the items; a thousand agents repeated made every run's result a megabyte
        that ansible-core parses, copies and hands to every callback and AWX job event."""
        args = dict(self.params)
        for option, key in self._item_lists.items():
            items = args.get(option)
            if isinstance(items, list):
                args[option] = [item.get(key) if isinstance(item, dict) else item
                                for item in items]
        return args

    def _finish(self, finish, result):
        """Mask the result once, secret fields by name and secret values wherever they
        appear, then hand it over with nothing left for ansible-core to mask: its own masking
        tries every secret on every string, which at a thousand agents' passwords takes
        seconds."""
        while _AT_FINISH:
            try:
                warning = _AT_FINISH.pop(0)()
            except Exception as error:  # pylint: disable=broad-except
                warning = "cleanup at the end of the run failed: %s" % error
            if warning:
                self.warn(secret_masker(self.no_log_values)(warning))
        result = redact(result)
        result.setdefault("invocation", {"module_args": self._invocation_args()})
        result = secret_masker(self.no_log_values)(result)
        self.no_log_values = set()
        finish(**result)
