"""A program killed with SIGKILL in the middle of registrations, activations and resets loses
nothing that was confirmed and leaves nothing half-written: the database stays intact, every
account keeps its own activation token, and the application starts normally afterwards. On each
engine: a SQLite file, and a PostgreSQL server's database (the server sees the client vanish).

The normal suite kills a handful of times; ``make fuzz`` sets ``ENSAP_CRASH_RUNS`` (≥ 50).
"""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from ensap_tui.services.models import SignInStatus
from ensap_tui.ui.app import create_app
from tests.hardening.support import (
    PASSWORDS,
    consistency_problems,
    person,
    start_worker,
)
from tests.support.engines import Database
from tests.support.programs import run_cli

RUNS = int(os.environ.get("ENSAP_CRASH_RUNS", "4"))
#: Person numbers each run may use (a run registers far fewer than this before being killed).
PER_RUN = 2000

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def kill_at_random(db: Database, run: int, rng: random.Random) -> tuple[int, bool]:
    """Starts a worker that registers, activates and resets in a loop, kills it at a random
    instant, and returns how many events the database holds afterwards and whether the worker
    had confirmed a registration before the kill."""
    worker = start_worker("crash-loop", **db.params(), seed=run, first=run * PER_RUN)
    assert worker.stdout is not None
    confirmed = False
    if rng.random() < 0.2:
        # Sometimes while it opens the database (WAL recovery of the previous kill...).
        time.sleep(rng.uniform(0.0, 0.8))
    else:
        assert worker.stdout.readline().strip() == "started"
        # A busy machine may take longer than any delay to register someone: wait until the
        # worker says it did, so every such run kills a worker that has done real work.
        assert worker.stdout.readline().strip() == "registered"
        confirmed = True
        time.sleep(rng.uniform(0.0, 0.6))
    worker.send_signal(signal.SIGKILL)
    _, err = worker.communicate(timeout=60)
    assert worker.returncode == -signal.SIGKILL, f"the worker ended by itself:\n{err}"
    assert "Traceback" not in err, err
    return int(db.scalar("SELECT count(*) FROM events")), confirmed


async def test_sigkill_at_random_points_loses_nothing_and_the_app_starts(
    database: Database,
) -> None:
    db = database
    db.open_services().close()
    rng = random.Random(20261126)
    events_seen = [0]
    confirmed_runs = 0
    for run in range(RUNS):
        events, confirmed = kill_at_random(db, run, rng)
        events_seen.append(events)
        confirmed_runs += confirmed
        problems = consistency_problems(db)
        assert problems == [], f"after kill {run + 1}: {problems}"
    # The event log only grew, and each worker that confirmed a registration kept it.
    assert events_seen == sorted(events_seen)
    assert confirmed_runs > 0
    assert events_seen[-1] >= confirmed_runs

    # The services start and work on the database every kill left behind...
    services = db.open_services()
    try:
        newcomer = person(RUNS * PER_RUN + 1)
        services.registration.register(newcomer.request(PASSWORDS[0]))
        link = next(m.link for m in services.mailbox.messages(limit=5) if m.nir == newcomer.nir)
        services.activation.activate(link)
        result = services.sign_in.sign_in(newcomer.nir, PASSWORDS[0])
        assert result.status is SignInStatus.SIGNED_IN
    finally:
        services.close()
    assert consistency_problems(db) == []
    # ... so do the command line and the application itself.
    outbox = run_cli("outbox", "--last", *db.cli_args())
    assert outbox.code == 0 and "Traceback" not in outbox.stderr, outbox
    app = create_app(db.where, settings=db.settings())
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.screen.query_one("#creer-espace") is not None
