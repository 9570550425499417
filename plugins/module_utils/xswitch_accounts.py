# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The XSwitch accounts the collection never changes, and why: one rule that every path
which writes users or queue members asks (see docs/protected-accounts.md).

- the system user (id 0) and the super admin (id 1), which every server has;
- the account the module is connected as: the login of ``xswitch_username``, or with a bare
  ``xswitch_token`` the user that ``GET /api/users/me`` names (read at most once per run, and
  only when the run is about to write to an existing user);
- where an agent is required (queue members), any user whose type is not ``AGENT``.

Each answer is a reason that names the account, or None.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import to_text
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import ApiError

AGENT_TYPE = "AGENT"
SYSTEM_USER_ID = "0"
SUPER_ADMIN_ID = "1"
PROTECTED_USER_IDS = frozenset((SYSTEM_USER_ID, SUPER_ADMIN_ID))
FIXED_ROLES = {SYSTEM_USER_ID: "the server's system user", SUPER_ADMIN_ID: "the server's super admin"}
# Who a token belongs to: a route of the vendor's web client, not of the API document
# (xswitch-cn/CherryPBX, packages/api-client/src/apis/users.api.ts); see docs/api/xswitch.md.
ME_PATH = "/api/users/me"
# Answers that mean the server has no such route.
ME_NOT_OFFERED = ("404", "405", "501")
MAKE_AGENT = "make it one with telephony.callcenter.xswitch_agent first"


def is_agent(user):
    return to_text(user.get("type")) == AGENT_TYPE


def user_id(user):
    return to_text(user.get("id"))


def user_login(user):
    return to_text(user.get("login"))


class ProtectedAccounts:
    """What one module run may not change. One per client (see ``protected_accounts``), so
    that ``GET /api/users/me`` is read at most once per run."""

    def __init__(self, client, module):
        self.client = client
        self.module = module
        params = client.params
        # The login the client signs in with; with a token, the token is what is sent.
        self.login = (None if params.get("xswitch_token")
                      else to_text(params.get("xswitch_username")) or None)
        self._me = None
        self._me_read = False

    # The connected account --------------------------------------------------------------
    def connected(self):
        """``{"id", "login"}`` of the account the run is connected as, or None when a token's
        server does not say whose it is (warned once)."""
        if self.login is not None:
            return {"id": "", "login": self.login}
        if not self._me_read:
            self._me_read = True
            self._me = self._read_me()
        return self._me

    def _read_me(self):
        try:
            reply = self.client.get(ME_PATH)
        except ApiError as error:
            if to_text(error.status) not in ME_NOT_OFFERED:
                raise
            reply = None
        if reply is None:
            self.module.warn(
                "the server does not answer GET %s, so the account xswitch_token belongs to is not "
                "known and only the system user and the super admin (ids 0 and 1) are protected; "
                "sign in with xswitch_username and xswitch_password to protect the account the "
                "task runs as too" % ME_PATH)
            return None
        if isinstance(reply.get("data"), dict) and not (reply.get("id") or reply.get("login")):
            reply = reply["data"]
        found = {"id": user_id(reply), "login": user_login(reply)}
        if not (found["id"] or found["login"]):
            raise ApiError("GET", ME_PATH, reason=(
                "the reply names no user (no id, no login), so the account xswitch_token belongs "
                "to cannot be told and nothing is changed"))
        return found

    def is_connected(self, user, read=True):
        """Whether ``user`` is the connected account. ``read``: whether a token's account may
        be read now (it is not known otherwise; an unknown one is never this user)."""
        if self.login is None and not read:
            return False
        me = self.connected()
        if not me:
            return False
        if me["id"] and user_id(user):
            return me["id"] == user_id(user)
        return bool(me["login"]) and me["login"] == user_login(user)

    def _connected_reason(self, user):
        how = ("xswitch_username" if self.login is not None
               else "the user xswitch_token belongs to, as GET %s says" % ME_PATH)
        return "`%s` is the account this task is connected as (%s)" % (user_login(user), how)

    # Reasons ----------------------------------------------------------------------------
    def account_reason(self, user, read=True):
        """Why ``user`` is an account the collection never changes, or None."""
        role = FIXED_ROLES.get(user_id(user))
        if role:
            return "`%s` is %s" % (user_login(user) or user_id(user), role)
        if self.is_connected(user, read):
            return self._connected_reason(user)
        return None

    def agent_refusal(self, user, read=True):
        """Why an agent task may not create, update, change the password of or delete the
        existing ``user``, or None."""
        reason = self.account_reason(user, read)
        return reason and reason + "; the collection never changes it"

    def login_refusal(self, login):
        """Why an agent task may not name ``login`` before anything is read (the login the
        module signs in with), or None."""
        if self.login is not None and to_text(login) == self.login:
            return self.agent_refusal({"login": login})
        return None

    def member_refusal(self, user, read=True, removing=False, becomes_agent=False,
                       alternative=MAKE_AGENT):
        """Why ``user`` may not be added to a queue (``removing``: removed from one), or None.
        ``becomes_agent``: the same run makes it an agent. ``alternative`` says how a plain
        user becomes an agent where it is named."""
        reason = self.account_reason(user, read)
        if reason:
            if removing:
                return reason + "; its queue memberships are never changed"
            return reason + "; queue members must be agents"
        if removing or becomes_agent or is_agent(user):
            return None
        kind = to_text(user.get("type"))
        return ("`%s` is %s, not an agent; queue members must be agents: %s"
                % (user_login(user), "a user of type %s" % kind if kind else "a user with no type",
                   alternative))

    def keeps_rows_of(self, user):
        """Whether the queue memberships of ``user`` (its ``id`` and ``login``) stay whatever
        a task says: an exclusive member list that leaves it out removes nothing of it."""
        return self.account_reason(user) is not None


def protected_accounts(client, module):
    """The rule for ``client``'s run (made on first use, then shared by every resource)."""
    accounts = getattr(client, "protected_accounts", None)
    if accounts is None:
        accounts = client.protected_accounts = ProtectedAccounts(client, module)
    return accounts
