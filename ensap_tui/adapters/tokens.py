"""One-time token sources."""

from __future__ import annotations

import itertools
import re
import secrets
import threading

_URL_SAFE = re.compile(r"[A-Za-z0-9_-]*")


class SecretsTokenSource:
    """Real tokens: 32 random bytes (256 bits) from :mod:`secrets`, URL-safe base64."""

    def new_token(self) -> str:
        return secrets.token_urlsafe(32)


class SequenceTokenSource:
    """Predictable tokens FOR TESTS ONLY: ``jetontest000000000001``, ``jetontest000000000002``…

    Never wire this into the application from an environment variable or a command-line
    option: anyone could guess the links. Tokens are URL-safe and at least 20 characters long.
    """

    def __init__(self, prefix: str = "jetontest") -> None:
        if not _URL_SAFE.fullmatch(prefix):
            raise ValueError("the prefix must use URL-safe characters only")
        self._prefix = prefix
        self._width = max(12, 20 - len(prefix))
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def new_token(self) -> str:
        with self._lock:
            n = next(self._counter)
        return f"{self._prefix}{n:0{self._width}d}"
