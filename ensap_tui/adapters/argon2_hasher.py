"""argon2id password hashing, peppered with the database's secret."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from argon2 import PasswordHasher

_T = TypeVar("_T")

#: How much lower than its caller an argon2 computation runs (Linux nice increment).
BACKGROUND_NICENESS = 10


def in_background(work: Callable[[], _T]) -> _T:
    """Runs ``work`` (one argon2 computation) and returns its result, on Linux in a thread of
    lower CPU priority whose niceness argon2's own threads inherit: with 4 lanes it would
    otherwise take every core of a small help-desk machine from the screen for its whole
    duration. It still gets every idle cycle, so it is no slower when nothing else runs.
    Elsewhere (where niceness is per process) it simply runs ``work``."""
    if not sys.platform.startswith("linux"):
        return work()
    outcome: dict[str, Any] = {}

    def run() -> None:
        with contextlib.suppress(OSError):
            os.nice(BACKGROUND_NICENESS)  # this thread only, on Linux; lowering is always allowed
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=run, name="ensap-tui-argon2", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return cast(_T, outcome["value"])


class PepperedArgon2Hasher:
    """Implements :class:`~ensap_tui.services.ports.Hasher`.

    The argon2id input is ``base64(HMAC-SHA-256(secret, password as UTF-8))``: a stolen
    database without its secret gives nothing to brute-force, and the fixed-length input
    sidesteps argon2's handling of very long passwords. Defaults are RFC 9106's low-memory
    profile (t=3, 64 MiB, p=4), the ``PasswordHasher`` defaults.
    """

    def __init__(
        self,
        secret: bytes,
        time_cost: int = 3,
        memory_cost: int = 65536,
        parallelism: int = 4,
    ) -> None:
        if not secret:
            raise ValueError("the pepper secret must not be empty")
        self._secret = bytes(secret)
        self._parameters = (time_cost, memory_cost, parallelism)
        self._argon2: PasswordHasher | None = None
        self._argon2_lock = threading.Lock()
        self._dummy_hash: str | None = None
        self._dummy_lock = threading.Lock()

    @property
    def _hasher(self) -> PasswordHasher:
        """argon2-cffi's hasher, made on first use: the start-up does not load argon2."""
        with self._argon2_lock:
            if self._argon2 is None:
                from argon2 import PasswordHasher, Type

                time_cost, memory_cost, parallelism = self._parameters
                self._argon2 = PasswordHasher(
                    time_cost=time_cost,
                    memory_cost=memory_cost,
                    parallelism=parallelism,
                    hash_len=32,
                    salt_len=16,
                    type=Type.ID,
                )
            return self._argon2

    def _peppered(self, password: str) -> str:
        # surrogatepass: a stray surrogate must hash deterministically, not raise.
        data = password.encode("utf-8", "surrogatepass")
        digest = hmac.new(self._secret, data, hashlib.sha256).digest()
        return base64.b64encode(digest).decode("ascii")

    def hash(self, password: str) -> str:
        """The encoded argon2id hash of the peppered password."""
        peppered = self._peppered(password)
        return in_background(lambda: self._hasher.hash(peppered))

    def verify(self, encoded: str, password: str) -> bool:
        """True on a match; False on a mismatch or an unreadable hash (never raises)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            peppered = self._peppered(password)
            return in_background(lambda: self._hasher.verify(encoded, peppered))
        except (VerificationError, InvalidHashError, ValueError, TypeError):
            return False

    def needs_rehash(self, encoded: str) -> bool:
        """True when ``encoded`` was not made with the current parameters (or is unreadable)."""
        from argon2.exceptions import InvalidHashError

        try:
            return self._hasher.check_needs_rehash(encoded)
        except (InvalidHashError, ValueError, TypeError):
            return True

    def dummy_verify(self, password: str) -> None:
        """One verification against a hash made once with the current parameters, so that an
        unknown identifier costs as much as a known one. The first call makes that hash
        instead of verifying: one argon2 computation either way, so it costs no more."""
        with self._dummy_lock:
            if self._dummy_hash is None:
                self._dummy_hash = self.hash(secrets.token_urlsafe(32))
                return
            dummy = self._dummy_hash
        self.verify(dummy, password)
