"""NIR parsing, cross-check with the birth date, display."""

from __future__ import annotations

from datetime import date

import pytest

from ensap_tui.domain import nir
from ensap_tui.domain.errors import FieldError


def with_key(first13: str) -> str:
    """The 13 first characters and their key, computed here independently of python-stdnum."""
    digits = first13.upper().replace("2A", "19").replace("2B", "18")
    return first13 + f"{97 - int(digits) % 97:02d}"


VALID = [
    ("185057511512364", "185057511512364"),
    ("180032A00401289", "180032A00401289"),
    ("180032a00401289", "180032A00401289"),
    ("278072B03300742", "278072B03300742"),
    ("278072b03300742", "278072B03300742"),
    ("192049712001143", "192049712001143"),  # overseas 971, commune 20
    ("170069935000525", "170069935000525"),  # born abroad, country 350
    ("155209935212132", "155209935212132"),  # month 20: unknown
    ("262359913401031", "262359913401031"),  # month 35: May
    ("1 85 05 75 115 123 64", "185057511512364"),
    ("1.85.05.75.115.123.64", "185057511512364"),
    ("  185057511512364  ", "185057511512364"),
    ("1\u00a085\u00a005 75 115 123 64", "185057511512364"),
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_valid_nir_is_returned_compact(text: str, expected: str) -> None:
    assert nir.parse_nir(text) == expected


def test_examples_have_the_key_computed_independently() -> None:
    for _, compact in VALID:
        assert with_key(compact[:13]) == compact


@pytest.mark.parametrize("first", ["1", "2", "3", "4", "7", "8"])
def test_every_allowed_sex_digit(first: str) -> None:
    number = with_key(first + "850575115123")
    assert nir.parse_nir(number) == number


@pytest.mark.parametrize("month", ["01", "12", "20", "30", "31", "42", "50", "99"])
def test_allowed_months(month: str) -> None:
    number = with_key("185" + month + "75115123")
    assert nir.parse_nir(number) == number


@pytest.mark.parametrize("place", ["01115", "95115", "97101", "98801", "99100", "2A001", "2B999"])
def test_allowed_places(place: str) -> None:
    number = with_key("18505" + place + "123")
    assert nir.parse_nir(number) == number


REFUSED = [
    ("wrong key", "185057511512365", nir.MSG_KEY),
    ("wrong key 2A", "180032A00401288", nir.MSG_KEY),
    ("2A key given for 2B", "180032B00401289", nir.MSG_KEY),
    ("sex 5", with_key("5850575115123"), nir.MSG_SEX),
    ("sex 0", with_key("0850575115123"), nir.MSG_SEX),
    ("sex 6", with_key("6850575115123"), nir.MSG_SEX),
    ("sex 9", with_key("9850575115123"), nir.MSG_SEX),
    ("month 13", with_key("1851375115123"), nir.MSG_MONTH),
    ("month 00", with_key("1850075115123"), nir.MSG_MONTH),
    ("month 19", with_key("1851975115123"), nir.MSG_MONTH),
    ("month 43", with_key("1854375115123"), nir.MSG_MONTH),
    ("month 49", with_key("1854975115123"), nir.MSG_MONTH),
    ("department 00", with_key("1850500115123"), nir.MSG_DEPARTMENT),
    ("department 96", with_key("1850596115123"), nir.MSG_DEPARTMENT),
    ("commune 000", with_key("1850575000123"), nir.MSG_COMMUNE),
    ("overseas commune 00", with_key("1920497100011"), nir.MSG_COMMUNE),
    ("country 000", with_key("1700699000005"), nir.MSG_COUNTRY),
    ("order 000", with_key("1850575115000"), nir.MSG_ORDER),
    ("14 characters", "18505751151236", nir.MSG_LENGTH),
    ("16 characters", "1850575115123640", nir.MSG_LENGTH),
    ("very long", "1" * 1000, nir.MSG_LENGTH),
    ("empty", "", nir.MSG_EMPTY),
    ("spaces only", "   ", nir.MSG_EMPTY),
    ("full-width digits", "１８５０５７５１１５１２３６４", nir.MSG_UNICODE_DIGITS),
    ("one full-width digit", "18505751151236４", nir.MSG_UNICODE_DIGITS),
    ("Arabic-Indic digit", "18505751151236٤", nir.MSG_UNICODE_DIGITS),
    ("hyphens", "1-85-05-75-115-123-64", nir.MSG_CHARACTERS),
    ("other letter", "18505751151236X", nir.MSG_CHARACTERS),
    ("tab", "185057511\t512364", nir.MSG_CHARACTERS),
    ("letter outside the department", "1850575115123A4", nir.MSG_LETTERS),
    ("Corsica written 2C", "180032C00401289", nir.MSG_CHARACTERS),
    ("A without 2", "180031A00401289", nir.MSG_LETTERS),
]


@pytest.mark.parametrize(("why", "text", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_nir_says_why(why: str, text: str, message: str) -> None:
    with pytest.raises(FieldError) as caught:
        nir.parse_nir(text)
    assert caught.value.message == message
    assert caught.value.field == "nir"


def test_each_failure_has_its_own_message() -> None:
    messages = {
        nir.MSG_EMPTY, nir.MSG_LENGTH, nir.MSG_CHARACTERS, nir.MSG_UNICODE_DIGITS,
        nir.MSG_LETTERS, nir.MSG_SEX, nir.MSG_MONTH, nir.MSG_DEPARTMENT, nir.MSG_COMMUNE,
        nir.MSG_COUNTRY, nir.MSG_ORDER, nir.MSG_KEY,
    }  # fmt: skip
    assert len(messages) == 12


def test_messages_quoted_by_the_specification() -> None:
    assert nir.MSG_LENGTH == (
        "Le numéro de sécurité sociale comporte 15 caractères "
        "(13 chiffres et une clé de 2 chiffres)."
    )
    assert (
        nir.MSG_KEY == "La clé du numéro ne correspond pas : vérifiez les deux derniers chiffres."
    )


def test_field_is_the_one_given() -> None:
    with pytest.raises(FieldError) as caught:
        nir.parse_nir("123", field="identifiant")
    assert caught.value.field == "identifiant"


MATCHING = [
    ("185057511512364", date(1985, 5, 17)),
    ("180032A00401289", date(1980, 3, 1)),
    ("192049712001143", date(1992, 4, 30)),
    ("155209935212132", date(1955, 11, 2)),  # month unknown: any month
    ("262359913401031", date(1962, 5, 10)),  # 35 = May
    (with_key("1853175115123"), date(1985, 1, 3)),  # 31 = January
    (with_key("1854275115123"), date(1985, 12, 3)),  # 42 = December
    (with_key("1852575115123"), date(1985, 7, 3)),  # 25: unknown
    (with_key("1859975115123"), date(1985, 2, 3)),  # 99: unknown
    (with_key("1050575115123"), date(2005, 5, 3)),
    (with_key("1050575115123"), date(1905, 5, 3)),
]


@pytest.mark.parametrize(("number", "birth"), MATCHING)
def test_birth_date_matching_the_nir(number: str, birth: date) -> None:
    nir.check_birth_date(number, birth)


MISMATCHING = [
    ("185057511512364", date(1986, 5, 17), "L'année de naissance (1986)"),
    ("185057511512364", date(1985, 6, 17), "Le mois de naissance (06)"),
    ("262359913401031", date(1962, 6, 10), "qui indique le mois 05"),
    (with_key("1853175115123"), date(1985, 2, 3), "qui indique le mois 01"),
    ("155209935212132", date(1956, 11, 2), "se terminant par 55"),
]


@pytest.mark.parametrize(("number", "birth", "fragment"), MISMATCHING)
def test_birth_date_not_matching_the_nir(number: str, birth: date, fragment: str) -> None:
    with pytest.raises(FieldError) as caught:
        nir.check_birth_date(number, birth, field="nir")
    assert fragment in caught.value.message
    assert caught.value.message.endswith("vérifiez l'un ou l'autre.")
    assert caught.value.field == "nir"


def test_check_birth_date_refuses_a_malformed_nir_on_its_field() -> None:
    with pytest.raises(FieldError) as caught:
        nir.check_birth_date("12", date(1985, 5, 1), field="identifiant")
    assert (caught.value.field, caught.value.message) == ("identifiant", nir.MSG_LENGTH)


@pytest.mark.parametrize(
    ("text", "formatted", "masked"),
    [
        ("185057511512364", "1 85 05 75 115 123 64", "1 85 •• •• ••• ••• 64"),
        ("180032a00401289", "1 80 03 2A 004 012 89", "1 80 •• •• ••• ••• 89"),
        ("2 62 35 99 134 010 31", "2 62 35 99 134 010 31", "2 62 •• •• ••• ••• 31"),
    ],
)
def test_display_forms(text: str, formatted: str, masked: str) -> None:
    assert nir.format_nir(text) == formatted
    assert nir.mask_nir(text) == masked


def test_mask_hides_birth_place_month_and_order() -> None:
    masked = nir.mask_nir("185057511512364")
    assert "05 75" not in masked
    assert "115" not in masked
    assert "123" not in masked


@pytest.mark.parametrize("function", [nir.format_nir, nir.mask_nir])
def test_display_refuses_what_is_not_a_nir(function: object) -> None:
    assert callable(function)
    with pytest.raises(FieldError):
        function("bonjour")
