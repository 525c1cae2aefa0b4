"""Opening a database file: creation, permissions, migrations, and files that are not ours."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.adapters.migrations import APPLICATION_ID, LATEST_VERSION, MIGRATIONS
from ensap_tui.adapters.sqlite_store import SqliteStore
from ensap_tui.services.models import Event
from ensap_tui.services.ports import StoreError

TABLES = {
    "meta", "accounts", "tokens", "login_failures", "outbox", "events", "rooms", "postes",
}


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_version_2_database_gets_the_name_index_and_keeps_its_accounts(
    db_path: Path, clock: FixedClock
) -> None:
    db_path.parent.mkdir(mode=0o700)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN")
    for version, migration in enumerate(MIGRATIONS[:2], start=1):
        migration(conn)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(
        "INSERT INTO accounts (nir, birth_name, name_key, birth_date, password_hash, email, "
        "email_backup, phone, phone_secondary, status, created_at) VALUES ('185057511512364', "
        "'LEFÈVRE', 'lefevre', '1985-05-17', '$argon2id$x', 'l@example.fr', '', '', '', "
        "'active', '2026-11-26T13:02:00.000000Z')"
    )
    conn.execute("COMMIT")
    conn.close()
    db_path.chmod(0o600)

    store = SqliteStore(db_path)
    with store.read() as tx:
        found = tx.search_accounts(name_prefix="Lefè")
    store.close()
    assert [account.nir for account in found] == ["185057511512364"]
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "accounts_by_name" in indexes and "accounts_name_key" not in indexes
    conn.close()


def test_a_version_3_database_gets_keys_without_punctuation_and_part_keys(
    db_path: Path, clock: FixedClock
) -> None:
    db_path.parent.mkdir(mode=0o700)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN")
    for version, migration in enumerate(MIGRATIONS[:3], start=1):
        migration(conn)
        conn.execute(f"PRAGMA user_version = {version}")
    # The keys as version 3 wrote them: apostrophes, hyphens and spaces kept.
    for nir, name, key in [
        ("185057511512364", "d'Artagnan-Lefèvre", "d'artagnan-lefevre"),
        ("278072B03300742", "N'Diaye", "n'diaye"),
        ("192049712001143", "LE GOFF", "le goff"),
        ("185057511500189", "MARTIN", "martin"),
    ]:
        conn.execute(
            "INSERT INTO accounts (nir, birth_name, name_key, birth_date, password_hash, email, "
            "email_backup, phone, phone_secondary, status, created_at) VALUES (?, ?, ?, "
            "'1985-05-17', '$argon2id$x', 'l@example.fr', '', '', '', 'active', "
            "'2026-11-26T13:02:00.000000Z')",
            (nir, name, key),
        )
    conn.execute("COMMIT")
    conn.close()
    db_path.chmod(0o600)

    store = SqliteStore(db_path)
    with store.read() as tx:
        def names(text: str) -> list[str]:
            return [a.birth_name for a in tx.search_accounts(name_prefix=text)]

        assert names("dartagnan") == names("lefevre") == ["d'Artagnan-Lefèvre"]
        assert names("ndiaye") == ["N'Diaye"]
        assert names("legoff") == names("goff") == ["LE GOFF"]
        assert names("martin") == ["MARTIN"]
    store.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("SELECT count(*) FROM account_name_parts").fetchone()[0] == 4
    conn.close()


def test_a_version_5_database_gets_rooms_and_keeps_its_spaces_mails_and_journal(
    db_path: Path, clock: FixedClock
) -> None:
    db_path.parent.mkdir(mode=0o700)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN")
    for version, migration in enumerate(MIGRATIONS[:5], start=1):
        migration(conn)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(
        "INSERT INTO accounts (nir, birth_name, name_key, birth_date, password_hash, email, "
        "email_backup, phone, phone_secondary, status, created_at) VALUES ('185057511512364', "
        "'LEFÈVRE', 'lefevre', '1985-05-17', '$argon2id$x', 'l@example.fr', '', '', '', "
        "'active', '2026-11-26T13:02:00.000000Z')"
    )
    conn.execute(
        "INSERT INTO outbox (recipient, subject, body, link, kind, nir, sent_at) VALUES "
        "('l@example.fr', 'Activez', '…', 'ensap-tui://activer/x', 'activation', "
        "'185057511512364', '2026-11-26T13:02:00.000000Z')"
    )
    conn.execute(
        "INSERT INTO events (at, kind, nir, actor, detail) VALUES "
        "('2026-11-26T13:02:00.000000Z', 'account-activated', '185057511512364', '', '')"
    )
    conn.execute("COMMIT")
    conn.close()
    db_path.chmod(0o600)

    store = SqliteStore(db_path)
    with store.read() as tx:
        assert [a.birth_name for a in tx.search_accounts(name_prefix="lefe")] == ["LEFÈVRE"]
        assert [(m.link, m.poste_id) for m in tx.list_mail()] == [("ensap-tui://activer/x", None)]
        assert [(e.kind, e.poste_id, e.room_id) for e in tx.list_events()] == [
            ("account-activated", None, None)
        ]
    with store.write() as tx:  # the new tables work at once
        room = tx.insert_room("K7M4QX", clock.now())
        tx.insert_poste(room, "Camille", clock.now())
    store.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION == 8
    assert conn.execute("SELECT poste_id FROM accounts").fetchall() == [(None,)]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET poste_id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events")
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_a_new_database_is_created_migrated_and_private(db_path: Path, clock: FixedClock) -> None:
    assert not db_path.parent.exists()
    store = SqliteStore(db_path)
    with store.write() as tx:  # a write makes sure the -wal and -shm files exist
        tx.add_event(Event(at=clock.now(), kind="k"))
    assert mode(db_path.parent) == 0o700
    assert mode(db_path) == 0o600
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        assert side.exists() and mode(side) == 0o600
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names >= TABLES
    conn.close()
    store.close()


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "partage"
    folder.mkdir()
    folder.chmod(0o755)
    SqliteStore(folder / "ensap.sqlite3").close()
    assert mode(folder) == 0o755
    assert mode(folder / "ensap.sqlite3") == 0o600


def test_missing_parent_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "ensap.sqlite3"
    SqliteStore(path).close()
    assert mode(path.parent) == 0o700
    assert path.exists()


def test_reopening_is_idempotent_and_keeps_data(db_path: Path, clock: FixedClock) -> None:
    store = SqliteStore(db_path)
    with store.write() as tx:
        tx.add_event(Event(at=clock.now(), kind="inscription"))
        db_id = tx.get_meta("db_id")
    store.close()
    for _ in range(2):
        again = SqliteStore(db_path)
        with again.read() as tx:
            assert tx.get_meta("db_id") == db_id
            assert [e.kind for e in tx.list_events()] == ["inscription"]
        again.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    conn.close()


def test_an_empty_file_becomes_a_database(db_path: Path) -> None:
    db_path.parent.mkdir()
    db_path.touch()
    store = SqliteStore(db_path)
    with store.read() as tx:
        assert tx.get_meta("db_id")
    store.close()


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    SqliteStore(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="version plus récente d'ensap-tui") as caught:
        SqliteStore(db_path)
    assert str(db_path) in str(caught.value)
    conn = sqlite3.connect(db_path)  # left as it was
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION + 1
    conn.close()


def test_a_garbage_file_is_refused_and_left_alone(db_path: Path) -> None:
    db_path.parent.mkdir()
    garbage = b"Ceci n'est pas une base SQLite.\n" * 200
    db_path.write_bytes(garbage)
    with pytest.raises(StoreError, match="n'est pas une base ensap-tui lisible"):
        SqliteStore(db_path)
    assert db_path.read_bytes() == garbage


def test_another_programs_database_is_refused_untouched(db_path: Path) -> None:
    db_path.parent.mkdir()
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("PRAGMA user_version = 70")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="n'est pas une base ensap-tui lisible"):
        SqliteStore(db_path)
    conn = sqlite3.connect(db_path)
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert names == {"moz_places"}


def test_a_damaged_database_is_refused(db_path: Path) -> None:
    store = SqliteStore(db_path)
    store.close()
    data = bytearray(db_path.read_bytes())
    # Scribble over every page after the first (the schema stays readable).
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page, len(data)):
        data[offset] = 0xA5
    db_path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="n'est pas une base ensap-tui lisible"):
        SqliteStore(db_path)


def test_a_folder_in_place_of_the_file_is_refused(db_path: Path) -> None:
    db_path.mkdir(parents=True)
    with pytest.raises(StoreError, match="dossier"):
        SqliteStore(db_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="permissions do not bind root")
def test_a_read_only_folder_gives_a_french_error(tmp_path: Path) -> None:
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="Impossible de préparer la base de données"):
            SqliteStore(folder / "ensap.sqlite3")
    finally:
        folder.chmod(0o700)


def test_a_file_in_place_of_the_folder_gives_a_french_error(tmp_path: Path) -> None:
    (tmp_path / "fichier").write_text("je ne suis pas un dossier")
    with pytest.raises(StoreError, match="un élément du chemin n'est pas un dossier"):
        SqliteStore(tmp_path / "fichier" / "ensap.sqlite3")
