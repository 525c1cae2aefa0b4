"""Sign-in: the one failure answer, blocks of 15, 30 then 60 minutes, and what resets them."""

from __future__ import annotations

import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from ensap_tui.adapters.argon2_hasher import PepperedArgon2Hasher
from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.domain.errors import FieldError
from ensap_tui.services.container import Services
from ensap_tui.services.models import SignInResult, SignInStatus
from ensap_tui.services.signin import SignInService
from tests.support.accounts import account, active_person, events, open_session, register
from tests.support.people import NIR, PASSWORD, UNKNOWN_NIR, WRONG_PASSWORD, request

T0 = datetime(2026, 11, 26, 13, 2, tzinfo=UTC)


@pytest.fixture
def active(services: Services) -> Services:
    active_person(services)
    return services


def fail(services: Services, nir: str = NIR) -> SignInResult:
    return services.sign_in.sign_in(nir, WRONG_PASSWORD)


def block(services: Services, nir: str = NIR) -> SignInResult:
    """Three failures in a row; returns the answer to the third."""
    assert fail(services, nir).status is SignInStatus.FAILED
    assert fail(services, nir).status is SignInStatus.FAILED
    return fail(services, nir)


def test_right_password_signs_in_with_a_session(active: Services, clock: FixedClock) -> None:
    result = active.sign_in.sign_in("1 85 05 75 115 123 64", PASSWORD)
    assert result.status is SignInStatus.SIGNED_IN
    assert result.session is not None
    assert result.session.nir == NIR
    assert result.session.birth_name.upper() == "DUPONT"
    assert result.session.signed_in_at == T0
    assert result.session.previous_sign_in_at is None

    clock.advance(timedelta(days=2))
    again = open_session(active)
    assert again.previous_sign_in_at == T0
    stored = account(active)
    assert stored is not None and stored.last_sign_in_at == T0 + timedelta(days=2)
    assert [e.kind for e in events(active, NIR)][:2] == ["sign-in", "sign-in"]


def test_failures_count_down_then_block_for_15_minutes(active: Services, clock: FixedClock) -> None:
    first = fail(active)
    assert (first.status, first.attempts_left) == (SignInStatus.FAILED, 2)
    assert first.session is None and first.blocked_until is None
    second = fail(active)
    assert (second.status, second.attempts_left) == (SignInStatus.FAILED, 1)
    third = fail(active)
    assert third.status is SignInStatus.BLOCKED
    assert third.blocked_until == T0 + timedelta(minutes=15)
    # During the block even the right password is refused, with the same end time.
    during = active.sign_in.sign_in(NIR, PASSWORD)
    assert during.status is SignInStatus.BLOCKED
    assert during.blocked_until == T0 + timedelta(minutes=15)
    assert "sign-in-blocked" in [e.kind for e in events(active, NIR)]


def test_block_ends_exactly_on_time(active: Services, clock: FixedClock) -> None:
    block(active)
    clock.advance(timedelta(minutes=15) - timedelta(seconds=1))
    assert active.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.BLOCKED
    clock.advance(timedelta(seconds=1))
    assert active.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.SIGNED_IN


def test_attempts_during_a_block_are_neither_verified_nor_counted(
    active: Services, clock: FixedClock
) -> None:
    block(active)
    for _ in range(5):
        clock.advance(timedelta(minutes=1))
        assert fail(active).status is SignInStatus.BLOCKED
    failed_events = [e for e in events(active, NIR) if e.kind == "sign-in-failed"]
    assert len(failed_events) == 3
    clock.set(T0 + timedelta(minutes=15))
    # The count restarted with the block: two more failures are not enough for a new one.
    assert fail(active).attempts_left == 2
    assert fail(active).attempts_left == 1


def test_blocks_grow_15_30_60_and_never_more(active: Services, clock: FixedClock) -> None:
    lengths = []
    for _ in range(5):
        start = clock.now()
        result = block(active)
        assert result.status is SignInStatus.BLOCKED
        assert result.blocked_until is not None
        lengths.append(result.blocked_until - start)
        clock.set(result.blocked_until)
    minutes = [int(length.total_seconds() // 60) for length in lengths]
    assert minutes == [15, 30, 60, 60, 60]


def test_success_restarts_the_count_and_the_block_level(
    active: Services, clock: FixedClock
) -> None:
    first = block(active)
    assert first.blocked_until is not None
    clock.set(first.blocked_until)
    open_session(active)
    assert fail(active).attempts_left == 2
    assert fail(active).attempts_left == 1
    third = fail(active)
    assert third.blocked_until == clock.now() + timedelta(minutes=15)


def test_twelve_hours_without_failure_restart_the_count(
    active: Services, clock: FixedClock
) -> None:
    fail(active)
    fail(active)
    clock.advance(timedelta(hours=12))
    assert fail(active).attempts_left == 2


def test_eleven_hours_without_failure_do_not(active: Services, clock: FixedClock) -> None:
    fail(active)
    fail(active)
    clock.advance(timedelta(hours=11, minutes=59))
    assert fail(active).status is SignInStatus.BLOCKED


def test_twelve_hours_without_failure_restart_the_block_level(
    active: Services, clock: FixedClock
) -> None:
    first = block(active)
    assert first.blocked_until == T0 + timedelta(minutes=15)
    clock.advance(timedelta(hours=12))
    again = block(active)
    assert again.blocked_until == clock.now() + timedelta(minutes=15)


def test_unknown_nir_gets_the_same_answers_and_blocks_the_same_way(
    active: Services, clock: FixedClock
) -> None:
    known = [fail(active) for _ in range(3)]
    unknown = [fail(active, UNKNOWN_NIR) for _ in range(3)]
    assert known == unknown
    assert unknown[-1].status is SignInStatus.BLOCKED
    assert active.sign_in.sign_in(UNKNOWN_NIR, PASSWORD).status is SignInStatus.BLOCKED
    clock.advance(timedelta(minutes=15))
    second = block(active, UNKNOWN_NIR)
    assert second.blocked_until == clock.now() + timedelta(minutes=30)


def test_wrong_password_for_a_pending_account_is_the_same_failure(services: Services) -> None:
    register(services)
    assert fail(services) == SignInResult(SignInStatus.FAILED, attempts_left=2)


def test_not_activated_only_with_the_right_password_and_not_counted(services: Services) -> None:
    register(services)
    assert fail(services).attempts_left == 2
    assert fail(services).attempts_left == 1
    result = services.sign_in.sign_in(NIR, PASSWORD)
    assert result == SignInResult(SignInStatus.NOT_ACTIVATED)
    assert services.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.NOT_ACTIVATED
    # The two failures still stand: the next one blocks.
    assert fail(services).status is SignInStatus.BLOCKED


FULL_WIDTH_NIR = "１８５０５７５１１５１２３６４"


@pytest.mark.parametrize("text", ["", "1850575115123", "185057511512365", FULL_WIDTH_NIR])
def test_malformed_nir_is_a_field_error_and_not_counted(active: Services, text: str) -> None:
    for _ in range(3):
        with pytest.raises(FieldError) as caught:
            active.sign_in.sign_in(text, WRONG_PASSWORD)
        assert caught.value.field == "identifiant"
    assert fail(active).attempts_left == 2


def test_password_is_compared_after_nfkc(services: Services) -> None:
    composed = "Clé#Forêt2026"
    assert unicodedata.is_normalized("NFC", composed)
    active_person(services, request(password=composed, password_confirmation=composed))
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    session = open_session(services, decomposed)
    assert session.nir == NIR


def test_sign_out_is_recorded(active: Services) -> None:
    session = open_session(active)
    active.sign_in.sign_out(session, reason="inactivité")
    latest = events(active, NIR)[0]
    assert (latest.kind, latest.detail) == ("sign-out", "inactivité")


def test_a_hash_with_old_parameters_is_upgraded_at_sign_in(
    active: Services, clock: FixedClock
) -> None:
    secret = b"s" * 32
    old = PepperedArgon2Hasher(secret, time_cost=1, memory_cost=8, parallelism=1)
    current = PepperedArgon2Hasher(secret, time_cost=2, memory_cost=16, parallelism=1)
    stored = account(active)
    assert stored is not None
    old_hash = old.hash(PASSWORD)
    assert current.needs_rehash(old_hash)
    with active.store.write() as tx:
        tx.set_password_hash(stored.id, old_hash)

    service = SignInService(active.store, current, clock)
    assert service.sign_in(NIR, PASSWORD).status is SignInStatus.SIGNED_IN

    upgraded = account(active)
    assert upgraded is not None
    assert upgraded.password_hash != old_hash
    assert not current.needs_rehash(upgraded.password_hash)
    assert current.verify(upgraded.password_hash, PASSWORD)


class CountingHasher(PepperedArgon2Hasher):
    """The real hasher, counting the verifications it runs."""

    def __init__(self) -> None:
        super().__init__(b"p" * 32, time_cost=1, memory_cost=8, parallelism=1)
        self.verified = 0
        self.dummies = 0

    def verify(self, encoded: str, password: str) -> bool:
        self.verified += 1
        return super().verify(encoded, password)

    def hash(self, password: str) -> str:
        # The first dummy makes its reference hash instead of verifying: one computation too.
        self.verified += 1
        return super().hash(password)

    def dummy_verify(self, password: str) -> None:
        self.dummies += 1
        super().dummy_verify(password)


def test_unknown_nir_costs_a_dummy_verification_and_a_block_costs_none(
    services: Services, clock: FixedClock
) -> None:
    hasher = CountingHasher()
    service = SignInService(services.store, hasher, clock)
    for _ in range(3):
        service.sign_in(UNKNOWN_NIR, WRONG_PASSWORD)
    # Each dummy runs one real argon2 verification (the adapter verifies against a fixed hash).
    assert (hasher.dummies, hasher.verified) == (3, 3)
    assert service.sign_in(UNKNOWN_NIR, WRONG_PASSWORD).status is SignInStatus.BLOCKED
    assert service.sign_in(UNKNOWN_NIR, PASSWORD).status is SignInStatus.BLOCKED
    assert (hasher.dummies, hasher.verified) == (3, 3)


class BarrierHasher(PepperedArgon2Hasher):
    """The real hasher, holding each verification until ``parties`` attempts reach it."""

    def __init__(self, parties: int) -> None:
        super().__init__(b"p" * 32, time_cost=1, memory_cost=8, parallelism=1)
        self.barrier = threading.Barrier(parties, timeout=30)

    def dummy_verify(self, password: str) -> None:
        self.barrier.wait()
        super().dummy_verify(password)


def test_simultaneous_failures_are_all_counted(services: Services, clock: FixedClock) -> None:
    # Both attempts read the counter before either writes: neither update may be lost.
    service = SignInService(services.store, BarrierHasher(2), clock)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: service.sign_in(UNKNOWN_NIR, WRONG_PASSWORD), range(2)))
    assert sorted(r.attempts_left or 0 for r in results) == [1, 2]
    assert fail(services, UNKNOWN_NIR).status is SignInStatus.BLOCKED
