"""SQLite state of both simulated servers: schema, seeding, connections.

One database file holds the tables of both servers (XSwitch tables plain,
Simotel tables prefixed ``pbx_``).  Every request opens its own connection;
the file is in WAL mode so readers never wait for writers, and writers wait
for each other through ``busy_timeout``.  A request that checks and then
writes does both inside ``BEGIN IMMEDIATE`` so that two parallel requests
cannot both pass the check.
"""

import contextlib
import hashlib
import json
import sqlite3
import time

from flask import g

from . import assumed

BUSY_TIMEOUT_MS = 30000

# The 20 call-center (mod_callcenter) queue parameter keys of the seed's table.
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

# The 8 FIFO (mod_fifo) queue parameter keys of the seed's table.
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
    queue_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
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

XSWITCH_TABLES = ("users", "extensions", "sessions", "api_keys", "media", "queues",
                  "queue_members", "queue_params", "dicts")

SIMOTEL_SCHEMA = """
CREATE TABLE IF NOT EXISTS pbx_queues (
    number TEXT PRIMARY KEY
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

# Queue members of the fresh Simotel server: the seed's request works at once.
SIMOTEL_SEED = {
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


class Database:
    """The simulator's SQLite file."""

    def __init__(self, path):
        self.path = path

    def connect(self):
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000.0,
                               isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = %d" % BUSY_TIMEOUT_MS)
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def per_request(self, app):
        """Give every request of the Flask ``app`` its own connection, closed when the request
        ends; returns the function that gets the current request's connection."""
        @app.teardown_appcontext
        def close(_exc):
            conn = g.pop("db", None)
            if conn is not None:
                conn.close()

        def current():
            if "db" not in g:
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

    @staticmethod
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

    def initialize(self, settings):
        """Create the schema and seed both servers' fresh state.

        A file that already holds a simulator's state (``SIM_DB`` reused) keeps
        it; only the admin's password and dev key are set from ``settings`` so
        that the printed credentials work.  Returns True when it was seeded."""
        with self.connection() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(XSWITCH_SCHEMA + SIMOTEL_SCHEMA)
            with self.transaction(conn):
                fresh = conn.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0
                if fresh:
                    seed_xswitch(conn, settings)
                else:
                    set_admin_credentials(conn, settings)
                if conn.execute("SELECT COUNT(*) FROM pbx_queues").fetchone()[0] == 0:
                    seed_simotel(conn)
        return fresh

    def reset_xswitch(self, settings):
        with self.connection() as conn, self.transaction(conn):
            seed_xswitch(conn, settings)

    def reset_simotel(self, settings):
        with self.connection() as conn, self.transaction(conn):
            seed_simotel(conn)


def _clear(conn, tables):
    for table in tables:
        conn.execute("DELETE FROM %s" % table)
    marks = ",".join("?" * len(tables))
    conn.execute("DELETE FROM sqlite_sequence WHERE name IN (%s)" % marks, tables)


def seed_xswitch(conn, settings):
    """Empty the XSwitch tables and fill them as on a freshly installed server."""
    _clear(conn, XSWITCH_TABLES)
    domain = assumed.SEED_DOMAIN
    stamp = assumed.SEED_TIMESTAMP
    conn.execute(
        "INSERT INTO users (id, login, name, domain, context, created_at, updated_at)"
        " VALUES (0, 'system', 'SYSTEM', ?, '', ?, ?)", (domain, stamp, stamp))
    conn.execute(
        "INSERT INTO users (id, login, name, extn, domain, context, is_super,"
        " created_at, updated_at)"
        " VALUES (1, 'admin', 'Admin', 'admin', ?, ?, 1, ?, ?)",
        (domain, assumed.SEED_ADMIN_CONTEXT, stamp, stamp))
    set_admin_credentials(conn, settings)
    for media in assumed.SEED_MEDIA:
        conn.execute("INSERT INTO media (id, path, type, name) VALUES (?, ?, ?, ?)",
                     (media["id"], media["path"], media["type"], media["name"]))
    for realm, keys in DICT_KEYS.items():
        first = assumed.DICT_ID_START[realm]
        when = assumed.DICT_TIMESTAMP[realm]
        for offset, key in enumerate(keys):
            conn.execute(
                "INSERT INTO dicts (id, realm, k, v, o, d, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, '0', '', ?, ?)",
                (first + offset, realm, assumed.dict_label(key), key, when, when))


def set_admin_credentials(conn, settings):
    """Give user 1 the configured password (and hashes) and dev key."""
    admin = conn.execute("SELECT login, extn, domain FROM users WHERE id = 1").fetchone()
    if admin is None:
        return
    ha1, ha1b = sip_hashes(assumed.user_hash_principal(admin["login"], admin["extn"]),
                           admin["domain"], settings.admin_password)
    conn.execute("UPDATE users SET password = ?, ha1 = ?, ha1b = ? WHERE id = 1",
                 (settings.admin_password, ha1, ha1b))
    conn.execute("DELETE FROM api_keys WHERE user_id = 1 OR key = ?", (settings.xswitch_token,))
    conn.execute("INSERT INTO api_keys (key, user_id) VALUES (?, 1)", (settings.xswitch_token,))


def seed_simotel(conn):
    """Empty the Simotel tables and fill them with the seeded queues."""
    _clear(conn, SIMOTEL_TABLES)
    for queue, agents in SIMOTEL_SEED.items():
        conn.execute("INSERT INTO pbx_queues (number) VALUES (?)", (queue,))
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
