"""The simulated mails' texts: each greets, says its paragraphs separated by blank lines, and
ends with the simulator's footer, the same way for every mail."""

from __future__ import annotations

from datetime import datetime

import pytest

from ensap_tui.services import mail_texts

AT = datetime(2026, 3, 4, 5, 6)
FOOTER = (
    "Ce courriel est produit par ensap-tui, un simulateur de formation\u00a0: il n'a été "
    "envoyé à personne et aucune donnée n'a été transmise à l'ENSAP.\n"
)
MAILS = {
    "activation": mail_texts.activation("https://ensap.test/a/1", AT),
    "reset": mail_texts.reset("https://ensap.test/r/1", AT),
    "notice-active": mail_texts.registration_notice(AT, active=True),
    "notice-pending": mail_texts.registration_notice(AT, active=False),
    "changed-by-reset": mail_texts.password_changed(AT, by_reset=True),
    "changed-from-space": mail_texts.password_changed(AT, by_reset=False),
}


@pytest.mark.parametrize("kind", MAILS)
def test_every_mail_greets_and_ends_with_the_footer(kind: str) -> None:
    subject, body = MAILS[kind]
    assert subject.endswith("(simulation)")
    assert body.startswith("Bonjour,\n\n") and body.endswith("\n\n" + FOOTER)
    assert "\n\n\n" not in body  # one blank line between paragraphs, never two


def test_a_link_stands_alone_between_blank_lines() -> None:
    _, body = MAILS["reset"]
    assert "une seule fois)\u00a0:\n\n    https://ensap.test/r/1\n\nSi vous" in body
    _, body = MAILS["activation"]
    assert "\n\n    https://ensap.test/a/1\n\nPassé ce délai" in body
