"""A test database of either engine: a SQLite file in a temporary folder, or a fresh database on
the test PostgreSQL server (``tests/support/postgres.py``), opened the way the application opens
it, and read with the engine's own driver for the checks (never through the application's code).

The ``database`` fixture of ``tests/conftest.py`` gives one per engine; worker processes get the
same database from :meth:`Database.params` (JSON) and :meth:`Database.from_params`.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ensap_tui.bootstrap import Settings
    from ensap_tui.services.container import Services

Engine = Literal["sqlite", "postgresql"]
#: The engines every engine-parametrized test runs on, in order.
ENGINES: tuple[Engine, ...] = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Database:
    """One test database: ``target`` is what ``--db`` takes (the file's path, or the server's
    URL); a PostgreSQL database's secret is in ``secret_file``, the same for every process, as
    every machine of one server database shares it."""

    engine: Engine
    target: str
    secret_file: str | None = None

    @property
    def is_postgres(self) -> bool:
        return self.engine == "postgresql"

    def settings(self, **changes: Any) -> Settings:
        """``Settings.for_tests()`` for this database, with ``changes``."""
        from ensap_tui.bootstrap import Settings

        settings = Settings.for_tests()
        if self.secret_file is not None:
            changes = {"secret_file": Path(self.secret_file), **changes}
        return dataclasses.replace(settings, **changes)

    @property
    def where(self) -> Any:
        """The database as ``open_services`` and ``create_app`` take it: a path, or a URL."""
        return self.target if self.is_postgres else Path(self.target)

    def cli_args(self) -> list[str]:
        """The command line's options that open this database."""
        secret = ["--secret-file", self.secret_file] if self.secret_file is not None else []
        return ["--db", self.target, *secret]

    def open_services(self, settings: Settings | None = None, **kwargs: Any) -> Services:
        """The real services on this database (cheap argon2, no system keyring)."""
        from ensap_tui.bootstrap import open_services

        return open_services(self.where, settings=settings or self.settings(), **kwargs)

    def open_store(self) -> Any:
        """This database's store alone, opened as the application opens it (created and migrated
        if needed); the caller closes it."""
        if self.is_postgres:
            from ensap_tui.bootstrap import database, open_store

            return open_store(database(self.target), self.settings())
        from ensap_tui.adapters.sqlite_store import SqliteStore

        return SqliteStore(Path(self.target))

    def params(self) -> dict[str, Any]:
        """This database for a worker process's JSON parameters."""
        return {"db": self.target, "engine": self.engine, "secret_file": self.secret_file}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Database:
        """The database of :meth:`params` (``engine`` missing: SQLite, as older callers)."""
        return cls(params.get("engine", "sqlite"), params["db"], params.get("secret_file"))

    @contextmanager
    def checks(self) -> Iterator[Checks]:
        """A plain connection of the engine's own driver, for checks."""
        if self.is_postgres:
            import psycopg

            with psycopg.connect(self.target, autocommit=True) as conn:
                yield Checks(self, conn)
        else:
            conn = sqlite3.connect(self.target, timeout=30)
            try:
                yield Checks(self, conn)
            finally:
                conn.close()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first value of the first row of ``sql`` (``?`` placeholders on both engines)."""
        with self.checks() as checks:
            return checks.scalar(sql, params)


class Checks:
    """Queries of a check: ``?`` placeholders on both engines, rows as tuples."""

    def __init__(self, database: Database, conn: Any) -> None:
        self.database = database
        self.conn = conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.database.is_postgres:
            sql = sql.replace("?", "%s")
        return [tuple(row) for row in self.conn.execute(sql, tuple(params)).fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.rows(sql, params)[0][0]
