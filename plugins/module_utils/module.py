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

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import (
    REQUESTS_IMPORT_ERROR,
    ApiError,
)
from ansible_collections.telephony.callcenter.plugins.module_utils.redact import redact


class PlanError(Exception):
    """Input that cannot be applied; the message names the item and the field."""


def item_label(index, item, key):
    """``agents[3] (login 1003)``: how an error names a list item."""
    label = "[%d]" % index
    if isinstance(item, dict) and item.get(key) not in (None, ""):
        label += " (%s %s)" % (key, item.get(key))
    return label


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

    def _item_errors(self):
        """Validate each element of each item list on its own, so an error can say which."""
        messages = []
        for option, key in self._item_lists.items():
            items = self.params.get(option) or []
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
        super(CallcenterModule, self).fail_json(msg=msg, **redact(kwargs))

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
        super(CallcenterModule, self).exit_json(**redact(kwargs))
