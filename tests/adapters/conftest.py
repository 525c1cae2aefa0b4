"""Fixtures of the adapter tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend

from tests.support.keyrings import HangingKeyring


@pytest.fixture
def use_keyring() -> Iterator[Callable[[KeyringBackend], None]]:
    """Installs a backend for the test; the previous one is restored afterwards, and any
    hanging backend is released so its thread ends."""
    previous = keyring.get_keyring()
    installed: list[KeyringBackend] = []

    def install(backend: KeyringBackend) -> None:
        installed.append(backend)
        keyring.set_keyring(backend)

    yield install
    keyring.set_keyring(previous)
    for backend in installed:
        if isinstance(backend, HangingKeyring):
            backend.release.set()
