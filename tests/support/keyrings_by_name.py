"""Keyring backends for programs started by the tests, chosen there with
``PYTHON_KEYRING_BACKEND=tests.support.keyrings_by_name.<Class>`` (the prefix is
``tests.support.programs.KEYRINGS_BY_NAME``).

Never imported by the test process itself: keyring registers every backend class it sees for its
automatic choice, and these have a usable priority (keyring checks it when a backend is named),
so in the test process they could be chosen where no test asked for them. The behaviours come
from :mod:`tests.support.keyrings`.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.compat import properties

from tests.support.keyrings import BrokenCalls, HangingCalls


class _ChosenByEnvironment(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        return 0.5  # viable when named, never preferred to a real backend


class BrokenKeyring(BrokenCalls, _ChosenByEnvironment):
    """See :class:`~tests.support.keyrings.BrokenCalls`."""


class HangingKeyring(HangingCalls, _ChosenByEnvironment):
    """See :class:`~tests.support.keyrings.HangingCalls`; nothing releases it in a started
    program, which the test ends."""
