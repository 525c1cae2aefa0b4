"""Writing a simulated mail to the outbox: the one way every service sends one, and the limit
on the mails that anyone can make the simulator send to someone else's address."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from ensap_tui.domain import links
from ensap_tui.services import _checks, mail_texts
from ensap_tui.services.models import MailMessage, TokenPurpose
from ensap_tui.services.ports import StoreTx


def send_mail(
    tx: StoreTx,
    kind: str,
    text: tuple[str, str],
    *,
    to: str,
    nir: str,
    at: datetime,
    link: str = "",
) -> None:
    """Stores the mail of ``kind`` (a ``mail_texts`` kind) whose ``(subject, body)`` is
    ``text``, sent to ``to`` at ``at`` about the space of ``nir``; ``link`` for a mail that
    carries one."""
    subject, body = text
    tx.add_mail(
        MailMessage(
            recipient=to, subject=subject, body=body, sent_at=at, kind=kind, link=link, nir=nir
        )
    )


#: Mails of one kind per NIR within :data:`MAIL_WINDOW` (reset links, registration notices).
MAX_MAILS = 3
MAIL_WINDOW = timedelta(hours=1)


def mail_limit_reached(tx: StoreTx, kind: str, nir: str, now: datetime) -> bool:
    """True when :data:`MAX_MAILS` mails of ``kind`` about ``nir`` went out in the last hour:
    a request that anyone can repeat must not flood the address on file."""
    return tx.count_mail(nir, kind, now - MAIL_WINDOW) >= MAX_MAILS


#: A mailed one-time link, by its token's purpose: the link's kind, the mail's kind and text,
#: how long the link is valid.
_LINK_MAILS: dict[
    TokenPurpose, tuple[str, str, Callable[[str, datetime], tuple[str, str]], timedelta]
] = {
    TokenPurpose.ACTIVATION: (
        links.ACTIVATION, mail_texts.ACTIVATION, mail_texts.activation,
        _checks.ACTIVATION_VALIDITY,
    ),
    TokenPurpose.RESET: (
        links.RESET, mail_texts.RESET, mail_texts.reset, _checks.RESET_VALIDITY,
    ),
}


def send_link(
    tx: StoreTx,
    purpose: TokenPurpose,
    token: str,
    *,
    account_id: int,
    to: str,
    nir: str,
    at: datetime,
) -> datetime:
    """Stores ``token`` (its hash only) as the account's one valid link for ``purpose``,
    revoking the older ones, and mails the link to ``to``; returns when it stops being
    valid."""
    link_kind, mail_kind, text, validity = _LINK_MAILS[purpose]
    valid_until = at + validity
    tx.revoke_tokens(account_id, purpose, at)
    tx.insert_token(account_id, purpose, _checks.token_hash(token), at, valid_until)
    link = links.make_link(link_kind, token)
    send_mail(tx, mail_kind, text(link, valid_until), to=to, nir=nir, at=at, link=link)
    return valid_until
