"""Connecting to PostgreSQL: French errors for what can go wrong, the schema's versions."""

from __future__ import annotations

import socket
from pathlib import Path

import psycopg
import pytest

from ensap_tui.adapters import pg_migrations
from ensap_tui.adapters.database_url import PostgresUrl, parse_postgres_url
from ensap_tui.adapters.postgres_store import connect, connect_error, prepare_schema
from ensap_tui.services.ports import StoreError
from tests.support.postgres import DATABASE_PREFIX, database_url, drop_database

PASSWORD_SHOWN = "***"


@pytest.fixture
def pg_url(postgres_url: str) -> PostgresUrl:
    return parse_postgres_url(postgres_url)


def _with(url: PostgresUrl, *, password: str | None = None, dbname: str | None = None,
          port: int | None = None) -> PostgresUrl:
    user = url.user
    secret = url.password if password is None else password
    return parse_postgres_url(
        f"postgresql://{user}:{secret}@{url.host}:{port or url.port}/{dbname or url.dbname}"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _open(url: PostgresUrl) -> bool:
    conn = connect(url, lock_timeout_ms=1000)
    try:
        return prepare_schema(url, conn)
    finally:
        conn.close()


def test_a_server_that_does_not_answer_is_named_without_the_password() -> None:
    url = parse_postgres_url(f"postgresql://camille:Secret-42@127.0.0.1:{_free_port()}/ensap")
    with pytest.raises(StoreError) as caught:
        connect(url, lock_timeout_ms=1000)
    message = str(caught.value)
    assert message.startswith(
        f"Impossible de joindre le serveur PostgreSQL «\u00a0127.0.0.1:{url.port}\u00a0»"
    )
    assert "Vérifiez qu'il est démarré" in message
    assert "Secret-42" not in message and PASSWORD_SHOWN in message


def test_a_wrong_password_is_a_refused_login(pg_url: PostgresUrl) -> None:
    url = _with(pg_url, password="not-the-password")
    with pytest.raises(StoreError) as caught:
        connect(url, lock_timeout_ms=1000)
    message = str(caught.value)
    assert message.startswith(
        f"Le serveur PostgreSQL «\u00a0{url.server}\u00a0» a refusé la connexion de "
        f"l'utilisateur «\u00a0{url.user}\u00a0»"
    )
    assert "not-the-password" not in message


def test_no_password_found_says_which_pgpass_line_is_missing(
        pg_url: PostgresUrl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first opening of a new poste, its ~/.pgpass not written yet (or naming another
    base): what to add, rather than «mot de passe incorrect» for a password never sent."""
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{pg_url.host}:{pg_url.port}:une_autre_base:{pg_url.user}:x\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    url = parse_postgres_url(
        f"postgresql://{pg_url.user}@{pg_url.host}:{pg_url.port}/{pg_url.dbname}")
    with pytest.raises(StoreError) as caught:
        connect(url, lock_timeout_ms=1000)
    message = str(caught.value)
    assert message.startswith(
        f"Aucun mot de passe pour l'utilisateur «\u00a0{url.user}\u00a0» de la base "
        f"«\u00a0{url.dbname}\u00a0» sur le serveur PostgreSQL «\u00a0{url.server}\u00a0»"
    ), message
    assert f"{url.host}:{url.port}:{url.dbname}:{url.user}:MOTDEPASSE" in message
    assert "chmod 600 ~/.pgpass" in message


def test_a_missing_database_is_named(pg_url: PostgresUrl) -> None:
    url = _with(pg_url, dbname="ensap_nulle_part")
    with pytest.raises(StoreError) as caught:
        connect(url, lock_timeout_ms=1000)
    message = str(caught.value)
    assert message.startswith(
        f"La base «\u00a0ensap_nulle_part\u00a0» n'existe pas sur le serveur PostgreSQL "
        f"«\u00a0{url.server}\u00a0»"
    )
    assert "createdb ensap_nulle_part" in message
    assert str(url.password) not in message


def test_an_empty_database_gets_the_latest_schema_once(pg_url: PostgresUrl) -> None:
    assert _open(pg_url) is True
    assert _open(pg_url) is False
    with psycopg.connect(pg_url.url) as conn:
        version = conn.execute("SELECT version FROM ensap_schema").fetchone()
        db_ids = conn.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchall()
    assert version == (pg_migrations.LATEST_VERSION,)
    assert len(db_ids) == 1 and len(str(db_ids[0][0])) == 32


def test_a_schema_newer_than_the_code_is_refused(pg_url: PostgresUrl) -> None:
    _open(pg_url)
    newer = pg_migrations.LATEST_VERSION + 1
    with psycopg.connect(pg_url.url) as conn:
        conn.execute("UPDATE ensap_schema SET version = %s", (newer,))
    with pytest.raises(StoreError) as caught:
        _open(pg_url)
    message = str(caught.value)
    assert "a été créée par une version plus récente d'ensap-tui" in message
    assert f"(schéma {newer}\u00a0; cette version connaît le schéma" in message
    assert "Mettez ensap-tui à jour pour l'ouvrir." in message
    assert str(pg_url.password) not in message


def test_another_programs_tables_are_left_untouched(pg_url: PostgresUrl) -> None:
    with psycopg.connect(pg_url.url) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="n'est pas une base ensap-tui"):
        _open(pg_url)
    with psycopg.connect(pg_url.url) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
    assert tables == [("invoices",)]


def test_the_event_log_is_append_only(pg_url: PostgresUrl) -> None:
    _open(pg_url)
    with psycopg.connect(pg_url.url, autocommit=True) as conn:
        conn.execute("INSERT INTO events (at, kind) VALUES ('2026-11-30T10:00:00.000000Z', 'x')")
        for statement in ("UPDATE events SET kind = 'y'", "DELETE FROM events",
                          "TRUNCATE events"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)
        assert conn.execute("SELECT kind FROM events").fetchall() == [("x",)]


@pytest.mark.parametrize("encoding", ["SQL_ASCII", "LATIN1"])
def test_a_database_not_in_utf8_is_refused_before_anything_is_written(
        postgres_server: str, encoding: str) -> None:
    """``createdb`` on a server set up under the C locale makes SQL_ASCII databases: psycopg
    would read every text back as bytes (each account «endommagé»), and LATIN1 cannot hold
    every name. Refused with the command that makes a right one, and left empty."""
    name = f"{DATABASE_PREFIX}{encoding.lower()}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING '{encoding}' "
            "LC_COLLATE 'C' LC_CTYPE 'C'"
        )
    try:
        url = parse_postgres_url(database_url(postgres_server, name))
        with pytest.raises(StoreError) as caught:
            _open(url)
        message = str(caught.value)
        assert message.startswith(f"La base «\u00a0{url.masked}\u00a0» n'est pas en UTF-8")
        assert f"(son encodage est «\u00a0{encoding}\u00a0»)" in message
        assert f"--template template0 --owner {url.user} {name})" in message
        assert str(url.password) not in message
        with psycopg.connect(url.url) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchone()
        assert tables == (0,)
    finally:
        drop_database(postgres_server, name)


def test_a_server_that_takes_no_more_connections_says_so(pg_url: PostgresUrl) -> None:
    """A room of postes beyond the server's max_connections (or a limit on the role or the
    base): said as such, not as the driver's English words."""
    with psycopg.connect(pg_url.url, autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {pg_url.dbname} CONNECTION LIMIT 0")
    with pytest.raises(StoreError) as caught:
        connect(pg_url, lock_timeout_ms=1000)
    message = str(caught.value)
    assert message.startswith(
        f"Le serveur PostgreSQL «\u00a0{pg_url.server}\u00a0» n'accepte plus de connexion\u00a0: "
        "trop de programmes y sont déjà connectés"
    )
    assert str(pg_url.password) not in message


def test_an_unforeseen_connection_failure_keeps_the_drivers_words_scrubbed() -> None:
    url = parse_postgres_url("postgresql://camille:Secret-42@db.example:6543/ensap")
    error = connect_error(url, psycopg.OperationalError("something odd for Secret-42"))
    assert str(error) == (
        "Impossible de se connecter au serveur PostgreSQL «\u00a0db.example:6543\u00a0» "
        "(détail technique\u00a0: something odd for ***)."
    )


@pytest.mark.parametrize("words", [
    "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database system is "
    "starting up",
    "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database system is "
    "shutting down",
    "FATAL:  le système de bases de données est en cours d'arrêt",
])
def test_a_server_restarting_says_to_try_again(words: str) -> None:
    """libpq's words while the server starts or stops (a restart caught halfway: no test
    can time it, so the error is built with those words)."""
    url = parse_postgres_url("postgresql://camille:Secret-42@127.0.0.1:5432/ensap")
    assert str(connect_error(url, psycopg.OperationalError(words))) == (
        "Le serveur PostgreSQL «\u00a0127.0.0.1:5432\u00a0» démarre ou s'arrête (un redémarrage "
        "est en cours)\u00a0: réessayez dans quelques instants."
    )
