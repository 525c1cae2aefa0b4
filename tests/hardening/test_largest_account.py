"""The largest spaces the forms accept are stored and found on both engines (issue 13).

PostgreSQL refuses a btree index row above about 2.7 KB, and the covering index of the name
search (``accounts_by_name``) holds every column of an account. The largest account is two
e-mail addresses of 254 UTF-8 bytes each (email-validator's limit, non-ASCII), a 60-character
birth name and the search key the store derives from it: a name of ``ﷺ`` (one letter that
NFKD writes as 18) has an 1,800-byte key, which with the rest (about 1 KB) is over the limit
before compression; PostgreSQL compresses an index value above about 500 bytes, and a key
that long is necessarily made of repeats. These accounts are the edges: the longest key, the
longest key that does not compress by a quarter (which PostgreSQL then keeps raw), the
longest name in bytes."""

from __future__ import annotations

import dataclasses
import random

import pytest

from ensap_tui.adapters.name_keys import name_key
from ensap_tui.domain.contact import EMAIL_MAX_LENGTH, parse_email
from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.identity import NAME_MAX_LENGTH, parse_birth_name
from ensap_tui.services.models import RegistrationRequest
from tests.support.accounts import last_link, open_session
from tests.support.engines import Database
from tests.support.people import LEFEBVRE, OTHER_REQUEST, PASSWORD, REQUEST

_LIGATURE = "\ufdfa"  # ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM: a letter, 30 bytes of key
_DRAW = random.Random(13)  # fixed: the same names on every run


def _hangul(count: int) -> str:
    """Hangul syllables (3 bytes each, 9 bytes of key: NFKD writes each as 3 jamo)."""
    return "".join(chr(_DRAW.randint(0xAC00, 0xD7A3)) for _ in range(count))


def _longest_email(seed: int) -> str:
    """A valid address of exactly 254 UTF-8 bytes: 63 CJK characters, then a domain of 64."""
    draw = random.Random(seed)
    local = "".join(chr(draw.randint(0x4E00, 0x9FA5)) for _ in range(63))
    domain = "".join(draw.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(61))
    return f"{local}@{domain}.fr"


#: (what the name is the edge of, the name).
NAMES = (
    ("the longest search key (1,800 bytes)", _LIGATURE * NAME_MAX_LENGTH),
    ("the longest key that compresses badly", _hangul(53) + _LIGATURE * 7),
    ("the longest name in bytes (4 bytes a letter)",
     "".join(chr(0x20000 + 37 * n) for n in range(NAME_MAX_LENGTH))),
)
EMAILS = (_longest_email(1), _longest_email(2))
#: E.164 numbers of the longest kind the forms keep (an overseas department's).
PHONES = ("+262692123456", "+590690123456")


def _largest(base: RegistrationRequest, name: str) -> RegistrationRequest:
    email, backup = EMAILS
    return dataclasses.replace(
        base, birth_name=name, email=email, email_confirmation=email, email_backup=backup,
        email_backup_confirmation=backup, phone=PHONES[0], phone_secondary=PHONES[1],
        password=PASSWORD, password_confirmation=PASSWORD,
    )


def test_these_are_the_limits_of_the_forms() -> None:
    for _, name in NAMES:
        assert parse_birth_name(name) == name and len(name) == NAME_MAX_LENGTH
        with pytest.raises(FieldError):
            parse_birth_name(name + name[-1])
    assert len(name_key(NAMES[0][1]).encode()) == 1800
    for email in EMAILS:
        assert parse_email(email) == email
        assert len(email.encode()) == EMAIL_MAX_LENGTH
        with pytest.raises(FieldError):
            parse_email("中" + email)  # one character more: over 254 bytes


def test_the_largest_accounts_are_stored_found_and_signed_in(database: Database) -> None:
    services = database.open_services()
    try:
        people = [_largest(base, name)
                  for base, (_, name) in zip((REQUEST, OTHER_REQUEST, LEFEBVRE), NAMES,
                                             strict=True)]
        for person in people:
            services.registration.register(person)
            services.activation.activate(last_link(services, "activation"))
        for person in people:
            found = services.assistance.search(person.birth_name[:5])
            assert [summary.account.birth_name for summary in found] == [person.birth_name]
            contacts = found[0].account.contacts
            assert (contacts.email, contacts.email_backup) == EMAILS
            assert (contacts.phone, contacts.phone_secondary) == PHONES
            nir = found[0].account.nir
            assert [s.account.nir for s in services.assistance.search(nir)] == [nir]
            open_session(services, nir=nir)
    finally:
        services.close()
