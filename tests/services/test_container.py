"""The services of one database: each made once, on first use, and shared by every thread."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from ensap_tui.services.assistance import AssistanceService
from ensap_tui.services.container import Services
from tests.support.people import NIR, REQUEST

NAMES = ("registration", "activation", "sign_in", "recovery", "account", "mailbox", "agents",
         "assistance", "demo", "room")


def test_each_service_is_made_once_and_works_on_the_shared_store(services: Services) -> None:
    made = {name: getattr(services, name) for name in NAMES}
    for name in NAMES:
        assert getattr(services, name) is made[name], name
    receipt = services.registration.register(REQUEST)
    # What one service wrote, the others read through the same store.
    assert services.mailbox.messages(limit=1)[0].recipient == receipt.email
    assert [s.account.nir for s in services.assistance.search(REQUEST.nir)] == [NIR]


def test_threads_asking_for_a_service_at_once_all_get_the_same_one(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow constructor widens the moment two threads could both make the service.
    made = AssistanceService.__init__

    def slowly(self: AssistanceService, *args: Any) -> None:
        time.sleep(0.05)
        made(self, *args)

    monkeypatch.setattr(AssistanceService, "__init__", slowly)
    start = threading.Barrier(8)
    assistance: list[object] = []
    demo: list[object] = []

    def ask() -> None:
        start.wait()
        assistance.append(services.assistance)
        demo.append(services.demo)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(assistance) == len(demo) == 8
    assert len({id(service) for service in assistance}) == 1
    assert len({id(service) for service in demo}) == 1
