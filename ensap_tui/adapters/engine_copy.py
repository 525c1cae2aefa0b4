"""Copying a SQLite database into an empty PostgreSQL database (``ensap-tui migrate``).

Every table of the source is copied row for row, ids, hashes, times and the meta (the database's
identifier and its secret's check value) included, with PostgreSQL's ``COPY``, in one
transaction on the target: a failure anywhere leaves the target as it was. The tables and their
columns are read from the source itself, parents before the tables that refer to them, so that a
table a later migration adds is copied without changing this module. Before committing, the copy
is checked inside its own transaction: the rows of every table counted on both sides, the meta
and a sample of the accounts' password hashes compared byte for byte.

Both databases are left to their own schema code: the source is opened by ``SqliteStore`` (and
so migrated to this version's schema), the target's schema is made by ``pg_migrations``. A
column or a table the target does not have is refused when the source holds anything in it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ensap_tui.adapters.database_url import PostgresUrl
from ensap_tui.services.ports import StoreError

#: Rows read from SQLite at a time (a million accounts are never all in memory).
BATCH = 5_000
#: How many accounts' hashes the verification compares at most (spread over the whole table).
SAMPLE = 200

Progress = Callable[[str], None]


class CopyRefused(StoreError):
    """The copy cannot be made (a target that is not empty, a schema it cannot hold); ``str()``
    is a French message, and nothing was written."""


@dataclass
class CopyReport:
    """What was copied and checked: rows per table (in copy order), the meta keys, the sample
    of accounts whose hashes were compared."""

    rows: dict[str, int] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    #: The sampled accounts: NIR and password hash, as the source holds them.
    sample: list[tuple[str, str]] = field(default_factory=list)
    #: Identity sequences moved past the copied ids (table: next value).
    sequences: dict[str, int] = field(default_factory=dict)


def _fmt(count: int) -> str:
    return f"{count:,}".replace(",", "\u202f")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# -- the source ------------------------------------------------------------------------------


def _source_tables(conn: sqlite3.Connection) -> list[str]:
    """The source's tables, each after the tables its foreign keys name."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    parents = {
        name: {
            row[2] for row in conn.execute(f"PRAGMA foreign_key_list({_quote(name)})")
        } - {name}
        for name in names
    }
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and parents[n] <= set(ordered)]
        if not ready:  # a cycle: no schema of ours has one; keep the rest in name order
            ready = [n for n in names if n not in ordered]
        ordered.extend(ready)
    return ordered


def _source_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({_quote(table)})")]


def _autoincrement_seen(conn: sqlite3.Connection) -> dict[str, int]:
    """The highest id SQLite ever gave in its AUTOINCREMENT tables (ids of removed rows
    included: they must never be given again)."""
    try:
        return {str(n): int(s) for n, s in conn.execute("SELECT name, seq FROM sqlite_sequence")}
    except sqlite3.OperationalError:  # no AUTOINCREMENT table
        return {}


# -- the target ------------------------------------------------------------------------------


def _target_columns(cur: Any) -> dict[str, list[str]]:
    cur.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
    )
    found: dict[str, list[str]] = {}
    for table, column in cur.fetchall():
        found.setdefault(str(table), []).append(str(column))
    return found


def _identity_columns(cur: Any) -> dict[str, str]:
    cur.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
    )
    return {str(table): str(column) for table, column in cur.fetchall()}


def _refuse_non_empty(cur: Any, url: PostgresUrl, tables: Sequence[str]) -> None:
    """Refuses a target with any row in a table but ``meta`` (the identifier a first opening
    draws, and the check value of its secret, are replaced by the source's)."""
    from ensap_tui.adapters.pg_migrations import VERSION_TABLE

    for table in tables:
        if table in ("meta", VERSION_TABLE):
            continue
        cur.execute(f"SELECT EXISTS (SELECT 1 FROM {_quote(table)})")
        if cur.fetchone()[0]:
            raise CopyRefused(
                f"La base cible «\u00a0{url.masked}\u00a0» n'est pas vide (la table "
                f"«\u00a0{table}\u00a0» contient des lignes)\u00a0: la copie se fait dans une base "
                "vide seulement. Rien n'a été modifié. Créez une base neuve (createdb) ou "
                "indiquez-en une autre."
            )


def _check_fits(
    source: sqlite3.Connection, table: str, columns: list[str], target: dict[str, list[str]],
    url: PostgresUrl,
) -> list[str]:
    """The columns of ``table`` to copy: those the target has. A table or a column it lacks
    is refused when the source holds anything there."""
    have = target.get(table)
    if have is None:
        if source.execute(f"SELECT EXISTS (SELECT 1 FROM {_quote(table)})").fetchone()[0]:
            raise CopyRefused(
                f"La base cible «\u00a0{url.masked}\u00a0» n'a pas de table «\u00a0{table}\u00a0», "
                "que la base source utilise\u00a0: cette version d'ensap-tui ne sait pas encore "
                "la copier vers PostgreSQL. Rien n'a été modifié."
            )
        return []
    kept = [c for c in columns if c in have]
    for column in columns:
        if column in have:
            continue
        used = source.execute(
            f"SELECT EXISTS (SELECT 1 FROM {_quote(table)} WHERE {_quote(column)} IS NOT NULL)"
        ).fetchone()[0]
        if used:
            raise CopyRefused(
                f"La base cible «\u00a0{url.masked}\u00a0» n'a pas de colonne "
                f"«\u00a0{column}\u00a0» dans la table «\u00a0{table}\u00a0», que la base source "
                "utilise\u00a0: cette "
                "version d'ensap-tui ne sait pas encore la copier vers PostgreSQL. Rien n'a été "
                "modifié."
            )
    return kept


def _copy_table(
    source: sqlite3.Connection, cur: Any, table: str, columns: list[str]
) -> int:
    names = ", ".join(_quote(c) for c in columns)
    order = " ORDER BY rowid" if _has_rowid(source, table) else ""
    rows = source.execute(f"SELECT {names} FROM {_quote(table)}{order}")
    count = 0
    with cur.copy(f"COPY {_quote(table)} ({names}) FROM STDIN") as copy:
        while batch := rows.fetchmany(BATCH):
            for row in batch:
                copy.write_row(row)
            count += len(batch)
    return count


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    try:
        conn.execute(f"SELECT rowid FROM {_quote(table)} LIMIT 0")
    except sqlite3.OperationalError:
        return False  # WITHOUT ROWID
    return True


def _count(cur: Any, table: str) -> int:
    cur.execute(f"SELECT count(*) FROM {_quote(table)}")
    return int(cur.fetchone()[0])


def _sample(source: sqlite3.Connection, total: int) -> list[tuple[str, str]]:
    """Up to :data:`SAMPLE` accounts (NIR, hash) spread evenly over the table, the first and
    the last included."""
    if total == 0:
        return []
    step = max(1, total // SAMPLE)
    rows = source.execute(
        "SELECT nir, password_hash FROM (SELECT nir, password_hash, "
        "row_number() OVER (ORDER BY id) - 1 AS n FROM accounts) "
        "WHERE n % ? = 0 OR n = ? LIMIT ?",
        (step, total - 1, SAMPLE + 1),
    ).fetchall()
    return [(str(nir), str(digest)) for nir, digest in rows]


def _verify(
    source: sqlite3.Connection, cur: Any, report: CopyReport, url: PostgresUrl,
) -> None:
    """Inside the copy's transaction: counts, meta, and the sample's hashes, byte for byte."""
    for table, copied in report.rows.items():
        expected = int(source.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0])
        found = _count(cur, table)
        if not expected == copied == found:
            raise CopyRefused(
                f"Vérification échouée pour la table «\u00a0{table}\u00a0»\u00a0: {_fmt(expected)} "
                f"lignes dans la source, {_fmt(found)} dans la cible. La copie est annulée\u00a0: "
                f"rien n'a été écrit dans «\u00a0{url.masked}\u00a0»."
            )
    meta = dict(source.execute("SELECT key, value FROM meta").fetchall())
    cur.execute("SELECT key, value FROM meta")
    if dict(cur.fetchall()) != meta:
        raise CopyRefused(
            "Vérification échouée\u00a0: la table «\u00a0meta\u00a0» de la cible diffère de la "
            "source. La copie est annulée\u00a0: rien n'a été écrit."
        )
    sample = _sample(source, report.rows.get("accounts", 0))
    if sample:
        cur.execute(
            "SELECT nir, password_hash FROM accounts WHERE nir = ANY(%s)",
            ([nir for nir, _ in sample],),
        )
        hashes = {str(nir): str(digest) for nir, digest in cur.fetchall()}
        for nir, digest in sample:
            if hashes.get(nir, "").encode() != digest.encode():
                raise CopyRefused(
                    "Vérification échouée\u00a0: l'empreinte du mot de passe d'un espace diffère "
                    "entre la source et la cible. La copie est annulée\u00a0: rien n'a été écrit."
                )
    report.meta = {str(k): str(v) for k, v in meta.items()}
    report.sample = sample


def copy_sqlite_to_postgres(
    source_path: Path, url: PostgresUrl, *, progress: Progress = lambda _line: None,
    lock_timeout_ms: int = 5000,
) -> CopyReport:
    """Copies the SQLite database ``source_path`` (already opened once by ``SqliteStore``, so
    at this version's schema) into the PostgreSQL database ``url``, whose schema is made when
    it has none; refuses a target with any row outside ``meta``. One transaction on the target
    (under the store's write lock, so no ensap-tui program writes meanwhile) and one read
    snapshot of the source; ``progress`` gets a French line per step. Raises
    :class:`CopyRefused` (nothing written) or :class:`StoreError` in French."""
    import psycopg

    from ensap_tui.adapters.postgres_store import (
        WRITE_LOCK,
        connect,
        prepare_schema,
        rollback,
        store_error,
    )

    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.execute("BEGIN")  # one snapshot: a program writing meanwhile changes nothing here
        tables = _source_tables(source)
        conn = connect(url, lock_timeout_ms=lock_timeout_ms)
        try:
            if prepare_schema(url, conn):
                progress(f"Schéma créé dans la base cible «\u00a0{url.masked}\u00a0».")
            report = CopyReport()
            try:
                conn.execute("BEGIN")
                conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", WRITE_LOCK)
                with conn.cursor() as cur:
                    target = _target_columns(cur)
                    _refuse_non_empty(cur, url, list(target))
                    plan = [
                        (t, _check_fits(source, t, _source_columns(source, t), target, url))
                        for t in tables
                    ]
                    cur.execute("DELETE FROM meta")
                    for table, columns in plan:
                        if not columns:
                            continue
                        report.rows[table] = _copy_table(source, cur, table, columns)
                        count = report.rows[table]
                        copied = "ligne copiée" if count < 2 else "lignes copiées"
                        progress(f"Table «\u00a0{table}\u00a0»\u00a0: {_fmt(count)} {copied}.")
                    _move_sequences(source, cur, report)
                    _verify(source, cur, report, url)
                conn.execute("COMMIT")
            except psycopg.Error as error:
                rollback(conn)
                raise CopyRefused(
                    f"La copie vers «\u00a0{url.masked}\u00a0» a échoué et a été annulée\u00a0: "
                    f"rien n'a été écrit. {store_error(url, error)}"
                ) from None
            except BaseException:
                rollback(conn)
                raise
            return report
        except psycopg.Error as error:
            raise store_error(url, error) from None
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise StoreError(
            f"La base source «\u00a0{source_path}\u00a0» ne peut pas être lue ({error})."
        ) from None
    finally:
        source.close()


def _move_sequences(source: sqlite3.Connection, cur: Any, report: CopyReport) -> None:
    """Each identity column's next value after the largest id copied, or given by SQLite's
    AUTOINCREMENT (a removed agent's id is never given again)."""
    seen = _autoincrement_seen(source)
    for table, column in _identity_columns(cur).items():
        if table not in report.rows:
            continue
        cur.execute(f"SELECT max({_quote(column)}) FROM {_quote(table)}")
        largest = max(int(cur.fetchone()[0] or 0), seen.get(table, 0))
        if largest > 0:
            cur.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                (_quote(table), column, largest),
            )
            report.sequences[table] = largest + 1
