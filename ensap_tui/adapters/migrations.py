"""The SQLite schema, as numbered migrations applied in order by ``PRAGMA user_version``.

Migration ``n`` (1-based) brings a database from ``user_version = n - 1`` to ``n``. Never edit
a migration that has shipped: add a new one.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Callable, Sequence

from ensap_tui.adapters.name_keys import name_key, part_keys

#: ``PRAGMA application_id`` of an ensap-tui database ("ENSA" in ASCII), so that another
#: program's SQLite file is recognised as not ours before anything is written to it.
APPLICATION_ID = 0x454E5341

Migration = Callable[[sqlite3.Connection], None]


def _run(conn: sqlite3.Connection, statements: Sequence[str]) -> None:
    # One statement at a time: executescript() would commit the surrounding transaction.
    for statement in statements:
        conn.execute(statement)


_V1_SCHEMA = (
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE accounts (
        id INTEGER PRIMARY KEY,
        nir TEXT NOT NULL UNIQUE CHECK (length(nir) = 15),
        birth_name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        email TEXT NOT NULL,
        email_backup TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        phone_secondary TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('pending', 'active')),
        created_at TEXT NOT NULL,
        activated_at TEXT,
        last_sign_in_at TEXT
    )""",
    "CREATE INDEX accounts_name_key ON accounts (name_key)",
    "CREATE INDEX accounts_created ON accounts (created_at)",
    "CREATE INDEX accounts_status_created ON accounts (status, created_at)",
    """CREATE TABLE tokens (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        purpose TEXT NOT NULL CHECK (purpose IN ('activation', 'reset')),
        token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
        issued_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        revoked_at TEXT
    )""",
    "CREATE INDEX tokens_account_purpose ON tokens (account_id, purpose, issued_at)",
    # No foreign key: failures are counted per NIR even when no account exists.
    """CREATE TABLE login_failures (
        nir TEXT PRIMARY KEY,
        failures INTEGER NOT NULL DEFAULT 0,
        blocks INTEGER NOT NULL DEFAULT 0,
        blocked_until TEXT,
        last_failure_at TEXT
    ) WITHOUT ROWID""",
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        link TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        nir TEXT NOT NULL DEFAULT '',
        sent_at TEXT NOT NULL
    )""",
    "CREATE INDEX outbox_nir_kind_sent ON outbox (nir, kind, sent_at)",
    "CREATE INDEX outbox_sent ON outbox (sent_at)",
    """CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        nir TEXT NOT NULL DEFAULT '',
        actor TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX events_nir_at ON events (nir, at)",
    "CREATE INDEX events_at ON events (at)",
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END""",
)


def _v1(conn: sqlite3.Connection) -> None:
    """Every table, and the database's random identifier (names its secret in the keyring)."""
    _run(conn, _V1_SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("INSERT INTO meta (key, value) VALUES ('db_id', ?)", (secrets.token_hex(16),))


_V2_SCHEMA = (
    # name_key is the name NFKC-normalised and case-folded (computed by the store): UNIQUE on it
    # makes «Alice» and «ALICE» one agent, whatever the alphabet (COLLATE NOCASE is ASCII only).
    # AUTOINCREMENT: an id is never given again, so a session of a removed agent cannot pass
    # for a new agent of the same name.
    """CREATE TABLE agents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    # The help desk lists the blocks in force: a range scan rather than reading every row.
    "CREATE INDEX login_failures_blocked ON login_failures (blocked_until)",
)


def _v2(conn: sqlite3.Connection) -> None:
    """Help-desk agents (issue 4)."""
    _run(conn, _V2_SCHEMA)


_V3_SCHEMA = (
    # The help desk's search by the start of a name reads its 50 accounts from this index alone,
    # in name order (ties by NIR): a few neighbouring pages instead of 50 rows scattered through
    # the table, which halves the search on a million accounts. It replaces the plain index on
    # name_key (the id, the rowid, is in every index).
    """CREATE INDEX accounts_by_name ON accounts (
        name_key, nir, birth_name, birth_date, password_hash, email, email_backup, phone,
        phone_secondary, status, created_at, activated_at, last_sign_in_at
    )""",
    "DROP INDEX accounts_name_key",
)


def _v3(conn: sqlite3.Connection) -> None:
    """The help desk's name search served by one covering index."""
    _run(conn, _V3_SCHEMA)


_V4_SCHEMA = (
    # The keys of the later parts of compound names (name_keys.part_keys): «lefevre» finds
    # d'Artagnan-Lefèvre. A name's own key stays in accounts.name_key, so a search that fills
    # its 50 from the covering index (nearly every search) never reads this table. The NIR in
    # the key gives the order of the results and ties; the index on account_id makes the
    # cascade of a deletion a lookup, not a scan.
    """CREATE TABLE account_name_parts (
        part_key TEXT NOT NULL,
        nir TEXT NOT NULL,
        account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        PRIMARY KEY (part_key, nir)
    ) WITHOUT ROWID""",
    "CREATE INDEX account_name_parts_account ON account_name_parts (account_id)",
)

#: Accounts read at a time by migration 4 (never a million rows in memory at once).
_V4_BATCH = 10_000


def _v4(conn: sqlite3.Connection) -> None:
    """Name keys without apostrophes, hyphens or spaces, and the keys of the later parts of
    compound names (issue 11): ``ndiaye`` finds N'Diaye, ``lefevre`` d'Artagnan-Lefèvre."""
    _run(conn, _V4_SCHEMA)
    last = 0
    while True:
        # Read by batches, then written: a table is not changed while a statement reads it.
        rows = conn.execute(
            "SELECT id, nir, birth_name, name_key FROM accounts WHERE id > ? ORDER BY id LIMIT ?",
            (last, _V4_BATCH),
        ).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        conn.executemany(
            "UPDATE accounts SET name_key = ? WHERE id = ?",
            [(name_key(name), id_) for id_, _, name, key in rows if name_key(name) != key],
        )
        conn.executemany(
            "INSERT INTO account_name_parts (part_key, nir, account_id) VALUES (?, ?, ?)",
            [(part, nir, id_) for id_, nir, name, _ in rows for part in part_keys(name)],
        )


_V5_SCHEMA = (
    # An agent's sign-in counter belongs to its record: removing the agent removes its block,
    # and ``agent unlock`` has a row to clear. (Unknown names are still counted in
    # login_failures, under ``agent:<digest>``, so that they answer like real ones.)
    "ALTER TABLE agents ADD COLUMN failures INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE agents ADD COLUMN blocks INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE agents ADD COLUMN blocked_until TEXT",
    "ALTER TABLE agents ADD COLUMN last_failure_at TEXT",
)


def _old_agent_key(name_key: str) -> str:
    # The key versions 2 to 4 counted an agent under (``agents.agent_throttle_key`` of that time).
    return "agent:" + hashlib.sha256(name_key.encode()).hexdigest()[:32]


def _v5(conn: sqlite3.Connection) -> None:
    """Agents' sign-in counters on their records; a counter kept under the name moves there (a
    block in force stays in force until it ends or ``agent unlock`` lifts it)."""
    _run(conn, _V5_SCHEMA)
    for agent_id, key in conn.execute("SELECT id, name_key FROM agents").fetchall():
        old = _old_agent_key(key)
        conn.execute(
            "UPDATE agents SET (failures, blocks, blocked_until, last_failure_at) = "
            "(SELECT failures, blocks, blocked_until, last_failure_at FROM login_failures "
            "WHERE nir = ?) WHERE id = ? AND EXISTS (SELECT 1 FROM login_failures WHERE nir = ?)",
            (old, agent_id, old),
        )
        conn.execute("DELETE FROM login_failures WHERE nir = ?", (old,))


_V6_SCHEMA = (
    # Training rooms (issue 12). A room's code is unique among the open rooms only: an ended
    # room keeps its code in the journal, and a later room may draw it again.
    """CREATE TABLE rooms (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        code TEXT NOT NULL CHECK (length(code) = 6),
        created_at TEXT NOT NULL,
        ended_at TEXT,
        clock_offset_seconds INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE UNIQUE INDEX rooms_open_code ON rooms (code) WHERE ended_at IS NULL",
    # A poste (workstation) is data, not a process: every browser tab's process and the
    # trainer's board read it here. last_seen_at is real system time (the heartbeat), never
    # the simulated one. AUTOINCREMENT: a poste id is never given again, so a stale tab of an
    # old room cannot pass for a new poste.
    """CREATE TABLE postes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        room_id INTEGER NOT NULL REFERENCES rooms (id),
        first_name TEXT NOT NULL,
        joined_at TEXT NOT NULL,
        clock_offset_seconds INTEGER NOT NULL DEFAULT 0,
        generation INTEGER NOT NULL DEFAULT 0,
        last_seen_at TEXT,
        screen TEXT,
        field_errors INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX postes_room ON postes (room_id, joined_at)",
    # The spaces created from a poste, the mails about them, the events a poste made or that
    # concern its spaces; NULL outside a room. (The covering index accounts_by_name does not
    # need the column: a search never reads it.)
    "ALTER TABLE accounts ADD COLUMN poste_id INTEGER REFERENCES postes (id)",
    "CREATE INDEX accounts_poste ON accounts (poste_id, created_at) WHERE poste_id IS NOT NULL",
    "ALTER TABLE outbox ADD COLUMN poste_id INTEGER REFERENCES postes (id)",
    "CREATE INDEX outbox_poste_sent ON outbox (poste_id, sent_at) WHERE poste_id IS NOT NULL",
    # The append-only triggers fire on UPDATE and DELETE only: adding columns keeps them.
    "ALTER TABLE events ADD COLUMN poste_id INTEGER REFERENCES postes (id)",
    "ALTER TABLE events ADD COLUMN room_id INTEGER REFERENCES rooms (id)",
    "CREATE INDEX events_poste ON events (poste_id, id) WHERE poste_id IS NOT NULL",
    "CREATE INDEX events_room ON events (room_id, id) WHERE room_id IS NOT NULL",
)


def _v6(conn: sqlite3.Connection) -> None:
    """Training rooms and their postes (issue 12); existing rows belong to no poste."""
    _run(conn, _V6_SCHEMA)


_V7_SCHEMA = (
    # The help desk's search reads each space's poste (its clock, issue 12) with the account:
    # the covering index of the name search holds poste_id too, so that the search still reads
    # its 50 accounts from the index alone, not 50 rows of the table besides.
    "DROP INDEX accounts_by_name",
    """CREATE INDEX accounts_by_name ON accounts (
        name_key, nir, birth_name, birth_date, password_hash, email, email_backup, phone,
        phone_secondary, status, created_at, activated_at, last_sign_in_at, poste_id
    )""",
)


def _v7(conn: sqlite3.Connection) -> None:
    """The name search's covering index with each space's poste."""
    _run(conn, _V7_SCHEMA)


_V8_SCHEMA = (
    # The newest link of an account (the help desk's search, latest_token) is its last by
    # (issued_at, id): the index now names id after issued_at. SQLite's index held it already
    # (the rowid ends every index entry); PostgreSQL's did not, and its server sorted each
    # pending space's links. The same index on both engines, as schema 8.
    "DROP INDEX tokens_account_purpose",
    "CREATE INDEX tokens_newest ON tokens (account_id, purpose, issued_at, id)",
)


def _v8(conn: sqlite3.Connection) -> None:
    """The tokens' index in the order of an account's newest link."""
    _run(conn, _V8_SCHEMA)


#: In order; the database's ``user_version`` is how many have been applied.
MIGRATIONS: tuple[Migration, ...] = (_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8)

#: The schema version this code writes.
LATEST_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, current: int) -> int:
    """Applies the migrations after ``current`` on ``conn``, inside the caller's transaction,
    and sets ``user_version``. Returns the new version."""
    for version in range(current + 1, LATEST_VERSION + 1):
        MIGRATIONS[version - 1](conn)
        conn.execute(f"PRAGMA user_version = {version}")
    return max(current, LATEST_VERSION)
