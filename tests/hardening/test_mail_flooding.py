"""Issue 10, finding 11: registering a NIR that has a space again and again does not flood the
address on file; the receipt on screen stays the same, so nothing is revealed."""

from __future__ import annotations

from datetime import timedelta

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.services import events, mail_texts
from ensap_tui.services.container import Services
from tests.support.accounts import active_person, mails, register
from tests.support.people import NIR, REQUEST, request

#: Someone else typing the NIR of an existing space, with their own address.
INTRUDER = request(email="autre@example.org", email_confirmation="autre@example.org")


def notices(services: Services) -> list[str]:
    return [m.recipient for m in mails(services) if m.kind == mail_texts.NOTICE]


def test_at_most_three_registration_notices_an_hour(
        services: Services, clock: FixedClock) -> None:
    active_person(services)
    receipts = [register(services, INTRUDER) for _ in range(50)]
    assert notices(services) == [REQUEST.email] * 3
    # The receipt is the one a new registration gets: the typed address, now + 24 hours.
    assert {(r.email, r.valid_until) for r in receipts} == {
        ("autre@example.org", clock.now() + timedelta(hours=24))
    }
    duplicates = [e for e in services.assistance.journal(NIR)
                  if e.kind == events.REGISTRATION_DUPLICATE]
    assert len(duplicates) == 50
    assert sum("limite de 3 courriels par heure" in e.detail for e in duplicates) == 47
    # Over an hour later the address on file hears about it again.
    clock.advance(timedelta(hours=1, seconds=1))
    register(services, INTRUDER)
    assert len(notices(services)) == 4


def test_a_pending_space_is_limited_the_same_way(services: Services) -> None:
    register(services)
    for _ in range(10):
        register(services, INTRUDER)
    assert len(notices(services)) == 3
