"""Registration: the checks of steps 1 to 3, the pending account, and duplicates."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.domain.password import PersonalInfo
from ensap_tui.services.container import Services
from ensap_tui.services.errors import ValidationFailed
from ensap_tui.services.models import (
    AccountStatus,
    ActivationOutcome,
    ContactsForm,
    TokenPurpose,
)
from tests.support.accounts import account, active_person, events, last_link, mails, register
from tests.support.people import BIRTH_DATE, NIR, OTHER_REQUEST, PASSWORD, request

T0 = datetime(2026, 11, 26, 13, 2, tzinfo=UTC)
PERSONAL = PersonalInfo(NIR, "DUPONT", BIRTH_DATE, "")


def fields(errors: list[object]) -> list[str]:
    return [e.field for e in errors]  # type: ignore[attr-defined]


# ---- step 1 -------------------------------------------------------------------------------


def test_identity_valid_gives_no_error(services: Services) -> None:
    assert services.registration.check_identity(NIR, "Dupont", "14", "05", "1985", True) == []


def test_identity_reports_every_field_in_screen_order(services: Services) -> None:
    errors = services.registration.check_identity("1850575115123", "", "31", "04", "1985", False)
    assert fields(errors) == ["nir", "nom-naissance", "date-naissance", "cgu"]
    assert all(e.message for e in errors)


def test_terms_not_accepted_has_the_expected_message(services: Services) -> None:
    errors = services.registration.check_identity(NIR, "Dupont", "14", "05", "1985", False)
    assert [(e.field, e.message) for e in errors] == [
        ("cgu", "Vous devez accepter les conditions générales d'utilisation pour continuer.")
    ]


def test_nir_must_match_the_birth_date_reported_on_nir_first(services: Services) -> None:
    errors = services.registration.check_identity(NIR, "Dupont", "14", "06", "1985", False)
    assert fields(errors) == ["nir", "cgu"]
    errors = services.registration.check_identity(NIR, "Dupont", "14", "05", "1986", True)
    assert fields(errors) == ["nir"]


# ---- step 2 -------------------------------------------------------------------------------


def test_password_acceptable_and_confirmed(services: Services) -> None:
    assert services.registration.check_password(PASSWORD, PASSWORD, PERSONAL) == []


@pytest.mark.parametrize(
    ("password", "confirmation", "expected"),
    [
        ("court", "court", ["mot-de-passe"]),
        ("azerty", "azerty", ["mot-de-passe"]),
        ("Dupont#2026x", "Dupont#2026x", ["mot-de-passe"]),  # contains the birth name
        (PASSWORD, PASSWORD + "x", ["confirmation-mot-de-passe"]),
        (PASSWORD, "", ["confirmation-mot-de-passe"]),
        ("court", "autre", ["mot-de-passe", "confirmation-mot-de-passe"]),
    ],
)
def test_password_errors(
    services: Services, password: str, confirmation: str, expected: list[str]
) -> None:
    assert fields(services.registration.check_password(password, confirmation, PERSONAL)) == (
        expected
    )


# ---- step 3 -------------------------------------------------------------------------------


def contacts_errors(services: Services, *values: str) -> list[str]:
    defaults = ["jean.dupont@example.fr", "jean.dupont@example.fr", "", "", "", ""]
    args = list(values) + defaults[len(values):]
    return fields(services.registration.check_contacts(ContactsForm(*args)))


def test_contacts_valid_with_case_insensitive_confirmation(services: Services) -> None:
    assert contacts_errors(services, "jean.dupont@example.fr", "JEAN.Dupont@Example.FR") == []
    assert contacts_errors(
        services, "jean.dupont@example.fr", "jean.dupont@example.fr",
        "secours@example.org", "Secours@example.org", "06 15 14 78 79", "0689 87 12 34 56",
    ) == []


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (("pas-une-adresse", "pas-une-adresse"), ["courriel"]),
        (("jean.dupont@example.fr", "jean.durand@example.fr"), ["confirmation-courriel"]),
        (("jean.dupont@example.fr", ""), ["confirmation-courriel"]),
        (
            ("jean.dupont@example.fr", "jean.dupont@example.fr", "Jean.Dupont@example.fr",
             "Jean.Dupont@example.fr"),
            ["courriel-secours"],
        ),
        (
            ("jean.dupont@example.fr", "jean.dupont@example.fr", "secours@example.org", ""),
            ["confirmation-courriel-secours"],
        ),
        (
            ("jean.dupont@example.fr", "jean.dupont@example.fr", "", "secours@example.org"),
            ["confirmation-courriel-secours"],
        ),
        (
            ("jean.dupont@example.fr", "jean.dupont@example.fr", "", "", "XXX615147978"),
            ["telephone"],
        ),
        (
            ("jean.dupont@example.fr", "jean.dupont@example.fr", "", "", "", "12"),
            ["telephone-secondaire"],
        ),
        (
            ("x", "y", "x", "z", "abc", "def"),
            ["courriel", "confirmation-courriel", "courriel-secours",
             "confirmation-courriel-secours", "telephone", "telephone-secondaire"],
        ),
    ],
)
def test_contacts_errors(services: Services, values: tuple[str, ...], expected: list[str]) -> None:
    assert contacts_errors(services, *values) == expected


def test_backup_email_must_differ_from_the_main_one_with_a_message(services: Services) -> None:
    errors = services.registration.check_contacts(ContactsForm(
        "jean.dupont@example.fr", "jean.dupont@example.fr",
        "JEAN.DUPONT@example.fr", "JEAN.DUPONT@example.fr", "", "",
    ))
    assert [e.field for e in errors] == ["courriel-secours"]
    assert "différent" in errors[0].message


# ---- register ------------------------------------------------------------------------------


def test_register_creates_a_pending_account_and_its_activation_mail(services: Services) -> None:
    receipt = register(services)

    assert receipt.email == "jean.dupont@example.fr"
    assert receipt.valid_until == T0 + timedelta(hours=24)
    created = account(services)
    assert created is not None
    assert created.status is AccountStatus.PENDING
    assert created.birth_name.upper() == "DUPONT"
    assert created.birth_date == BIRTH_DATE
    assert created.contacts.email == "jean.dupont@example.fr"
    assert PASSWORD not in created.password_hash

    [mail] = mails(services)
    assert mail.kind == "activation"
    assert mail.recipient == "jean.dupont@example.fr"
    assert mail.subject == "Finalisez la création de votre espace ENSAP (simulation)"
    assert mail.link.startswith("ensap-tui://activer/")
    assert mail.body.startswith("Bonjour,")
    assert mail.link in mail.body
    assert "valable 24 heures, jusqu'au 27/11/2026 à 14:02" in mail.body
    assert mail.sent_at == T0

    token = mail.link.removeprefix("ensap-tui://activer/")
    with services.store.read() as tx:
        record = tx.token_by_hash(hashlib.sha256(token.encode()).hexdigest())
        assert tx.token_by_hash(token) is None
    assert record is not None
    assert record.purpose is TokenPurpose.ACTIVATION
    assert record.account_id == created.id
    assert (record.issued_at, record.expires_at) == (T0, T0 + timedelta(hours=24))
    assert [e.kind for e in events(services, NIR)] == ["registration-created"]


def test_register_validates_everything_again(services: Services) -> None:
    bad = request(nir="185057511512365", terms_accepted=False, password_confirmation="autre",
                  email_backup="jean.dupont@example.fr",
                  email_backup_confirmation="jean.dupont@example.fr")
    with pytest.raises(ValidationFailed) as caught:
        register(services, bad)
    assert fields(caught.value.errors) == ["nir", "cgu", "courriel-secours"]
    assert account(services) is None
    assert mails(services) == []


def test_register_refuses_a_password_containing_the_email_local_part(
    services: Services,
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        register(services, request(email="marmotte.bleue@example.fr",
                                   email_confirmation="marmotte.bleue@example.fr",
                                   password="Marmotte.Bleue#7",
                                   password_confirmation="Marmotte.Bleue#7"))
    assert fields(caught.value.errors) == ["mot-de-passe"]
    assert account(services) is None


def test_register_refuses_a_mismatched_password_confirmation(services: Services) -> None:
    with pytest.raises(ValidationFailed) as caught:
        register(services, request(password_confirmation=PASSWORD.lower()))
    assert fields(caught.value.errors) == ["confirmation-mot-de-passe"]


@pytest.mark.parametrize("activated", [False, True])
def test_duplicate_registration_gives_the_same_receipt_and_a_notice(
    services: Services, activated: bool
) -> None:
    if activated:
        active_person(services)
    else:
        register(services)
    first = account(services)
    assert first is not None
    mails_before = len(mails(services))

    receipt = register(services, request(email="autre.adresse@example.net",
                                         email_confirmation="autre.adresse@example.net",
                                         password="Autre#Secret99",
                                         password_confirmation="Autre#Secret99"))

    assert receipt.email == "autre.adresse@example.net"
    assert receipt.valid_until == T0 + timedelta(hours=24)
    after = account(services)
    assert after == first  # no second account, nothing changed
    with services.store.read() as tx:
        assert len(tx.list_accounts()) == 1
    notice = mails(services)[0]
    assert len(mails(services)) == mails_before + 1
    assert notice.kind == "notice"
    assert notice.recipient == "jean.dupont@example.fr"  # the address on file
    assert notice.link == ""
    assert "ensap-tui://" not in notice.body
    assert notice.body.startswith("Bonjour,")
    assert events(services, NIR)[0].kind == "registration-duplicate"


def test_duplicate_receipt_is_identical_to_a_new_one(services: Services) -> None:
    fresh = register(services, OTHER_REQUEST)
    again = register(services, OTHER_REQUEST)
    assert again == fresh
    assert [m.kind for m in mails(services)] == ["notice", "activation"]


def test_expired_registration_is_purged_and_registration_starts_again(
    services: Services, clock: FixedClock
) -> None:
    register(services)
    first = account(services)
    first_link = last_link(services, "activation")
    assert first is not None
    clock.advance(timedelta(hours=24))

    receipt = register(services)

    second = account(services)
    assert second is not None and second.created_at == T0 + timedelta(hours=24)
    assert second.status is AccountStatus.PENDING
    assert receipt.valid_until == T0 + timedelta(hours=48)
    assert mails(services)[0].kind == "activation"
    assert services.activation.activate(first_link) is ActivationOutcome.UNKNOWN
    assert services.activation.activate(last_link(services, "activation")) is (
        ActivationOutcome.ACTIVATED
    )
    kinds = [e.kind for e in events(services, NIR)]
    assert "registration-purged" in kinds


def test_pending_registration_one_second_before_expiry_still_blocks_a_new_one(
    services: Services, clock: FixedClock
) -> None:
    register(services)
    clock.advance(timedelta(hours=24) - timedelta(seconds=1))
    register(services)
    assert mails(services)[0].kind == "notice"
