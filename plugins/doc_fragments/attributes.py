# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """What check mode and diff mode do, the same for every module of a kind."""

    DOCUMENTATION = r"""
options: {}
"""

    # Modules that change a server.
    WRITES = r"""
options: {}
attributes:
  check_mode:
    support: full
    description: Reads as usual but sends no write request; reports what would change.
  diff_mode:
    support: full
    description: Shows before and after of what the task manages, secrets masked.
"""

    # Modules with exclusive: the guard against an empty list.
    EXCLUSIVE = r"""
options:
  allow_delete_all:
    description:
      - With O(exclusive=true), an empty list would delete everything the module manages
        there. That is refused, so that a variable that came out empty cannot wipe the
        server, unless this is V(true).
    type: bool
    default: false
"""

    # Modules that only read.
    READS = r"""
options: {}
attributes:
  check_mode:
    support: full
    description: Reads only, so it runs the same in check mode.
  diff_mode:
    support: none
    description: Changes nothing, so there is nothing to diff.
"""
