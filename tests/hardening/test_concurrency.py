"""Several programs on one database at the same instant, on each engine (a SQLite file, a
PostgreSQL server's database): nothing is counted twice or lost."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ensap_tui.services.container import Services
from tests.hardening.support import PASSWORDS, person, run_together
from tests.support.engines import Database

#: Processes started together in each case (more than the machine's cores is fine).
WORKERS = 3


@pytest.fixture
def db(database: Database) -> Database:
    """A database created (with its secret) before the workers open it."""
    database.open_services().close()
    return database


def _open(db: Database) -> Services:
    return db.open_services()


def _link(db: Database, nir: str, kind: str) -> str:
    services = _open(db)
    try:
        links = [m.link for m in services.mailbox.messages(limit=1000)
                 if m.nir == nir and m.kind == kind and m.link]
    finally:
        services.close()
    assert links, f"no {kind} mail for {nir}"
    return links[0]


@pytest.mark.parametrize("round_", range(2))
def test_one_nir_registered_by_several_programs_at_once_gives_one_space(
    db: Database, tmp_path: Path, round_: int
) -> None:
    who = person(100 + round_)
    jobs = [("register", {**db.params(), "number": who.number, "password": PASSWORDS[i]})
            for i in range(WORKERS)]
    assert run_together(jobs, tmp_path) == ["ok"] * WORKERS

    with db.checks() as conn:
        assert conn.scalar("SELECT count(*) FROM accounts WHERE nir = ?", (who.nir,)) == 1
        kinds = Counter(row[0] for row in conn.rows(
            "SELECT kind FROM outbox WHERE nir = ?", (who.nir,)))
        assert kinds == {"activation": 1, "notice": WORKERS - 1}
        assert conn.scalar("SELECT count(*) FROM tokens") == 1
        created = conn.scalar("SELECT count(*) FROM events WHERE nir = ? AND kind = "
                              "'registration-created'", (who.nir,))
        assert created == 1


def test_one_activation_link_followed_by_several_programs_at_once_works_once(
    db: Database, tmp_path: Path
) -> None:
    who = person(7)
    services = _open(db)
    services.registration.register(who.request())
    services.close()
    link = _link(db, who.nir, "activation")

    outcomes = run_together([("activate", {**db.params(), "link": link})] * WORKERS, tmp_path)

    assert Counter(outcomes) == {"activated": 1, "already-used": WORKERS - 1}
    with db.checks() as conn:
        assert conn.scalar("SELECT status FROM accounts WHERE nir = ?", (who.nir,)) == "active"
        assert conn.scalar("SELECT count(*) FROM events WHERE kind = 'account-activated'") == 1


def test_one_reset_link_used_by_several_programs_at_once_sets_one_password(
    db: Database, tmp_path: Path
) -> None:
    who = person(8)
    services = _open(db)
    services.registration.register(who.request(PASSWORDS[0]))
    services.activation.activate(_link(db, who.nir, "activation"))
    services.recovery.request_reset(who.nir)
    services.close()
    link = _link(db, who.nir, "reset")
    candidates = PASSWORDS[1 : 1 + WORKERS]

    outcomes = run_together(
        [("reset", {**db.params(), "link": link, "password": p}) for p in candidates], tmp_path
    )

    assert Counter(outcomes)["done"] == 1, outcomes
    assert set(outcomes) <= {"done", "already-used"}
    winner = candidates[outcomes.index("done")]
    services = _open(db)
    try:
        for password in (PASSWORDS[0], *candidates):
            if password == winner:
                continue
            # Each losing password fails; the winner then signs in, which also restarts the
            # failure count, so checking several losers never runs into the 3-failure block.
            assert services.sign_in.sign_in(who.nir, password).status.value == "failed", password
            assert services.sign_in.sign_in(who.nir, winner).status.value == "signed-in"
    finally:
        services.close()


@pytest.mark.parametrize("registered", [True, False], ids=["wrong-password", "unknown-nir"])
def test_failures_from_several_programs_block_after_three_in_total(
    db: Database, tmp_path: Path, registered: bool
) -> None:
    who = person(9)
    if registered:
        services = _open(db)
        services.registration.register(who.request())
        services.activation.activate(_link(db, who.nir, "activation"))
        services.close()
    attempts = 2  # per worker: 6 in all, of which only 3 may be counted

    answers = run_together(
        [("fail", {**db.params(), "nir": who.nir, "attempts": attempts})] * WORKERS, tmp_path
    )

    results = [tuple(r) for answer in answers for r in answer]
    assert len(results) == WORKERS * attempts
    statuses = Counter(status for status, _ in results)
    # Exactly 3 counted failures: two answered "failed", the third started the block; every
    # other attempt met the block and was neither verified nor counted.
    assert statuses == {"failed": 2, "blocked": WORKERS * attempts - 2}, results
    assert sorted(left for status, left in results if status == "failed") == [1, 2]
    assert [left for status, left in results if status == "blocked"].count(0) == 1
    with db.checks() as conn:
        assert conn.scalar("SELECT count(*) FROM events WHERE kind = 'sign-in-failed'") == 3
        assert conn.scalar("SELECT count(*) FROM events WHERE kind = 'sign-in-blocked'") == 1
        row = conn.rows("SELECT failures, blocks FROM login_failures WHERE nir = ?", (who.nir,))
        assert row == [(0, 1)]
