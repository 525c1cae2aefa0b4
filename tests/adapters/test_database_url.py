"""Database URLs: a path or a server, checked, and never shown with their password."""

from __future__ import annotations

import pytest

from ensap_tui.adapters.database_url import (
    DatabaseUrlError,
    is_postgres_url,
    mask_url,
    parse_postgres_url,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgresql://u@h/db", True),
        ("POSTGRES://u@h/db", True),
        ("postgres://h/db", True),
        ("ensap.sqlite3", False),
        ("/tmp/postgresql://x", False),
        ("mysql://u@h/db", False),
        ("postgresql:/h/db", False),
    ],
)
def test_a_server_is_told_from_a_path_by_its_scheme(text: str, expected: bool) -> None:
    assert is_postgres_url(text) is expected


def test_the_parts_of_a_url_are_read() -> None:
    url = parse_postgres_url("postgresql://camille:s%40cret@db.example:6543/ensap?sslmode=require")
    assert (url.host, url.port, url.dbname, url.user, url.password) == (
        "db.example", 6543, "ensap", "camille", "s@cret"
    )
    assert url.server == "db.example:6543"
    assert parse_postgres_url("postgresql://h/base").port == 5432


def test_the_password_is_masked_in_every_form_shown() -> None:
    text = "postgresql://camille:TopSecret42@db.example:6543/ensap"
    url = parse_postgres_url(text)
    assert url.masked == "postgresql://camille:***@db.example:6543/ensap"
    assert "TopSecret42" not in repr(url)
    assert "TopSecret42" not in str([url])
    assert url.scrub(f"failed for {text} with TopSecret42") == (
        "failed for postgresql://camille:***@db.example:6543/ensap with ***"
    )
    assert mask_url("postgresql://camille@h/db") == "postgresql://camille@h/db"
    assert mask_url("a/path.sqlite3") == "a/path.sqlite3"


def test_a_password_given_as_an_option_of_the_url_is_masked_too() -> None:
    """libpq takes ``?password=`` (and ``sslpassword=``, a client key's) as a password."""
    text = "postgresql://camille@db.example/ensap?sslmode=require&password=Top%26Secret&sslpassword=K3y"
    url = parse_postgres_url(text)
    assert url.password == "Top&Secret"
    assert url.masked == (
        "postgresql://camille@db.example/ensap?sslmode=require&password=***&sslpassword=***"
    )
    assert "Secret" not in repr(url) and "K3y" not in url.masked
    assert url.scrub("failed with Top&Secret") == "failed with ***"
    assert mask_url("postgresql://h/db?PASSWORD=x") == "postgresql://h/db?PASSWORD=***"
    assert mask_url("postgresql://h/db?sslmode=require") == "postgresql://h/db?sslmode=require"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("postgresql://u:pw@h:99999/db", "le port doit être un nombre de 1 à 65535"),
        ("postgresql://u:pw@h:port/db", "le port doit être un nombre de 1 à 65535"),
        ("postgresql://u:pw@/db", "le nom du serveur manque"),
        ("postgresql://u:pw@h", "le nom de la base manque"),
        ("postgresql://u:pw@h/", "le nom de la base manque"),
        ("postgresql://u:pw@h/db\x1b[2J", "caractère de contrôle"),
    ],
)
def test_a_bad_url_is_refused_in_french_without_its_password(text: str, why: str) -> None:
    with pytest.raises(DatabaseUrlError) as caught:
        parse_postgres_url(text)
    message = str(caught.value)
    assert why in message
    assert "pw" not in message.replace("postgresql", "")
    assert "Forme attendue\u00a0: postgresql://utilisateur@serveur:port/base" in message
