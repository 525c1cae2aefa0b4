"""What both engines' stores share: the SQL of every operation (written once, with SQLite's
placeholders, converted for psycopg), the rows read back into records, connections per thread,
the transaction around a block, the damaged rows a list left out, and closing.

An engine (``sqlite_store.SqliteStore``, ``postgres_store.PostgresStore``) says only how to
connect, begin, commit and roll back, and how its driver's errors read in French. Times are
stored as fixed-width UTC text (``2026-11-26T13:02:00.000000Z``) on both, so that text order
is time order.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from ensap_tui.adapters.name_keys import name_key, part_keys
from ensap_tui.services.ports import DamagedRecord, StoreBusyError, StoreError, StoreTx

# The records are imported by the functions that build them, on first use (``import ... as``,
# four times cheaper per call than ``from ... import``): their dataclasses cost a twentieth of
# the start-up, and opening a database builds none of them.
if TYPE_CHECKING:
    from ensap_tui.services.models import (
        Account,
        AccountStatus,
        Agent,
        Contacts,
        Event,
        FailureState,
        MailMessage,
        NewAccount,
        Poste,
        Room,
        TokenPurpose,
        TokenRecord,
    )
    from ensap_tui.services.ports import SearchHit


class Cursor(Protocol):
    """What the shared SQL needs of a driver's cursor (sqlite3's and psycopg's have it)."""

    rowcount: int

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...
    def close(self) -> None: ...


#: The help desk's search as each engine's planner runs it best (see :func:`_search_sql`).
SearchForm = Literal["sqlite", "postgresql"]


_PLACEHOLDER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)|\?")


@cache
def to_pyformat(sql: str) -> str:
    """``sql`` with SQLite's placeholders (``?``, ``:name``) written as psycopg's (``%s``,
    ``%(name)s``); a literal ``%`` doubled. Cached: the store's statements are a few dozen."""

    def placeholder(match: re.Match[str]) -> str:
        return "%s" if match.group(0) == "?" else f"%({match.group(1)})s"

    return _PLACEHOLDER.sub(placeholder, sql.replace("%", "%%"))


def _new_id(cursor: Cursor) -> int:
    """The id an ``INSERT … RETURNING id`` gave (read to the end, so the statement completes)."""
    rows = cursor.fetchall()
    return int(rows[0][0])


def agent_key(name: str) -> str:
    """The key that makes agent names unique ignoring case: NFKC, then case-folded."""
    return unicodedata.normalize("NFKC", name).casefold()


def _prefix_upper(prefix: str) -> str | None:
    """The smallest string greater than every string starting with ``prefix`` (UTF-8 byte
    order is code point order), or None when there is none."""
    while prefix and prefix[-1] == "\U0010ffff":
        prefix = prefix[:-1]
    if not prefix:
        return None
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # surrogates cannot be encoded; jump past them
        last = 0xE000
    return prefix[:-1] + chr(last)


def _ts(at: datetime) -> str:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("the store needs timezone-aware datetimes")
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _dt(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    # Stored text ends with "Z", which gives UTC itself: no conversion needed (hot path).
    return at if at.tzinfo is UTC else at.astimezone(UTC)


def _opt_dt(text: str | None) -> datetime | None:
    return None if text is None else _dt(text)


def _opt_ts(at: datetime | None) -> str | None:
    return None if at is None else _ts(at)




_C = TypeVar("_C")  # the driver's connection


#: How many connections of finished threads a store keeps for the next threads.
IDLE_CONNECTIONS = 4


class SqlStore(ABC, Generic[_C]):
    """A database reached through one connection per thread (each thread's transactions are
    its own; a thread's connection closes once the thread has ended)."""

    def __init__(self) -> None:
        #: French notices for the user (a file whose rights were restricted...).
        self.notices: list[str] = []
        #: True when this opening created the database (its schema).
        self.created = False
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[tuple[threading.Thread, _C]] = []
        #: Connections of finished threads, for the next threads (see :meth:`_adopt`).
        self._idle: list[_C] = []
        self._closed = False

    # -- what each engine says -------------------------------------------------------------

    @property
    @abstractmethod
    def location(self) -> str:
        """The database as shown to the user."""

    @abstractmethod
    def _connect(self) -> _C:
        """A new connection (raises :class:`StoreError` in French)."""

    @abstractmethod
    def _close_connection(self, conn: _C) -> None:
        """Closes ``conn``, never raising."""

    def _usable(self, conn: _C) -> bool:
        """Whether this thread's connection can still be used (a server may have closed it)."""
        return True

    @abstractmethod
    def _reusable(self, conn: _C) -> bool:
        """Whether a finished thread's connection may serve another thread: usable, and no
        transaction left open on it."""

    @abstractmethod
    def _begin(self, conn: _C, *, writable: bool) -> None:
        """Opens a transaction: a write one waits its turn behind any other writer."""

    @abstractmethod
    def _commit(self, conn: _C) -> None: ...

    @abstractmethod
    def _rollback(self, conn: _C) -> None:
        """Ends any open transaction on ``conn``, never raising."""

    @abstractmethod
    def _store_error(self, error: Exception) -> StoreError | StoreBusyError | None:
        """The French error for a driver's ``error``; None when it is not the driver's."""

    #: Rewrites the shared SQL for the driver (None: SQLite's placeholders as they are).
    _convert: Callable[[str], str] | None = None
    #: The form of the help desk's search this engine runs faster (see ``_search_sql``).
    _search_form: SearchForm = "sqlite"

    # -- connections -----------------------------------------------------------------------

    def _connection(self) -> _C:
        if self._closed:
            raise StoreError("La base de données est fermée.")
        conn: _C | None = getattr(self._local, "connection", None)
        if conn is not None and not self._usable(conn):
            self._forget(conn)
            conn = None
        if conn is None:
            conn = self._adopt()
            if conn is None:
                conn = self._connect()
            with self._lock:
                self._connections.append((threading.current_thread(), conn))
            self._local.connection = conn
        return conn

    def _adopt(self) -> _C | None:
        """A connection a finished thread left, for this thread; None when there is none.

        Thread workers come and go (one per call of the UI): a new connection for each would
        cost a server's log-in every time (about 12 ms on PostgreSQL). The connections of
        finished threads are kept, at most :data:`IDLE_CONNECTIONS` of them, and given to the
        next threads; the others are closed. A connection left inside a transaction (never
        the case: every block ends its own) would be closed, not given."""
        to_close: list[_C] = []
        adopted: _C | None = None
        with self._lock:
            alive = []
            for thread, other in self._connections:
                if thread.is_alive():
                    alive.append((thread, other))
                elif len(self._idle) < IDLE_CONNECTIONS and self._reusable(other):
                    self._idle.append(other)
                else:
                    to_close.append(other)
            self._connections = alive
            if self._idle:
                adopted = self._idle.pop()
        for each in to_close:
            self._close_connection(each)
        return adopted

    def _forget(self, conn: _C) -> None:
        """Drops this thread's connection (closed), so that the next use makes a new one."""
        self._local.connection = None
        with self._lock:
            self._connections = [(t, c) for t, c in self._connections if c is not conn]
        self._close_connection(conn)

    # -- Store -----------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[StoreTx]:
        """One write transaction, taken in turn with every other writer of the database:
        committed at the end of the block, rolled back on any exception. The driver's errors
        come out as :class:`StoreError` / :class:`StoreBusyError` in French."""
        yield from self._transaction(writable=True)

    @contextmanager
    def read(self) -> Iterator[StoreTx]:
        """One read transaction (a consistent snapshot); writing in it is refused."""
        yield from self._transaction(writable=False)

    def _begun(self, *, writable: bool) -> _C:
        """This thread's connection with a transaction begun on it. A connection the server
        has closed since its last use (a restart) is replaced once, transparently: nothing was
        pending on it."""
        for attempt in (1, 2):
            try:
                conn = self._connection()
            except Exception as error:
                self._raise_as_store_error(error)
                raise
            try:
                self._begin(conn, writable=writable)
            except Exception as error:
                if attempt == 1 and not self._usable(conn):
                    self._forget(conn)
                    continue
                self._raise_as_store_error(error)
                raise
            return conn
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _transaction(self, *, writable: bool) -> Iterator[StoreTx]:
        conn = self._begun(writable=writable)
        tx = SqlTx(conn, writable=writable, damaged=self._damaged(), convert=self._convert,
                   search_form=self._search_form)
        try:
            yield tx
            self._commit(conn)
        except BaseException as error:
            self._rollback(conn)
            if isinstance(error, Exception):
                self._raise_as_store_error(error)
            raise
        finally:
            tx.finished = True

    def _peek(self, sql: str, params: Any) -> list[Any]:
        """The rows of one statement on this thread's connection, without opening a store
        transaction: inside one it sees that transaction's state, outside it is a
        one-statement read (fetched whole at once, so that no read snapshot stays open).
        Outside a transaction, a connection the server has closed since its last use (a
        restart) is replaced once, as :meth:`_begun` replaces it: the demo's and a poste's
        clocks peek before every operation."""
        if self._convert is not None:
            sql = self._convert(sql)
        for attempt in (1, 2):
            conn: Any = None
            try:
                conn = self._connection()
                alone = self._reusable(conn)  # no transaction of this thread is open on it
                rows: list[Any] = self._peek_cursor(conn).execute(sql, params).fetchall()
            except Exception as error:
                if attempt == 1 and conn is not None and alone and not self._usable(conn):
                    self._forget(conn)
                    continue
                self._raise_as_store_error(error)
                raise
            return rows
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _peek_cursor(self, conn: _C) -> Any:
        """This thread's cursor on ``conn`` for :meth:`_peek`, kept from one peek to the next
        (a new one for another connection): a cursor made per statement cost about 15 µs of
        psycopg's Python, at each keystroke of the help desk's search. Each peek reads its
        rows whole, so the cursor holds no open result between two."""
        local = self._local
        cursor = getattr(local, "peek_cursor", None)
        if cursor is None or local.peek_connection is not conn:
            cursor = conn.cursor()  # type: ignore[attr-defined]  # both drivers' connections
            local.peek_cursor, local.peek_connection = cursor, conn
        return cursor

    def peek_meta(self, key: str) -> str | None:
        """One meta value, read as :meth:`_peek` reads: for a value read at any moment, even
        from inside a transaction (the demo clock reads its offset at every ``now()``)."""
        rows = self._peek("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def peek_poste_clock(self, poste_id: int) -> int | None:
        """The whole clock offset of a poste in seconds (its room's plus its own), read as
        :meth:`peek_meta` reads (the poste's clock reads it at every ``now()``); None when no
        such poste."""
        rows = self._peek(
            "SELECT r.clock_offset_seconds + p.clock_offset_seconds FROM postes p "
            "JOIN rooms r ON r.id = p.room_id WHERE p.id = ?",
            (poste_id,),
        )
        return int(rows[0][0]) if rows else None

    def search_spaces(
        self, *, nir: str | None = None, name_prefix: str | None = None, limit: int = 50
    ) -> list[SearchHit]:
        """The help desk's search (as :meth:`SqlTx.search_with_state`, each space with the
        clock offset of its poste too) in one statement, read as :meth:`_peek` reads: outside
        a transaction it is its own consistent snapshot, with no ``BEGIN``/``COMMIT`` around
        it, so one round trip to a server. Damaged rows are left out and noted (see
        :meth:`take_damaged`)."""
        return _hits(
            _search_rows(self._peek, True, nir, name_prefix, limit, self._search_form),
            self._damaged(),
        )

    def sign_in_reading(self, nir: str) -> tuple[Account | None, FailureState, int | None]:
        """What a person's sign-in reads before the password is verified, in one statement
        read as :meth:`_peek` reads (outside a transaction, its own consistent snapshot: one
        round trip to a server, none for ``BEGIN`` or ``COMMIT``): the account of ``nir``
        (None when it has no space), the throttling state kept for ``nir`` (a fresh one when
        none is kept, as :meth:`SqlTx.failure_state` gives it), and the clock offset of the
        training-room poste the space was created from (None outside a room). The same
        statement for a NIR with or without a space."""
        row = self._peek(_SIGN_IN_READING, {"nir": nir})[0]
        account = None if row[0] is None else _account(row[:_ACCOUNT_WIDTH])
        failures, blocks, blocked, last_failure, offset = row[_ACCOUNT_WIDTH:]
        state = (
            _failure(nir, 0, 0, None, None)
            if failures is None
            else _failure(nir, failures, blocks, blocked, last_failure)
        )
        return account, state, None if offset is None else int(offset)

    def _raise_as_store_error(self, error: Exception) -> None:
        """Raises the French error of a driver's ``error``; returns for any other."""
        translated = self._store_error(error)
        if translated is not None:
            raise translated from error

    def _damaged(self) -> list[DamagedRecord]:
        damaged: list[DamagedRecord] | None = getattr(self._local, "damaged", None)
        if damaged is None:
            damaged = self._local.damaged = []
        return damaged

    def take_damaged(self) -> list[DamagedRecord]:
        """The damaged rows the lists read on this thread left out since the last call."""
        damaged = self._damaged()
        taken = list(damaged)
        damaged.clear()
        return taken

    def close(self) -> None:
        """Closes every thread's connection. The store cannot be used afterwards."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
            idle, self._idle = self._idle, []
        for conn in [*(conn for _thread, conn in connections), *idle]:
            self._close_connection(conn)  # best effort: the data is committed


# -- rows ----------------------------------------------------------------------------------

_ACCOUNT_COLUMNS = (
    "id, nir, birth_name, birth_date, password_hash, email, email_backup, phone, "
    "phone_secondary, status, created_at, activated_at, last_sign_in_at"
)
_TOKEN_COLUMNS = "id, account_id, purpose, token_hash, issued_at, expires_at, used_at, revoked_at"
_MAIL_COLUMNS = "id, recipient, subject, body, link, kind, nir, sent_at, poste_id"
_EVENT_COLUMNS = "id, at, kind, nir, actor, detail, poste_id, room_id"
_ROOM_COLUMNS = "id, code, created_at, ended_at, clock_offset_seconds"
_POSTE_COLUMNS = (
    "id, room_id, first_name, joined_at, clock_offset_seconds, generation, last_seen_at, "
    "screen, field_errors"
)
_AGENT_COLUMNS = "id, name, password_hash, created_at"
_FAILURE_COLUMNS = "nir, failures, blocks, blocked_until, last_failure_at"


_ACCOUNT_COLUMNS_A = ", ".join(f"a.{name.strip()}" for name in _ACCOUNT_COLUMNS.split(","))


def _prefix_range(key: str, column: str) -> tuple[list[str], list[Any]]:
    """The conditions (and their parameters) of ``column`` starting with ``key``: an index
    range scan."""
    where, params = [f"{column} >= ?"], [key]
    upper = _prefix_upper(key)
    if upper is not None:
        where.append(f"{column} < ?")
        params.append(upper)
    return where, params


def _state(space: str, form: SearchForm = "sqlite") -> tuple[str, str]:
    """What the help desk's search reads of each space beside its account (the row ``space``,
    with its ``poste_id``), as columns and the join they need: the kept throttling state, the
    expiry of the newest activation link when pending, and the clock offset (its room's plus
    its own) of the training-room poste it was created from, NULL outside a room. The offset
    comes with the search instead of from a second query: one round trip to a server per
    search."""
    return (
        "f.failures, f.blocks, f.blocked_until, f.last_failure_at, "
        f"CASE WHEN {space}.status = 'pending' THEN (SELECT t.expires_at FROM tokens t "
        f"WHERE t.account_id = {space}.id AND t.purpose = 'activation' "
        "ORDER BY t.issued_at DESC, t.id DESC LIMIT 1) END AS link_expiry, "
        f"CASE WHEN {space}.poste_id IS NOT NULL THEN (SELECT r.clock_offset_seconds + "
        "s.clock_offset_seconds FROM postes s JOIN rooms r ON r.id = s.room_id "
        f"WHERE s.id = {space}.poste_id) END AS clock_offset",
        # PostgreSQL joins an empty or small table by scanning it again for each row (a file
        # size asked of the system each time): a lateral lookup probes its primary key.
        f" LEFT JOIN LATERAL (SELECT * FROM login_failures l WHERE l.nir = {space}.nir) f ON TRUE"
        if form == "postgresql"
        else f" LEFT JOIN login_failures f ON f.nir = {space}.nir",
    )


#: :meth:`SqlStore.sign_in_reading`'s statement: one row whether or not ``nir`` has a space
#: or a kept throttling state (the NIR typed, as a derived table, joined to both).
_SIGN_IN_READING = (
    f"SELECT {_ACCOUNT_COLUMNS_A}, f.failures, f.blocks, f.blocked_until, f.last_failure_at, "
    "CASE WHEN a.poste_id IS NOT NULL THEN (SELECT r.clock_offset_seconds + "
    "s.clock_offset_seconds FROM postes s JOIN rooms r ON r.id = s.room_id "
    "WHERE s.id = a.poste_id) END "
    "FROM (SELECT CAST(:nir AS TEXT) AS nir) typed "
    "LEFT JOIN accounts a ON a.nir = typed.nir "
    "LEFT JOIN login_failures f ON f.nir = typed.nir"
)

#: How many columns an account's row has, and one of the help desk's search.
_ACCOUNT_WIDTH = 13
_STATE_WIDTH = _ACCOUNT_WIDTH + 6


def _search_statement(
    with_state: bool,
    nir: str | None,
    name_prefix: str | None,
    limit: int,
    form: SearchForm = "sqlite",
) -> tuple[str, dict[str, Any]]:
    """The one statement of an account search and its parameters: its rows are the account's
    columns (:data:`_ACCOUNT_COLUMNS`), then with ``with_state`` those of
    :func:`_state`, then (by a name) two sort columns: the rank (0: the whole name
    starts with it, 1: a later part does) and that name's or part's key. The rows come in no
    promised order (see :func:`_search_rows`).

    By exact NIR alone: newest first. By a name: the names that start with it (the covering
    index ``accounts_by_name``, in name then NIR order), then, only when they are fewer than
    ``limit``, the names where a later part does (``account_name_parts``, in that part's
    order; an account once, at its first matching part, and never again when its whole name
    matched), ``limit`` at most in all. Each half is an index range scan with its own LIMIT:
    a server runs the second half only when the first did not fill the page."""
    params: dict[str, Any] = {"limit": limit}
    if nir is not None:
        params["nir"] = nir
    key = "" if name_prefix is None else name_key(name_prefix)
    upper = None
    if key:
        params["key"] = key
        upper = _prefix_upper(key)
        if upper is not None:
            params["upper"] = upper
    sql = _search_sql(with_state, nir is not None, name_prefix is not None, bool(key),
                      upper is not None, form)
    return sql, params


@cache
def _search_sql(
    with_state: bool,
    by_nir: bool,
    by_name: bool,
    keyed: bool,
    bounded: bool,
    form: SearchForm = "sqlite",
) -> str:
    """The text of :func:`_search_statement`'s statement, one of a few shapes: made once, and
    the same string at each search (the drivers' caches of converted and prepared statements
    then find it by a hash already computed). The two ``form``s give the same rows; each is
    the one its engine runs faster (see below)."""
    if not keyed:
        state, joins = _state("a", form) if with_state else ("", "")
        order = "a.name_key, a.nir" if by_name else "a.created_at DESC, a.id DESC"
        return (
            f"SELECT {_ACCOUNT_COLUMNS_A}{', ' if state else ''}{state} FROM accounts a{joins}"
            f"{' WHERE a.nir = :nir' if by_nir else ''} ORDER BY {order} LIMIT :limit"
        )

    def starts(column: str) -> str:
        return f"{column} >= :key" + (f" AND {column} < :upper" if bounded else "")

    def of_nir(table: str) -> str:
        return f" AND {table}.nir = :nir" if by_nir else ""

    # With the state, the halves read the accounts alone (and each one's poste), and the state
    # is read once over the page they make, at most ``limit`` rows: a server then prepares one
    # join and one set of subqueries, not one per half (on PostgreSQL, about a tenth of the
    # statement's execution).
    inner = f"{_ACCOUNT_COLUMNS_A}, a.poste_id" if with_state else _ACCOUNT_COLUMNS_A
    if form == "postgresql":
        # The first ``limit`` rows of the two halves, in that order: PostgreSQL's Append runs
        # a UNION ALL's halves one after the other (the store's connections plan nothing in
        # parallel, which could mix them), so it reads no later part when the whole names
        # fill the page. (SQLite would copy each row of a union cut so through one more
        # co-routine, instead of joining each half's rows to the state directly.)
        later_limit = ":limit) later LIMIT :limit"
    else:
        # As many as the whole names left room for, those counted again from the index alone
        # (once): a limit of 0 when they fill the page, and no later part is read.
        later_limit = (
            "(SELECT :limit - count(*) FROM (SELECT 1 "
            f"FROM accounts c WHERE {starts('c.name_key')}{of_nir('c')}"
            " LIMIT :limit) whole)) later"
        )
    halves = (
        f"SELECT * FROM (SELECT {inner}, 0 AS search_rank, a.name_key AS search_key "
        f"FROM accounts a WHERE {starts('a.name_key')}{of_nir('a')} "
        "ORDER BY a.name_key, a.nir LIMIT :limit) named UNION ALL SELECT * FROM ("
        f"SELECT {inner}, 1, p.part_key FROM account_name_parts p "
        "JOIN accounts a ON a.id = p.account_id "
        f"WHERE {starts('p.part_key')}{of_nir('p')} "
        f"AND NOT ({starts('a.name_key')}) "
        "AND NOT EXISTS (SELECT 1 FROM account_name_parts q WHERE q.account_id = p.account_id "
        f"AND {starts('q.part_key')} AND q.part_key < p.part_key) "
        f"ORDER BY p.part_key, p.nir LIMIT {later_limit}"
    )
    if not with_state:
        return halves
    state, joins = _state("page", form)
    page_columns = ", ".join(f"page.{name.strip()}" for name in _ACCOUNT_COLUMNS.split(","))
    return (
        f"SELECT {page_columns}, {state}, page.search_rank, page.search_key "
        f"FROM ({halves}) page{joins}"
    )


def _search_rows(
    fetch: Callable[[str, dict[str, Any]], list[Any]],
    with_state: bool,
    nir: str | None,
    name_prefix: str | None,
    limit: int,
    form: SearchForm,
) -> list[Any]:
    """The rows of a search (see :func:`_search_statement`), ``fetch`` running its one
    statement, in the search's order and at most ``limit``. The two halves of a name search
    come in order from either engine (PostgreSQL's form cuts its page on that order, see
    :func:`_search_sql`); they are put in order here (already in order: one pass) rather than
    sorted again by the server (SQLite would sort each half in a temporary tree)."""
    sql, params = _search_statement(with_state, nir, name_prefix, limit, form)
    rows = fetch(sql, params)
    if "search_rank" in sql:
        width = _STATE_WIDTH if with_state else _ACCOUNT_WIDTH
        # rank (whole name, then a later part), that name's or part's key, then the NIR
        rows.sort(key=itemgetter(width, width + 1, 1))
        del rows[limit:]
    return rows


@cache
def _statuses() -> dict[str, AccountStatus]:
    import ensap_tui.services.models as models

    return {status.value: status for status in models.AccountStatus}


def _status_value(status: str) -> str:
    """The stored form of an account status (ValueError for an unknown one)."""
    import ensap_tui.services.models as models

    return models.AccountStatus(status).value


def _purpose_value(purpose: str) -> str:
    """The stored form of a token purpose (ValueError for an unknown one)."""
    import ensap_tui.services.models as models

    return models.TokenPurpose(purpose).value


_T = TypeVar("_T")

#: What reading a damaged value raises (a text that is not ISO, an unknown status...).
_UNREADABLE = (ValueError, TypeError, KeyError, AttributeError)


def _bad_column(values: Iterable[tuple[str, Any]]) -> str:
    """The first of ``values`` (column, stored value) that is not a readable time or date."""
    for column, value in values:
        if value is None:
            continue
        try:
            (date.fromisoformat if column == "birth_date" else _dt)(value)
        except _UNREADABLE:
            return column
    return ""


def _damaged(table: str, row: Any, columns: str, key: str = "id") -> DamagedRecord:
    """The error for ``row`` of ``table`` (its values in the order of ``columns``)."""
    names = [name.strip() for name in columns.split(",")]
    values = dict(zip(names, tuple(row), strict=False))
    column = _bad_column(
        (name, value) for name, value in values.items()
        if name.endswith(("_at", "_until", "birth_date")) or name == "at"
    )
    nir = values.get("nir")
    return DamagedRecord(
        table, values.get(key, "?"), column, nir if isinstance(nir, str) else None
    )


def _failure(
    nir: str, failures: int, blocks: int, blocked_until: str | None, last_failure_at: str | None
) -> FailureState:
    """The throttling state of ``nir`` from its stored columns."""
    import ensap_tui.services.models as models

    try:
        return models.FailureState(
            nir=nir,
            failures=int(failures),
            blocks=int(blocks),
            blocked_until=_opt_dt(blocked_until),
            last_failure_at=_opt_dt(last_failure_at),
        )
    except _UNREADABLE as error:
        raise _damaged(
            "login_failures", (nir, failures, blocks, blocked_until, last_failure_at),
            _FAILURE_COLUMNS, key="nir",
        ) from error


def _account(row: Any) -> Account:
    import ensap_tui.services.models as models

    # Unpacked by position (the order of _ACCOUNT_COLUMNS), and built with positional
    # arguments: searches build 50 accounts at a time, and names cost a third more.
    (
        account_id, nir, birth_name, birth_date, password_hash, email, email_backup, phone,
        phone_secondary, status, created_at, activated_at, last_sign_in_at,
    ) = row
    try:
        # The constructors' fast paths (equal objects, see models.new_account).
        return models.new_account(
            account_id,
            nir,
            birth_name,
            date.fromisoformat(birth_date),
            password_hash,
            models.new_contacts(email, email_backup, phone, phone_secondary),
            _statuses()[status],
            _dt(created_at),
            None if activated_at is None else _dt(activated_at),
            None if last_sign_in_at is None else _dt(last_sign_in_at),
        )
    except _UNREADABLE as error:
        raise _damaged("accounts", row, _ACCOUNT_COLUMNS) from error


def _hit(row: Any) -> SearchHit:
    """A space of a help-desk search (:func:`_state` after the account's): its
    account, kept throttling state, link expiry and poste's clock offset."""
    account = _account(row[:_ACCOUNT_WIDTH])
    failures, blocks, blocked, last_failure, link_expiry, offset = row[_ACCOUNT_WIDTH:_STATE_WIDTH]
    state = None if failures is None else _failure(
        account.nir, failures, blocks, blocked, last_failure
    )
    try:
        expiry = None if link_expiry is None else _dt(link_expiry)
    except _UNREADABLE as error:
        raise DamagedRecord(
            "tokens", f"du compte {account.id}", "expires_at", account.nir
        ) from error
    return account, state, expiry, None if offset is None else int(offset)


def _hits(rows: Iterable[Any], damaged: list[DamagedRecord]) -> list[SearchHit]:
    """:func:`_hit` of each row, as :func:`_readable` gives them (a damaged row left out and
    noted in ``damaged``), in one loop with its lookups hoisted: the help desk's search builds
    50 at each keystroke. A row the loop cannot read is read again by :func:`_hit`, which
    says what is damaged (or reads it, if only the loop's short cut failed)."""
    import ensap_tui.services.models as models

    new_account, new_contacts, statuses = models.new_account, models.new_contacts, _statuses()
    parse_date, parse, utc, failure = date.fromisoformat, datetime.fromisoformat, UTC, _failure
    hits: list[SearchHit] = []
    append = hits.append
    for row in rows:
        (
            account_id, nir, birth_name, birth_date, password_hash, email, email_backup, phone,
            phone_secondary, status, created_at, activated_at, last_sign_in_at,
            failures, blocks, blocked, last_failure, link_expiry, offset, *_sort_columns,
        ) = row
        try:
            # The times as _dt reads them, without its call: up to four a row.
            created = parse(created_at)
            if created.tzinfo is not utc:
                created = created.astimezone(utc)
            if activated_at is not None:
                activated_at = parse(activated_at)
                if activated_at.tzinfo is not utc:
                    activated_at = activated_at.astimezone(utc)
            if last_sign_in_at is not None:
                last_sign_in_at = parse(last_sign_in_at)
                if last_sign_in_at.tzinfo is not utc:
                    last_sign_in_at = last_sign_in_at.astimezone(utc)
            if link_expiry is not None:
                link_expiry = parse(link_expiry)
                if link_expiry.tzinfo is not utc:
                    link_expiry = link_expiry.astimezone(utc)
            append((
                new_account(
                    account_id, nir, birth_name, parse_date(birth_date), password_hash,
                    new_contacts(email, email_backup, phone, phone_secondary), statuses[status],
                    created, activated_at, last_sign_in_at,
                ),
                None if failures is None else failure(
                    nir, failures, blocks, blocked, last_failure
                ),
                link_expiry,
                None if offset is None else int(offset),
            ))
        except (DamagedRecord, *_UNREADABLE):
            try:
                append(_hit(row))
            except DamagedRecord as error:
                damaged.append(error)
    return hits


def _readable(
    rows: Iterable[Any], build: Callable[[Any], _T], damaged: list[DamagedRecord]
) -> list[_T]:
    """``build`` of each row, leaving out (and noting in ``damaged``, see ``take_damaged``)
    the rows it cannot read: one damaged row does not hide the others."""
    built: list[_T] = []
    for row in rows:
        try:
            built.append(build(row))
        except DamagedRecord as error:
            damaged.append(error)
    return built


def _token(row: Any) -> TokenRecord:
    import ensap_tui.services.models as models

    # In the order of _TOKEN_COLUMNS (the rows of either engine unpack alike).
    row_id, account_id, purpose, token_hash, issued_at, expires_at, used_at, revoked_at = row
    try:
        return models.TokenRecord(
            id=row_id,
            account_id=account_id,
            purpose=models.TokenPurpose(purpose),
            token_hash=token_hash,
            issued_at=_dt(issued_at),
            expires_at=_dt(expires_at),
            used_at=_opt_dt(used_at),
            revoked_at=_opt_dt(revoked_at),
        )
    except _UNREADABLE as error:
        raise _damaged("tokens", row, _TOKEN_COLUMNS) from error


def _mail(row: Any) -> MailMessage:
    import ensap_tui.services.models as models

    # In the order of _MAIL_COLUMNS (the rows of either engine unpack alike).
    row_id, recipient, subject, body, link, kind, nir, sent_at, poste_id = row
    try:
        return models.MailMessage(
            id=row_id,
            recipient=recipient,
            subject=subject,
            body=body,
            link=link,
            kind=kind,
            nir=nir,
            sent_at=_dt(sent_at),
            poste_id=poste_id,
        )
    except _UNREADABLE as error:
        raise _damaged("outbox", row, _MAIL_COLUMNS) from error


def _event(row: Any) -> Event:
    import ensap_tui.services.models as models

    # In the order of _EVENT_COLUMNS (the rows of either engine unpack alike).
    row_id, at, kind, nir, actor, detail, poste_id, room_id = row
    try:
        return models.Event(
            id=row_id,
            at=_dt(at),
            kind=kind,
            nir=nir,
            actor=actor,
            detail=detail,
            poste_id=poste_id,
            room_id=room_id,
        )
    except _UNREADABLE as error:
        raise _damaged("events", row, _EVENT_COLUMNS) from error


def _agent(row: Any) -> Agent:
    import ensap_tui.services.models as models

    # In the order of _AGENT_COLUMNS (the rows of either engine unpack alike).
    row_id, name, password_hash, created_at = row
    try:
        return models.Agent(
            id=row_id,
            name=name,
            password_hash=password_hash,
            created_at=_dt(created_at),
        )
    except _UNREADABLE as error:
        raise _damaged("agents", row, _AGENT_COLUMNS) from error


def _room(row: Any) -> Room:
    import ensap_tui.services.models as models

    # In the order of _ROOM_COLUMNS (the rows of either engine unpack alike).
    row_id, code, created_at, ended_at, clock_offset_seconds = row
    try:
        return models.Room(
            id=row_id,
            code=code,
            created_at=_dt(created_at),
            ended_at=_opt_dt(ended_at),
            clock_offset=timedelta(seconds=int(clock_offset_seconds)),
        )
    except _UNREADABLE as error:
        raise _damaged("rooms", row, _ROOM_COLUMNS) from error


def _poste(row: Any) -> Poste:
    import ensap_tui.services.models as models

    # In the order of _POSTE_COLUMNS (the rows of either engine unpack alike).
    (
        row_id, room_id, first_name, joined_at, clock_offset_seconds, generation, last_seen_at,
        screen, field_errors,
    ) = row
    try:
        return models.Poste(
            id=row_id,
            room_id=room_id,
            first_name=first_name,
            joined_at=_dt(joined_at),
            clock_offset=timedelta(seconds=int(clock_offset_seconds)),
            generation=int(generation),
            last_seen_at=_opt_dt(last_seen_at),
            screen=screen,
            field_errors=int(field_errors),
        )
    except _UNREADABLE as error:
        raise _damaged("postes", row, _POSTE_COLUMNS) from error


class SqlTx:
    """The :class:`StoreTx` of one transaction, on either engine; usable only inside its
    ``with`` block. Its SQL is written once, with SQLite's placeholders (``?`` and ``:name``);
    ``convert`` rewrites a statement for another driver (:func:`to_pyformat` for psycopg)."""

    def __init__(
        self,
        conn: Any,
        *,
        writable: bool,
        damaged: list[DamagedRecord],
        convert: Callable[[str], str] | None = None,
        search_form: SearchForm = "sqlite",
    ) -> None:
        self._conn = conn
        self._writable = writable
        self._damaged = damaged
        self._convert = convert
        self._search_form: SearchForm = search_form
        self.finished = False

    def _readable(self, rows: Iterable[Any], build: Callable[[Any], _T]) -> list[_T]:
        return _readable(rows, build, self._damaged)

    def _q(self, sql: str, params: Any = ()) -> Cursor:
        if self.finished:
            raise RuntimeError("this store transaction has ended")
        if self._convert is not None:
            sql = self._convert(sql)
        cursor: Cursor = self._conn.execute(sql, params)
        return cursor

    def _fetch(self, sql: str, params: Any = ()) -> list[Any]:
        return self._q(sql, params).fetchall()

    def _w(self, sql: str, params: Any = ()) -> Cursor:
        if not self._writable:
            raise RuntimeError("writing inside Store.read() is not allowed: use Store.write()")
        return self._q(sql, params)

    # accounts

    def account_by_nir(self, nir: str) -> Account | None:
        row = self._q(f"SELECT {_ACCOUNT_COLUMNS} FROM accounts WHERE nir = ?", (nir,)).fetchone()
        return None if row is None else _account(row)

    def account_by_id(self, account_id: int) -> Account | None:
        row = self._q(
            f"SELECT {_ACCOUNT_COLUMNS} FROM accounts WHERE id = ?", (account_id,)
        ).fetchone()
        return None if row is None else _account(row)

    def insert_account(self, new: NewAccount) -> int:
        cursor = self._w(
            "INSERT INTO accounts (nir, birth_name, name_key, birth_date, password_hash, email, "
            "email_backup, phone, phone_secondary, status, created_at, poste_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                new.nir,
                new.birth_name,
                name_key(new.birth_name),
                new.birth_date.isoformat(),
                new.password_hash,
                new.contacts.email,
                new.contacts.email_backup,
                new.contacts.phone,
                new.contacts.phone_secondary,
                _status_value("pending"),
                _ts(new.created_at),
                new.poste_id,
            ),
        )
        account_id = _new_id(cursor)
        for part in part_keys(new.birth_name):  # a birth name is never changed afterwards
            self._w(
                "INSERT INTO account_name_parts (part_key, nir, account_id) VALUES (?, ?, ?)",
                (part, new.nir, account_id),
            )
        return account_id

    def delete_account(self, account_id: int) -> None:
        """Deletes the account; its tokens go with it (foreign key ON DELETE CASCADE)."""
        self._w("DELETE FROM accounts WHERE id = ?", (account_id,))

    def set_status(self, account_id: int, status: AccountStatus, at: datetime) -> None:
        """``activated_at`` becomes ``at`` when a non-active account becomes active (kept
        when it already was), and is cleared when the account goes back to pending."""
        # Every right-hand side reads the row as it was before this UPDATE.
        self._w(
            "UPDATE accounts SET status = :status, activated_at = CASE "
            "WHEN :status = 'active' THEN "
            "(CASE WHEN status = 'active' THEN activated_at ELSE :at END) "
            "ELSE NULL END WHERE id = :id",
            {"status": _status_value(status), "at": _ts(at), "id": account_id},
        )

    def set_password_hash(self, account_id: int, password_hash: str) -> None:
        self._w("UPDATE accounts SET password_hash = ? WHERE id = ?", (password_hash, account_id))

    def set_contacts(self, account_id: int, contacts: Contacts) -> None:
        self._w(
            "UPDATE accounts SET email = ?, email_backup = ?, phone = ?, phone_secondary = ? "
            "WHERE id = ?",
            (
                contacts.email,
                contacts.email_backup,
                contacts.phone,
                contacts.phone_secondary,
                account_id,
            ),
        )

    def set_last_sign_in(self, account_id: int, at: datetime) -> None:
        self._w("UPDATE accounts SET last_sign_in_at = ? WHERE id = ?", (_ts(at), account_id))

    def list_accounts(
        self, status: AccountStatus | None = None, limit: int = 1000
    ) -> list[Account]:
        if status is None:
            rows = self._q(
                f"SELECT {_ACCOUNT_COLUMNS} FROM accounts "
                "ORDER BY created_at DESC, id DESC LIMIT ?",
                (limit,),
            )
        else:
            rows = self._q(
                f"SELECT {_ACCOUNT_COLUMNS} FROM accounts WHERE status = ? "
                "ORDER BY created_at DESC, id DESC LIMIT ?",
                (_status_value(status), limit),
            )
        return self._readable(rows, _account)

    def search_accounts(
        self, *, nir: str | None = None, name_prefix: str | None = None, limit: int = 50
    ) -> list[Account]:
        """By exact NIR and/or the start of the birth name or of one of its later parts
        (ignoring case, accents, ligatures, apostrophes, hyphens and spaces: «lefevre» finds
        LEFÈVRE and d'Artagnan-Lefèvre, «ndiaye» N'Diaye). With a name: the names that start
        with it first, in name order, then those where a later part does, in that part's
        order; else newest first. One statement of index range scans (see
        :func:`_search_statement`)."""
        rows = _search_rows(self._fetch, False, nir, name_prefix, limit, self._search_form)
        return self._readable(rows, lambda row: _account(row[:_ACCOUNT_WIDTH]))

    def search_with_state(
        self, *, nir: str | None = None, name_prefix: str | None = None, limit: int = 50
    ) -> list[tuple[Account, FailureState | None, datetime | None]]:
        """As :meth:`search_accounts`, in one query: each account with its kept throttling
        state (None when none is kept) and, when pending, the expiry of its newest activation
        link (None otherwise)."""
        hits = self._readable(
            _search_rows(self._fetch, True, nir, name_prefix, limit, self._search_form), _hit
        )
        return [(account, state, expiry) for account, state, expiry, _offset in hits]

    # tokens

    def insert_token(
        self,
        account_id: int,
        purpose: TokenPurpose,
        token_hash: str,
        issued_at: datetime,
        expires_at: datetime,
    ) -> int:
        cursor = self._w(
            "INSERT INTO tokens (account_id, purpose, token_hash, issued_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (
                account_id,
                _purpose_value(purpose),
                token_hash,
                _ts(issued_at),
                _ts(expires_at),
            ),
        )
        return _new_id(cursor)

    def revoke_tokens(self, account_id: int, purpose: TokenPurpose, at: datetime) -> None:
        self._w(
            "UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND purpose = ? "
            "AND used_at IS NULL AND revoked_at IS NULL",
            (_ts(at), account_id, _purpose_value(purpose)),
        )

    def token_by_hash(self, token_hash: str) -> TokenRecord | None:
        row = self._q(
            f"SELECT {_TOKEN_COLUMNS} FROM tokens WHERE token_hash = ?", (token_hash,)
        ).fetchone()
        return None if row is None else _token(row)

    def consume_token(self, token_hash: str, purpose: TokenPurpose, now: datetime) -> int | None:
        rows = self._w(
            "UPDATE tokens SET used_at = :now WHERE token_hash = :hash AND purpose = :purpose "
            "AND used_at IS NULL AND revoked_at IS NULL AND :now < expires_at "
            "RETURNING account_id",
            {"now": _ts(now), "hash": token_hash, "purpose": _purpose_value(purpose)},
        ).fetchall()  # read to the end so that the UPDATE completes
        return int(rows[0][0]) if rows else None

    def latest_token(self, account_id: int, purpose: TokenPurpose) -> TokenRecord | None:
        row = self._q(
            f"SELECT {_TOKEN_COLUMNS} FROM tokens WHERE account_id = ? AND purpose = ? "
            "ORDER BY issued_at DESC, id DESC LIMIT 1",
            (account_id, _purpose_value(purpose)),
        ).fetchone()
        return None if row is None else _token(row)

    # throttling

    def failure_state(self, nir: str) -> FailureState:
        row = self._q(
            "SELECT failures, blocks, blocked_until, last_failure_at FROM login_failures "
            "WHERE nir = ?",
            (nir,),
        ).fetchone()
        if row is None:
            return _failure(nir, 0, 0, None, None)
        return _failure(nir, *row)

    def save_failure_state(self, state: FailureState) -> None:
        self._w(
            "INSERT INTO login_failures (nir, failures, blocks, blocked_until, last_failure_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (nir) DO UPDATE SET "
            "failures = excluded.failures, blocks = excluded.blocks, "
            "blocked_until = excluded.blocked_until, last_failure_at = excluded.last_failure_at",
            (
                state.nir,
                state.failures,
                state.blocks,
                _opt_ts(state.blocked_until),
                _opt_ts(state.last_failure_at),
            ),
        )

    def clear_failure_state(self, nir: str) -> None:
        self._w("DELETE FROM login_failures WHERE nir = ?", (nir,))

    def blocked_states(self, now: datetime, limit: int = 1000) -> list[FailureState]:
        rows = self._q(
            "SELECT nir, failures, blocks, blocked_until, last_failure_at FROM login_failures "
            "WHERE blocked_until > ? ORDER BY blocked_until DESC LIMIT ?",
            (_ts(now), limit),
        )
        return self._readable(rows, lambda row: _failure(*row))

    # help-desk agents

    def agent_by_name(self, name: str) -> Agent | None:
        row = self._q(
            f"SELECT {_AGENT_COLUMNS} FROM agents WHERE name_key = ?", (agent_key(name),)
        ).fetchone()
        return None if row is None else _agent(row)

    def insert_agent(self, name: str, password_hash: str, created_at: datetime) -> int:
        """Raises :class:`StoreError` when an agent already has that name (ignoring case)."""
        cursor = self._w(
            "INSERT INTO agents (name, name_key, password_hash, created_at) VALUES (?, ?, ?, ?) "
            "RETURNING id",
            (name, agent_key(name), password_hash, _ts(created_at)),
        )
        return _new_id(cursor)

    def delete_agent(self, agent_id: int) -> None:
        self._w("DELETE FROM agents WHERE id = ?", (agent_id,))

    def list_agents(self) -> list[Agent]:
        rows = self._q(f"SELECT {_AGENT_COLUMNS} FROM agents ORDER BY name_key, id")
        return self._readable(rows, _agent)

    def set_agent_password_hash(self, agent_id: int, password_hash: str) -> None:
        self._w("UPDATE agents SET password_hash = ? WHERE id = ?", (password_hash, agent_id))

    def agent_failure_state(self, agent_id: int) -> FailureState:
        row = self._q(
            "SELECT failures, blocks, blocked_until, last_failure_at FROM agents WHERE id = ?",
            (agent_id,),
        ).fetchone()
        key = f"agent#{agent_id}"
        return _failure(key, 0, 0, None, None) if row is None else _failure(key, *row)

    def save_agent_failure_state(self, agent_id: int, state: FailureState) -> None:
        self._w(
            "UPDATE agents SET failures = ?, blocks = ?, blocked_until = ?, last_failure_at = ? "
            "WHERE id = ?",
            (
                state.failures,
                state.blocks,
                _opt_ts(state.blocked_until),
                _opt_ts(state.last_failure_at),
                agent_id,
            ),
        )

    # simulated mail

    def add_mail(self, message: MailMessage) -> int:
        """Stores the message (its ``id`` is ignored) and returns the new id. Its poste is
        ``message.poste_id``, else the poste of the space of its NIR (none outside a room)."""
        cursor = self._w(
            "INSERT INTO outbox (recipient, subject, body, link, kind, nir, sent_at, poste_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, "
            "COALESCE(?, (SELECT poste_id FROM accounts WHERE nir = ?))) RETURNING id",
            (
                message.recipient,
                message.subject,
                message.body,
                message.link,
                message.kind,
                message.nir,
                _ts(message.sent_at),
                message.poste_id,
                message.nir,
            ),
        )
        return _new_id(cursor)

    def list_mail(self, limit: int = 100, poste_id: int | None = None) -> list[MailMessage]:
        if poste_id is None:
            rows = self._q(
                f"SELECT {_MAIL_COLUMNS} FROM outbox ORDER BY sent_at DESC, id DESC LIMIT ?",
                (limit,),
            )
        else:
            rows = self._q(
                f"SELECT {_MAIL_COLUMNS} FROM outbox WHERE poste_id = ? "
                "ORDER BY sent_at DESC, id DESC LIMIT ?",
                (poste_id, limit),
            )
        return self._readable(rows, _mail)

    def count_mail(self, nir: str, kind: str, since: datetime) -> int:
        """Messages of ``kind`` for ``nir`` sent at or after ``since``."""
        row = self._q(
            "SELECT count(*) FROM outbox WHERE nir = ? AND kind = ? AND sent_at >= ?",
            (nir, kind, _ts(since)),
        ).fetchone()
        return int(row[0])

    # event log

    def add_event(self, event: Event) -> int:
        """Appends the event (its ``id`` is ignored) and returns the new id. Its poste is
        ``event.poste_id``, else the poste of the space of its NIR; its room is
        ``event.room_id``, else the poste's room (both NULL outside a room)."""
        cursor = self._w(
            "INSERT INTO events (at, kind, nir, actor, detail, poste_id, room_id) "
            "SELECT :at, :kind, :nir, :actor, :detail, p.id, "
            "COALESCE(:room, (SELECT room_id FROM postes WHERE id = p.id)) FROM (SELECT "
            "COALESCE(:poste, (SELECT poste_id FROM accounts WHERE nir = :nir)) AS id) p "
            "RETURNING id",
            {
                "at": _ts(event.at), "kind": event.kind, "nir": event.nir, "actor": event.actor,
                "detail": event.detail, "poste": event.poste_id, "room": event.room_id,
            },
        )
        return _new_id(cursor)

    def list_events(self, nir: str | None = None, limit: int = 100) -> list[Event]:
        if nir is None:
            rows = self._q(
                f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY at DESC, id DESC LIMIT ?", (limit,)
            )
        else:
            rows = self._q(
                f"SELECT {_EVENT_COLUMNS} FROM events WHERE nir = ? "
                "ORDER BY at DESC, id DESC LIMIT ?",
                (nir, limit),
            )
        return self._readable(rows, _event)

    # meta

    def get_meta(self, key: str) -> str | None:
        row = self._q("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._w(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # demo mode (issue 4)

    def reset_demo_data(self) -> None:
        """Deletes every account (tokens go with them), help-desk agent, throttling state and
        mail; the event log and the meta stay."""
        self._w("DELETE FROM accounts")
        self._w("DELETE FROM agents")
        self._w("DELETE FROM login_failures")
        self._w("DELETE FROM outbox")

    # training rooms and their postes (issue 12)

    def insert_room(self, code: str, created_at: datetime) -> int:
        """Raises :class:`StoreError` when an open room already has ``code``."""
        cursor = self._w(
            "INSERT INTO rooms (code, created_at) VALUES (?, ?) RETURNING id",
            (code, _ts(created_at)),
        )
        return _new_id(cursor)

    def room_by_id(self, room_id: int) -> Room | None:
        row = self._q(f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE id = ?", (room_id,)).fetchone()
        return None if row is None else _room(row)

    def room_by_code(self, code: str) -> Room | None:
        """The open room of ``code``, else the room that had it last (ended), else None."""
        row = self._q(
            f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE code = ? "
            "ORDER BY ended_at IS NOT NULL, id DESC LIMIT 1",
            (code,),
        ).fetchone()
        return None if row is None else _room(row)

    def end_room(self, room_id: int, at: datetime) -> None:
        """Ends the room at ``at`` (kept when it had already ended)."""
        self._w(
            "UPDATE rooms SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
            (_ts(at), room_id),
        )

    def set_room_clock_offset(self, room_id: int, seconds: int) -> None:
        self._w("UPDATE rooms SET clock_offset_seconds = ? WHERE id = ?", (seconds, room_id))

    def insert_poste(self, room_id: int, first_name: str, joined_at: datetime) -> int:
        cursor = self._w(
            "INSERT INTO postes (room_id, first_name, joined_at) VALUES (?, ?, ?) RETURNING id",
            (room_id, first_name, _ts(joined_at)),
        )
        return _new_id(cursor)

    def poste_by_id(self, poste_id: int) -> Poste | None:
        row = self._q(
            f"SELECT {_POSTE_COLUMNS} FROM postes WHERE id = ?", (poste_id,)
        ).fetchone()
        return None if row is None else _poste(row)

    def postes_of_room(self, room_id: int) -> list[Poste]:
        rows = self._q(
            f"SELECT {_POSTE_COLUMNS} FROM postes WHERE room_id = ? ORDER BY joined_at, id",
            (room_id,),
        )
        return self._readable(rows, _poste)

    def set_poste_clock_offset(self, poste_id: int, seconds: int) -> None:
        self._w("UPDATE postes SET clock_offset_seconds = ? WHERE id = ?", (seconds, poste_id))

    def set_poste_seen(self, poste_id: int, at: datetime | None, screen: str | None) -> None:
        """``at`` None: the poste's app closed (its last screen is kept); else its
        heartbeat, and ``screen`` when not None."""
        self._w(
            "UPDATE postes SET last_seen_at = ?, screen = COALESCE(?, screen) WHERE id = ?",
            (_opt_ts(at), screen, poste_id),
        )

    def add_poste_field_errors(self, poste_id: int, count: int) -> None:
        self._w(
            "UPDATE postes SET field_errors = field_errors + ? WHERE id = ?", (count, poste_id)
        )

    def next_poste_generation(self, poste_id: int) -> int:
        """Adds one to the poste's generation and returns the new one (0: no such poste)."""
        rows = self._w(
            "UPDATE postes SET generation = generation + 1 WHERE id = ? RETURNING generation",
            (poste_id,),
        ).fetchall()
        return int(rows[0][0]) if rows else 0

    def clear_poste(self, poste_id: int) -> int:
        """Deletes the poste's spaces (their tokens and name keys go with them), the sign-in
        counters of their NIRs and the poste's mails; its clock offset and field-error count
        go back to 0. The journal stays (append-only). Returns how many spaces went."""
        self._w(
            "DELETE FROM login_failures WHERE nir IN "
            "(SELECT nir FROM accounts WHERE poste_id = ?)",
            (poste_id,),
        )
        spaces = self._w("DELETE FROM accounts WHERE poste_id = ?", (poste_id,)).rowcount
        self._w("DELETE FROM outbox WHERE poste_id = ?", (poste_id,))
        self._w(
            "UPDATE postes SET clock_offset_seconds = 0, field_errors = 0 WHERE id = ?",
            (poste_id,),
        )
        return int(spaces)

    def newest_account_of_poste(self, poste_id: int) -> Account | None:
        row = self._q(
            f"SELECT {_ACCOUNT_COLUMNS} FROM accounts WHERE poste_id = ? "
            "ORDER BY created_at DESC, id DESC LIMIT 1",
            (poste_id,),
        ).fetchone()
        return None if row is None else _account(row)

    def space_clock_offset(self, nir: str) -> int | None:
        row = self._q(
            "SELECT r.clock_offset_seconds + p.clock_offset_seconds FROM accounts a "
            "JOIN postes p ON p.id = a.poste_id JOIN rooms r ON r.id = p.room_id "
            "WHERE a.nir = ?",
            (nir,),
        ).fetchone()
        return None if row is None else int(row[0])

    def space_clock_offsets(self, nirs: Sequence[str]) -> dict[str, int]:
        if not nirs:
            return {}
        marks = ", ".join("?" for _ in nirs)
        rows = self._q(
            "SELECT a.nir, r.clock_offset_seconds + p.clock_offset_seconds FROM accounts a "
            "JOIN postes p ON p.id = a.poste_id JOIN rooms r ON r.id = p.room_id "
            f"WHERE a.nir IN ({marks})",
            tuple(nirs),
        ).fetchall()
        return {str(nir): int(seconds) for nir, seconds in rows}

    def last_event_of_poste(self, poste_id: int) -> Event | None:
        """The poste's event written last (the order of writing: each poste has its own
        clock, so ``at`` does not order the room's events)."""
        row = self._q(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE poste_id = ? ORDER BY id DESC LIMIT 1",
            (poste_id,),
        ).fetchone()
        return None if row is None else _event(row)

    def room_events(self, room_id: int, limit: int = 100) -> list[Event]:
        """The room's events (its own and its postes'), the last written first."""
        rows = self._q(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE room_id = ? ORDER BY id DESC LIMIT ?",
            (room_id, limit),
        )
        return self._readable(rows, _event)
