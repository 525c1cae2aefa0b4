"""Faults for the screens to meet: another program holding the database's write lock, and a
stored value the store cannot read (a manual edit, a damaged restore)."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ensap_tui.bootstrap import Settings

#: A write waits this long for the lock before «réessayez» (5 s in production).
BUSY_TIMEOUT_MS = 100


def impatient_settings() -> Settings:
    """The test settings with a short busy timeout: a held lock is reported at once."""
    return dataclasses.replace(Settings.for_tests(), store_busy_timeout_ms=BUSY_TIMEOUT_MS)


def build_app(db_path: Path, clock: Any, tokens: Any) -> Any:
    """The real app on ``db_path`` with :func:`impatient_settings`."""
    from ensap_tui.ui.app import create_app

    return create_app(db_path, clock=clock, token_source=tokens, settings=impatient_settings())


@contextmanager
def write_lock_held(db_path: Path) -> Iterator[None]:
    """Another connection holds ``BEGIN IMMEDIATE`` on the file for the block (what another
    program writing, or a stuck one, does)."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def set_column(db_path: Path, table: str, column: str, value: Any, where: str = "1") -> None:
    """``UPDATE table SET column = value WHERE where``, as a manual edit would, from another
    connection."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (value,))
    finally:
        conn.close()


def notices(app: Any) -> list[str]:
    """The texts of the notifications shown so far, oldest first."""
    return [notification.message for notification in app._notifications]


def get_column(db_path: Path, table: str, column: str, where: str = "1") -> Any:
    """The value of ``column`` in the row of ``table`` matching ``where``."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT {column} FROM {table} WHERE {where}").fetchone()[0]
    finally:
        conn.close()
