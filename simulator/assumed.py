"""Every behaviour of the simulated servers that no document confirms.

The vendors' documents (the XSwitch API document and the Simotel API document,
described in ``docs/api/xswitch.md`` and ``docs/api/simotel.md``) settle most of
what the two servers do.  Whatever they leave open had to be decided to make
the simulator run at all.  Each such decision lives here, as a named constant or
a small function with a comment that says what was decided and why, and the
server modules use it from here.  Changing a guess therefore means changing one
line in this file.

Guesses on which a real server may well differ are also switches of the XSwitch
server's ``/_sim/config``, so that tests can run a client against both
positions.  Such a switch's default is the constant named like the switch in
capitals (``queue_reads_type`` -> ``QUEUE_READS_TYPE``); its comment says what
the vendor document shows and what it leaves open.  Comments marked
"(undocumented)" are guesses no public document settles; the others are further
choices made while building the simulator.
"""

import json
import math

# ---------------------------------------------------------------------------
# XSwitch: authentication and sessions
# ---------------------------------------------------------------------------

# A missing, wrong or expired token is refused with HTTP 403 and this body
# (not in the vendor document; what XUI, XSwitch's web client, receives).
NOT_AUTHORIZED_STATUS = 403
NOT_AUTHORIZED_BODY = {"code": "403", "error_text": "Not Authorized"}

# A wrong login or password on POST /api/sessions gets the same refusal as a
# bad token (403 as XUI receives it; the body is our choice).
LOGIN_FAILED_STATUS = 403
LOGIN_FAILED_BODY = NOT_AUTHORIZED_BODY

# Switch login_lockout.  The vendor's pages on XSwitch's login say that after
# two refused logins the server wants a captcha and after five the login is
# locked for two hours.  True: so it is here, counted per login name (a login
# that succeeds clears the count); a login that needs a captcha or is locked
# is refused whatever its password, with the bodies below (their wording and
# status are our guess).  False: refusals are not counted.
LOGIN_LOCKOUT = True
LOGIN_CAPTCHA_AFTER = 2
LOGIN_LOCK_AFTER = 5
LOGIN_LOCK_SECONDS = 2 * 3600
LOGIN_CAPTCHA_BODY = {"code": "403", "error_text": "Captcha required"}
LOGIN_LOCKED_BODY = {"code": "403", "error_text": "Login locked, try again later"}

# DELETE /api/sessions closes the caller's session (the vendor's web client
# logs out so); the reply is the write envelope.
LOGOUT_REPLY = {"code": 200, "message": "success", "data": "{}"}


def session_reply(token, user, ttl):
    """Flat reply of a successful POST /api/sessions.

    ``code`` and ``token`` are what clients read; the user fields beside them
    are our choice.  Never includes the password or the hashes.
    """
    return {
        "code": 200,
        "message": "success",
        "token": token,
        "user_id": user["id"],
        "login": user["login"],
        "name": user["name"],
        "is_super": user["is_super"],
        "expires_in": ttl,
    }


# POST /api/sessions also records the login time in the user's last_login_at
# (the vendor document's admin row shows a last_login_at; when it is set is
# our guess).
SESSION_UPDATES_LAST_LOGIN = True

# Switch token_ttl: lifetime in seconds of the tokens POST /api/sessions hands
# out (undocumented); None means the start-up setting SIM_TOKEN_TTL.
TOKEN_TTL = None

# ---------------------------------------------------------------------------
# XSwitch: generic request handling
# ---------------------------------------------------------------------------

# A body that is not valid JSON, or not a JSON object where one is needed.
BAD_REQUEST_STATUS = 400


def error_body(status, message):
    """Body of an error reply the vendor document does not show (400, 404, 403 with a
    reason)."""
    return {"code": status, "message": message}


# The vendor document only says "HTTP 404" for an unknown id; the message is ours.
NOT_FOUND_MESSAGE = "record not found"

# Paging (undocumented: the vendor document shows the paged replies but no
# query parameters): page (1-based) and perPage, perPage defaulting to 20.
# A perPage above the cap is clamped to it, not refused; a missing, non-numeric
# or non-positive page/perPage falls back to the default.
DEFAULT_PER_PAGE = 20

# Switch max_per_page: the largest perPage honoured (undocumented; 1000 is the
# cap clients assume).  A lower value stands for a server that caps perPage
# below what is asked.
MAX_PER_PAGE = 1000

# Switch paging: "honoured" (page and perPage work as above) or "ignored" (a
# server that knows neither: every paged list answers its first page at the
# default size, with page 1 and rowCount/pageCount computed for that size, so
# that a client sees pageCount > 1 but gets the same rows on every page).
PAGING_MODES = ("honoured", "ignored")
PAGING = "honoured"


def per_page(raw, maximum):
    """perPage actually used for a query value ``raw`` (a string or None)."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return min(DEFAULT_PER_PAGE, maximum)
    if value < 1:
        return min(DEFAULT_PER_PAGE, maximum)
    return min(value, maximum)


def page_number(raw):
    """1-based page actually used for a query value ``raw``."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return 1
    return value if value >= 1 else 1


def page_count(row_count, size):
    """pageCount of a list: 0 when there are no rows at all (our guess)."""
    return int(math.ceil(row_count / float(size))) if row_count else 0


# Switch page_size_param: the query parameter the server takes the page size
# from.  "perPage": the vendor document's paged users and queues and the
# vendor's web client's users list; "page_size": what that client sends for
# other lists.  The other name is ignored.
PAGE_SIZE_PARAMS = ("perPage", "page_size")
PAGE_SIZE_PARAM = "perPage"

# Switch page_count_in_reply.  The vendor document's paged replies carry
# page, pageCount and rowCount; the vendor's web client types the users reply
# as data and rowCount only.  True: pageCount is in every paged reply.  False:
# it is left out (rowCount stays).
PAGE_COUNT_IN_REPLY = True

# List rows come in id order (the SQL ORDER BY of every list).
LIST_ORDER = "id"


def parse_flag(value):
    """A 0/1 field (auto_record, tel_enabled) as written: 0/1, "0"/"1", true/false
    and "true"/"false" are accepted.  Raises ValueError otherwise."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("true", "false"):
            return int(word == "true")
        return int(word)
    raise ValueError(value)


# Timestamps are the server's local time in the vendor document's format.
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"

# Duplicate keys: the real server runs on PostgreSQL and passes the driver's
# error text through (undocumented).  The constraint names below are
# PostgreSQL's default names for the unique columns (users_login_key and
# queues_name_key are what clients are told to expect; the others are our
# guesses).
DUPLICATE_STATUS = 500

# Switch write_latency: seconds a write waits between its uniqueness check and
# its insert, standing for a slow database (it widens the window in which
# parallel writers race; they must still not both succeed).
WRITE_LATENCY = 0


def duplicate_key_body(constraint):
    return {
        "code": 500,
        "message": 'pq: duplicate key value violates unique constraint "%s"' % constraint,
    }


USERS_LOGIN_CONSTRAINT = "users_login_key"
QUEUES_NAME_CONSTRAINT = "queues_name_key"
# Two extensions with the same number in one domain (our guess of a constraint).
EXTENSIONS_EXTN_CONSTRAINT = "extensions_extn_domain_key"
# The same agent added twice to one queue (our guess; the whole POST fails
# and nothing of it is stored).
QUEUE_AGENTS_CONSTRAINT = "queue_agents_queue_id_agent_id_key"
# The same parameter key twice in one queue and realm (our guess); change an
# existing one with PUT instead.
QUEUE_PARAMS_CONSTRAINT = "queue_params_ref_id_realm_k_key"

# ---------------------------------------------------------------------------
# XSwitch: the state of a fresh server
# ---------------------------------------------------------------------------

# Domain and contexts of the two built-in users.  The vendor document's list
# shows "demo.xswitch.cn"; we use the documented default domain instead so that
# the built-in users look like the ones a user creates.
INITIAL_DOMAIN = "xswitch.cn"
INITIAL_ADMIN_CONTEXT = "context-1"
INITIAL_TIMESTAMP = "2022-05-13 15:08:37"

# Media known to the fresh server, usable as moh_sound / greeting.  Id 204 is
# the vendor document's; the others are made up.
INITIAL_MEDIA = [
    {"id": 204, "path": "phrase:welcome@xui", "type": "SYSTEM", "name": "welcome"},
    {"id": 205, "path": "local_stream://moh", "type": "SYSTEM", "name": "moh"},
    {"id": 411, "path": "/usr/local/xswitch/storage/upload/hold-music.wav",
     "type": "FILE", "name": "hold-music.wav"},
]

# Dict rows: id where each realm's numbering starts (the vendor document shows
# 464 for a CC key and 501 for the first FIFO key), and a label made from the key.
DICT_ID_START = {"QUEUE_CC_PARAM": 450, "QUEUE_FIFO_PARAM": 501}
DICT_TIMESTAMP = {"QUEUE_CC_PARAM": "2022-05-13 15:08:36",
                  "QUEUE_FIFO_PARAM": "2023-03-03 02:46:42"}


def dict_label(key):
    """'announce-position' -> 'Announce Position' (matches both documented rows)."""
    return " ".join(part.capitalize() for part in key.replace("_", "-").split("-"))


# GET /api/dicts/realm/<unknown> gives an empty array, not 404.
UNKNOWN_DICT_REALM_EMPTY = True

# ---------------------------------------------------------------------------
# XSwitch: users and agents
# ---------------------------------------------------------------------------

# POST /api/users needs these fields (a 400 without them).
USER_REQUIRED_FIELDS = ("login", "password")

# type of a user created without one (the built-in users have "").
USER_DEFAULT_TYPE = ""


def default_user_name(login):
    """name of a user created without one."""
    return login


# Switch agent_info_on_create.  The vendor document says "创建坐席时能传agent_info值"
# (agent_info can be passed when an agent is created), then that the server
# adds its built-in defaults and that agent_info is changed with PUT; whether a
# create applies what it was given is not settled (undocumented).
# True: POST /api/users applies the agent settings given in a nested
# agent_info object, then those at the top level (a top-level one wins), over
# the agent defaults; the nested keys are the same names as at the top level
# (agent_type, not the document's table name "type").  False: they are ignored
# and an AGENT gets only the defaults.
AGENT_INFO_ON_CREATE = True

# Agent fields of a user read that the create defaults do not set.  The vendor
# document's read shows no_answer_delay_time "30" although the create defaults
# lack it; the other four are listed by its agent_info table and shown empty.
AGENT_READ_DEFAULTS = {
    "no_answer_delay_time": "30",
    "hardware_phone_only": "",
    "timeout": "",
    "level": "",
    "position": "",
}

# Agent fields show up on reads only while the user's type is AGENT; a user
# that stops being an agent keeps them stored, hidden.
AGENT_TYPES = ("AGENT",)

# List rows of GET /api/users carry the same fields as GET /api/users/$id
# (our choice; the vendor document only shows non-agent rows).
USER_LIST_ROWS_AS_SINGLE_READ = True


# Switch ignore_login_filter: true stands for a server that does not know the
# login filter (undocumented, like every query parameter) and lists all users.
IGNORE_LOGIN_FILTER = False


def login_filter_matches(wanted, login):
    """GET /api/users?login=: exact match."""
    return login == wanted


def name_filter_matches(wanted, name):
    """GET /api/users?name=: case-insensitive substring."""
    return wanted.lower() in (name or "").lower()


def type_filter_matches(wanted, user_type):
    """GET /api/users?type=: exact match."""
    return user_type == wanted


# Switch ha1_user: whose name is hashed in a USER's
# ha1 = md5("<user>:<domain>:<password>") and
# ha1b = md5("<user>@<domain>:<domain>:<password>") (undocumented: in every
# example of the vendor document the login equals the extension number).
# "login": the login; "extn": the user's extension number, or the login for a
# user without one.  An extension always hashes its own number.
HA1_USERS = ("login", "extn")
HA1_USER = "login"

# Switch omit_ha1: true stands for a server whose reads carry no ha1/ha1b (the
# vendor document's reads carry both).
OMIT_HA1 = False


def user_hash_principal(login, extn, ha1_user=HA1_USER):
    """Name used in a user's ha1/ha1b under the ha1_user switch position."""
    if ha1_user == "extn" and extn:
        return extn
    return login


# PUT /api/users/$id that changes login or domain recomputes the user's
# ha1/ha1b (the server keeps the password; extensions keep theirs in clear
# text as the vendor document's extension read shows).
RECOMPUTE_HASHES_ON_LOGIN_OR_DOMAIN_CHANGE = True

# PUT /api/users/$id ignores "password" and "extn" (passwords change through
# change_password; nothing documents changing the extension number).
USER_PUT_IGNORED_FIELDS = ("password", "extn", "extn_id", "extn_password", "is_super",
                           "ha1", "ha1b", "agent_info")

# Switch super_admin_resets_password.  The vendor document's change_password
# sends id, old_password and password; XUI, XSwitch's predecessor, always
# demands old_password, and no source shows a super admin resetting another
# user's password without it.  False: old_password is always required.  True:
# a super admin's session may leave it out.
SUPER_ADMIN_RESETS_PASSWORD = False

# Switch change_password_target.  "id": change_password changes the user the
# body's id names (the vendor document's body carries id).  "session": it
# changes the signed-in user and ignores id (XUI's /change_password).
CHANGE_PASSWORD_TARGETS = ("id", "session")
CHANGE_PASSWORD_TARGET = "id"
WRONG_OLD_PASSWORD_STATUS = 403
WRONG_OLD_PASSWORD_MESSAGE = "old password does not match"
# change_password leaves the extension's own password alone.
CHANGE_PASSWORD_TOUCHES_EXTENSION = False

# Switch users_me.  The vendor's web client asks GET /api/users/me for the
# signed-in user (xswitch-cn/CherryPBX, packages/api-client/src/apis/users.api.ts:
# a User with id, login, type, ...); the API document does not list the route.
# True: it answers the user the request's token belongs to (a session token or
# a dev key), as GET /api/users/$id answers it.  False: the route does not
# exist and answers 404, as any unknown user id does.
USERS_ME = True

# Users 0 (system) and 1 (admin) cannot be deleted.
PROTECTED_USER_IDS = (0, 1)
PROTECTED_USER_STATUS = 403
PROTECTED_USER_MESSAGE = "built-in user cannot be deleted"

# Switch delete_user_cascades.  The vendor document shows only the reply of
# DELETE /api/users/$id; XUI's schema (XSwitch's predecessor) has no cascade
# from users to queue member rows, but cascades a user's dev keys.  The user's
# extensions, sessions and api keys always go with it (our guess for the
# extensions: the document shows them only under their user).  False: its queue
# member rows stay and keep being listed, with empty name and extn since the
# user is gone.  True: the delete also removes the user's queue member rows.
DELETE_USER_CASCADES = False

# Switch delete_queue_cascades.  XUI's schema has no cascade from queues to
# member rows either.  False: DELETE /api/queues/$id leaves the queue's member
# rows behind (no list shows them any more: the queue is gone); its extra
# parameters go with it.  True: the member rows go too.
DELETE_QUEUE_CASCADES = False

# Switch delete_absent_status.  Unknown ids are 404 on reads (the vendor
# document); XUI answers a DELETE that deleted nothing with HTTP 500 and the
# body {}.  500: so here, for users, queues, members and params.  404: the
# reply of a read of an unknown id.
DELETE_ABSENT_STATUSES = (404, 500)
DELETE_ABSENT_STATUS = 500
DELETE_ABSENT_BODY = {}

# /api/users/$id/extensions and /api/users/$id/queue/name of an unknown user
# give [] (the vendor document: "returns empty if not found"), not 404.
USER_SUBLISTS_EMPTY_WHEN_UNKNOWN = True

# A user created without extn gets no extension; the reply's extn_id is "0".
NO_EXTENSION_ID = 0

# Fields of an extension row that the simulator does not model, with the values
# of the vendor document's example extension.
EXTENSION_DEFAULTS = {
    "auto_record": 0,
    "group_name": "",
    "cid_name": "",
    "call_transfer_type": 0,
    "force_breakdown": 1,
    "timeout": "",
    "forced_insert": 1,
    "vm_password": "",
    "eavesdropped": 1,
    "ringback": "",
    "force_insert": 1,
    "sync_enabled": 0,
    "display_order": "0",
    "called_limit": 1,
    "call_authority": 4,
    "priority": "99",
    "weblogin_disabled": 0,
    "codec": "",
    "intercepted_group_name": "",
    "intercepted": 2,
    "forced_breakdown": 1,
    "description": "",
    "connect_phone": "",
    "extn_cidr": "",
    "enable_ringback": 0,
    "disabled": 0,
    "call_limit": 1,
    "voicemail": 0,
    "intercept": 2,
    "eavesdrop": 1,
    "cid_number": "",
    "type": "SIP",
}

# ---------------------------------------------------------------------------
# XSwitch: queues
# ---------------------------------------------------------------------------

QUEUE_REQUIRED_FIELDS = ("name",)
QUEUE_DEFAULT_TYPE = "callcenter"
# type must be one of these (a 400 otherwise).  strategy is stored as sent,
# whatever the type: the real server is not known to check it.
QUEUE_TYPES = ("callcenter", "fifo")
VALIDATE_QUEUE_STRATEGY = False
# The strategies clients know (FreeSWITCH mod_callcenter's and mod_fifo's),
# used only if VALIDATE_QUEUE_STRATEGY is set.
QUEUE_STRATEGIES = {
    "callcenter": ("ring-all", "longest-idle-agent", "round-robin", "top-down",
                   "agent-with-least-talk-time", "agent-with-fewest-calls",
                   "sequentially-by-agent-order", "random", "ring-progressively"),
    "fifo": ("ringall", "enterprise"),
}

# Switch queue_reads_type.  The vendor document's queue reads (GET /api/queues
# and GET /api/queues/$id) carry cti_template ("fifo"/"callcenter") but neither
# "type" nor "template", although a create sends both.  False: reads show no
# type and no template, as the document does.  True: reads also carry both.
# The server stores type and template either way.
QUEUE_READS_TYPE = False

# A queue created without cti_template stores its type as cti_template (our
# guess: the document's only examples pair cti_template "fifo" with a fifo
# queue and "callcenter" with a callcenter queue).  A later PUT of type leaves
# cti_template alone.
CTI_TEMPLATE_DEFAULTS_TO_TYPE = True

# Creating a fifo queue (or turning a queue into one) creates these FIFO
# parameter rows, with the values the vendor document's FIFO1 shows.
FIFO_DEFAULT_PARAMS = [
    ("importance", "0"),
    ("outbound_per_cycle_min", "1"),
    ("outbound_per_cycle", "1"),
    ("outbound_priority", "5"),
    ("outbound_ring_timeout", "60"),
    ("outbound_default_lag", "30"),
]

# A fifo queue's FIFO parameters appear at the top level of its reads (as the
# vendor document's FIFO1 does); disabled ones do not.  A callcenter queue shows
# none.
FIFO_PARAMS_AT_TOP_LEVEL = True
TOP_LEVEL_PARAMS_SKIP_DISABLED = True

# Media fields: an id that names no media is refused; a media_path not in the
# media table is kept with empty type and id; a plain string that is not JSON
# is taken as a media_path.
UNKNOWN_MEDIA_ID_STATUS = 400
UNKNOWN_MEDIA_PATH_TYPE = ""
PLAIN_STRING_IS_MEDIA_PATH = True

# ---------------------------------------------------------------------------
# XSwitch: queue members
# ---------------------------------------------------------------------------

MEMBER_DEFAULT_LEVEL = 1
MEMBER_DEFAULT_POSITION = 1

# Switch new_members_disabled.  The vendor document's reply to adding members
# shows "disabled": 1, while its member list shows "disabled": "0" and the
# field's documented default is 0 (0 enabled, 1 disabled).  False: a new member
# row is stored enabled (0) and the POST reply still shows 1, as the document
# does.  True: new member rows are stored disabled (1) and read back so.
NEW_MEMBERS_DISABLED = False
# The POST reply reports disabled 1 and domain "" as the document's reply does.
MEMBER_CREATE_REPLY_OVERRIDES = {"disabled": 1, "domain": ""}

# agent_id must name an existing user (a 400 otherwise); agent_name defaults
# to that user's extension number.
MEMBER_UNKNOWN_AGENT_STATUS = 400


def default_agent_name(user):
    return user["extn"] or user["login"]


# Switch member_delete_route.  Nothing public documents removing a queue
# member.  True: DELETE /api/queues/$id/agents/$member_id exists and takes the
# member row id (not the agent id).  False: the route does not exist; the
# request answers as any unknown route does (404) and removes nothing.
MEMBER_DELETE_ROUTE = True
MEMBER_DELETE_BY_ROW_ID = True

# ---------------------------------------------------------------------------
# XSwitch: queue extra parameters
# ---------------------------------------------------------------------------

# realm of a parameter -> dict realm listing its valid keys.
PARAM_REALMS = {"CC": "QUEUE_CC_PARAM", "FIFO": "QUEUE_FIFO_PARAM"}

# A key missing from the realm's dict is refused with 400.
UNKNOWN_PARAM_KEY_STATUS = 400

# A PUT that names another valid key renames the row's key.
PUT_PARAM_MAY_RENAME_KEY = True


def param_value_to_string(value):
    """Values are stored as strings: 0 -> "0", True -> "true", objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def agent_value_to_string(value):
    """Agent settings are stored and read back as strings (as the vendor document
    shows them)."""
    return param_value_to_string(value)


# Switch agent_spelling.  The vendor document writes the agent status
# "Out|Available|Available(On Demand)|On Break" and the agent type
# "callback|standBy"; FreeSWITCH's mod_callcenter, which XSwitch drives, writes
# "Logged Out", "Available (On Demand)" and "uuid-standby".  Which one the
# server stores is not settled.  "as_sent": stored and read back as the client
# sent it.  "freeswitch": stored and read back in mod_callcenter's spelling,
# whichever spelling was sent.
AGENT_SPELLINGS = ("as_sent", "freeswitch")
AGENT_SPELLING = "as_sent"
FREESWITCH_AGENT_SPELLING = {
    "status": {"Out": "Logged Out", "Available(On Demand)": "Available (On Demand)"},
    "agent_type": {"standBy": "uuid-standby"},
}


def agent_value_spelled(key, value, spelling):
    """An agent setting's stored value under the agent_spelling switch position."""
    if spelling == "freeswitch":
        return FREESWITCH_AGENT_SPELLING.get(key, {}).get(value, value)
    return value


# ---------------------------------------------------------------------------
# Simotel
# ---------------------------------------------------------------------------

# Documented (simotel/wiki, i18n/en/docusaurus-plugin-content-docs/current/developers/
# 2-SimotelAPI/v4/2-settings.md, "Common Response Messages"); the order in which the
# checks run is not documented.
SIMOTEL_CHECK_ORDER = (
    "client",        # refused client address        -> 403 IP is not permitted
    "method",        # not POST                       -> 405 Method not allowed
    "auth",          # Basic / X-APIKEY               -> 401
    "service",       # unknown service                -> 501 Requested service does not exist
    "permission",    # account lacks this service     -> 403 "...";Access denied
    "content_type",  # not application/json           -> 415 Unsupported Media Type
    "json",          # body is not JSON               -> 400 Unable to parse content
)

# The texts of the wiki's table (documented).
SIMOTEL_AUTH_MISSING_MESSAGE = "BasicAuth or ApiKey is missing"
SIMOTEL_AUTH_INVALID_MESSAGE = "BasicAuth or ApiKey is invalid"
SIMOTEL_CLIENT_REFUSED_MESSAGE = "IP is not permitted"
SIMOTEL_METHOD_MESSAGE = "Method not allowed"
SIMOTEL_CONTENT_TYPE_MESSAGE = "Unsupported Media Type"
SIMOTEL_BAD_JSON_MESSAGE = "Unable to parse content"
SIMOTEL_UNKNOWN_SERVICE_MESSAGE = "Requested service does not exist"
SIMOTEL_FAILED_MESSAGE = "Requested operation failed"
SIMOTEL_DONE_MESSAGE = "Requested operation is done successfully"
SIMOTEL_QUEUE_EXISTS_MESSAGE = "this queue already exists"
SIMOTEL_PING_MESSAGE = ("If the 'Ping' event is enabled in the settings menu, "
                        "you'll receive it when it's sent")


def simotel_forbidden_message(service):
    """The table shows ``"....";Access denied``; what stands for "...." is not documented:
    taken to be the service."""
    return '"%s";Access denied' % service


def simotel_missing_field_message(field):
    """Documented: ``Field 'field_name':value is missing`` (HTTP 200, success 0)."""
    return "Field '%s':value is missing" % field


# A path outside /api/v4/: Apache's own 404 page (documented: "Incorrect addressing,
# resulting in a 404 error from Apache"); the page's text is Apache's usual one.
SIMOTEL_NOT_FOUND_STATUS = 404
SIMOTEL_NOT_FOUND_PAGE = (
    "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n"
    "<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n"
    "<p>The requested URL was not found on this server.</p>\n</body></html>\n")

# Per-item messages. Documented: "Added successfully", "Removed successfully",
# "Paused successfully", "UnPaused successfully" (the queue agent pages). The failures
# are not documented: Asterisk's manager wording; ``/_sim/config`` ``pbx_messages``
# overrides any of them.
SIMOTEL_MESSAGES = {
    "removed": "Removed successfully",
    "not_member_remove": "Unable to remove interface: Not there",
    "no_queue_remove": "Unable to remove interface from queue: No such queue",
    "added": "Added successfully",
    "already_member": "Unable to add interface: Already there",
    "no_queue_add": "Unable to add interface to queue: No such queue",
    "paused": "Paused successfully",
    "resumed": "UnPaused successfully",
    "not_found_pause": "Interface not found",
    "already_paused": "Unable to pause interface: Already paused",
    "not_paused": "Unable to unpause interface: Not paused",
    "queue_not_found": SIMOTEL_FAILED_MESSAGE,
}

# Pausing a member that is paused already (or resuming one that is not): Asterisk's
# QueuePause sets the state without looking at it and says it succeeded, so "again" answers
# ok 1 with the usual message; "refuse" answers ok 0 with "already_paused" / "not_paused".
# Undocumented either way. /_sim/config ``pbx_pause_repeat``.
SIMOTEL_PAUSE_REPEATS = ("again", "refuse")
SIMOTEL_PAUSE_REPEAT = "again"

# data.ok is 0 when any item failed (undocumented); the envelope's success
# stays 1 because the call itself was carried out.
BATCH_OK_ZERO_WHEN_ANY_ITEM_FAILS = True
BATCH_SUCCESS_ALWAYS_ONE = True

# queue and agent may be sent as JSON numbers too; they are compared as text.
SIMOTEL_ACCEPT_NUMBERS = True

# Defaults of an added member.
SIMOTEL_DEFAULT_PENALTY = 0
SIMOTEL_DEFAULT_SOURCE = ""

# batchaddagent: the parameter table names the agent field "agents", the request example
# sends "agent" (9-queue_batchaddagent.md). Which one a server reads: /_sim/config
# ``pbx_batchadd_agent_field`` ("agents", "agent", or "either").
SIMOTEL_BATCHADD_AGENT_FIELDS = ("agents", "agent", "either")
SIMOTEL_BATCHADD_AGENT_FIELD = "agents"

# A single-pair call whose operation failed (agent already there, not there): the pages
# show only successes. "data": success 1 and data {"message", "ok": 0}, like a batch item;
# "envelope": success 0 with the message. /_sim/config ``pbx_single_failure``.
SIMOTEL_SINGLE_FAILURES = ("data", "envelope")
SIMOTEL_SINGLE_FAILURE = "data"

# Ping: the PHP example sends POST, the JavaScript and cURL examples PUT (3-ping.md); both
# are taken. /_sim/config ``pbx_ping_methods``.
SIMOTEL_PING_METHODS = ("POST", "PUT")

# Queues (6-queues pages). The table of 4-queues_remove.md names the id "id_", its example
# sends "_id"; /_sim/config ``pbx_queue_remove_id_field`` ("_id", "id_" or "either").
SIMOTEL_QUEUE_REMOVE_ID_FIELDS = ("_id", "id_", "either")
SIMOTEL_QUEUE_REMOVE_ID_FIELD = "_id"

# The settings of a queue, in the order the search reply shows them (2-queues_search.md),
# with the value a queue added without them gets (undocumented: Asterisk's defaults where it
# has one, the wiki's sample value otherwise).
SIMOTEL_QUEUE_DEFAULTS = (
    ("strategy", "ringall"),
    ("ringinuse", "yes"),
    ("call_record", "no"),
    ("setinterfacevar", "no"),
    ("autofill", "yes"),
    ("setqueuevar", "no"),
    ("setqueueentryvar", "no"),
    ("persistentmembers", "yes"),
    ("shared_lastcall", "no"),
    ("announce_holdtime", "no"),
    ("announce_position", "yes"),
    ("joinempty", "yes"),
    ("leavewhenempty", "no"),
    ("reportholdtime", "no"),
    ("maxlen", "0"),
    ("announce_frequency", "0"),
    ("min_announce_frequency", "15"),
    ("periodic_announce_frequency", "0"),
    ("music", "default"),
    ("queue_callswaiting", "queue-callswaiting"),
    ("queue_thankyou", "queue-thankyou"),
    ("queue_thereare", "queue-thereare"),
    ("queue_youarenext", "queue-youarenext"),
    ("retry", "5"),
    ("servicelevel", "60"),
    ("timeout", "15"),
    ("weight", "0"),
    ("wrapuptime", "0"),
    ("monitor_type", "MixMonitor"),
    ("monitor_format", "wav"),
    ("more_options", ""),
)

# search with "alike": "true" matches a part of name/number, "false" the whole value
# (undocumented; the page says "Display Similar Data"). An empty condition matches all.
# A search that finds nothing: success 1, data [] (undocumented).
# Removing or editing an unknown _id: success 0 "Requested operation failed"
# (the generic failure text of the settings page); its wording is pbx_messages
# "queue_not_found".
# Removing a queue removes its members (undocumented: Asterisk has no members of a queue
# that does not exist). Renaming a queue's number keeps its members (undocumented).
