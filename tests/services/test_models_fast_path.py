"""The fast paths of the help desk's search (``models.new_account``, ``new_contacts``,
``new_summary``, which bypass the frozen dataclasses' ``__init__``, and the store's
``sql_store._hits``) build exactly what the constructors build: compared on many values, and on
the rows of a search of many varied spaces on each engine (the ``database`` fixture)."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from ensap_tui.adapters import sql_store
from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.domain.throttle import blocked_until, effective_failure_state
from ensap_tui.services.container import Services
from ensap_tui.services.models import (
    Account,
    AccountStatus,
    AccountSummary,
    Contacts,
    FailureState,
    NewAccount,
    TokenPurpose,
    new_account,
    new_contacts,
    new_summary,
)
from ensap_tui.services.registration import activation_ends
from tests.support.engines import Database

AT = datetime(2026, 11, 26, 13, 2, tzinfo=UTC)
SPACES = 90


def _same(built: Any, reference: Any) -> None:
    """Equal, of the same class, every field set and equal one by one, same hash and repr, and
    as frozen."""
    assert type(built) is type(reference)
    assert built == reference
    assert dataclasses.astuple(built) == dataclasses.astuple(reference)
    assert hash(built) == hash(reference)
    assert repr(built) == repr(reference)
    field = dataclasses.fields(built)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(built, field, getattr(built, field))
    assert dataclasses.replace(built) == reference


def test_the_fast_constructors_build_what_the_dataclasses_build() -> None:
    emails = ["a@exemple.fr", "é@exemple.fr", ""]
    phones = ["", "+33615147879"]
    times = [None, AT, AT + timedelta(microseconds=1)]
    for email, backup, phone, secondary in itertools.product(emails, emails, phones, phones):
        _same(new_contacts(email, backup, phone, secondary),
              Contacts(email=email, email_backup=backup, phone=phone, phone_secondary=secondary))
    contacts = Contacts("a@exemple.fr")
    for status, activated, signed in itertools.product(AccountStatus, times, times):
        fields = dict(
            id=7, nir="185057511512364", birth_name="d'Artagnan-Lefèvre",
            birth_date=date(1985, 5, 17), password_hash="$argon2id$x", contacts=contacts,
            status=status, created_at=AT, activated_at=activated, last_sign_in_at=signed,
        )
        account = Account(**fields)  # type: ignore[arg-type]
        _same(new_account(*fields.values()), account)
        for expired, until, failures, valid, at in itertools.product(
            (False, True), times, (0, 2), times, times
        ):
            _same(new_summary(account, expired, until, failures, valid, at),
                  AccountSummary(account=account, link_expired=expired, blocked_until=until,
                                 failures=failures, link_valid_until=valid, at=at))


def test_the_fast_constructors_follow_the_fields_of_their_classes() -> None:
    # A field added to a class must be added to its fast constructor (in the same order).
    for build, cls in ((new_account, Account), (new_contacts, Contacts),
                       (new_summary, AccountSummary)):
        code = build.__code__
        assert code.co_varnames[:code.co_argcount] == tuple(
            field.name for field in dataclasses.fields(cls)
        )


@pytest.fixture
def services(database: Database) -> Iterator[Services]:
    opened = database.open_services(clock=FixedClock(AT))
    yield opened
    opened.close()


def _varied_spaces(services: Services) -> None:
    """:data:`SPACES` spaces whose names contain MARTIN (whole names and later parts), pending
    (with a link valid, expired, or none) or active, signed in or not, with throttling states
    of every kind, contacts filled or not, and two created from a training room's postes."""
    names = ["MARTIN", "Martin-Lefèvre", "DUPONT MARTIN", "Le Martin", "MARTINEZ"]
    with services.store.write() as tx:
        room = tx.insert_room("SALLE1", AT)
        tx.set_room_clock_offset(room, 3600)
        poste = tx.insert_poste(room, "Léo", AT)
        tx.set_poste_clock_offset(poste, 120)
        for i in range(SPACES):
            nir = f"1850575{i:08d}"
            created = AT - timedelta(days=i % 4, seconds=i, microseconds=i * 7)
            account_id = tx.insert_account(NewAccount(
                nir=nir, birth_name=names[i % len(names)], birth_date=date(1950 + i, 1 + i % 12, 1),
                password_hash=f"$argon2id${i}",
                contacts=Contacts(f"p{i}@exemple.fr", "" if i % 2 else f"s{i}@exemple.org",
                                  "" if i % 3 else "+33615147879", "" if i % 5 else "+68989123456"),
                created_at=created, poste_id=poste if i in (4, 9) else None,
            ))
            if i % 3 == 0:
                tx.set_status(account_id, AccountStatus.ACTIVE, created + timedelta(hours=1))
                if i % 2 == 0:
                    tx.set_last_sign_in(account_id, created + timedelta(hours=2))
            elif i % 3 == 1:  # pending with a link, expired for some
                tx.insert_token(account_id, TokenPurpose.ACTIVATION, f"{i:064x}", created,
                                created + timedelta(hours=24 if i % 2 else 1))
            if i % 4 == 1:
                tx.save_failure_state(FailureState(
                    nir=nir, failures=i % 3, blocks=i % 2,
                    blocked_until=None if i % 8 == 1 else AT + timedelta(minutes=i - 40),
                    last_failure_at=AT - timedelta(hours=i % 20),
                ))


def _reference_hit(row: Any) -> tuple[Any, ...]:
    """A row of the search as the dataclasses' constructors build it, by keyword."""
    (account_id, nir, birth_name, birth_date, password_hash, email, email_backup, phone,
     phone_secondary, status, created_at, activated_at, last_sign_in_at,
     failures, blocks, blocked, last_failure, link_expiry, offset) = row[:19]

    def at(text: str | None) -> datetime | None:
        return None if text is None else datetime.fromisoformat(text).astimezone(UTC)

    account = Account(
        id=account_id, nir=nir, birth_name=birth_name, birth_date=date.fromisoformat(birth_date),
        password_hash=password_hash,
        contacts=Contacts(email=email, email_backup=email_backup, phone=phone,
                          phone_secondary=phone_secondary),
        status=AccountStatus(status), created_at=at(created_at),  # type: ignore[arg-type]
        activated_at=at(activated_at), last_sign_in_at=at(last_sign_in_at),
    )
    state = None if failures is None else FailureState(
        nir=nir, failures=failures, blocks=blocks, blocked_until=at(blocked),
        last_failure_at=at(last_failure),
    )
    return account, state, at(link_expiry), offset


@pytest.mark.parametrize("text", ["martin", "lef", "dupont", ""])
def test_a_search_builds_what_the_constructors_build(services: Services, text: str) -> None:
    _varied_spaces(services)
    store: Any = services.store
    rows = sql_store._search_rows(store._peek, True, None, text, SPACES, store._search_form)
    assert len(rows) >= (SPACES // 5 if text in ("lef", "dupont") else SPACES)
    damaged: list[Any] = []
    hits = sql_store._hits(rows, damaged)
    assert damaged == []
    references = [_reference_hit(row) for row in rows]
    assert len(hits) == len(references)
    for hit, reference in zip(hits, references, strict=True):
        _same(hit[0], reference[0])
        _same(hit[0].contacts, reference[0].contacts)
        if reference[1] is not None:
            _same(hit[1], reference[1])
        assert hit == reference
    assert {hit[3] for hit in hits} >= ({None, 3720} if text == "martin" else {None})

    # The summaries as the constructor built them before the fast path, at the time each was
    # judged at (its poste's clock for a poste's space).
    # (An empty text lists the newest spaces, not this search's rows.)
    summaries = services.assistance.search(text, limit=SPACES) if text else []
    for summary, (account, stored, expiry, _offset) in zip(
        summaries, references if text else [], strict=True
    ):
        now = summary.at
        assert now is not None
        state = None if stored is None else effective_failure_state(stored, now)
        pending = account.status is AccountStatus.PENDING
        _same(summary, AccountSummary(
            account=account,
            link_expired=pending and now >= activation_ends(account, expiry),
            blocked_until=None if state is None else blocked_until(state, now),
            failures=0 if state is None else state.failures,
            link_valid_until=expiry if pending else None,
            at=now,
        ))
    assert len({(s.link_expired, s.blocked_until is None, s.failures) for s in summaries}) >= (
        4 if text == "martin" else 0
    )


def test_a_search_of_the_same_shape_reuses_its_statement_text() -> None:
    # Made once per shape: the drivers' caches (to_pyformat, psycopg's converted and prepared
    # statements) find the same string again, its hash already computed.
    first, first_params = sql_store._search_statement(True, None, "dupont", 50)
    again, again_params = sql_store._search_statement(True, None, "lefèvre", 50)
    assert again is first
    assert (first_params, again_params) == (
        {"limit": 50, "key": "dupont", "upper": "duponu"},
        {"limit": 50, "key": "lefevre", "upper": "lefevrf"},
    )
    by_nir, params = sql_store._search_statement(True, "185057511512364", "dup", 50)
    assert by_nir is not first and ":nir" in by_nir
    assert params == {"limit": 50, "nir": "185057511512364", "key": "dup", "upper": "duq"}
    assert sql_store.to_pyformat(again) is sql_store.to_pyformat(first)


def test_searches_of_a_thread_share_one_cursor(services: Services) -> None:
    # A cursor per statement cost about 15 µs of psycopg's Python at each keystroke.
    services.assistance.search("martin")
    local = services.store._local  # type: ignore[attr-defined]  # the store's own
    cursor = local.peek_cursor
    _varied_spaces(services)
    assert len(services.assistance.search("martin")) == 50
    assert services.store.peek_meta("no such key") is None
    assert local.peek_cursor is cursor
    assert local.peek_connection is services.store._connection()  # type: ignore[attr-defined]
