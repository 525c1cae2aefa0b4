"""Shared by the hardening tests: synthetic people, the worker processes, and the checks of a
database file made with plain sqlite3 (the command line run as a real program is in
``tests/support/programs.py``)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ensap_tui.services.models import RegistrationRequest
from tests.support.engines import Database
from tests.support.programs import ROOT, program_env

WORKER = Path(__file__).with_name("workers.py")

_NAMES = (
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
    "LAURENT", "LEFÈVRE", "GÉRARD", "FAURE", "ANDRÉ", "MERCIER", "BLANC", "GUÉRIN", "BOYER",
    "GARNIER", "CHEVALIER", "FRANÇOIS", "LEGRAND", "GAUTHIER", "GARCIA", "PERRIN", "ROBIN",
)
#: Strong passwords that contain nothing of any synthetic person.
PASSWORDS = ("Quartz#Velo8842", "Lagune!Ocre5531", "Fjord&Gris7719", "Mistral?Sel3306")
WRONG_PASSWORD = "Brouillard#Faux0000"


@dataclass(frozen=True)
class Person:
    """A valid identity, numbered: person ``n`` has its own NIR, name and address."""

    number: int
    nir: str
    birth_name: str
    birth_date: date
    email: str

    def request(self, password: str = PASSWORDS[0]) -> RegistrationRequest:
        """The registration of this person with ``password``."""
        return RegistrationRequest(
            nir=self.nir,
            birth_name=self.birth_name,
            birth_day=f"{self.birth_date.day:02d}",
            birth_month=f"{self.birth_date.month:02d}",
            birth_year=f"{self.birth_date.year:04d}",
            terms_accepted=True,
            password=password,
            password_confirmation=password,
            email=self.email,
            email_confirmation=self.email,
        )


def person(number: int) -> Person:
    """Person ``number`` (0 to 479,519): a man born in Paris; the NIR's order number, month and
    year are drawn from ``number`` so that every person has a different NIR."""
    order = number % 999 + 1
    month = (number // 999) % 12 + 1
    year = 1950 + (number // (999 * 12)) % 40
    body = f"1{year % 100:02d}{month:02d}75115{order:03d}"
    key = 97 - int(body) % 97
    name = _NAMES[number % len(_NAMES)]
    return Person(
        number=number,
        nir=f"{body}{key:02d}",
        birth_name=name,
        birth_date=date(year, month, 14),
        email=f"usager{number}@exemple.fr",
    )


def start_worker(action: str, **params: Any) -> subprocess.Popen[str]:
    """Starts ``workers.py action`` with ``params`` (JSON); its answer is one JSON line."""
    return subprocess.Popen(
        [sys.executable, str(WORKER), action, json.dumps(params, default=str)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=program_env(),
        cwd=ROOT,
    )


def worker_result(process: subprocess.Popen[str], timeout: float = 120) -> Any:
    """The JSON answer of a worker; fails the test with its stderr if it did not exit 0."""
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"worker failed ({process.returncode}):\n{err}"
    assert "Traceback" not in err, err
    return json.loads(out.strip().splitlines()[-1])


def run_together(jobs: Sequence[tuple[str, dict[str, Any]]], folder: Path) -> list[Any]:
    """Starts every job as its own process, lets them all go at the same instant (each waits
    for a file to appear once all are ready), and returns their answers in order."""
    go = folder / f"go-{time.monotonic_ns()}"
    processes = []
    for index, (action, params) in enumerate(jobs):
        ready = folder / f"{go.name}-ready-{index}"
        processes.append((start_worker(action, go=str(go), ready=str(ready), **params), ready))
    deadline = time.monotonic() + 120
    while not all(ready.exists() for _, ready in processes):
        for process, _ in processes:
            if process.poll() is not None:  # died before being ready: show why
                worker_result(process)
        assert time.monotonic() < deadline, "the workers never got ready"
        time.sleep(0.005)
    go.touch()
    return [worker_result(process) for process, _ in processes]


def connect(db: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection for checks (never through the application's code)."""
    conn = sqlite3.connect(db, timeout=30)
    conn.row_factory = sqlite3.Row
    return conn


def scalar(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    return conn.execute(sql, params).fetchone()[0]


def consistency_problems(db: Path | Database) -> list[str]:
    """What is wrong with a database as a whole (empty when nothing is): for a SQLite file its
    integrity and foreign keys (a PostgreSQL server enforces both itself), and on each engine
    every invariant that ties accounts, tokens and mails together."""
    import hashlib

    database = db if isinstance(db, Database) else Database("sqlite", str(db))
    problems: list[str] = []
    with database.checks() as conn:
        if not database.is_postgres:
            integrity = [row[0] for row in conn.rows("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                return [f"integrity_check: {integrity[:5]}"]
            if conn.rows("PRAGMA foreign_key_check"):
                problems.append("a token refers to no account")
        for (nir,) in conn.rows(
            "SELECT nir FROM accounts a WHERE status = 'pending' AND NOT EXISTS (SELECT 1 FROM "
            "tokens t WHERE t.account_id = a.id AND t.purpose = 'activation' "
            "AND t.revoked_at IS NULL)"
        ):
            problems.append(f"pending account {nir} has no live activation token")
        for (nir,) in conn.rows(
            "SELECT nir FROM accounts a WHERE status = 'active' AND NOT EXISTS (SELECT 1 FROM "
            "tokens t WHERE t.account_id = a.id AND t.purpose = 'activation' "
            "AND t.used_at IS NOT NULL)"
        ):
            problems.append(f"active account {nir} was activated by no token")
        for (nir,) in conn.rows(
            "SELECT nir FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM outbox m WHERE "
            "m.nir = a.nir AND m.kind = 'activation')"
        ):
            problems.append(f"account {nir} exists without its activation mail")
        for nir, live in conn.rows(
            "SELECT a.nir, count(*) FROM tokens t JOIN accounts a ON a.id = t.account_id "
            "WHERE t.used_at IS NULL AND t.revoked_at IS NULL GROUP BY a.id, a.nir, t.purpose "
            "HAVING count(*) > 1"
        ):
            problems.append(f"account {nir} has {live} live tokens of one purpose")
        tokens = {
            token_hash: (purpose, nir, email)
            for token_hash, purpose, nir, email in conn.rows(
                "SELECT t.token_hash, t.purpose, a.nir, a.email FROM tokens t "
                "JOIN accounts a ON a.id = t.account_id"
            )
        }
        for nir, recipient, link, kind in conn.rows(
            "SELECT nir, recipient, link, kind FROM outbox WHERE link != ''"
        ):
            token = link.rsplit("/", 1)[-1]
            found = tokens.get(hashlib.sha256(token.encode()).hexdigest())
            if found is None:
                continue  # the account was purged with its tokens
            purpose, token_nir, email = found
            if token_nir != nir or email != recipient:
                problems.append(f"the {kind} link mailed for {nir} opens "
                                f"the account of {token_nir}")
            if purpose != kind:
                problems.append(f"a {kind} mail carries a {purpose} token")
    return problems
