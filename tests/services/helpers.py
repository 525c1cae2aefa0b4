"""Helpers for the service tests: a person to register, and the links found in the mailbox."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from ensap_tui.services.container import Services
from ensap_tui.services.models import (
    Account,
    Event,
    MailMessage,
    RegistrationReceipt,
    RegistrationRequest,
    Session,
    SignInStatus,
)

NIR = "185057511512364"  # born May 1985 in Paris
OTHER_NIR = "278072B03300742"  # born July 1978 in Haute-Corse
UNKNOWN_NIR = "192049712001143"  # never registered
PASSWORD = "Ensap#Sûr2026"
NEW_PASSWORD = "Printemps!Vert77"
BIRTH_DATE = date(1985, 5, 14)

REQUEST = RegistrationRequest(
    nir="1 85 05 75 115 123 64",
    birth_name="Dupont",
    birth_day="14",
    birth_month="05",
    birth_year="1985",
    terms_accepted=True,
    password=PASSWORD,
    password_confirmation=PASSWORD,
    email="jean.dupont@example.fr",
    email_confirmation="Jean.Dupont@example.fr",
)

OTHER_REQUEST = RegistrationRequest(
    nir=OTHER_NIR,
    birth_name="Martin-Léger",
    birth_day="03",
    birth_month="07",
    birth_year="1978",
    terms_accepted=True,
    password="Azur&Corail1978x",
    password_confirmation="Azur&Corail1978x",
    email="claire.martin@example.org",
    email_confirmation="claire.martin@example.org",
)


def request(**changes: Any) -> RegistrationRequest:
    """The default registration with some fields changed."""
    return dataclasses.replace(REQUEST, **changes)


def register(services: Services, req: RegistrationRequest = REQUEST) -> RegistrationReceipt:
    return services.registration.register(req)


def mails(services: Services) -> list[MailMessage]:
    """Every mail sent so far, newest first."""
    return services.mailbox.messages(limit=1000)


def last_link(services: Services, kind: str) -> str:
    """The link of the newest mail of ``kind``."""
    for message in mails(services):
        if message.kind == kind:
            assert message.link
            return message.link
    raise AssertionError(f"no {kind} mail")


def account(services: Services, nir: str = NIR) -> Account | None:
    with services.store.read() as tx:
        return tx.account_by_nir(nir)


def events(services: Services, nir: str | None = None) -> list[Event]:
    with services.store.read() as tx:
        return tx.list_events(nir=nir, limit=1000)


def active_person(services: Services, req: RegistrationRequest = REQUEST) -> None:
    """Registers ``req`` and follows its activation link."""
    services.registration.register(req)
    services.activation.activate(last_link(services, "activation"))


def sign_in(services: Services, password: str = PASSWORD, nir: str = NIR) -> Session:
    result = services.sign_in.sign_in(nir, password)
    assert result.status is SignInStatus.SIGNED_IN, result
    assert result.session is not None
    return result.session
