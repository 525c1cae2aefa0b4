"""The peppered argon2id hasher, with cheap but real argon2."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

from ensap_tui.adapters.argon2_hasher import PepperedArgon2Hasher

SECRET = bytes(range(32))
OTHER_SECRET = bytes(range(1, 33))
PASSWORD = "Été-2026 sûr !"


def cheap(secret: bytes = SECRET, time_cost: int = 1) -> PepperedArgon2Hasher:
    return PepperedArgon2Hasher(secret, time_cost=time_cost, memory_cost=8, parallelism=1)


def test_hash_then_verify() -> None:
    hasher = cheap()
    encoded = hasher.hash(PASSWORD)
    assert encoded.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert hasher.verify(encoded, PASSWORD)
    assert hasher.hash(PASSWORD) != encoded  # a fresh salt each time


@pytest.mark.parametrize("wrong", ["été-2026 sûr !", "Été-2026 sûr  !", "", PASSWORD + " "])
def test_a_different_password_does_not_match(wrong: str) -> None:
    hasher = cheap()
    assert not hasher.verify(hasher.hash(PASSWORD), wrong)


@pytest.mark.parametrize("encoded", ["", "pas un hash", "$argon2id$v=19$m=8,t=1,p=1$xx$yy",
                                     "$2b$12$abcdefghijklmnopqrstuu"])
def test_an_unreadable_hash_is_a_mismatch_not_an_error(encoded: str) -> None:
    assert cheap().verify(encoded, PASSWORD) is False


def test_the_pepper_applies() -> None:
    encoded = cheap(SECRET).hash(PASSWORD)
    assert not cheap(OTHER_SECRET).verify(encoded, PASSWORD)
    # The stored hash is not a plain argon2 hash of the password.
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(encoded, PASSWORD)


def test_needs_rehash_follows_the_parameters() -> None:
    weak = cheap(time_cost=1).hash(PASSWORD)
    assert cheap(time_cost=1).needs_rehash(weak) is False
    assert cheap(time_cost=2).needs_rehash(weak) is True
    assert cheap().needs_rehash("pas un hash") is True


def test_default_parameters_are_rfc_9106_low_memory() -> None:
    encoded = PepperedArgon2Hasher(SECRET).hash(PASSWORD)
    assert encoded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_dummy_verify_runs_and_never_raises() -> None:
    hasher = cheap()
    assert hasher.dummy_verify(PASSWORD) is None  # type: ignore[func-returns-value]
    assert hasher.dummy_verify("") is None  # type: ignore[func-returns-value]


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        PepperedArgon2Hasher(b"")
