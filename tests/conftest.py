"""Shared fixtures: a real SQLite file in a temporary folder, a fixed clock, predictable tokens,
cheap (but real) argon2, and a pinned environment so screens render the same everywhere."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, settings

from tests.support.engines import ENGINES

if TYPE_CHECKING:
    from ensap_tui.adapters.clocks import FixedClock
    from ensap_tui.adapters.tokens import SequenceTokenSource
    from ensap_tui.services.container import Services
    from tests.support.engines import Database

# Times are shown in the user's zone: pin it, and keep the user's own locale/config out.
os.environ["TZ"] = "Europe/Paris"
time.tzset()
os.environ.pop("NO_COLOR", None)
# The user's own database and secret file stay out (a test that needs them sets them).
os.environ.pop("ENSAP_TUI_DB", None)
os.environ.pop("ENSAP_TUI_SECRET_FILE", None)
os.environ["TEXTUAL_ANIMATIONS"] = "none"
# The parsed stylesheets the app keeps (ui/css_cache.py) go to a cache folder of the test run,
# not the user's, shared by its apps and the programs the tests start.
_CACHE_HOME = tempfile.mkdtemp(prefix="ensap-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME
atexit.register(shutil.rmtree, _CACHE_HOME, ignore_errors=True)

settings.register_profile("default", max_examples=200, deadline=None)
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

#: The instant every test starts at: 26/11/2026 14:02 in Paris.
T0 = datetime(2026, 11, 26, 13, 2, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database path in a fresh temporary folder (the file does not exist yet)."""
    return tmp_path / "donnees" / "ensap.sqlite3"


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at :data:`T0`; tests move it with ``advance()``."""
    from ensap_tui.adapters.clocks import FixedClock

    return FixedClock(T0)


@pytest.fixture
def tokens() -> SequenceTokenSource:
    """Predictable tokens (tests only)."""
    from ensap_tui.adapters.tokens import SequenceTokenSource

    return SequenceTokenSource()


@pytest.fixture
def services(db_path: Path, clock: FixedClock, tokens: SequenceTokenSource) -> Iterator[Services]:
    """The real services on a real SQLite file, with cheap argon2 and no system keyring."""
    from ensap_tui.bootstrap import Settings, open_services

    built = open_services(db_path, clock=clock, token_source=tokens, settings=Settings.for_tests())
    yield built
    built.close()


@pytest.fixture
def make_app(db_path: Path, clock: FixedClock, tokens: SequenceTokenSource) -> Any:
    """Builds the real app on the test database: ``app = make_app()``."""
    from ensap_tui.bootstrap import Settings
    from ensap_tui.ui.app import create_app

    def build(**kwargs: Any) -> Any:
        return create_app(
            db_path, clock=clock, token_source=tokens, settings=Settings.for_tests(), **kwargs
        )

    return build


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks ``postgres`` (what ``make test-pg`` runs) every test that needs the PostgreSQL
    server: those using its fixtures, and those whose id names it (a ``test_postgres_*`` file,
    the ``postgresql`` case of an engine-parametrized test)."""
    for item in items:
        uses_server = "postgres_server" in getattr(item, "fixturenames", ())
        if uses_server or "postgres" in item.nodeid.lower():
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of the test PostgreSQL server (``ENSAP_TEST_POSTGRES``, started by
    ``scripts/pg_test_server.sh``); without one the test skips saying how to get one, and fails
    under ``CI=true``."""
    from tests.support.postgres import server_url

    return server_url()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server for this test alone (its URL), dropped after."""
    from tests.support.postgres import fresh_database

    with fresh_database(postgres_server) as url:
        yield url


@pytest.fixture(params=ENGINES)
def database(request: pytest.FixtureRequest, db_path: Path, tmp_path: Path) -> Iterator[Database]:
    """A test database of each engine in turn (``tests/support/engines.py``): the SQLite file
    of ``db_path``, then a fresh database on the test PostgreSQL server (a skip saying how to
    get one without it, a failure in CI) with its secret in a file of ``tmp_path``. The
    database itself is made by its first opening, as in the application."""
    from tests.support.engines import Database

    if request.param == "sqlite":
        yield Database("sqlite", str(db_path))
        return
    from tests.support.postgres import fresh_database

    server: str = request.getfixturevalue("postgres_server")
    with fresh_database(server) as url:
        yield Database("postgresql", url, str(tmp_path / "ensap.secret"))


@pytest.fixture
def make_store(database: Database) -> Iterator[Any]:
    """Opens the store of ``database`` alone (each call a new one), closed after the test."""
    opened: list[Any] = []

    def build() -> Any:
        opened.append(database.open_store())
        return opened[-1]

    yield build
    for store in reversed(opened):
        store.close()
