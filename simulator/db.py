"""SQLite state of both simulated servers: schema, initial data, connections,
and the XSwitch data layer.

One database file holds the tables of both servers (XSwitch tables plain,
Simotel tables prefixed ``pbx_``).  Every request opens its own connection;
the file is in WAL mode so readers never wait for writers, and writers wait
for each other through ``busy_timeout``.  A request that checks and then
writes does both inside ``BEGIN IMMEDIATE`` so that two parallel requests
cannot both pass the check.

The XSwitch routes hold no SQL: they call :class:`XSwitchData`, one object per
request with a small class per table (:class:`Users`, :class:`Queues`, ...).
"""

import contextlib
import hashlib
import json
import queue
import secrets
import sqlite3
import time

from flask import g

from . import assumed

BUSY_TIMEOUT_MS = 30000
IDLE_CONNECTIONS = 16         # connections kept open between requests

# The 20 call-center (mod_callcenter) queue parameter keys of the vendor
# document's table.
CC_PARAM_KEYS = (
    "announce-sound",
    "announce-frequency",
    "announce-agent-answer",
    "announce-position",
    "retain-agent",
    "wait-timeout",
    "wait-timeout-without-agent",
    "wait-timeout-without-agent-time-reached",
    "overflow-capacity-action",
    "wait-timeout-without-agent-action",
    "wait-timeout-action",
    "tier-rules-apply",
    "tier-rule-wait-second",
    "tier-rule-wait-multiply-level",
    "tier-rule-no-agent-no-wait",
    "abandoned-resume-allowed",
    "discard-abandoned-after",
    "time-base-score",
    "capacity",
    "agent-timeout",
)

# The 8 FIFO (mod_fifo) queue parameter keys of the vendor document's table.
FIFO_PARAM_KEYS = (
    "importance",
    "outbound_per_cycle",
    "outbound_per_cycle_min",
    "outbound_priority",
    "outbound_name",
    "retry_delay",
    "outbound_ring_timeout",
    "outbound_default_lag",
)

DICT_KEYS = {"QUEUE_CC_PARAM": CC_PARAM_KEYS, "QUEUE_FIFO_PARAM": FIFO_PARAM_KEYS}

XSWITCH_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    password TEXT NOT NULL DEFAULT '',
    extn TEXT NOT NULL DEFAULT '',
    extn_id INTEGER NOT NULL DEFAULT 0,
    domain TEXT NOT NULL DEFAULT '',
    context TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    tel TEXT NOT NULL DEFAULT '',
    tel_enabled INTEGER NOT NULL DEFAULT 0,
    cid_name TEXT NOT NULL DEFAULT '',
    cid_number TEXT NOT NULL DEFAULT '',
    vm_password TEXT NOT NULL DEFAULT '',
    auto_record INTEGER NOT NULL DEFAULT 0,
    is_super INTEGER NOT NULL DEFAULT 0,
    ha1 TEXT NOT NULL DEFAULT '',
    ha1b TEXT NOT NULL DEFAULT '',
    agent_info TEXT NOT NULL DEFAULT '{}',
    last_login_at TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    deleted_at TEXT NOT NULL DEFAULT '',
    CONSTRAINT users_login_key UNIQUE (login)
);
CREATE TABLE IF NOT EXISTS extensions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    extn TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    password TEXT NOT NULL DEFAULT '',
    domain TEXT NOT NULL DEFAULT '',
    context TEXT NOT NULL DEFAULT '',
    ha1 TEXT NOT NULL DEFAULT '',
    ha1b TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    deleted_at TEXT NOT NULL DEFAULT '',
    CONSTRAINT extensions_extn_domain_key UNIQUE (extn, domain)
);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_refusals (
    login TEXT PRIMARY KEY,
    refused INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS api_keys (
    key TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS media (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS queues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL DEFAULT '',
    strategy TEXT NOT NULL DEFAULT '',
    template TEXT NOT NULL DEFAULT '',
    cti_template TEXT NOT NULL DEFAULT '',
    moh_sound TEXT NOT NULL DEFAULT '',
    greeting TEXT NOT NULL DEFAULT '',
    auto_record INTEGER NOT NULL DEFAULT 0,
    load_url TEXT NOT NULL DEFAULT '',
    load_url_params TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    deleted_at TEXT NOT NULL DEFAULT '',
    CONSTRAINT queues_name_key UNIQUE (name)
);
CREATE TABLE IF NOT EXISTS queue_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- No foreign key: whether deleting a queue removes its member rows is a switch.
    queue_id INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    agent_name TEXT NOT NULL DEFAULT '',
    level INTEGER NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 1,
    disabled INTEGER NOT NULL DEFAULT 0,
    external_queue_id TEXT NOT NULL DEFAULT '',
    external_agent_id TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    deleted_at TEXT NOT NULL DEFAULT '',
    CONSTRAINT queue_agents_queue_id_agent_id_key UNIQUE (queue_id, agent_id)
);
CREATE TABLE IF NOT EXISTS queue_params (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ref_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    realm TEXT NOT NULL,
    k TEXT NOT NULL,
    v TEXT NOT NULL DEFAULT '',
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    deleted_at TEXT NOT NULL DEFAULT '',
    CONSTRAINT queue_params_ref_id_realm_k_key UNIQUE (ref_id, realm, k)
);
CREATE TABLE IF NOT EXISTS dicts (
    id INTEGER PRIMARY KEY,
    realm TEXT NOT NULL,
    k TEXT NOT NULL,
    v TEXT NOT NULL,
    o TEXT NOT NULL DEFAULT '0',
    d TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    deleted_at TEXT NOT NULL DEFAULT ''
);
"""

XSWITCH_TABLES = ("users", "extensions", "sessions", "login_refusals", "api_keys", "media",
                  "queues", "queue_members", "queue_params", "dicts")

SIMOTEL_SCHEMA = """
CREATE TABLE IF NOT EXISTS pbx_queues (
    number TEXT PRIMARY KEY,
    id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT '{}',
    date TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS pbx_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    agent TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    penalty INTEGER NOT NULL DEFAULT 0,
    paused INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT pbx_members_queue_agent_key UNIQUE (queue, agent)
);
"""

SIMOTEL_TABLES = ("pbx_queues", "pbx_members")

# Queue members of the fresh Simotel server: the Simotel document's example
# request works at once.
SIMOTEL_INITIAL_MEMBERS = {
    "10000": ("570", "553", "554"),
    "10001": ("570", "600"),
}


def now():
    return time.strftime(assumed.TIMESTAMP_FORMAT)


def md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def sip_hashes(user, domain, password):
    """(ha1, ha1b) as FreeSWITCH computes them."""
    return (md5("%s:%s:%s" % (user, domain, password)),
            md5("%s@%s:%s:%s" % (user, domain, domain, password)))


@contextlib.contextmanager
def transaction(conn, write=True):
    """BEGIN IMMEDIATE (write) or BEGIN (read) ... COMMIT, ROLLBACK on error."""
    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class Database:
    """The simulator's SQLite file."""

    def __init__(self, path):
        self.path = path
        # Connections a finished request handed back. A new connection parses the schema
        # on its first statement, which cost more than the rest of a small request.
        self._idle = queue.LifoQueue(maxsize=IDLE_CONNECTIONS)

    def connect(self):
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000.0,
                               isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = %d" % BUSY_TIMEOUT_MS)
        conn.execute("PRAGMA foreign_keys = ON")
        # WAL with NORMAL survives a crash of the simulator and skips an fsync per commit;
        # only a power cut could lose the last writes of a dry-run.
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def per_request(self, app):
        """Give every request of the Flask ``app`` a connection of its own for the request,
        taken from the idle ones when there is one and handed back when the request ends;
        returns the function that gets the current request's connection."""
        @app.teardown_appcontext
        def close(_exc):
            conn = g.pop("db", None)
            if conn is None:
                return
            if not conn.in_transaction:
                try:
                    self._idle.put_nowait(conn)
                    return
                except queue.Full:
                    pass
            conn.close()

        def current():
            if "db" not in g:
                try:
                    g.db = self._idle.get_nowait()
                except queue.Empty:
                    g.db = self.connect()
            return g.db

        return current

    @contextlib.contextmanager
    def connection(self):
        conn = self.connect()
        try:
            yield conn
        finally:
            conn.close()

    transaction = staticmethod(transaction)

    def initialize(self, settings):
        """Create the schema and fill both servers' fresh state.

        A file that already holds a simulator's state (``SIM_DB`` reused) keeps
        it; only the admin's password and dev key are set from ``settings`` so
        that the printed credentials work.  Returns True when it was filled."""
        with self.connection() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(XSWITCH_SCHEMA + SIMOTEL_SCHEMA)
            with transaction(conn):
                fresh = conn.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0
                if fresh:
                    populate_xswitch(conn, settings)
                else:
                    set_admin_credentials(conn, settings)
                if conn.execute("SELECT COUNT(*) FROM pbx_queues").fetchone()[0] == 0:
                    populate_simotel(conn)
        return fresh

    def reset_xswitch(self, settings):
        with self.connection() as conn, transaction(conn):
            populate_xswitch(conn, settings)

    def reset_simotel(self, settings):
        with self.connection() as conn, transaction(conn):
            populate_simotel(conn)

    def expire_xswitch_sessions(self):
        with self.connection() as conn, transaction(conn):
            Sessions(conn).delete_all()


def _clear(conn, tables):
    for table in tables:
        conn.execute("DELETE FROM %s" % table)
    marks = ",".join("?" * len(tables))
    conn.execute("DELETE FROM sqlite_sequence WHERE name IN (%s)" % marks, tables)


def populate_xswitch(conn, settings):
    """Empty the XSwitch tables and fill them as on a freshly installed server."""
    _clear(conn, XSWITCH_TABLES)
    data = XSwitchData(conn)
    domain = assumed.INITIAL_DOMAIN
    stamp = assumed.INITIAL_TIMESTAMP
    data.users.insert({"id": 0, "login": "system", "name": "SYSTEM", "domain": domain,
                       "context": "", "created_at": stamp, "updated_at": stamp})
    data.users.insert({"id": 1, "login": "admin", "name": "Admin", "extn": "admin",
                       "domain": domain, "context": assumed.INITIAL_ADMIN_CONTEXT,
                       "is_super": 1, "created_at": stamp, "updated_at": stamp})
    set_admin_credentials(conn, settings)
    for media in assumed.INITIAL_MEDIA:
        data.media.insert(media)
    for realm, keys in DICT_KEYS.items():
        first = assumed.DICT_ID_START[realm]
        when = assumed.DICT_TIMESTAMP[realm]
        for offset, key in enumerate(keys):
            data.dicts.insert({"id": first + offset, "realm": realm,
                               "k": assumed.dict_label(key), "v": key, "o": "0", "d": "",
                               "created_at": when, "updated_at": when})


def set_admin_credentials(conn, settings):
    """Give user 1 the configured password (and hashes) and dev key."""
    data = XSwitchData(conn)
    admin = data.users.get(1)
    if admin is None:
        return
    # The admin's login and extension number are both "admin": the hashes are
    # the same under either ha1_user position.
    ha1, ha1b = sip_hashes(assumed.user_hash_principal(admin["login"], admin["extn"]),
                           admin["domain"], settings.admin_password)
    data.users.update(1, {"password": settings.admin_password, "ha1": ha1, "ha1b": ha1b})
    data.api_keys.replace(settings.xswitch_token, 1)


def simotel_id():
    """A new Simotel object id: 24 hexadecimal digits, as the wiki's ``_id`` values."""
    return secrets.token_hex(12)


def simotel_date():
    """The ``date`` of a Simotel object. The wiki's sample is a Solar Hijri date
    (``1399-12-11 10:15:51``); the simulator writes the Gregorian one in the same form."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())


def populate_simotel(conn):
    """Empty the Simotel tables and fill them with the initial queues."""
    _clear(conn, SIMOTEL_TABLES)
    for queue, agents in SIMOTEL_INITIAL_MEMBERS.items():
        conn.execute(
            "INSERT INTO pbx_queues (number, id, name, settings, date) VALUES (?, ?, ?, ?, ?)",
            (queue, simotel_id(), "queue " + queue,
             json.dumps(dict(assumed.SIMOTEL_QUEUE_DEFAULTS)),
             simotel_date()))
        for agent in agents:
            conn.execute(
                "INSERT INTO pbx_members (queue, agent, source, penalty, paused)"
                " VALUES (?, ?, ?, ?, 0)",
                (queue, agent, assumed.SIMOTEL_DEFAULT_SOURCE, assumed.SIMOTEL_DEFAULT_PENALTY))


def loads(text, default=None):
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------------------
# XSwitch data layer
# ---------------------------------------------------------------------------

ORDER_BY = " ORDER BY " + assumed.LIST_ORDER


class Table:
    """The SQL of one XSwitch table, over one connection.  Column names always come
    from the simulator's code, never from a request."""

    name = ""

    def __init__(self, conn):
        self.conn = conn

    def _one(self, sql, params=()):
        return self.conn.execute(sql, params).fetchone()

    def _all(self, sql, params=()):
        return self.conn.execute(sql, params).fetchall()

    def _delete_where(self, column, value):
        self.conn.execute("DELETE FROM %s WHERE %s = ?" % (self.name, column), (value,))

    def all(self):
        return self._all("SELECT * FROM %s%s" % (self.name, ORDER_BY))

    def get(self, row_id):
        return self._one("SELECT * FROM %s WHERE id = ?" % self.name, (row_id,))

    def insert(self, values):
        """Insert one row from a column -> value mapping; returns its id."""
        sql = "INSERT INTO %s (%s) VALUES (%s)" % (
            self.name, ", ".join(values), ", ".join("?" * len(values)))
        return self.conn.execute(sql, list(values.values())).lastrowid

    def update(self, row_id, changes):
        """Set the columns of ``changes`` (a column -> value mapping) in row ``row_id``."""
        columns = ", ".join("%s = ?" % column for column in changes)
        self.conn.execute("UPDATE %s SET %s WHERE id = ?" % (self.name, columns),
                          list(changes.values()) + [row_id])

    def delete(self, row_id):
        self._delete_where("id", row_id)


class UserRows(Table):
    """A table whose rows belong to a user (``user_id``)."""

    def delete_of_user(self, user_id):
        self._delete_where("user_id", user_id)


class Users(Table):
    name = "users"

    def by_login(self, login):
        return self._one("SELECT * FROM users WHERE login = ?", (login,))


class Extensions(UserRows):
    name = "extensions"

    def of_user(self, user_id):
        return self._all("SELECT * FROM extensions WHERE user_id = ?" + ORDER_BY, (user_id,))

    def by_number(self, extn, domain):
        return self._one("SELECT * FROM extensions WHERE extn = ? AND domain = ?",
                         (extn, domain))


class Sessions(UserRows):
    name = "sessions"

    def user_id(self, token, at):
        """The user of a session token still valid at time ``at``, or None."""
        row = self._one("SELECT user_id FROM sessions WHERE token = ? AND expires_at > ?",
                        (token, at))
        return None if row is None else row["user_id"]

    def open(self, token, user_id, at, ttl):
        """Store a new token valid from ``at`` for ``ttl`` seconds; drop expired ones."""
        self.conn.execute("DELETE FROM sessions WHERE expires_at <= ?", (at,))
        self.insert({"token": token, "user_id": user_id, "expires_at": at + ttl})

    def delete_all(self):
        self.conn.execute("DELETE FROM sessions")

    def close(self, token):
        self.conn.execute("DELETE FROM sessions WHERE token = ?", (token,))

    def count(self):
        return self._one("SELECT COUNT(*) AS n FROM sessions")["n"]


class LoginRefusals(Table):
    """Refused logins in a row, per login name, and until when a login is locked."""

    name = "login_refusals"

    def of(self, login):
        row = self._one("SELECT * FROM login_refusals WHERE login = ?", (login,))
        return (row["refused"], row["locked_until"]) if row else (0, 0.0)

    def record(self, login, refused, locked_until):
        self.conn.execute("INSERT OR REPLACE INTO login_refusals (login, refused, locked_until)"
                          " VALUES (?, ?, ?)", (login, refused, locked_until))

    def clear(self, login):
        self.conn.execute("DELETE FROM login_refusals WHERE login = ?", (login,))


class ApiKeys(UserRows):
    name = "api_keys"

    def user_id(self, key):
        row = self._one("SELECT user_id FROM api_keys WHERE key = ?", (key,))
        return None if row is None else row["user_id"]

    def replace(self, key, user_id):
        """Make ``key`` the one api key of ``user_id``."""
        self.conn.execute("DELETE FROM api_keys WHERE user_id = ? OR key = ?", (user_id, key))
        self.insert({"key": key, "user_id": user_id})


class Media(Table):
    name = "media"

    def by_path(self, path):
        return self._one("SELECT * FROM media WHERE path = ?" + ORDER_BY, (path,))


class Queues(Table):
    name = "queues"

    def by_name(self, name):
        return self._one("SELECT * FROM queues WHERE name = ?", (name,))


# A member row with its queue's name and its user's extension, name and domain
# (empty when the user is gone).
MEMBER_SELECT = (
    "SELECT m.*, q.name AS queue_name, u.extn AS user_extn, u.name AS user_name,"
    " u.domain AS user_domain FROM queue_members m JOIN queues q ON q.id = m.queue_id"
    " LEFT JOIN users u ON u.id = m.agent_id")


class QueueMembers(Table):
    name = "queue_members"

    def of_queue(self, queue_id):
        return self._all(MEMBER_SELECT + " WHERE m.queue_id = ? ORDER BY m." + assumed.LIST_ORDER,
                         (queue_id,))

    def joined(self, member_id):
        """One member row as :data:`MEMBER_SELECT` gives it."""
        return self._one(MEMBER_SELECT + " WHERE m.id = ?", (member_id,))

    def by_agent(self, queue_id, agent_id):
        return self._one("SELECT * FROM queue_members WHERE queue_id = ? AND agent_id = ?",
                         (queue_id, agent_id))

    def in_queue(self, queue_id, member_id):
        return self._one("SELECT * FROM queue_members WHERE queue_id = ? AND id = ?",
                         (queue_id, member_id))

    def queue_names_of_agent(self, agent_id):
        return self._all("SELECT q.name FROM queue_members m JOIN queues q ON q.id = m.queue_id"
                         " WHERE m.agent_id = ? ORDER BY q." + assumed.LIST_ORDER, (agent_id,))

    def delete_of_agent(self, agent_id):
        self._delete_where("agent_id", agent_id)

    def delete_of_queue(self, queue_id):
        self._delete_where("queue_id", queue_id)


class QueueParams(Table):
    name = "queue_params"

    def of_queue(self, queue_id):
        return self._all("SELECT * FROM queue_params WHERE ref_id = ?" + ORDER_BY, (queue_id,))

    def in_queue(self, queue_id, param_id):
        return self._one("SELECT * FROM queue_params WHERE id = ? AND ref_id = ?",
                         (param_id, queue_id))

    def by_key(self, queue_id, realm, key):
        return self._one("SELECT * FROM queue_params WHERE ref_id = ? AND realm = ? AND k = ?",
                         (queue_id, realm, key))

    def values(self, queue_id, realm, enabled_only):
        """(k, v) rows of one queue and realm, optionally only the enabled ones."""
        sql = "SELECT k, v FROM queue_params WHERE ref_id = ? AND realm = ?"
        if enabled_only:
            sql += " AND disabled = 0"
        return self._all(sql + ORDER_BY, (queue_id, realm))

    def add_missing(self, queue_id, realm, pairs, stamp):
        """Add the (key, value) ``pairs`` the queue does not have yet in ``realm``."""
        for key, value in pairs:
            self.conn.execute(
                "INSERT OR IGNORE INTO queue_params (ref_id, realm, k, v, disabled, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
                (queue_id, realm, key, value, stamp, stamp))

    def delete_of_queue(self, queue_id):
        self._delete_where("ref_id", queue_id)


class Dicts(Table):
    name = "dicts"

    def of_realm(self, realm):
        return self._all("SELECT * FROM dicts WHERE realm = ?" + ORDER_BY, (realm,))

    def has_value(self, realm, value):
        return self._one("SELECT 1 FROM dicts WHERE realm = ? AND v = ?",
                         (realm, value)) is not None


class XSwitchData:
    """The XSwitch tables over one connection, and its transactions."""

    def __init__(self, conn):
        self.conn = conn
        self.users = Users(conn)
        self.extensions = Extensions(conn)
        self.sessions = Sessions(conn)
        self.login_refusals = LoginRefusals(conn)
        self.api_keys = ApiKeys(conn)
        self.media = Media(conn)
        self.queues = Queues(conn)
        self.members = QueueMembers(conn)
        self.params = QueueParams(conn)
        self.dicts = Dicts(conn)

    def write(self):
        """A write transaction (BEGIN IMMEDIATE): checks inside it see no parallel writer."""
        return transaction(self.conn, write=True)

    def read(self):
        return transaction(self.conn, write=False)
