"""Writing a simulated mail to the outbox: the one way every service sends one, and the limit
on the mails that anyone can make the simulator send to someone else's address."""

from __future__ import annotations

from datetime import datetime, timedelta

from ensap_tui.services.models import MailMessage
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
