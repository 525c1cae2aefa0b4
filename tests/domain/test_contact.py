"""E-mail addresses and phone numbers."""

from __future__ import annotations

import pytest

from ensap_tui.domain import contact
from ensap_tui.domain.errors import FieldError

EMAILS = [
    ("jean.dupont@exemple.fr", "jean.dupont@exemple.fr"),
    ("  Jean.Dupont@Exemple.FR  ", "Jean.Dupont@exemple.fr"),
    ("prenom+ensap@sous.domaine.gouv.fr", "prenom+ensap@sous.domaine.gouv.fr"),
    ("élodie@exemple.fr", "élodie@exemple.fr"),
    ("e\u0301lodie@exemple.fr", "élodie@exemple.fr"),
    ("agent@mairie-de-bédarieux.fr", "agent@mairie-de-bédarieux.fr"),
]


@pytest.mark.parametrize(("text", "expected"), EMAILS)
def test_accepted_emails_are_normalised(text: str, expected: str) -> None:
    assert contact.parse_email(text) == expected


REFUSED_EMAILS = [
    ("", contact.MSG_EMAIL_EMPTY),
    ("   ", contact.MSG_EMAIL_EMPTY),
    ("jean.dupont", contact.MSG_EMAIL_NO_AT),
    ("jean@dupont@exemple.fr", contact.MSG_EMAIL_MANY_AT),
    ("jean dupont@exemple.fr", contact.MSG_EMAIL_SPACE),
    ("jean@exemple.fr\nbcc@x.fr", contact.MSG_EMAIL_SPACE),
    ("@exemple.fr", contact.MSG_EMAIL_NO_LOCAL),
    ("jean@", contact.MSG_EMAIL_NO_DOMAIN),
    ("jean@localhost", contact.MSG_EMAIL_DOMAIN_DOT),
    ("jean@.", contact.MSG_EMAIL_DOMAIN_DOT),
    ("jean..dupont@exemple.fr", contact.MSG_EMAIL_INVALID),
    ("<jean>@exemple.fr", contact.MSG_EMAIL_INVALID),
    ("jean@exemple..fr", contact.MSG_EMAIL_INVALID),
    ("jean@site.test", contact.MSG_EMAIL_INVALID),
    ("a" * 250 + "@exemple.fr", contact.MSG_EMAIL_LONG),
]


@pytest.mark.parametrize(("text", "message"), REFUSED_EMAILS)
def test_refused_emails(text: str, message: str) -> None:
    with pytest.raises(FieldError) as caught:
        contact.parse_email(text)
    assert caught.value.message == message
    assert caught.value.field == "courriel"


def test_email_field_is_the_one_given() -> None:
    with pytest.raises(FieldError) as caught:
        contact.parse_email("x", field="courriel-secours")
    assert caught.value.field == "courriel-secours"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("jean@exemple.fr", "JEAN@EXEMPLE.FR", True),
        (" jean@exemple.fr", "Jean@Exemple.fr ", True),
        ("élodie@exemple.fr", "E\u0301LODIE@exemple.fr", True),
        ("jean@exemple.fr", "jeanne@exemple.fr", False),
        ("pas-une-adresse", "PAS-UNE-ADRESSE", True),
        ("pas-une-adresse", "jean@exemple.fr", False),
        ("", "", True),
    ],
)
def test_same_email(a: str, b: str, same: bool) -> None:
    assert contact.same_email(a, b) is same


PHONES = [
    ("0615147879", "+33615147879"),
    ("06 15 14 78 79", "+33615147879"),
    ("06.15.14.78.79", "+33615147879"),
    ("06-15-14-78-79", "+33615147879"),
    (" 0615147879 ", "+33615147879"),
    ("+33615147879", "+33615147879"),
    ("+33 6 15 14 78 79", "+33615147879"),
    ("+33 (0)6 15 14 78 79", "+33615147879"),
    ("0033615147879", "+33615147879"),
    ("0145678901", "+33145678901"),
    ("0689871234", "+33689871234"),  # 10 digits: a metropolitan 06 89 mobile
    ("068987123456", "+68987123456"),  # ENSAP's Polynesia form
    ("0689 87 12 34 56", "+68987123456"),
    ("068940471234", "+68940471234"),  # a Polynesian fixed line
    ("+68987123456", "+68987123456"),
    ("0262123456", "+262262123456"),  # Réunion
    ("0263123456", "+262263123456"),
    ("0692123456", "+262692123456"),
    ("0693123456", "+262693123456"),
    ("0269612345", "+262269612345"),  # Mayotte
    ("0639123456", "+262639123456"),
    ("0590123456", "+590590123456"),  # Guadeloupe
    ("0690123456", "+590690123456"),
    ("0691123456", "+590691123456"),
    ("0596123456", "+596596123456"),  # Martinique
    ("0696123456", "+596696123456"),
    ("0697123456", "+596697123456"),
    ("0594123456", "+594594123456"),  # Guyane
    ("0694123456", "+594694123456"),
    ("+442079460958", "+442079460958"),
    ("0044 20 7946 0958", "+442079460958"),
    ("+32 2 555 12 12", "+3225551212"),
]


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_accepted_phones_become_e164(text: str, expected: str) -> None:
    assert contact.parse_phone(text) == expected


@pytest.mark.parametrize("expected", sorted({e164 for _, e164 in PHONES}))
def test_e164_reads_back_as_itself(expected: str) -> None:
    assert contact.parse_phone(expected) == expected


REFUSED_PHONES = [
    ("", contact.MSG_PHONE_EMPTY),
    ("XXX615147978", contact.MSG_PHONE_PLACEHOLDER),
    ("xxx615147978", contact.MSG_PHONE_PLACEHOLDER),
    ("+XXX615147978", contact.MSG_PHONE_PLACEHOLDER),
    ("061514787", contact.MSG_PHONE_LENGTH),
    ("06151478790", contact.MSG_PHONE_LENGTH),
    ("615147879", contact.MSG_PHONE_LENGTH),
    ("1" * 41, contact.MSG_PHONE_LENGTH),
    ("06 15 14 78 7a", contact.MSG_PHONE_CHARACTERS),
    ("０６１５１４７８７９", contact.MSG_PHONE_CHARACTERS),
    ("+33+615147879", contact.MSG_PHONE_CHARACTERS),
    ("1-800-FLOWERS", contact.MSG_PHONE_CHARACTERS),
    ("+15555550100", contact.MSG_PHONE_INVALID),
    ("+", contact.MSG_PHONE_INVALID),
    ("00", contact.MSG_PHONE_INVALID),
    ("+999123456789", contact.MSG_PHONE_INVALID),
    ("0012345678", contact.MSG_PHONE_INVALID),
    # Issue 11, point 11: Polynesia without its 0689, and 0689 before 8 digits that are no
    # Polynesian number (phonenumbers checks them as +689, as every other number is checked).
    ("87 12 34 56", contact.MSG_PHONE_POLYNESIA),
    ("40 47 12 34", contact.MSG_PHONE_POLYNESIA),
    ("0689 12 34 56 78", contact.MSG_PHONE_POLYNESIA_INVALID),
    ("068940123456", contact.MSG_PHONE_POLYNESIA_INVALID),
    ("+68912345678", contact.MSG_PHONE_INVALID),
    ("12 34 56 78", contact.MSG_PHONE_LENGTH),  # 8 digits that are not Polynesian either
]


@pytest.mark.parametrize(("text", "message"), REFUSED_PHONES)
def test_refused_phones(text: str, message: str) -> None:
    with pytest.raises(FieldError) as caught:
        contact.parse_phone(text)
    assert caught.value.message == message
    assert caught.value.field == "telephone"


def test_placeholder_message_quotes_the_expected_forms() -> None:
    with pytest.raises(FieldError) as caught:
        contact.parse_phone("XXX615147978", field="telephone-secondaire")
    assert caught.value.field == "telephone-secondaire"
    assert (
        "exemple : 0615147879 ou depuis l'étranger +33615147879 ; Polynésie : 0689 + 8 chiffres"
        in caught.value.message
    )


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+33615147879", "06 15 14 78 79"),
        ("+33145678901", "01 45 67 89 01"),
        ("+33812345678", "08 12 34 56 78"),  # phonenumbers alone says «0 812 34 56 78»
        ("+33912345678", "09 12 34 56 78"),
        ("+68987123456", "+689 87 12 34 56"),
        ("+262692123456", "+262 692 12 34 56"),
        ("+442079460958", "+44 20 7946 0958"),
    ],
)
def test_format_phone(e164: str, shown: str) -> None:
    assert contact.format_phone(e164) == shown


def test_format_phone_refuses_what_is_not_a_number() -> None:
    with pytest.raises(FieldError) as caught:
        contact.format_phone("bonjour")
    assert caught.value.field == "telephone"
