"""The command line's listings in a training room (issue 12, point 3): ``outbox`` and
``events`` say which poste a mail or an event belongs to, and ``accounts`` judges a poste's
space on that poste's clock, as the poste and the console do. Outside a room nothing changes.

The commands open the database as a user would (system clock): the room is made from services
whose fixed clock starts from the real time, and its postes' clocks run hours ahead of it, so
what the commands read does not depend on how long the test takes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.adapters.tokens import SequenceTokenSource
from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.services.container import Services
from ensap_tui.services.models import ActivationOutcome
from tests.support.accounts import block
from tests.support.people import LEFEBVRE, NIR, OTHER_NIR, OTHER_REQUEST, REQUEST
from tests.support.programs import run_main as run

Opener = Callable[..., Services]
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No system keyring: the secret stays in the file beside the test database; wide tables."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    monkeypatch.setenv("COLUMNS", "250")
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def opened(db_path: Path) -> Iterator[Opener]:
    """Services on the test database, an hour behind the real time (the postes' clocks run
    hours ahead of it), each closed at the end."""
    clock = FixedClock(datetime.now(UTC) - timedelta(hours=1))
    tokens = SequenceTokenSource()
    made: list[Services] = []

    def open_(poste: int | None = None) -> Services:
        settings = dataclasses.replace(Settings.for_tests(), poste=poste)
        built = open_services(db_path, clock=clock, token_source=tokens, settings=settings)
        made.append(built)
        return built

    yield open_
    for services in made:
        services.close()


def activate_last(services: Services) -> None:
    link = services.mailbox.messages(limit=1)[0].link
    assert services.activation.activate(link) is ActivationOutcome.ACTIVATED


def test_outbox_and_events_name_the_poste_of_a_rooms_mails_and_events(
    capsys: pytest.CaptureFixture[str], db_path: Path, opened: Opener
) -> None:
    trainer = opened()
    trainer.registration.register(LEFEBVRE)  # before the room: no poste
    room = trainer.room.open_room()
    camille, leo = trainer.room.join(room.code, "Camille"), trainer.room.join(room.code, "Léo")
    opened(camille.id).registration.register(REQUEST)
    opened(leo.id).registration.register(OTHER_REQUEST)

    code, out, err = run(capsys, db_path, "outbox", "--json")
    assert (code, err) == (0, "")
    assert [(m["destinataire"], m.get("poste")) for m in json.loads(out)] == [
        (OTHER_REQUEST.email, {"numero": leo.id, "prenom": "Léo"}),
        (REQUEST.email, {"numero": camille.id, "prenom": "Camille"}),
        (LEFEBVRE.email, None),
    ]
    assert "poste" not in json.loads(out)[2]  # a mail of no poste: the object as before
    code, out, _ = run(capsys, db_path, "outbox")
    assert code == 0
    header = next(line for line in out.splitlines() if "Reçu" in line)
    assert "Poste" in header
    assert f"{leo.id} (Léo)" in out and f"{camille.id} (Camille)" in out
    code, out, _ = run(capsys, db_path, "outbox", "--last")
    assert code == 0 and f"Poste{NBSP}: {leo.id} (Léo)\n" in out

    code, out, _ = run(capsys, db_path, "events", "--json")
    assert code == 0
    created = [(e["nir"], e.get("poste")) for e in json.loads(out)
               if e["type"] == "registration-created"]
    assert created == [
        (OTHER_NIR, {"numero": leo.id, "prenom": "Léo"}),
        (NIR, {"numero": camille.id, "prenom": "Camille"}),
        (LEFEBVRE.nir, None),
    ]
    code, out, _ = run(capsys, db_path, "events")
    assert code == 0
    header = next(line for line in out.splitlines() if "Quand" in line)
    assert "Poste" in header
    assert f"{leo.id} (Léo)" in out and f"{camille.id} (Camille)" in out


def test_outside_a_room_outbox_and_events_are_as_before(
    capsys: pytest.CaptureFixture[str], db_path: Path, opened: Opener
) -> None:
    opened().registration.register(REQUEST)
    for command in ("outbox", "events"):
        code, out, _ = run(capsys, db_path, command)
        assert code == 0 and "Poste" not in out
        code, out, _ = run(capsys, db_path, command, "--json")
        assert code == 0 and all("poste" not in item for item in json.loads(out))
    code, out, _ = run(capsys, db_path, "outbox", "--last")
    assert code == 0 and "Poste" not in out


def test_accounts_judges_a_postes_space_on_that_postes_clock(
    capsys: pytest.CaptureFixture[str], db_path: Path, opened: Opener
) -> None:
    # Camille's clock runs 25 hours ahead of the services' (an hour behind the real time):
    # the block she met at her poste ended 45 minutes ago on her clock, though its end is a
    # day ahead of the command's real time. The command says what her poste says.
    trainer = opened()
    room = trainer.room.open_room()
    camille = trainer.room.join(room.code, "Camille")
    at_camille = opened(camille.id)
    at_camille.registration.register(REQUEST)
    activate_last(at_camille)
    trainer.room.move_poste_clock(camille.id, timedelta(hours=25))
    block(at_camille)
    code, out, _ = run(capsys, db_path, "accounts", "list", "--statut", "bloque", "--json")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = run(capsys, db_path, "accounts", "list", "--statut", "active", "--json")
    assert [(a["nir"], a["statut"]) for a in json.loads(out)] == [(NIR, "active")]
    code, out, _ = run(capsys, db_path, "accounts", "show", NIR, "--json")
    assert (json.loads(out)["statut"], json.loads(out)["statut_libelle"]) == (
        "active", "active")
