"""No clear password anywhere on disk, and no password or token in events or mail texts."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ensap_tui.services.container import Services
from ensap_tui.services.models import SignInStatus
from tests.support.accounts import active_person, events, last_link, mails, open_session
from tests.support.people import NIR, request

FIRST = "Zèbre#Unique7341"
SECOND = "Quokka!Rare5582"
THIRD = "Narval&Bleu9917"
TYPO = "Wombat?Faux2468"


def encodings(password: str) -> list[bytes]:
    forms = {unicodedata.normalize(form, password) for form in ("NFC", "NFD", "NFKC")}
    return [f.encode(enc) for f in forms for enc in ("utf-8", "utf-16-le")]


def test_clear_passwords_never_reach_the_database_files(
    services: Services, db_path: Path
) -> None:
    active_person(services, request(password=FIRST, password_confirmation=FIRST))
    session = open_session(services, FIRST)
    assert services.sign_in.sign_in(NIR, TYPO).status is SignInStatus.FAILED
    services.account.change_password(session, FIRST, SECOND, SECOND)
    services.recovery.request_reset(NIR)
    services.recovery.reset_password(last_link(services, "reset"), THIRD, THIRD)
    open_session(services, THIRD)

    files = [p for p in db_path.parent.iterdir() if p.is_file()]
    assert db_path in files
    data = b"".join(p.read_bytes() for p in files)
    assert len(data) > 0
    for password in (FIRST, SECOND, THIRD, TYPO):
        for encoded in encodings(password):
            assert encoded not in data, password

    tokens = [m.link.rsplit("/", 1)[1] for m in mails(services) if m.link]
    assert len(tokens) == 2
    for event in events(services):
        text = f"{event.kind} {event.detail} {event.actor}"
        for secret in (FIRST, SECOND, THIRD, TYPO, *tokens):
            assert secret not in text
    for message in mails(services):
        for secret in (FIRST, SECOND, THIRD, TYPO):
            assert secret not in message.body and secret not in message.subject
        for token in tokens:
            if token not in message.link:
                assert token not in message.body
