"""Activation: 24 hours to the second, single use, newest link only, expired ones purged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.domain.errors import FieldError
from ensap_tui.services.container import Services
from ensap_tui.services.models import AccountStatus, ActivationOutcome
from tests.support.accounts import account, active_person, events, last_link, mails, register
from tests.support.people import NIR, OTHER_NIR, OTHER_REQUEST, UNKNOWN_NIR


@pytest.fixture
def link(services: Services) -> str:
    register(services)
    return last_link(services, "activation")


def test_link_activates_the_pending_account(services: Services, link: str) -> None:
    assert services.activation.activate(link) is ActivationOutcome.ACTIVATED
    activated = account(services)
    assert activated is not None
    assert activated.status is AccountStatus.ACTIVE
    assert "account-activated" in [e.kind for e in events(services, NIR)]


def test_link_still_valid_one_second_before_24_hours(
    services: Services, clock: FixedClock, link: str
) -> None:
    clock.advance(timedelta(hours=23, minutes=59, seconds=59))
    assert services.activation.activate(link) is ActivationOutcome.ACTIVATED


def test_link_refused_at_exactly_24_hours_and_registration_purged(
    services: Services, clock: FixedClock, link: str
) -> None:
    clock.advance(timedelta(hours=24))
    assert services.activation.activate(link) is ActivationOutcome.EXPIRED
    assert account(services) is None
    assert "registration-purged" in [e.kind for e in events(services, NIR)]

    # The procedure can be restarted at once.
    register(services)
    fresh = last_link(services, "activation")
    assert fresh != link
    assert services.activation.activate(fresh) is ActivationOutcome.ACTIVATED


def test_replay_is_refused(services: Services, link: str) -> None:
    assert services.activation.activate(link) is ActivationOutcome.ACTIVATED
    assert services.activation.activate(link) is ActivationOutcome.ALREADY_USED
    assert services.activation.activate(link) is ActivationOutcome.ALREADY_USED


def test_a_second_link_revokes_the_first(services: Services, link: str) -> None:
    assert services.activation.resend_activation(NIR, actor="agent-test") is True
    second = last_link(services, "activation")
    assert second != link
    assert [m.kind for m in mails(services)] == ["activation", "activation"]

    assert services.activation.activate(link) is ActivationOutcome.UNKNOWN
    pending = account(services)
    assert pending is not None and pending.status is AccountStatus.PENDING
    assert services.activation.activate(second) is ActivationOutcome.ACTIVATED
    sent = [e for e in events(services, NIR) if e.kind == "activation-sent"]
    assert [e.actor for e in sent] == ["agent-test"]


def test_a_resent_link_runs_24_hours_from_its_own_issue(
    services: Services, clock: FixedClock, link: str
) -> None:
    clock.advance(timedelta(hours=20))
    services.activation.resend_activation(NIR)
    clock.advance(timedelta(hours=23, minutes=59, seconds=59))
    assert services.activation.activate(last_link(services, "activation")) is (
        ActivationOutcome.ACTIVATED
    )


def test_resend_only_for_a_pending_account(services: Services) -> None:
    assert services.activation.resend_activation(UNKNOWN_NIR) is False
    active_person(services)
    assert services.activation.resend_activation(NIR) is False
    assert [m.kind for m in mails(services)] == ["activation"]


@pytest.mark.parametrize("decorate", [
    lambda link: link.removeprefix("ensap-tui://activer/"),
    lambda link: f"  {link}\n",
    lambda link: f"\n {link.removeprefix('ensap-tui://activer/')} \r\n",
])
def test_whole_link_or_bare_token_with_stray_spaces(
    services: Services, link: str, decorate: object
) -> None:
    text = decorate(link)  # type: ignore[operator]
    assert services.activation.activate(text) is ActivationOutcome.ACTIVATED


@pytest.mark.parametrize("text", ["", "   ", "https://ensap.gouv.fr/activer/abc", "abc def<>"])
def test_malformed_input_is_a_field_error_on_lien(services: Services, text: str) -> None:
    with pytest.raises(FieldError) as caught:
        services.activation.activate(text)
    assert caught.value.field == "lien"


def test_unknown_token_is_unknown(services: Services, link: str) -> None:
    assert services.activation.activate("ensap-tui://activer/" + "A" * 43) is (
        ActivationOutcome.UNKNOWN
    )
    pending = account(services)
    assert pending is not None and pending.status is AccountStatus.PENDING


def test_a_reset_token_does_not_activate(services: Services) -> None:
    active_person(services)
    register(services, OTHER_REQUEST)
    services.recovery.request_reset(NIR)
    reset_token = last_link(services, "reset").rsplit("/", 1)[1]
    assert services.activation.activate(reset_token) is ActivationOutcome.UNKNOWN
    other = account(services, OTHER_NIR)
    assert other is not None and other.status is AccountStatus.PENDING
