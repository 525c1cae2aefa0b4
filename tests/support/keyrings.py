"""Keyring backends installed in the test process (``keyring.set_keyring``, the ``use_keyring``
fixture of ``tests/adapters/conftest.py``): one that works in memory, one that raises, one that
hangs, one that silently keeps nothing.

The behaviours are plain classes (``BrokenCalls``, ``HangingCalls``) so that
:mod:`tests.support.keyrings_by_name` gives the same behaviours to started programs.
"""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringError

#: What a keyring whose D-Bus service is not running says.
_UNAVAILABLE = "D-Bus: the secret service is not running"


class BrokenCalls:
    """Every call fails, as a keyring whose D-Bus service is not running."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError(_UNAVAILABLE)

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError(_UNAVAILABLE)

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError(_UNAVAILABLE)


class HangingCalls:
    """Every call blocks until ``release`` is set, as an unlock prompt nobody answers;
    ``calls`` counts the reads and writes that started."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.calls = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        self.release.wait()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        self.release.wait()

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait()


class InstalledByTestsKeyring(KeyringBackend):
    """keyring registers every backend class for its automatic choice: a priority that
    raises keeps these out of it, so they are used only where a test installs them."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("a test backend is never chosen automatically")

    def get_password(self, service: str, username: str) -> str | None:
        raise NotImplementedError

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError

    def delete_password(self, service: str, username: str) -> None:
        raise NotImplementedError


class MemoryKeyring(InstalledByTestsKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


class BrokenKeyring(BrokenCalls, InstalledByTestsKeyring):
    """See :class:`BrokenCalls`."""


class HangingKeyring(HangingCalls, InstalledByTestsKeyring):
    """See :class:`HangingCalls`; the ``use_keyring`` fixture releases it after the test."""


class ForgetfulKeyring(InstalledByTestsKeyring):
    """Accepts secrets and keeps none (like keyring's null backend)."""

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        return None

    def delete_password(self, service: str, username: str) -> None:
        return None
