"""Hypothesis drives the real services (real SQLite file, cheap argon2) through arbitrary
sequences of registrations, activations, sign-ins right and wrong, recoveries and jumps of the
clock, against a small model of what each must answer.

Invariants after every step: at most one space per NIR and exactly the spaces the model
expects; a link works once at most; a blocked NIR never signs in and its attempts are not
counted; the event log only grows (nothing in it changes); accounts, tokens and mails stay
consistent. ``make fuzz`` runs many more and longer sequences than the normal suite.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.adapters.tokens import SequenceTokenSource
from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.domain.throttle import (
    MAX_FAILURES,
    blocked_until,
    effective_failure_state,
)
from ensap_tui.services.errors import ValidationFailed
from ensap_tui.services.models import (
    ActivationOutcome,
    ResetOutcome,
    SignInStatus,
)
from tests.hardening.support import (
    PASSWORDS,
    WRONG_PASSWORD,
    Person,
    connect,
    consistency_problems,
    person,
)

T0 = datetime(2026, 11, 26, 13, 2, tzinfo=UTC)
PEOPLE = [person(n) for n in range(2)]
STRANGER = person(400)  # never registers
ACTIVATION_VALIDITY = timedelta(hours=24)
RESET_VALIDITY = timedelta(minutes=30)
STEPS = [
    timedelta(minutes=1),
    timedelta(minutes=14),
    timedelta(minutes=16),
    timedelta(minutes=29),
    timedelta(minutes=31),
    timedelta(minutes=61),
    timedelta(hours=12),
    timedelta(hours=24, seconds=1),
]

_FUZZ = settings.default.max_examples >= 10_000


@dataclass
class Space:
    """What the model knows of one NIR's space."""

    password: str
    active: bool = False
    activation_link: str = ""
    activation_issued: datetime = T0
    reset_link: str = ""
    reset_issued: datetime = T0
    reset_mails: list[datetime] = field(default_factory=list)
    notices: list[datetime] = field(default_factory=list)


class StatefulServices(RuleBasedStateMachine):
    """The model: ``spaces`` (per NIR) and the links that already worked."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="ensap-etat-"))
        self.db = self.folder / "donnees" / "ensap.sqlite3"
        self.clock = FixedClock(T0)
        self.services = open_services(
            self.db, clock=self.clock, token_source=SequenceTokenSource(),
            settings=Settings.for_tests(),
        )
        self.spaces: dict[str, Space] = {}
        self.used_links: set[str] = set()
        self.activation_links: list[str] = []
        self.reset_links: list[str] = []
        self.last_mail_id = 0
        self.events: list[tuple[object, ...]] = []

    def teardown(self) -> None:
        self.services.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers -------------------------------------------------------------------------------

    def new_mails(self) -> list[tuple[str, str, str]]:
        """(nir, kind, link) of the mails sent since the last call."""
        messages = self.services.mailbox.messages(limit=1000)
        fresh = sorted((m for m in messages if m.id > self.last_mail_id), key=lambda m: m.id)
        if fresh:
            self.last_mail_id = fresh[-1].id
        return [(m.nir, m.kind, m.link) for m in fresh]

    def owner(self, link: str) -> str | None:
        for nir, space in self.spaces.items():
            if link in (space.activation_link, space.reset_link):
                return nir
        return None

    # -- rules ---------------------------------------------------------------------------------

    @initialize(password=st.sampled_from(PASSWORDS))
    def start_with_one_active_space(self, password: str) -> None:
        """Sequences start with one active space (the other person has none): the states
        worth exploring (blocks, recoveries) are then a few steps away."""
        self.register(PEOPLE[0], password)
        self.activate_link(self.activation_links[-1])

    @rule(who=st.sampled_from(PEOPLE), password=st.sampled_from(PASSWORDS))
    def register(self, who: Person, password: str) -> None:
        nir = who.nir
        now = self.clock.now()
        space = self.spaces.get(nir)
        expired = (
            space is not None and not space.active
            and now >= space.activation_issued + ACTIVATION_VALIDITY
        )
        self.services.registration.register(who.request(password))
        mails = self.new_mails()
        if space is not None and not expired:
            recent = [t for t in space.notices if t >= now - timedelta(hours=1)]
            if len(recent) >= 3:
                assert mails == []  # the same answer on screen, no fourth notice this hour
                return
            space.notices.append(now)
        assert len(mails) == 1, mails
        mail_nir, kind, link = mails[0]
        assert mail_nir == nir
        if space is None or expired:
            # A new space (an expired pending one is purged first): a fresh activation link.
            assert kind == "activation" and link
            self.spaces[nir] = Space(password, activation_link=link, activation_issued=now)
            self.activation_links.append(link)
        else:
            # Already there: the same answer to the person, a notice in the mailbox, no change.
            assert kind == "notice" and not link

    @precondition(lambda self: bool(self.activation_links))
    @rule(data=st.data())
    def activate(self, data: st.DataObject) -> None:
        self.activate_link(data.draw(st.sampled_from(self.activation_links), label="lien"))

    def activate_link(self, link: str) -> None:
        now = self.clock.now()
        nir = self.owner(link)
        outcome = self.services.activation.activate(link)
        if link in self.used_links:
            assert outcome is ActivationOutcome.ALREADY_USED
        elif nir is None or self.spaces[nir].active:
            # Revoked by a newer link, or deleted with a purged registration.
            assert outcome is ActivationOutcome.UNKNOWN
        elif now < self.spaces[nir].activation_issued + ACTIVATION_VALIDITY:
            assert outcome is ActivationOutcome.ACTIVATED
            self.used_links.add(link)
            self.spaces[nir].active = True
        else:
            assert outcome is ActivationOutcome.EXPIRED
            del self.spaces[nir]  # the registration is purged: start again
        assert self.new_mails() == []

    @rule(who=st.sampled_from([*PEOPLE, STRANGER]), right=st.booleans())
    def sign_in(self, who: Person, right: bool) -> None:
        nir = who.nir
        space = self.spaces.get(nir)
        password = space.password if right and space is not None else WRONG_PASSWORD
        now = self.clock.now()
        with self.services.store.read() as tx:
            before = tx.failure_state(nir)
        state = effective_failure_state(before, now)
        blocked = blocked_until(state, now) is not None

        result = self.services.sign_in.sign_in(nir, password)

        with self.services.store.read() as tx:
            after = tx.failure_state(nir)
        if blocked:
            # A blocked NIR never signs in, and its attempts are neither verified nor counted.
            assert result.status is SignInStatus.BLOCKED
            assert after == before
        elif space is not None and password == space.password:
            if space.active:
                assert result.status is SignInStatus.SIGNED_IN
                assert result.session is not None and result.session.nir == nir
                assert after.failures == 0 and after.blocked_until is None
            else:
                assert result.status is SignInStatus.NOT_ACTIVATED
        elif state.failures + 1 < MAX_FAILURES:
            assert result.status is SignInStatus.FAILED
            assert result.attempts_left == MAX_FAILURES - state.failures - 1
            assert after.failures == state.failures + 1
        else:
            assert result.status is SignInStatus.BLOCKED and result.attempts_left == 0
            assert result.blocked_until is not None and result.blocked_until > now
            assert after.blocks == state.blocks + 1
        if result.status is SignInStatus.SIGNED_IN:
            assert not blocked and space is not None and space.active
            assert password == space.password
        assert self.new_mails() == []

    @rule(who=st.sampled_from([*PEOPLE, STRANGER]))
    def request_reset(self, who: Person) -> None:
        nir = who.nir
        now = self.clock.now()
        space = self.spaces.get(nir)
        self.services.recovery.request_reset(nir)
        mails = self.new_mails()
        recent = (
            [] if space is None else [t for t in space.reset_mails if t >= now - timedelta(hours=1)]
        )
        if space is not None and space.active and len(recent) < 3:
            assert [(n, k) for n, k, _ in mails] == [(nir, "reset")], mails
            space.reset_link, space.reset_issued = mails[0][2], now
            space.reset_mails.append(now)
            self.reset_links.append(space.reset_link)
        else:
            assert mails == []  # the same answer on screen, nothing sent

    @precondition(lambda self: bool(self.reset_links))
    @rule(data=st.data(), password=st.sampled_from(PASSWORDS))
    def reset_password(self, data: st.DataObject, password: str) -> None:
        link = data.draw(st.sampled_from(self.reset_links), label="lien")
        now = self.clock.now()
        nir = self.owner(link)
        space = None if nir is None else self.spaces[nir]
        try:
            outcome = self.services.recovery.reset_password(link, password, password)
        except ValidationFailed:
            # Refused only when the link would work and the password is the current one.
            assert space is not None and password == space.password
            assert link not in self.used_links and now < space.reset_issued + RESET_VALIDITY
            assert self.new_mails() == []
            return
        mails = self.new_mails()
        if link in self.used_links:
            assert outcome is ResetOutcome.ALREADY_USED
        elif nir is None:
            assert outcome is ResetOutcome.UNKNOWN  # replaced by a newer link
        elif now < self.spaces[nir].reset_issued + RESET_VALIDITY:
            assert outcome is ResetOutcome.DONE
            self.used_links.add(link)
            self.spaces[nir].password = password
            assert [(n, k) for n, k, _ in mails] == [(nir, "password-changed")]
            with self.services.store.read() as tx:
                state = tx.failure_state(nir)
            assert state.failures == 0 and blocked_until(state, now) is None
            return
        else:
            assert outcome is ResetOutcome.EXPIRED
        assert mails == []

    @rule(step=st.sampled_from(STEPS))
    def advance_clock(self, step: timedelta) -> None:
        self.clock.advance(step)

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def spaces_are_those_of_the_model(self) -> None:
        conn = connect(self.db)
        try:
            rows = conn.execute("SELECT nir, status FROM accounts").fetchall()
        finally:
            conn.close()
        nirs = [row["nir"] for row in rows]
        assert len(nirs) == len(set(nirs)), "two spaces for one NIR"
        assert {row["nir"]: row["status"] == "active" for row in rows} == {
            nir: space.active for nir, space in self.spaces.items()
        }

    @invariant()
    def check_log_only_grows(self) -> None:
        conn = connect(self.db)
        try:
            events = [tuple(row) for row in conn.execute(
                "SELECT id, at, kind, nir, detail FROM events ORDER BY id")]
        finally:
            conn.close()
        assert events[: len(self.events)] == self.events, "the event log changed"
        assert len(events) >= len(self.events)
        self.events = events

    @invariant()
    def data_stay_consistent(self) -> None:
        assert consistency_problems(self.db) == []


TestStatefulServices = StatefulServices.TestCase
TestStatefulServices.settings = settings(
    max_examples=500 if _FUZZ else 20,
    stateful_step_count=50 if _FUZZ else 30,
    deadline=None,
    # Each example opens a real database file: slow and "large" by Hypothesis' measures.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)
