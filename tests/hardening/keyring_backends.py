"""Keyring backends for programs started by the hardening tests, chosen there with
``PYTHON_KEYRING_BACKEND=tests.hardening.keyring_backends.<Class>``.

Never imported by the test process itself: keyring registers every backend class it sees for its
automatic choice, and these must only ever be used where a test asks for them.
"""

from __future__ import annotations

import time

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringError


class _ChosenByEnvironment(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        return 0.5  # viable when named, never preferred to a real backend


class BrokenKeyring(_ChosenByEnvironment):
    """Every call fails, as a keyring whose D-Bus service is not running."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("D-Bus: the secret service is not running")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("D-Bus: the secret service is not running")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("D-Bus: the secret service is not running")


class HangingKeyring(_ChosenByEnvironment):
    """Every call blocks for an hour, as an unlock prompt nobody answers."""

    def get_password(self, service: str, username: str) -> str | None:
        time.sleep(3600)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        time.sleep(3600)

    def delete_password(self, service: str, username: str) -> None:
        time.sleep(3600)
