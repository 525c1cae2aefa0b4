"""The composition root: the only module that knows both the adapters and the services.

``open_services`` opens (creating and migrating if needed) a database, finds its secret,
and returns the :class:`~ensap_tui.services.container.Services` the UI and the command line use.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hmac
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from ensap_tui.adapters.argon2_hasher import PepperedArgon2Hasher
from ensap_tui.adapters.clocks import OffsetClock, SystemClock
from ensap_tui.adapters.database_url import (
    DatabaseUrlError,
    PostgresUrl,
    is_postgres_url,
    parse_postgres_url,
)
from ensap_tui.adapters.oserrors import french_reason
from ensap_tui.adapters.secret_store import (
    FILE_SECRET_NOTICE,
    SecretError,
    SecretResult,
    load_secret,
    secret_check,
    secret_file_path,
)
from ensap_tui.adapters.sqlite_store import SqliteStore
from ensap_tui.adapters.tokens import SecretsTokenSource
from ensap_tui.services.container import Services
from ensap_tui.services.ports import StoreBusyError, StoreError, StoreTx

if TYPE_CHECKING:
    from ensap_tui.services.ports import Clock, Store, TokenSource

#: Meta keys this module owns.
META_DB_ID = "db_id"
META_SECRET_CHECK = "secret_check"

_SECRET_MISMATCH = "Le secret de cette base est introuvable ou ne correspond pas : "
_SECRET_REMEDY = (
    " Restaurez le fichier du secret (« .secret » à côté de la base) ou l'entrée « ensap-tui » "
    "du trousseau système, importez le secret exporté depuis un poste qui ouvre cette base "
    "(ensap-tui secret import FICHIER), ou ouvrez une autre base."
)
_SHARED_SECRET_REMEDY = (
    " Indiquez le fichier du secret de cette base (--secret-file FICHIER ou "
    "ENSAP_TUI_SECRET_FILE, le même sur chaque poste), importez le secret exporté depuis un poste "
    "qui ouvre cette base (ensap-tui secret import FICHIER) ou restaurez l'entrée « ensap-tui » "
    "du trousseau système, ou ouvrez une autre base."
)

#: Where a database is: a SQLite file, or a PostgreSQL server (see ``adapters/database_url``).
Database = Path | PostgresUrl


@dataclass(frozen=True)
class Settings:
    """How the services are built. The defaults are the production ones."""

    argon2_time_cost: int = 3
    argon2_memory_cost: int = 65536  # KiB
    argon2_parallelism: int = 4
    use_keyring: bool = True
    keyring_timeout: float = 3.0  # seconds
    idle_timeout: timedelta = timedelta(minutes=10)
    demo: bool = False
    #: How long a write waits for another program's lock before «réessayez» (milliseconds).
    store_busy_timeout_ms: int = 5000
    #: The demo agent's password (tests give one, for pictures that do not change); None: a
    #: new one is drawn at each seeding of a demo database.
    demo_agent_password: str | None = None
    #: The secret file given by the user (``--secret-file`` / ``ENSAP_TUI_SECRET_FILE``): the
    #: secret is read from it (made in it for a new database), never from the keyring. The
    #: way to give every machine of one PostgreSQL database the same secret.
    secret_file: Path | None = None
    #: The training room's poste this app belongs to (issue 12; ``--poste``, given by the
    #: room's browser server for each joined tab): the services are scoped to it and the clock
    #: is its clock. None: no room, nothing changes.
    poste: int | None = None

    @classmethod
    def for_tests(cls) -> Settings:
        """Cheapest argon2id argon2-cffi accepts (t=1, 8 KiB, p=1) and no system keyring (the
        secret goes to a file beside the test database)."""
        return cls(
            argon2_time_cost=1,
            argon2_memory_cost=8,
            argon2_parallelism=1,
            use_keyring=False,
        )

    def demo_mode(self) -> Settings:
        """These settings for the trainer's demo database: ``demo`` on, and its secret in a file
        beside the database rather than in the system keyring (the data are fictitious and
        reset often; no keyring prompt in front of a room)."""
        return dataclasses.replace(self, demo=True, use_keyring=False)


class StartupError(Exception):
    """The services cannot start; ``str()`` is a French message for the user."""


class OpenedStore(Protocol):
    """What the composition root needs of either engine's store."""

    #: True when this opening created the database (its schema).
    created: bool
    #: French notices for the user (a file whose rights were restricted...).
    notices: list[str]

    @property
    def location(self) -> str:
        """The database as shown to the user: a path, or a URL with its password masked."""
        ...

    @property
    def path(self) -> Path | None:
        """The database file (its secret file may sit beside it); None for a server."""
        ...

    def peek_meta(self, key: str) -> str | None: ...
    def peek_poste_clock(self, poste_id: int) -> int | None: ...
    def write(self) -> contextlib.AbstractContextManager[StoreTx]: ...
    def read(self) -> contextlib.AbstractContextManager[StoreTx]: ...
    def close(self) -> None: ...


def database(text: str | Path | PostgresUrl) -> Database:
    """``text`` as a database: a server when it starts with ``postgresql://`` (checked,
    :class:`StartupError` in French otherwise), else a path."""
    if isinstance(text, Path | PostgresUrl):
        return text
    if is_postgres_url(text):
        try:
            return parse_postgres_url(text)
        except DatabaseUrlError as error:
            raise StartupError(str(error)) from None
    return Path(text)


def shown(db: Database) -> str:
    """The database as the user may see it (a server's password masked)."""
    return db.masked if isinstance(db, PostgresUrl) else str(db)


def open_store(db: Database, settings: Settings) -> OpenedStore:
    """The store of ``db``, opened (created and migrated if needed): SQLite for a path,
    PostgreSQL for a server URL (psycopg is imported only then). Raises
    :class:`StartupError` in French."""
    try:
        if isinstance(db, PostgresUrl):
            from ensap_tui.adapters.postgres_store import PostgresStore

            return PostgresStore(db, busy_timeout_ms=settings.store_busy_timeout_ms)
        return SqliteStore(db, busy_timeout_ms=settings.store_busy_timeout_ms)
    except (StoreError, StoreBusyError) as error:
        raise StartupError(str(error)) from error
    except OSError as error:
        raise StartupError(
            f"Impossible d'ouvrir la base de données « {shown(db)} » : {french_reason(error)}."
        ) from error


def default_db_path() -> Path:
    """``ensap.sqlite3`` in the user's data folder for ensap-tui (platformdirs)."""
    import platformdirs  # only when no --db is given

    return platformdirs.user_data_path("ensap-tui", appauthor=False) / "ensap.sqlite3"


def demo_db_path() -> Path:
    """``demo.sqlite3`` in the user's data folder for ensap-tui: the demo mode's own database,
    never the default one."""
    import platformdirs

    return platformdirs.user_data_path("ensap-tui", appauthor=False) / "demo.sqlite3"


class _StoredOffset:
    """The demo clock's offset, read from the database meta at every call so that every
    program on the database agrees; the last value read stands in when the database cannot
    be read (closed, busy)."""

    def __init__(self, store: OpenedStore) -> None:
        self._store = store
        self._last = timedelta(0)

    def __call__(self) -> timedelta:
        from ensap_tui.services.demo import META_CLOCK_OFFSET, parse_offset

        with contextlib.suppress(StoreError, StoreBusyError):
            self._last = parse_offset(self._store.peek_meta(META_CLOCK_OFFSET))
        return self._last


class _PosteOffset:
    """A training room poste's clock offset (its room's plus its own), read from the database
    at every call as :class:`_StoredOffset` reads the demo's; the last value read stands in
    when the database cannot be read."""

    def __init__(self, store: OpenedStore, poste_id: int) -> None:
        self._store = store
        self._poste_id = poste_id
        self._last = timedelta(0)

    def __call__(self) -> timedelta:
        with contextlib.suppress(StoreError, StoreBusyError):
            seconds = self._store.peek_poste_clock(self._poste_id)
            if seconds is not None:
                self._last = timedelta(seconds=seconds)
        return self._last


def open_services(
    db_path: Path | PostgresUrl | str,
    *,
    clock: Clock | None = None,
    token_source: TokenSource | None = None,
    settings: Settings | None = None,
) -> Services:
    """Opens the database at ``db_path`` (created 0600 in a 0700 folder if missing; a
    ``postgresql://`` URL opens a server's database, its schema made if it has none), loads its
    secret, checks it against the database's check value (stored on first use), and builds
    the services. Raises :class:`StartupError` with a French message when anything fails.
    The caller closes the result with ``Services.close()``.

    With ``settings.demo`` the clock is the demo clock: ``clock`` (the system clock by default)
    plus the offset kept in the database, and an empty database is seeded with the demo
    accounts; a database with accounts that is not a demo one is refused.

    With ``settings.poste`` the services are those of that training room's poste and the
    clock is the poste's (``clock`` plus its room's and its own offsets, read at every call,
    in place of the demo clock); a poste that does not exist or whose room has ended is
    refused."""
    settings = settings or Settings()
    store = open_store(database(db_path), settings)
    try:
        if settings.demo:
            # Before the secret is looked for or made: a database that is not a demo one is
            # refused without anything written to it or beside it.
            _refuse_if_not_demo(store)
        if settings.poste is not None:
            # Before the secret too: a tab of an ended room opens nothing.
            _check_poste(store, settings.poste)
        secret, notices = database_secret(store, settings)
        notices = [*store.notices, *notices]
        hasher = PepperedArgon2Hasher(
            secret,
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_cost,
            parallelism=settings.argon2_parallelism,
        )
        base_clock = clock or SystemClock()
        app_clock: Clock = base_clock
        if settings.poste is not None:
            app_clock = OffsetClock(base_clock, _PosteOffset(store, settings.poste))
        elif settings.demo:
            app_clock = OffsetClock(base_clock, _StoredOffset(store))
        services = Services.build(
            store=cast("Store", store),
            hasher=hasher,
            clock=app_clock,
            tokens=token_source or SecretsTokenSource(),
            idle_timeout=settings.idle_timeout,
            notices=notices,
            demo_agent_password=settings.demo_agent_password,
            real_clock=base_clock,
            poste_id=settings.poste,
        )
        if settings.demo:
            _prepare_demo(services, store)
        return services
    except BaseException:
        store.close()
        raise


def _check_poste(store: OpenedStore, poste_id: int) -> None:
    from ensap_tui.services.room import PosteUnavailable, RoomService

    try:
        RoomService(cast("Store", store), SystemClock(), SecretsTokenSource()).open_poste(poste_id)
    except PosteUnavailable as error:
        raise StartupError(f"{error} Rejoignez la salle depuis la page de connexion.") from error
    except (StoreError, StoreBusyError) as error:
        raise StartupError(str(error)) from error


def _refuse_if_not_demo(store: OpenedStore) -> None:
    from ensap_tui.services.demo import META_DEMO, MSG_NOT_DEMO

    if store.created:
        return
    try:
        with store.read() as tx:
            is_demo = tx.get_meta(META_DEMO) is not None
    except (StoreError, StoreBusyError) as error:
        raise StartupError(str(error)) from error
    if not is_demo:
        raise StartupError(f"La base « {store.location} » : {MSG_NOT_DEMO}")


def _prepare_demo(services: Services, store: OpenedStore) -> None:
    from ensap_tui.services.demo import NotDemoDatabase

    try:
        services.demo.prepare(created=store.created)
    except NotDemoDatabase as error:
        raise StartupError(f"La base « {store.location} » : {error}") from error
    except (StoreError, StoreBusyError) as error:
        raise StartupError(str(error)) from error


def _secret_from_file(beside: Path, expected: str) -> SecretResult | None:
    """The secret in the file beside the database when it matches the check value, else None.

    Such a database got its secret when no keyring worked (or in demo mode): asking the
    keyring first would cost its import and round trip at every start (its whole timeout when
    it hangs) for an entry it does not have. Anything else goes the usual way.
    """
    if not beside.exists():
        return None
    try:
        found = load_secret(None, "", use_keyring=False, create=False, file=beside)
    except SecretError:
        return None
    return found if hmac.compare_digest(expected, secret_check(found.secret)) else None


def database_secret(store: OpenedStore, settings: Settings) -> tuple[bytes, list[str]]:
    """The secret of the database ``store`` opened, and the French notices about it: the one
    place that finds it (``settings.secret_file`` when given; else the system keyring, or the
    file beside a database file), checks it against the check value kept in the database, and
    stores that check value on first use. Raises :class:`StartupError` in French; a database
    that already has a check value never gets a new secret."""
    try:
        with store.read() as tx:
            db_id = tx.get_meta(META_DB_ID)
            expected = tx.get_meta(META_SECRET_CHECK)
    except (StoreError, StoreBusyError) as error:
        raise StartupError(str(error)) from error
    if not db_id:
        raise StartupError(
            f"La base « {store.location} » n'a pas d'identifiant : elle n'est pas utilisable."
        )
    beside = None if store.path is None else secret_file_path(store.path)
    remedy = _SECRET_REMEDY if beside is not None else _SHARED_SECRET_REMEDY
    if settings.secret_file is None and beside is not None and (
        settings.use_keyring and expected is not None
    ):
        kept = _secret_from_file(beside, expected)
        if kept is not None:
            return kept.secret, [FILE_SECRET_NOTICE, *kept.notices]
    try:
        # A database that already has a check value never gets a new secret: a fresh one
        # would not match, and writing it to the keyring would hide the real one.
        result = load_secret(
            store.path,
            db_id,
            use_keyring=settings.use_keyring,
            timeout=settings.keyring_timeout,
            create=expected is None,
            file=settings.secret_file,
        )
    except SecretError as error:
        if expected is None:
            raise StartupError(f"Impossible de créer le secret de cette base : {error}.") from error
        raise StartupError(f"{_SECRET_MISMATCH}{error}.{remedy}") from error
    check = secret_check(result.secret)
    if expected is None:
        try:
            with store.write() as tx:
                # Another program may have stored its check value since we read.
                expected = tx.get_meta(META_SECRET_CHECK)
                if expected is None:
                    tx.set_meta(META_SECRET_CHECK, check)
                    expected = check
        except (StoreError, StoreBusyError) as error:
            raise StartupError(str(error)) from error
    if not hmac.compare_digest(expected, check):
        found = (
            f"le fichier «\u00a0{settings.secret_file}\u00a0» ne contient pas celui de cette base"
            if settings.secret_file is not None
            else "le secret trouvé n'est pas celui de cette base"
        )
        raise StartupError(f"{_SECRET_MISMATCH}{found}.{remedy}")
    return result.secret, result.notices
