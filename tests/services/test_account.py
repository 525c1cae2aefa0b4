"""The signed-in space: the account, a new password, new contact details."""

from __future__ import annotations

import pytest

from ensap_tui.services.container import Services
from ensap_tui.services.errors import NotSignedIn, ValidationFailed
from ensap_tui.services.models import Contacts, ContactsForm, ResetOutcome, Session, SignInStatus
from tests.support.accounts import account, active_person, events, last_link, mails, open_session
from tests.support.people import NEW_PASSWORD, NIR, PASSWORD


@pytest.fixture
def session(services: Services) -> Session:
    active_person(services)
    return open_session(services)


def test_account_of_the_session(services: Services, session: Session) -> None:
    found = services.account.account(session)
    assert found.nir == NIR
    assert found.contacts.email == "jean.dupont@example.fr"


def test_account_gone_means_not_signed_in(services: Services, session: Session) -> None:
    with services.store.write() as tx:
        tx.delete_account(session.account_id)
    with pytest.raises(NotSignedIn):
        services.account.account(session)
    with pytest.raises(NotSignedIn):
        services.account.change_contacts(
            session, ContactsForm("a.b@example.fr", "a.b@example.fr")
        )


def test_change_password(services: Services, session: Session) -> None:
    services.recovery.request_reset(NIR)
    reset_link = last_link(services, "reset")

    services.account.change_password(session, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)

    assert services.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.FAILED
    open_session(services, NEW_PASSWORD)
    # Every reset link dies with the change.
    assert services.recovery.personal_for_reset(reset_link) is ResetOutcome.UNKNOWN
    notice = mails(services)[0]
    assert notice.kind == "password-changed"
    assert notice.recipient == "jean.dupont@example.fr"
    assert "password-changed" in [e.kind for e in events(services, NIR)]


@pytest.mark.parametrize(
    ("current", "new", "confirmation", "expected"),
    [
        ("Faux#Actuel00", NEW_PASSWORD, NEW_PASSWORD, ["mot-de-passe-actuel"]),
        ("", NEW_PASSWORD, NEW_PASSWORD, ["mot-de-passe-actuel"]),
        (PASSWORD, "faible", "faible", ["mot-de-passe"]),
        (PASSWORD, NEW_PASSWORD, "", ["confirmation-mot-de-passe"]),
        (PASSWORD, PASSWORD, PASSWORD, ["mot-de-passe"]),  # the same as now
        ("Faux#Actuel00", "faible", "autre",
         ["mot-de-passe-actuel", "mot-de-passe", "confirmation-mot-de-passe"]),
    ],
)
def test_change_password_refusals(
    services: Services, session: Session, current: str, new: str, confirmation: str,
    expected: list[str],
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.account.change_password(session, current, new, confirmation)
    assert [e.field for e in caught.value.errors] == expected
    open_session(services, PASSWORD)  # unchanged


def test_change_contacts(services: Services, session: Session) -> None:
    contacts = services.account.change_contacts(session, ContactsForm(
        "nouvelle@example.fr", "Nouvelle@Example.fr", "secours@example.org",
        "secours@example.org", "06 15 14 78 79", "+689 87 12 34 56",
    ))
    assert contacts == Contacts(
        "nouvelle@example.fr", "secours@example.org", "+33615147879", "+68987123456"
    )
    stored = account(services)
    assert stored is not None and stored.contacts == contacts
    assert "contacts-changed" in [e.kind for e in events(services, NIR)]
    # Later mails go to the new address.
    services.recovery.request_reset(NIR)
    assert mails(services)[0].recipient == "nouvelle@example.fr"


def test_change_contacts_refusals(services: Services, session: Session) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.account.change_contacts(session, ContactsForm(
            "nouvelle@example.fr", "autre@example.fr", "NOUVELLE@example.fr",
            "NOUVELLE@example.fr",
        ))
    assert [e.field for e in caught.value.errors] == ["confirmation-courriel", "courriel-secours"]
    stored = account(services)
    assert stored is not None and stored.contacts.email == "jean.dupont@example.fr"


def test_mailbox_newest_first_and_limited(services: Services, session: Session) -> None:
    services.recovery.request_reset(NIR)
    assert [m.kind for m in services.mailbox.messages()] == ["reset", "activation"]
    assert [m.kind for m in services.mailbox.messages(limit=1)] == ["reset"]
