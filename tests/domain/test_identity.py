"""Birth name and birth date of step 1."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ensap_tui.domain import identity
from ensap_tui.domain.errors import FieldError

TODAY = date(2026, 11, 26)

NAMES = [
    ("Dupont", "Dupont"),
    ("  Dupont  ", "Dupont"),
    ("de   la  Fontaine", "de la Fontaine"),
    ("de\u00a0la Fontaine", "de la Fontaine"),
    ("N'Diaye", "N'Diaye"),
    ("O’Brien", "O’Brien"),
    ("Müller-Lüdenscheidt", "Müller-Lüdenscheidt"),
    ("Zoe\u0301", "Zoé"),  # decomposed accent, stored composed (NFC)
    ("Łukasz Ñúñez", "Łukasz Ñúñez"),
    ("Œstergaard", "Œstergaard"),
    ("Παπαδόπουλος", "Παπαδόπουλος"),
    ("Иванова", "Иванова"),
    ("X", "X"),
    ("a" * 60, "a" * 60),
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_accepted_names(text: str, expected: str) -> None:
    assert identity.parse_birth_name(text) == expected


REFUSED_NAMES = [
    ("", identity.MSG_NAME_EMPTY),
    ("    ", identity.MSG_NAME_EMPTY),
    ("a" * 61, identity.MSG_NAME_LENGTH),
    ("Dupont2", identity.MSG_NAME_DIGITS),
    ("Dupont²", identity.MSG_NAME_DIGITS),
    ("Du\tpont", identity.MSG_NAME_CONTROL),
    ("Dupont\n", identity.MSG_NAME_CONTROL),
    ("Dupont\x00", identity.MSG_NAME_CONTROL),
    ("Dupont\x1b[31m", identity.MSG_NAME_CONTROL),
    ("\u202eDupont", identity.MSG_NAME_CONTROL),
    ("Du\u200bpont", identity.MSG_NAME_CONTROL),
    ("-", identity.MSG_NAME_NO_LETTER),
    ("' -", identity.MSG_NAME_NO_LETTER),
    ("\u0301Dupont", identity.MSG_NAME_LONE_MARK),
    ("Dupont-\u0301", identity.MSG_NAME_LONE_MARK),
]


@pytest.mark.parametrize(("text", "message"), REFUSED_NAMES)
def test_refused_names(text: str, message: str) -> None:
    with pytest.raises(FieldError) as caught:
        identity.parse_birth_name(text)
    assert caught.value.message == message
    assert caught.value.field == "nom-naissance"


@pytest.mark.parametrize("char", ["[", "]", "<", ">", "/", "@", "!", "&", ";", "_", "."])
def test_markup_and_signs_are_refused_and_quoted(char: str) -> None:
    with pytest.raises(FieldError) as caught:
        identity.parse_birth_name(f"Du{char}pont", field="nom")
    assert caught.value.field == "nom"
    assert f"«\u00a0{char}\u00a0»" in caught.value.message
    assert caught.value.message.startswith("Le nom de naissance ne peut contenir que des lettres")


def test_markup_tag_is_refused() -> None:
    with pytest.raises(FieldError):
        identity.parse_birth_name("[bold red]Dupont[/]")


DATES = [
    (("17", "05", "1985"), date(1985, 5, 17)),
    (("1", "2", "1990"), date(1990, 2, 1)),
    ((" 07 ", " 11 ", " 2001 "), date(2001, 11, 7)),
    (("29", "02", "2024"), date(2024, 2, 29)),
    (("29", "02", "2000"), date(2000, 2, 29)),
    (("01", "01", "1900"), date(1900, 1, 1)),
    (("26", "11", "2026"), TODAY),
]


@pytest.mark.parametrize(("parts", "expected"), DATES)
def test_accepted_birth_dates(parts: tuple[str, str, str], expected: date) -> None:
    assert identity.parse_birth_date(*parts, TODAY) == expected


REFUSED_DATES = [
    (("", "", ""), "Choisissez le jour, le mois et l'année de naissance."),
    (("", "05", "1985"), "Choisissez le jour de naissance."),
    (("17", "", "1985"), "Choisissez le mois de naissance."),
    (("17", "05", ""), "Choisissez l'année de naissance."),
    (("17", "", " "), "Choisissez le mois et l'année de naissance."),
    (("31", "04", "1985"), "Le 31/04/1985 n'existe pas"),
    (("29", "02", "2023"), "Le 29/02/2023 n'existe pas"),
    (("29", "02", "1900"), "Le 29/02/1900 n'existe pas"),
    (("00", "05", "1985"), "Le 00/05/1985 n'existe pas"),
    (("17", "13", "1985"), "Le mois de naissance est compris entre 1 et 12."),
    (("17", "00", "1985"), "Le mois de naissance est compris entre 1 et 12."),
    (("27", "11", "2026"), "La date de naissance ne peut pas être dans le futur."),
    (("01", "01", "2030"), "La date de naissance ne peut pas être dans le futur."),
    (("31", "12", "1899"), identity.MSG_DATE_TOO_EARLY),
    (("17", "05", "0000"), identity.MSG_DATE_TOO_EARLY),
    (("29", "02", "1899"), identity.MSG_DATE_TOO_EARLY),
    (("17", "05", "85"), "L'année de naissance s'écrit avec 4 chiffres"),
    (("17", "05", "１９８５"), "L'année de naissance s'écrit avec 4 chiffres"),
    (("dix", "05", "1985"), "Le jour de naissance s'écrit en chiffres (1 à 31)."),
    (("١٧", "05", "1985"), "Le jour de naissance s'écrit en chiffres (1 à 31)."),
    (("17", "mai", "1985"), "Le mois de naissance s'écrit en chiffres (1 à 12)."),
    (("170", "05", "1985"), "Le jour de naissance s'écrit en chiffres (1 à 31)."),
]


@pytest.mark.parametrize(("parts", "message"), REFUSED_DATES)
def test_refused_birth_dates(parts: tuple[str, str, str], message: str) -> None:
    with pytest.raises(FieldError) as caught:
        identity.parse_birth_date(*parts, TODAY)
    assert caught.value.message.startswith(message)
    assert caught.value.field == "date-naissance"


def test_birth_date_field_is_the_one_given() -> None:
    with pytest.raises(FieldError) as caught:
        identity.parse_birth_date("", "", "", TODAY, field="naissance")
    assert caught.value.field == "naissance"


def test_today_may_be_given_as_a_datetime() -> None:
    now = datetime(2026, 11, 26, 14, 2)
    assert identity.parse_birth_date("26", "11", "2026", now) == TODAY
