"""Password recovery: one answer for all, 3 mails an hour, 30-minute single-use links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo
from ensap_tui.services.container import Services
from ensap_tui.services.errors import ValidationFailed
from ensap_tui.services.models import ResetOutcome, SignInStatus
from tests.support.accounts import active_person, events, last_link, mails, open_session, register
from tests.support.people import (
    BIRTH_DATE,
    NEW_PASSWORD,
    NIR,
    PASSWORD,
    UNKNOWN_NIR,
    WRONG_PASSWORD,
)

T0 = datetime(2026, 11, 26, 13, 2, tzinfo=UTC)


@pytest.fixture
def active(services: Services) -> Services:
    active_person(services)
    return services


@pytest.fixture
def reset_link(active: Services) -> str:
    assert active.recovery.request_reset(NIR) is None
    return last_link(active, "reset")


def test_reset_mail_for_an_active_account(active: Services, reset_link: str) -> None:
    mail = mails(active)[0]
    assert mail.kind == "reset"
    assert mail.recipient == "jean.dupont@example.fr"
    assert reset_link.startswith("ensap-tui://reinitialiser/")
    assert reset_link in mail.body
    assert "valable 30 minutes, jusqu'au 26/11/2026 à 14:32" in mail.body
    assert events(active, NIR)[0].kind == "reset-requested"


@pytest.mark.parametrize("pending", [False, True])
def test_no_mail_and_the_same_answer_without_an_active_account(
    services: Services, pending: bool
) -> None:
    if pending:
        register(services)
    before = len(mails(services))
    assert services.recovery.request_reset(NIR if pending else UNKNOWN_NIR) is None
    assert len(mails(services)) == before


def test_malformed_nir_is_a_field_error(services: Services) -> None:
    with pytest.raises(FieldError) as caught:
        services.recovery.request_reset("12345")
    assert caught.value.field == "identifiant"


def test_at_most_three_reset_mails_per_hour(active: Services, clock: FixedClock) -> None:
    for _ in range(5):
        active.recovery.request_reset(NIR)
        clock.advance(timedelta(minutes=5))
    assert sum(m.kind == "reset" for m in mails(active)) == 3
    assert "reset-refused" in [e.kind for e in events(active, NIR)]
    # A sliding hour: once the first mail is more than an hour old, one more may go out.
    clock.set(T0 + timedelta(hours=1, seconds=1))
    active.recovery.request_reset(NIR)
    active.recovery.request_reset(NIR)
    assert sum(m.kind == "reset" for m in mails(active)) == 4


def test_a_new_reset_link_revokes_the_older_one(active: Services, reset_link: str) -> None:
    active.recovery.request_reset(NIR)
    newer = last_link(active, "reset")
    assert newer != reset_link
    assert active.recovery.reset_password(reset_link, NEW_PASSWORD, NEW_PASSWORD) is (
        ResetOutcome.UNKNOWN
    )
    assert active.recovery.reset_password(newer, NEW_PASSWORD, NEW_PASSWORD) is ResetOutcome.DONE


def test_personal_for_reset_gives_the_account_data(active: Services, reset_link: str) -> None:
    personal = active.recovery.personal_for_reset(reset_link)
    assert isinstance(personal, PersonalInfo)
    assert personal.nir == NIR
    assert personal.birth_name.upper() == "DUPONT"
    assert personal.birth_date == BIRTH_DATE
    assert personal.email == "jean.dupont@example.fr"


def test_reset_link_valid_30_minutes(
    active: Services, clock: FixedClock, reset_link: str
) -> None:
    clock.advance(timedelta(minutes=29, seconds=59))
    assert isinstance(active.recovery.personal_for_reset(reset_link), PersonalInfo)
    clock.advance(timedelta(seconds=1))
    assert active.recovery.personal_for_reset(reset_link) is ResetOutcome.EXPIRED
    assert active.recovery.reset_password(reset_link, NEW_PASSWORD, NEW_PASSWORD) is (
        ResetOutcome.EXPIRED
    )
    open_session(active, PASSWORD)


def test_reset_sets_the_password_once(active: Services, reset_link: str) -> None:
    assert active.recovery.reset_password(reset_link, NEW_PASSWORD, NEW_PASSWORD) is (
        ResetOutcome.DONE
    )
    assert active.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.FAILED
    open_session(active, NEW_PASSWORD)
    assert active.recovery.reset_password(reset_link, "Encore#Autre42", "Encore#Autre42") is (
        ResetOutcome.ALREADY_USED
    )
    assert active.recovery.personal_for_reset(reset_link) is ResetOutcome.ALREADY_USED
    open_session(active, NEW_PASSWORD)
    notice = mails(active)[0]
    assert notice.kind == "password-changed"
    assert notice.subject.startswith("Votre mot de passe a été modifié")
    assert notice.link == ""
    assert "password-reset" in [e.kind for e in events(active, NIR)]


def test_reset_unblocks_and_stays_available_while_blocked(
    active: Services, clock: FixedClock
) -> None:
    for _ in range(3):
        result = active.sign_in.sign_in(NIR, WRONG_PASSWORD)
    assert result.status is SignInStatus.BLOCKED
    clock.advance(timedelta(minutes=1))
    active.recovery.request_reset(NIR)
    link = last_link(active, "reset")
    assert active.recovery.reset_password(link, NEW_PASSWORD, NEW_PASSWORD) is ResetOutcome.DONE
    open_session(active, NEW_PASSWORD)
    # The block level restarted too: the next block is 15 minutes again.
    for _ in range(3):
        result = active.sign_in.sign_in(NIR, WRONG_PASSWORD)
    assert result.blocked_until == clock.now() + timedelta(minutes=15)


@pytest.mark.parametrize(
    ("password", "confirmation", "expected"),
    [
        ("court", "court", ["mot-de-passe"]),
        ("Dupont!Paris99", "Dupont!Paris99", ["mot-de-passe"]),  # the birth name
        ("Jean.Dupont!9x", "Jean.Dupont!9x", ["mot-de-passe"]),  # the e-mail address
        ("Mer#140519857", "Mer#140519857", ["mot-de-passe"]),  # the birth date
        (NEW_PASSWORD, "autre", ["confirmation-mot-de-passe"]),
    ],
)
def test_reset_refuses_an_unacceptable_password_and_keeps_the_link(
    active: Services, reset_link: str, password: str, confirmation: str, expected: list[str]
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        active.recovery.reset_password(reset_link, password, confirmation)
    assert [e.field for e in caught.value.errors] == expected
    assert active.recovery.reset_password(reset_link, NEW_PASSWORD, NEW_PASSWORD) is (
        ResetOutcome.DONE
    )


def test_reset_link_fields(active: Services, reset_link: str) -> None:
    with pytest.raises(FieldError) as caught:
        active.recovery.reset_password("n'importe quoi", NEW_PASSWORD, NEW_PASSWORD)
    assert caught.value.field == "lien"
    activation = last_link(active, "activation").rsplit("/", 1)[1]
    assert active.recovery.personal_for_reset(activation) is ResetOutcome.UNKNOWN


def test_a_reset_link_refuses_the_current_password(active: Services, reset_link: str) -> None:
    """Issue 11, point 8: the same rule as «Modifier mon mot de passe»."""
    with pytest.raises(ValidationFailed) as caught:
        active.recovery.reset_password(reset_link, PASSWORD, PASSWORD)
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("mot-de-passe", "Le nouveau mot de passe doit être différent du mot de passe actuel.")
    ]
    # The link still works for another password.
    assert active.recovery.reset_password(reset_link, NEW_PASSWORD, NEW_PASSWORD) is (
        ResetOutcome.DONE
    )
