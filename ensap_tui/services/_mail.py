"""Writing a simulated mail to the outbox: the one way every service sends one."""

from __future__ import annotations

from datetime import datetime

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
