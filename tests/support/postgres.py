"""A fresh PostgreSQL database per test, on the server the environment names."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

ENV = "ENSAP_TEST_POSTGRES"


def server_url() -> str:
    """The test server's URL, or a skip saying how to get one."""
    url = os.environ.get(ENV, "")
    if not url:
        pytest.skip(f"pas de serveur PostgreSQL de test ({ENV} n'est pas défini)")
    return url


@contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """A new empty database on the server of ``url`` (its role may CREATEDB), dropped after."""
    name = "ensap_t_" + secrets.token_hex(6)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(url)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
