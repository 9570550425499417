# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every behaviour of the two APIs that no public document confirms, in one place.

Each constant mirrors a point marked [assumed] in docs/api/xswitch.md or docs/api/simotel.md.
When a real server shows otherwise, this file is the one to change; the simulator keeps its
own side of the same assumptions in ``simulator/assumed.py``, each with a switch.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# XSwitch: the largest page a list read may ask for; the default is 20. The vendor's web
# client asks 1,000 to 5,000 users a page; 1,000 is what every server is expected to honour.
XSWITCH_MAX_PAGE_SIZE = 1000
# XSwitch: the names of the page size. The vendor's web client sends ``perPage`` for users
# and queues and ``page_size`` for other lists; both are sent, as a server ignores a query
# parameter it does not know.
XSWITCH_PAGE_SIZE_NAMES = ("perPage", "page_size")

# XSwitch: change_password needs ``old_password`` (XUI, XSwitch's predecessor, always demands
# it). An existing agent's password is changed in that agent's own session, so that the
# change lands on the agent whether the server takes the user from the body's ``id`` (the API
# document) or from the session (XUI). Without ``old_password`` the change is sent in the
# module's own session on the assumption that a super admin may reset it; either way the
# agent's ha1 read back afterwards confirms it.

# XSwitch: a user's ha1 is md5("<user>:<domain>:<password>"), but whether <user> is the login
# or the extension the document does not say (all its examples have the two equal): a password
# matches when the hash of either does (xswitch_users.password_matches).

# XSwitch: removing a queue member is DELETE on the member row; nothing public documents it.
XSWITCH_MEMBER_DELETE_PATH = "/api/queues/{queue_id}/agents/{member_id}"

# Simotel: what Asterisk says when the agent is not in the queue; such an item is already
# absent, not a failure. Users can widen it with the module's ``absent_patterns`` option.
SIMOTEL_ABSENT_PATTERNS = (r"not there", r"not in (the )?queue", r"not a member")

# Simotel: what the server says about an item that needed no change, by the state
# pbx_queue_member brings a member to (Simotel documents only the successes: "Added
# successfully", "Removed successfully", "Paused successfully", "UnPaused successfully").
# Asterisk's manager words an agent already in the queue "Unable to add interface: Already
# there" and one not in it "Unable to remove interface: Not there". Asterisk pauses a member
# without looking whether it is paused already and says it succeeded, so a repeated pause or
# resume is reported as done; a server that refuses it says so in words like these. Users
# can replace the list of their state with the module's ``unchanged_patterns`` option.
SIMOTEL_UNCHANGED_PATTERNS = {
    "present": (r"already there", r"already (a )?member", r"already in (the )?queue"),
    "absent": SIMOTEL_ABSENT_PATTERNS,
    "paused": (r"already paused",),
    "resumed": (r"not paused", r"already (un|resum)"),
}
