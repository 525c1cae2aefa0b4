"""The test PostgreSQL server: its URL from the environment, a fresh database per test, and the
server's stop and start for the restart test.

``scripts/pg_test_server.sh`` starts the server (``.ci/run`` and ``make test-pg`` do it) and
exports :data:`ENV` (a URL whose role may CREATEDB) and :data:`ENV_DIR` (its folder). Without
them the PostgreSQL tests skip, saying how to get a server; under ``CI=true`` they fail instead:
the PostgreSQL half of the suite always runs in CI.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.support.programs import ROOT

#: The test server's URL: ``postgresql://ROLE:PASSWORD@127.0.0.1:PORT/DB``.
ENV = "ENSAP_TEST_POSTGRES"
#: The test server's folder (data, port, socket), for ``pause``/``resume``.
ENV_DIR = "ENSAP_TEST_POSTGRES_DIR"
SCRIPT = ROOT / "scripts" / "pg_test_server.sh"
#: Prefix of every database the fixtures create (and drop).
DATABASE_PREFIX = "ensap_t_"

HOW_TO_GET_ONE = (
    f"no PostgreSQL server for the tests ({ENV} is not set): `make test-pg` runs the PostgreSQL "
    f"tests beside a throw-away server, `bash .ci/run` runs everything as CI does, or set {ENV}="
    "postgresql://ROLE:PASSWORD@127.0.0.1:PORT/DB (a role that may CREATEDB)"
)


def in_ci() -> bool:
    """Whether this run is CI's (``CI=true``), where no PostgreSQL test may skip for want of a
    server."""
    return os.environ.get("CI", "").lower() == "true"


def server_url() -> str:
    """The test server's URL; without one, a skip saying how to get one (a failure in CI)."""
    url = os.environ.get(ENV, "")
    if not url:
        if in_ci():
            pytest.fail(f"CI=true but {HOW_TO_GET_ONE}", pytrace=False)
        pytest.skip(HOW_TO_GET_ONE)
    return url


def database_url(url: str, name: str) -> str:
    """``url`` naming the database ``name`` on the same server, as the same role."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def database_name(url: str) -> str:
    """The database a URL names."""
    return urlsplit(url).path.lstrip("/")


@contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """A new empty database on the server of ``url`` (its role may CREATEDB), as a URL; dropped
    afterwards, with any connection still open to it (a killed program's, say) ended."""
    name = DATABASE_PREFIX + secrets.token_hex(6)
    with psycopg.connect(url, autocommit=True) as admin:
        # template0: a copy of the bare template, fast, and whatever template1 holds stays out.
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    try:
        yield database_url(url, name)
    finally:
        drop_database(url, name)


def drop_database(url: str, name: str) -> None:
    """Drops database ``name`` of the server of ``url``, ending its connections (PostgreSQL 13+)."""
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def server_dir() -> Path:
    """The test server's folder; the tests that stop the server need it."""
    folder = os.environ.get(ENV_DIR, "")
    if not folder:
        if os.environ.get(ENV) and not in_ci():
            pytest.skip(
                f"{ENV} names a server this run did not start ({ENV_DIR} is not set): the "
                "restart test only stops a server of scripts/pg_test_server.sh"
            )
        server_url()  # skips (or fails in CI) with the message that says how to get one
        pytest.fail(f"{ENV} is set but {ENV_DIR} is not: start the server with {SCRIPT.name}")
    return Path(folder)


def _control(action: str) -> None:
    done = subprocess.run(
        ["bash", str(SCRIPT), action, str(server_dir())],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{SCRIPT.name} {action} failed:\n{done.stderr}"


def pause_server() -> None:
    """Stops the test server by its process id (fast shutdown: open sessions are ended, every
    committed transaction is kept); :func:`resume_server` starts it again on the same port."""
    _control("pause")


def crash_server() -> None:
    """Stops the test server at once, as a crash would (PostgreSQL's immediate shutdown: no
    checkpoint); :func:`resume_server` starts it again, recovering from the write-ahead log."""
    _control("crash")


def resume_server() -> None:
    """Starts the test server again after :func:`pause_server` or :func:`crash_server`;
    returns once it accepts connections (nothing to do when it runs)."""
    _control("resume")
