"""The SQLite implementation of :class:`~ensap_tui.services.ports.Store`.

WAL journal, ``synchronous=FULL``, foreign keys on, a 5-second busy timeout, every write in
``BEGIN IMMEDIATE`` (asked again every few milliseconds, within the busy timeout, while another
connection holds the lock),
reads in a deferred transaction, one connection per thread (``sql_store.SqlStore``), the SQL of
the operations shared with PostgreSQL (``sql_store.SqlTx``). What is SQLite's own is here: the
file (its location, rights and checks), the pragmas, the busy retry, the backup.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import sqlite3
import stat
import time
from pathlib import Path

from ensap_tui.adapters.migrations import APPLICATION_ID, LATEST_VERSION, migrate
from ensap_tui.adapters.name_keys import name_key
from ensap_tui.adapters.oserrors import french_reason
from ensap_tui.adapters.private_files import (
    PRIVATE_MODE,
    make_private,
    resolved,
    special_file_reason,
)
from ensap_tui.adapters.sql_store import SqlStore, agent_key
from ensap_tui.services.ports import StoreBusyError, StoreError

__all__ = ["BUSY_MESSAGE", "SqliteStore", "agent_key", "name_key"]

BUSY_MESSAGE = (
    "La base de données est occupée par un autre programme. "
    "Réessayez dans quelques instants."
)

#: Default wait of SQLite itself for a lock, in milliseconds.
BUSY_TIMEOUT_MS = 5000
#: How many times a read's ``BEGIN`` is attempted before :class:`StoreBusyError`.
BUSY_ATTEMPTS = 3
#: A write waiting for the lock looks again after this long at first, then after twice as
#: long each time, up to :data:`WRITE_LOCK_POLL_MAX_SECONDS` (see ``SqliteStore._begin_write``).
WRITE_LOCK_POLL_FIRST_SECONDS = 0.001
WRITE_LOCK_POLL_MAX_SECONDS = 0.008

_SQLITE_REASONS = {
    sqlite3.SQLITE_CANTOPEN: "le fichier ne peut pas être ouvert (droits ou dossier manquant)",
    sqlite3.SQLITE_READONLY: "la base est en lecture seule",
    sqlite3.SQLITE_PERM: "accès refusé",
    sqlite3.SQLITE_FULL: "le disque est plein",
    sqlite3.SQLITE_IOERR: "erreur de lecture ou d'écriture sur le disque",
}

def _error_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def _is_busy(error: sqlite3.Error) -> bool:
    return _error_code(error) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or (
        "database is locked" in str(error)
    )


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        # An error may already have ended the transaction inside SQLite.
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _as_store_error(error: sqlite3.Error) -> StoreError | StoreBusyError:
    if _is_busy(error):
        return StoreBusyError(BUSY_MESSAGE)
    return StoreError(
        "La base de données a signalé une erreur ; l'opération n'a pas été enregistrée "
        f"(détail technique : {error})."
    )


def _not_ensap(path: Path, why: str) -> StoreError:
    return StoreError(
        f"Le fichier « {path} » n'est pas une base ensap-tui lisible ({why}). "
        "Indiquez un autre fichier, ou restaurez une sauvegarde."
    )


def _create_private_file(path: Path) -> bool:
    """Creates ``path`` empty with mode 0600; False when it already exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    os.chmod(path, PRIVATE_MODE)  # whatever the umask
    return True


class _SpecialFile(Exception):
    """The database path names a device, a named pipe… (internal): refused before SQLite."""


def _check_existing(path: Path) -> str | None:
    """For an existing database file: refuses a special file, and restricts a file others may
    read to 0600 (the French notice saying so, else None)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None  # removed meanwhile: SQLite creates it, in the 0600 way below
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    reason = special_file_reason(mode)
    if reason is not None:
        raise _SpecialFile(reason)
    return make_private(path, mode)


def _make_parents(folder: Path) -> None:
    """``folder`` and its missing parents, made one by one from the top (pathlib's
    ``mkdir(parents=True)`` recurses once per missing folder: thousands of them overflow the
    stack)."""
    missing: list[Path] = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir(exist_ok=True)


def _prepare_location(path: Path) -> bool:
    """Makes the folder (0700 when we create it) and the file (0600 when we create it).
    Returns True when the database file was created now. ``path`` is resolved already."""
    folder = path.parent
    if not folder.exists():
        _make_parents(folder.parent)
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass  # made meanwhile by someone else: not ours to chmod
        else:
            os.chmod(folder, 0o700)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    return _create_private_file(path)


class SqliteStore(SqlStore[sqlite3.Connection]):
    """A SQLite database file, opened (created and migrated if needed) at construction.

    Raises :class:`StoreError` (French message) when the file cannot be opened, is not an
    ensap-tui database, is damaged, or comes from a newer version; :class:`StoreBusyError`
    when another program keeps it locked.
    """

    def __init__(
        self,
        path: Path,
        *,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        busy_attempts: int = BUSY_ATTEMPTS,
    ) -> None:
        super().__init__()
        #: Where the database really is: symbolic links followed (even a dangling one), so that
        #: its -wal, -shm and .secret sit beside it and get its 0600 mode.
        self.path = resolved(Path(path))
        self._busy_timeout_ms = int(busy_timeout_ms)
        self._busy_attempts = max(1, int(busy_attempts))
        # ``created``: True when this opening created the database: its file, or its schema in
        # an empty file another program had just made (a demo database is one created as such).
        try:
            created = _prepare_location(self.path)
            notice = None if created else _check_existing(self.path)
            if notice:
                self.notices.append(notice)
        except _SpecialFile as special:
            raise StoreError(
                f"Impossible d'utiliser «\u00a0{self.path}\u00a0» comme base de données\u00a0: "
                f"{special}. Indiquez le chemin d'un fichier."
            ) from None
        except OSError as error:
            raise StoreError(
                f"Impossible de préparer la base de données « {self.path} » : "
                f"{french_reason(error)}."
            ) from error
        self.created = created
        try:
            self._open(created)
        except sqlite3.Error as error:
            self.close()
            raise self._open_error(error) from error
        except BaseException:
            self.close()
            raise

    @property
    def location(self) -> str:
        """The database as shown to the user: its path."""
        return str(self.path)

    # -- opening ---------------------------------------------------------------------------

    def _open_error(self, error: sqlite3.Error) -> StoreError | StoreBusyError:
        code = _error_code(error)
        if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            return _not_ensap(self.path, "fichier endommagé ou d'un autre type")
        if _is_busy(error):
            return StoreBusyError(BUSY_MESSAGE)
        reason = _SQLITE_REASONS.get(code or -1, f"détail technique : {error}")
        return StoreError(f"Impossible d'ouvrir la base de données « {self.path} » : {reason}.")

    def _open(self, created: bool) -> None:
        conn = self._connection()
        rows = conn.execute("PRAGMA quick_check").fetchall()
        if len(rows) != 1 or rows[0][0] != "ok":
            raise _not_ensap(self.path, "la vérification d'intégrité a échoué")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        if application_id != APPLICATION_ID:
            has_objects = conn.execute("SELECT EXISTS (SELECT 1 FROM sqlite_master)").fetchone()[0]
            if version != 0 or has_objects:
                raise _not_ensap(self.path, "il a été créé par un autre programme")
        self._refuse_newer(version)
        mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
        if mode != "wal":
            raise StoreError(
                f"Impossible d'utiliser la base de données « {self.path} » : le journal WAL ne "
                "peut pas être activé (disque réseau ou en lecture seule ?)."
            )
        if version < LATEST_VERSION:
            self._begin(conn, writable=True)
            try:
                # Read again under the write lock: another program may have just migrated.
                current = int(conn.execute("PRAGMA user_version").fetchone()[0])
                self._refuse_newer(current)
                if current == 0:
                    self.created = True
                migrate(conn, current)
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        # SQLite gives -wal/-shm the database's mode when it makes them; ones left from before
        # the database was restricted keep a looser one.
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            with contextlib.suppress(FileNotFoundError):
                side_mode = os.stat(side).st_mode
                notice = make_private(side, side_mode) if stat.S_ISREG(side_mode) else None
                if notice:
                    self.notices.append(notice)

    def _refuse_newer(self, version: int) -> None:
        """Refuses a schema this version does not know: a newer one, or a number no version
        ever wrote (negative), rather than migrating it."""
        if version < 0:
            raise StoreError(
                f"La base « {self.path} » porte un numéro de schéma inconnu ({version} ; "
                f"cette version connaît les schémas 1 à {LATEST_VERSION}) : elle n'est pas "
                "ouverte. Restaurez une sauvegarde, ou indiquez un autre fichier."
            )
        if version > LATEST_VERSION:
            raise StoreError(
                f"La base « {self.path} » a été créée par une version plus récente d'ensap-tui "
                f"(schéma {version} ; cette version connaît le schéma {LATEST_VERSION}). "
                "Mettez ensap-tui à jour pour l'ouvrir."
            )

    # -- connections -----------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # check_same_thread=False only so that close() may close every thread's connection;
        # each connection is otherwise used by its own thread alone.
        conn = sqlite3.connect(
            os.fspath(self.path),
            timeout=self._busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA trusted_schema = OFF")
            # 16 MiB of pages kept per connection (SQLite's default is 2 MiB): the upper levels
            # of the tables and indexes of a million accounts stay in memory, so a help-desk
            # search reads little more than its own rows. Only pages read are held.
            conn.execute("PRAGMA cache_size = -16384")
        except BaseException:
            conn.close()
            raise
        return conn

    def _reusable(self, conn: sqlite3.Connection) -> bool:
        return not conn.in_transaction

    def _close_connection(self, conn: sqlite3.Connection) -> None:
        with contextlib.suppress(sqlite3.Error):
            conn.close()

    def _begin(self, conn: sqlite3.Connection, *, writable: bool) -> None:
        """``BEGIN IMMEDIATE`` for a write (the write lock at once, so that nothing it reads can
        change before it writes), a deferred ``BEGIN`` for a read."""
        if conn.in_transaction:
            raise RuntimeError("a store transaction is already open on this thread")
        if writable:
            self._begin_write(conn)
            return
        # A deferred BEGIN takes no lock; the retries are for a busy answer SQLite would give
        # at once (WAL recovery by another program...), within the busy timeout.
        deadline = time.monotonic() + self._busy_timeout_ms / 1000
        for attempt in range(1, self._busy_attempts + 1):
            try:
                conn.execute("BEGIN")
                return
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise
                if attempt == self._busy_attempts or time.monotonic() >= deadline:
                    raise StoreBusyError(BUSY_MESSAGE) from error
                time.sleep(0.05 * attempt)

    def _begin_write(self, conn: sqlite3.Connection) -> None:
        """``BEGIN IMMEDIATE``, asked again every few milliseconds while another connection
        holds the write lock, until the busy timeout (then :class:`StoreBusyError`).

        SQLite's own busy handler sleeps longer and longer between two looks at the lock (100
        ms each after the first quarter of a second): with many writers (the postes of a
        training room, each beating every 2 s, all registering at once), a writer that has
        waited a while kept missing the moments the lock was free, which fresher writers took,
        and a few registrations waited past the 5 s and failed. Here every waiting writer
        looks again within :data:`WRITE_LOCK_POLL_MAX_SECONDS` (with a little jitter, so that
        the waiters do not all look at the same instant)."""
        deadline = time.monotonic() + self._busy_timeout_ms / 1000
        conn.execute("PRAGMA busy_timeout = 0")  # the waiting is done below, not by SQLite
        try:
            pause = WRITE_LOCK_POLL_FIRST_SECONDS
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if not _is_busy(error):
                        raise
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise StoreBusyError(BUSY_MESSAGE) from error
                    time.sleep(min(left, pause * (0.5 + random.random())))
                    pause = min(pause * 2, WRITE_LOCK_POLL_MAX_SECONDS)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")

    def _commit(self, conn: sqlite3.Connection) -> None:
        conn.execute("COMMIT")

    def _rollback(self, conn: sqlite3.Connection) -> None:
        _rollback(conn)

    def _store_error(self, error: Exception) -> StoreError | StoreBusyError | None:
        return _as_store_error(error) if isinstance(error, sqlite3.Error) else None

    # -- SQLite's own ----------------------------------------------------------------------

    def backup_to(self, path: Path) -> None:
        """Copies the whole database, consistently, to a new file ``path`` (mode 0600) with
        SQLite's backup API. Refuses to overwrite an existing file."""
        target = Path(path).absolute()
        try:
            if not _create_private_file(target):
                raise StoreError(f"Le fichier « {target} » existe déjà : choisissez un autre nom.")
        except OSError as error:
            raise StoreError(
                f"Impossible de créer la copie « {target} » : {french_reason(error)}."
            ) from error
        try:
            destination = sqlite3.connect(os.fspath(target))
            try:
                self._connection().backup(destination)
            finally:
                destination.close()
        except BaseException as error:
            target.unlink(missing_ok=True)  # our own partial copy, never the live database
            if isinstance(error, sqlite3.Error):
                raise _as_store_error(error) from error
            raise
