"""Registering, activating and reading back through the real services (the part under test
comes after)."""

from __future__ import annotations

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

from .people import (
    AGENT,
    AGENT_PASSWORD,
    LEFEBVRE,
    LEFEVRE,
    NIR,
    OTHER_NIR,
    OTHER_REQUEST,
    PASSWORD,
    REQUEST,
    WRONG_PASSWORD,
)


def register(services: Services, req: RegistrationRequest = REQUEST) -> RegistrationReceipt:
    """Creates a pending space for ``req``."""
    return services.registration.register(req)


def mails(services: Services) -> list[MailMessage]:
    """Every mail sent so far, newest first."""
    return services.mailbox.messages(limit=1000)


def last_link(services: Services, kind: str) -> str:
    """The link of the newest mail of ``kind`` ("activation" or "reset")."""
    for message in mails(services):
        if message.kind == kind and message.link:
            return message.link
    raise AssertionError(f"no {kind} mail")


def active_person(services: Services, req: RegistrationRequest = REQUEST) -> None:
    """Registers ``req`` and follows its activation link."""
    register(services, req)
    services.activation.activate(last_link(services, "activation"))


def account(services: Services, nir: str = NIR) -> Account | None:
    """The stored account of ``nir``, if any."""
    with services.store.read() as tx:
        return tx.account_by_nir(nir)


def events(services: Services, nir: str | None = None, *, kind: str | None = None) -> list[Event]:
    """The journal, newest first: every event, or those of ``nir`` and/or of ``kind``."""
    with services.store.read() as tx:
        found = tx.list_events(nir=nir, limit=1000)
    return [e for e in found if kind is None or e.kind == kind]


def open_session(services: Services, password: str = PASSWORD, nir: str = NIR) -> Session:
    """Signs in through the service, which must succeed."""
    result = services.sign_in.sign_in(nir, password)
    assert result.status is SignInStatus.SIGNED_IN, result
    assert result.session is not None
    return result.session


def block(services: Services, nir: str = NIR) -> None:
    """Three wrong passwords for ``nir``: its space is blocked."""
    for _ in range(3):
        result = services.sign_in.sign_in(nir, WRONG_PASSWORD)
    assert result.status is SignInStatus.BLOCKED


def help_desk_people(services: Services) -> None:
    """What the help-desk tests search: LEFÈVRE pending, MARTIN-LÉGER active and blocked,
    LEFEBVRE active; and the agent :data:`~tests.support.people.AGENT`."""
    register(services, LEFEVRE)
    active_person(services, OTHER_REQUEST)
    active_person(services, LEFEBVRE)
    block(services, OTHER_NIR)
    services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
