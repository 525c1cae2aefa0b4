"""The PostgreSQL implementation of :class:`~ensap_tui.services.ports.Store`: connecting to
the server, its errors in French, its schema's versions, and its transactions (the SQL of the
operations is shared with SQLite, in ``sql_store.py``).

The driver is psycopg 3, imported with this module (never for a SQLite database). Every
message that names the server shows the URL with its password masked
(:attr:`~ensap_tui.adapters.database_url.PostgresUrl.masked`), and a driver's message is
scrubbed of it too.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg import pq

from ensap_tui.adapters.database_url import DatabaseUrlError, PostgresUrl, parse_postgres_url
from ensap_tui.adapters.pg_migrations import LATEST_VERSION, VERSION_TABLE, migrate
from ensap_tui.adapters.sql_store import SearchForm, SqlStore, to_pyformat
from ensap_tui.services.ports import StoreBusyError, StoreError

#: How long connecting may take before the server counts as unreachable (seconds).
CONNECT_TIMEOUT_S = 5
#: The advisory lock every write transaction holds (``pg_advisory_xact_lock(key1, key2)``):
#: writers take turns as SQLite's ``BEGIN IMMEDIATE`` makes them (see ``docs/ARCHITECTURE.md``).
#: ``ENSA`` in ASCII, as SQLite's ``application_id``; advisory locks are per database.
WRITE_LOCK = (0x454E5341, 1)

BUSY_MESSAGE = (
    "La base de données est occupée par un autre programme. "
    "Réessayez dans quelques instants."
)

# What libpq says (in English, or in French when the server speaks French) when connecting
# fails: connection errors carry no SQLSTATE, so the text is all there is to tell them apart.
_REFUSED_LOGIN = (
    "password authentication failed",
    "authentication failed",
    "no password supplied",
    "pg_hba.conf",
    "authentification",
)
#: libpq's own words (never the server's) when the server asks for a password it was not given.
_NO_PASSWORD = "no password supplied"
_NO_DATABASE = ('database "', "base de données")
#: The server's words when it takes no more connections: all of them (max_connections), or
#: those its administrator allows the role or the database (CONNECTION LIMIT).
_TOO_MANY = ("too many clients", "too many connections", "trop de clients", "trop de connexions")
#: The server's words while it starts, stops or recovers from a crash (a restart under way).
_RESTARTING = (
    "the database system is starting up",
    "the database system is shutting down",
    "the database system is in recovery mode",
    "the database system is not yet accepting connections",
    "le système de bases de données",
)
_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "failed to resolve host",
    "could not translate host name",
    "name or service not known",
    "timeout expired",
    "no route to host",
    "network is unreachable",
    "server closed the connection",
    "connexion refusée",
)


def connect_error(url: PostgresUrl, error: psycopg.Error) -> StoreError:
    """The French error for a connection that could not be made: a server that cannot be
    reached, a refused login, a missing database; else the driver's words, scrubbed."""
    text = str(error).lower()
    where = f"le serveur PostgreSQL «\u00a0{url.server}\u00a0»"
    if "does not exist" in text or "n'existe pas" in text:
        if any(word in text for word in _NO_DATABASE) and "role" not in text:
            return StoreError(
                f"La base «\u00a0{url.dbname}\u00a0» n'existe pas sur {where}. Créez-la "
                f"(createdb {url.dbname}) ou corrigez l'adresse «\u00a0{url.masked}\u00a0»."
            )
        return _refused_login(url, where)
    if _NO_PASSWORD in text:
        return _no_password(url, where)
    if any(words in text for words in _RESTARTING):
        return StoreError(
            f"{where[0].upper()}{where[1:]} démarre ou s'arrête (un redémarrage est en "
            "cours)\u00a0: réessayez dans quelques instants."
        )
    if any(words in text for words in _TOO_MANY):
        return StoreError(
            f"{where[0].upper()}{where[1:]} n'accepte plus de connexion\u00a0: trop de programmes "
            "y sont déjà connectés (max_connections du serveur, ou une limite du rôle ou de la "
            f"base «\u00a0{url.dbname}\u00a0»). Réessayez dans quelques instants, ou demandez à "
            "son administrateur d'augmenter la limite."
        )
    if any(word in text for word in _REFUSED_LOGIN):
        return _refused_login(url, where)
    if any(word in text for word in _UNREACHABLE):
        return StoreError(
            f"Impossible de joindre {where}\u00a0: il ne répond pas à l'adresse "
            f"«\u00a0{url.masked}\u00a0». Vérifiez qu'il est démarré, que le nom et le port "
            "sont les bons et que le réseau y mène."
        )
    return StoreError(
        f"Impossible de se connecter au serveur PostgreSQL «\u00a0{url.server}\u00a0» "
        "(détail technique\u00a0: "
        f"{url.scrub(str(error)).strip()})."
    )


def _no_password(url: PostgresUrl, where: str) -> StoreError:
    """The server asks for a password and none was given (none in the URL, no line of
    ~/.pgpass for this server, port, base and user, or a ~/.pgpass others may read, which
    libpq ignores): the first opening of a new poste, so say what to write."""
    user = url.user or "UTILISATEUR"
    who = f"l'utilisateur «\u00a0{url.user}\u00a0»" if url.user else "cet utilisateur"
    line = f"{url.host or 'localhost'}:{url.port}:{url.dbname}:{user}:MOTDEPASSE"
    return StoreError(
        f"Aucun mot de passe pour {who} de la base «\u00a0{url.dbname}\u00a0» sur {where}"
        f"\u00a0: ajoutez à ~/.pgpass la ligne {line} (le fichier lisible par vous seul\u00a0: "
        "chmod 600 ~/.pgpass), ou vérifiez que celle qui y figure nomme bien ce serveur, ce "
        "port, cette base et cet utilisateur."
    )


def _refused_login(url: PostgresUrl, where: str) -> StoreError:
    who = f"l'utilisateur «\u00a0{url.user}\u00a0»" if url.user else "cet utilisateur"
    return StoreError(
        f"{where[0].upper()}{where[1:]} a refusé la connexion de {who}\u00a0: identifiant ou "
        "mot de passe incorrect, ou accès non autorisé depuis cette machine. Vérifiez "
        "l'adresse, le mot de passe (ou le fichier ~/.pgpass) et les droits sur le serveur."
    )


def connect(
    url: PostgresUrl, *, lock_timeout_ms: int, idle_in_transaction_ms: int = 0
) -> psycopg.Connection[tuple[object, ...]]:
    """A new connection in autocommit mode (the store says ``BEGIN`` itself), waiting at most
    ``lock_timeout_ms`` for a lock; a transaction left waiting for this client longer than
    ``idle_in_transaction_ms`` (0: no limit) is ended by the server. Raises
    :class:`StoreError` in French."""
    try:
        conn = psycopg.connect(
            url.url,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="ensap-tui",
        )
    except psycopg.Error as error:
        raise connect_error(url, error) from None
    try:
        # plan_cache_mode: a statement psycopg has prepared (from its fifth run) keeps its
        # generic plan instead of being planned again for each run's values. The store's
        # statements are index lookups and index range scans whose plan does not depend on the
        # values; the help desk's search cost a millisecond of planning at every run (its
        # estimates for a custom plan never let the server settle on the generic one).
        # max_parallel_workers_per_gather: no parallel plans. The help desk's search takes the
        # first rows of a UNION ALL, whose halves a parallel append could mix (see
        # sql_store._search_sql); the store's statements read a few rows by index anyway.
        conn.execute(
            f"SET lock_timeout = {int(lock_timeout_ms)}; "
            f"SET idle_in_transaction_session_timeout = {int(idle_in_transaction_ms)}; "
            "SET plan_cache_mode = force_generic_plan; "
            "SET max_parallel_workers_per_gather = 0"
        )
    except psycopg.Error as error:
        conn.close()
        raise store_error(url, error) from None
    return conn


def is_busy(error: psycopg.Error) -> bool:
    """A lock that stayed taken longer than the lock timeout, or a transaction the server
    chose to abort for another's sake (a deadlock, a serialization failure)."""
    return isinstance(
        error,
        pg_errors.LockNotAvailable | pg_errors.DeadlockDetected | pg_errors.SerializationFailure,
    )


def store_error(url: PostgresUrl, error: psycopg.Error) -> StoreError | StoreBusyError:
    """The French error for a failure while using the database."""
    if is_busy(error):
        return StoreBusyError(BUSY_MESSAGE)
    if isinstance(error, pg_errors.InsufficientPrivilege):
        return StoreError(
            f"Le serveur PostgreSQL «\u00a0{url.server}\u00a0» refuse cette opération à "
            f"l'utilisateur «\u00a0{url.user}\u00a0» (droits insuffisants sur la base "
            f"«\u00a0{url.dbname}\u00a0»\u00a0; il doit en être le propriétaire pour créer "
            "ses tables)."
        )
    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        return StoreError(
            f"La connexion au serveur PostgreSQL «\u00a0{url.server}\u00a0» a été perdue\u00a0; "
            "l'opération n'a pas été enregistrée. Réessayez dans quelques instants."
        )
    return StoreError(
        "La base de données a signalé une erreur\u00a0; l'opération n'a pas été enregistrée "
        f"(détail technique\u00a0: {url.scrub(str(error)).strip()})."
    )


def rollback(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Ends the transaction open on ``conn``, if any, without raising (a lost connection has
    no transaction left to end)."""
    if conn.closed or conn.info.transaction_status == pq.TransactionStatus.IDLE:
        return
    with contextlib.suppress(psycopg.Error):
        conn.execute("ROLLBACK")


def _not_ensap(url: PostgresUrl, why: str) -> StoreError:
    return StoreError(
        f"La base «\u00a0{url.masked}\u00a0» n'est pas une base ensap-tui ({why}). "
        "Indiquez une base vide ou une autre base."
    )


def refuse_unknown(url: PostgresUrl, version: int) -> None:
    """Refuses a schema this version does not know: newer, or a number none ever wrote."""
    if version < 0:
        raise StoreError(
            f"La base «\u00a0{url.masked}\u00a0» porte un numéro de schéma inconnu "
            f"({version}\u00a0; "
            f"cette version connaît les schémas jusqu'au {LATEST_VERSION})\u00a0: elle n'est pas "
            "ouverte. Restaurez une sauvegarde, ou indiquez une autre base."
        )
    if version > LATEST_VERSION:
        raise StoreError(
            f"La base «\u00a0{url.masked}\u00a0» a été créée par une version plus récente "
            f"d'ensap-tui (schéma {version}\u00a0; cette version connaît le schéma "
            f"{LATEST_VERSION}). Mettez ensap-tui à jour pour l'ouvrir."
        )


def _schema_state(conn: psycopg.Connection[tuple[object, ...]]) -> tuple[int | None, bool]:
    """The schema version (None when the version table is absent) and whether the schema
    holds any table at all."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables "
        "WHERE schemaname = current_schema() AND tablename = %s), "
        "EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema())",
        (VERSION_TABLE,),
    ).fetchone()
    assert row is not None  # an EXISTS query always answers one row
    has_version, has_tables = bool(row[0]), bool(row[1])
    if not has_version:
        return None, has_tables
    found = conn.execute(f"SELECT version FROM {VERSION_TABLE}").fetchone()
    return (-1 if found is None else int(str(found[0]))), True


def refuse_other_encoding(url: PostgresUrl, conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Refuses a database whose encoding is not UTF-8. ``createdb`` copies the encoding of
    ``template1``, which is SQL_ASCII on a server set up under the C locale (a bare Debian
    machine): there psycopg reads text back as bytes (every account would read as damaged),
    and in LATIN1 an accented name of another alphabet cannot even be written."""
    encoding = conn.info.parameter_status("server_encoding") or ""
    if encoding.upper() == "UTF8":
        return
    raise StoreError(
        f"La base «\u00a0{url.masked}\u00a0» n'est pas en UTF-8 (son encodage est "
        f"«\u00a0{encoding or 'inconnu'}\u00a0»)\u00a0: ensap-tui ne pourrait pas y lire ni y "
        "écrire les noms accentués. Créez-la en UTF-8 (createdb --encoding UTF8 --locale "
        f"C.UTF-8 --template template0 --owner {url.user or 'UTILISATEUR'} {url.dbname}) ou "
        "indiquez une autre base."
    )


def prepare_schema(url: PostgresUrl, conn: psycopg.Connection[tuple[object, ...]]) -> bool:
    """Checks that the database is in UTF-8 and an ensap-tui one (or empty), refuses a schema
    newer than the code, and migrates an older one under the write lock (two programs
    starting at once migrate once). Returns True when this call created the schema. Raises
    :class:`StoreError` / :class:`StoreBusyError` in French."""
    refuse_other_encoding(url, conn)
    try:
        version, has_tables = _schema_state(conn)
        if version is None and has_tables:
            raise _not_ensap(url, "elle contient déjà les tables d'un autre programme")
        if version is not None:
            refuse_unknown(url, version)
            if version == LATEST_VERSION:
                return False
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", WRITE_LOCK)
            # Read again under the lock: another program may have just migrated.
            version, has_tables = _schema_state(conn)
            if version is None and has_tables:
                raise _not_ensap(url, "elle contient déjà les tables d'un autre programme")
            if version is not None:
                refuse_unknown(url, version)
            migrate(conn, version or 0)
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)
            raise
        return version is None
    except psycopg.Error as error:
        raise store_error(url, error) from None


#: How long a write waits for another writer before «réessayez» (milliseconds), as SQLite's
#: busy timeout.
BUSY_TIMEOUT_MS = 5000
#: How long the server keeps a store's transaction whose client says nothing more
#: (milliseconds). A write transaction holds the one write lock of the database: a poste that
#: vanished from the network in the middle of one (a laptop closed, Wi-Fi lost: no TCP reset
#: reaches the server) would otherwise keep every other machine at «réessayez» until the
#: server's TCP keepalive gives up on it, two hours by default. The store's transactions last
#: milliseconds (argon2 runs outside them), so a minute is far beyond any of them.
IDLE_IN_TRANSACTION_MS = 60_000

_Connection = psycopg.Connection[tuple[Any, ...]]

_COMMIT_LOST = (
    "La connexion au serveur PostgreSQL «\u00a0{server}\u00a0» a été perdue au moment "
    "d'enregistrer\u00a0: l'opération a peut-être été enregistrée. Vérifiez avant de la refaire."
)


class PostgresStore(SqlStore[_Connection]):
    """A database on a PostgreSQL server, opened (its schema made or migrated if needed) at
    construction.

    One connection per thread, in autocommit mode: the store says ``BEGIN`` itself. A write
    transaction first takes the advisory lock :data:`WRITE_LOCK`, so writers take turns as
    SQLite's ``BEGIN IMMEDIATE`` makes them, and each of its statements (READ COMMITTED) sees
    every write committed before it: no read-modify-write of one writer can be lost to
    another's. A writer that waits longer than the busy timeout gets
    :class:`StoreBusyError`. A read transaction is one REPEATABLE READ snapshot. The server
    ends a transaction whose client has said nothing for :data:`IDLE_IN_TRANSACTION_MS`, so
    that a poste lost from the network never keeps the write lock.

    Raises :class:`StoreError` (French, the URL's password masked) when the server cannot be
    reached, refuses the login, has no such database, or holds a schema newer than the code
    or another program's tables.
    """

    #: A server's database has no file (its secret has none beside it).
    path: Path | None = None

    def __init__(
        self,
        url: PostgresUrl | str,
        *,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        idle_in_transaction_ms: int = IDLE_IN_TRANSACTION_MS,
    ) -> None:
        super().__init__()
        try:
            self.url = url if isinstance(url, PostgresUrl) else parse_postgres_url(url)
        except DatabaseUrlError as error:
            raise StoreError(str(error)) from None
        self._busy_timeout_ms = int(busy_timeout_ms)
        self._idle_in_transaction_ms = int(idle_in_transaction_ms)
        try:
            self.created = prepare_schema(self.url, self._connection())
        except BaseException:
            self.close()
            raise

    @property
    def location(self) -> str:
        """The server's URL, its password masked."""
        return self.url.masked

    def _connect(self) -> _Connection:
        return connect(
            self.url,
            lock_timeout_ms=self._busy_timeout_ms,
            idle_in_transaction_ms=self._idle_in_transaction_ms,
        )

    def _close_connection(self, conn: _Connection) -> None:
        with contextlib.suppress(psycopg.Error):
            conn.close()

    def _usable(self, conn: _Connection) -> bool:
        return not (conn.closed or conn.broken)

    def _reusable(self, conn: _Connection) -> bool:
        return self._usable(conn) and conn.info.transaction_status == pq.TransactionStatus.IDLE

    def _begin(self, conn: _Connection, *, writable: bool) -> None:
        if conn.info.transaction_status != pq.TransactionStatus.IDLE:
            raise RuntimeError("a store transaction is already open on this thread")
        if not writable:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", WRITE_LOCK)
        except BaseException:
            rollback(conn)
            raise

    def _commit(self, conn: _Connection) -> None:
        try:
            conn.execute("COMMIT")
        except psycopg.OperationalError as error:
            if self._usable(conn):
                raise
            raise StoreError(_COMMIT_LOST.format(server=self.url.server)) from error

    def _rollback(self, conn: _Connection) -> None:
        rollback(conn)

    def _store_error(self, error: Exception) -> StoreError | StoreBusyError | None:
        return store_error(self.url, error) if isinstance(error, psycopg.Error) else None

    #: psycopg's placeholders for the shared SQL.
    _convert = staticmethod(to_pyformat)
    _search_form: SearchForm = "postgresql"
