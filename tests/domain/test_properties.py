"""Hypothesis: every public domain function, fed arbitrary text, returns or raises FieldError."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import phonenumbers
from hypothesis import given
from hypothesis import strategies as st

from ensap_tui.domain import contact, identity, links, nir, password, timefmt
from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo

#: Any code point, surrogates and control characters included.
ANY_CHAR = st.characters(codec=None, categories=None)
#: Arbitrary text: the default alphabet, every code point, and long runs.
TEXT = st.one_of(
    st.text(),
    st.text(ANY_CHAR),
    st.text(ANY_CHAR, min_size=100, max_size=2000),
    st.text(st.sampled_from("0123456789 .-+()/xX@aAbB\t\n\u00a0"), max_size=40),
)
NIR_LIKE = st.one_of(TEXT, st.text(st.sampled_from("0123456789 .aAbB"), min_size=13, max_size=20))
DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
PERSONAL = st.builds(
    PersonalInfo,
    nir=st.one_of(TEXT, st.just("185057511512364")),
    birth_name=TEXT,
    birth_date=st.one_of(st.none(), DATES),
    email=TEXT,
)
ZONES = st.sampled_from([None, UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=12))])


def returns_or_field_error(call: Callable[[], Any]) -> Any:
    """The call's value, or None when it raised FieldError; anything else fails the test."""
    try:
        return call()
    except FieldError as error:
        assert isinstance(error.field, str) and error.field
        assert isinstance(error.message, str) and error.message
        return None


@given(NIR_LIKE)
def test_nir_functions_property(text: str) -> None:
    compact = returns_or_field_error(lambda: nir.parse_nir(text))
    returns_or_field_error(lambda: nir.format_nir(text))
    returns_or_field_error(lambda: nir.mask_nir(text))
    if compact is not None:
        assert nir.parse_nir(compact) == compact
        assert len(compact) == 15 and compact.isascii()
        assert nir.parse_nir(nir.format_nir(compact)) == compact


@given(NIR_LIKE, DATES)
def test_check_birth_date_property(text: str, born: date) -> None:
    returns_or_field_error(lambda: nir.check_birth_date(text, born))


@given(TEXT)
def test_parse_birth_name_property(text: str) -> None:
    name = returns_or_field_error(lambda: identity.parse_birth_name(text))
    if name is not None:
        assert identity.parse_birth_name(name) == name
        assert 1 <= len(name) <= identity.NAME_MAX_LENGTH


@given(TEXT, TEXT, TEXT, DATES)
def test_parse_birth_date_property(day: str, month: str, year: str, today: date) -> None:
    born = returns_or_field_error(lambda: identity.parse_birth_date(day, month, year, today))
    if born is not None:
        assert date(1900, 1, 1) <= born <= today


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1900, 2026))
def test_parse_birth_date_accepts_every_real_date_hypothesis(d: int, m: int, y: int) -> None:
    try:
        expected = date(y, m, d)
    except ValueError:
        expected = None
    today = date(2026, 12, 31)
    got = returns_or_field_error(
        lambda: identity.parse_birth_date(str(d), f"{m:02d}", str(y), today)
    )
    assert got == expected


@given(TEXT, st.one_of(st.none(), PERSONAL))
def test_assess_never_raises_property(text: str, personal: PersonalInfo | None) -> None:
    result = password.assess(text, personal)
    assert result.acceptable == (result.level == "Fort")
    assert result.acceptable == (result.problems == ())
    assert [rule.key for rule in result.rules] == [
        "longueur", "majuscules", "minuscules", "chiffres", "speciaux", "types", "courant",
        "personnel",
    ]  # fmt: skip
    assert 0 <= result.kinds <= 4
    if result.acceptable:
        assert all(rule.ok for rule in result.rules if rule.key not in
                   ("majuscules", "minuscules", "chiffres", "speciaux"))  # fmt: skip


@given(TEXT, TEXT, st.one_of(st.none(), PERSONAL))
def test_password_functions_property(text: str, confirmation: str, personal: Any) -> None:
    normalised = password.normalise_password(text)
    assert isinstance(normalised, str)
    returns_or_field_error(lambda: password.check_password(text, confirmation, personal))
    returns_or_field_error(lambda: password.check_password(text, text, personal))


@given(TEXT, TEXT)
def test_email_functions_property(a: str, b: str) -> None:
    address = returns_or_field_error(lambda: contact.parse_email(a))
    if address is not None:
        assert contact.parse_email(address) == address
        assert contact.same_email(a, address)
    assert isinstance(contact.same_email(a, b), bool)


@given(TEXT)
def test_phone_functions_property(text: str) -> None:
    number = returns_or_field_error(lambda: contact.parse_phone(text))
    returns_or_field_error(lambda: contact.format_phone(text))
    if number is not None:
        assert number.startswith("+") and number[1:].isdigit() and number.isascii()
        assert contact.parse_phone(number) == number
        assert contact.parse_phone(contact.format_phone(number)) == number


@given(st.text(st.sampled_from("0123456789"), min_size=8, max_size=8), st.sampled_from(
    sorted(contact.OVERSEAS_PREFIXES)
))  # fmt: skip
def test_overseas_prefixes_property(digits: str, prefix: str) -> None:
    number = contact.parse_phone(prefix + digits[:6])
    assert number == f"+{contact.OVERSEAS_PREFIXES[prefix]}{prefix[1:]}{digits[:6]}"
    assert contact.parse_phone(number) == number
    polynesian = phonenumbers.is_valid_number(phonenumbers.parse("+689" + digits, None))
    got = returns_or_field_error(lambda: contact.parse_phone("0689" + digits))
    assert got == ("+689" + digits if polynesian else None)


@given(TEXT, st.sampled_from([links.ACTIVATION, links.RESET, "autre"]))
def test_link_functions_property(text: str, kind: str) -> None:
    token = returns_or_field_error(lambda: links.parse_link(text, kind))
    link = returns_or_field_error(lambda: links.make_link(kind, text))
    if token is not None:
        assert links.parse_link(links.make_link(kind, token), kind) == token
    if link is not None:
        assert links.parse_link(link, kind) == text


@given(st.text(st.sampled_from("ABCxyz019_-"), min_size=16, max_size=128),
       st.sampled_from([links.ACTIVATION, links.RESET]))  # fmt: skip
def test_link_round_trip_property(token: str, kind: str) -> None:
    link = links.make_link(kind, token)
    folded = link[:10] + "\n" + link[10:30] + " \r\n" + link[30:]
    assert links.parse_link(folded, kind) == token


@given(st.datetimes(timezones=ZONES))
def test_time_formats_property(dt: datetime) -> None:
    assert len(timefmt.format_time(dt)) == 5
    assert len(timefmt.format_short(dt)) == 11
    assert " à " in timefmt.format_datetime(dt)
    assert timefmt.local(dt).tzinfo is not None
