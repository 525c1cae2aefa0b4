"""The help desk from the shell: ``agent``, ``accounts`` and ``events``, their output, JSON and
exit codes (0 done, 1 could not be done, 2 bad usage), French messages and no traceback.

The commands open the database as a user would (system clock, production argon2): the accounts
are made at the real time so their states read the same from the shell.
"""

from __future__ import annotations

import getpass
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.adapters.tokens import SequenceTokenSource
from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.services import assistance
from ensap_tui.services.container import Services
from ensap_tui.services.models import ActivationOutcome, SignInStatus
from tests.support.accounts import block
from tests.support.people import (
    AGENT,
    AGENT_PASSWORD,
    MASKED_NIR,
    NIR,
    NIR_SPACED,
    OTHER_NIR,
    OTHER_REQUEST,
    UNKNOWN_NIR,
    request,
)
from tests.support.programs import program_env
from tests.support.programs import run_main as run

UNKNOWN_MESSAGE = "Aucun espace n'existe pour le numéro 1 92 04 97 120 011 43."

PERSON = request(
    birth_name="Lefèvre", email="jean.lefevre@example.fr",
    email_confirmation="jean.lefevre@example.fr",
)
OTHER = OTHER_REQUEST


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No system keyring: the secret stays in the file beside the test database; wide tables."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    monkeypatch.setenv("COLUMNS", "200")
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def now_services(db_path: Path) -> Iterator[Services]:
    """Services on the test database with a clock at the real time (the shell's time)."""
    clock = FixedClock(datetime.now(UTC))
    built = open_services(
        db_path, clock=clock, token_source=SequenceTokenSource(), settings=Settings.for_tests()
    )
    yield built
    built.close()


def activate_last(services: Services) -> None:
    link = services.mailbox.messages(limit=1)[0].link
    assert services.activation.activate(link) is ActivationOutcome.ACTIVATED


@pytest.fixture
def people(now_services: Services) -> Services:
    """A pending space (LEFÈVRE) and an active, blocked one (MARTIN-LÉGER)."""
    now_services.registration.register(PERSON)
    now_services.registration.register(OTHER)
    activate_last(now_services)
    block(now_services, OTHER_NIR)
    return now_services


def events_of(services: Services, nir: str) -> list[tuple[str, str]]:
    return [(e.kind, e.actor) for e in services.assistance.journal(nir)]


# -- accounts list / show --------------------------------------------------------------------


def test_accounts_list_shows_a_table_with_masked_nirs(
        capsys: pytest.CaptureFixture[str], db_path: Path, people: Services) -> None:
    code, out, err = run(capsys, db_path, "accounts", "list")
    assert code == 0 and err == ""
    assert "Espaces (2)" in out
    assert MASKED_NIR in out and NIR not in out and NIR_SPACED not in out
    assert "Lefèvre" in out and "Martin-Léger" in out
    assert "en attente d'activation" in out
    assert "bloqué jusqu'à" in out


def test_accounts_list_json_and_filter(
        capsys: pytest.CaptureFixture[str], db_path: Path, people: Services) -> None:
    code, out, _ = run(capsys, db_path, "accounts", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["nir"], r["statut"]) for r in rows] == [(OTHER_NIR, "bloque"), (NIR, "attente")]
    assert rows[0]["nom_naissance"] == "Martin-Léger"
    assert rows[0]["statut_libelle"].startswith("bloqué jusqu'à ")
    assert rows[0]["bloque_jusqu_a"] is not None
    assert rows[1]["lien_valable_jusqu_au"] is not None
    code, out, _ = run(capsys, db_path, "accounts", "list", "--statut", "attente", "--json")
    assert [r["nir"] for r in json.loads(out)] == [NIR]
    code, out, _ = run(capsys, db_path, "accounts", "list", "--statut", "active", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, db_path, "accounts", "list", "--statut", "active")
    assert code == 0 and "Aucun espace ne correspond." in out


def test_accounts_list_refuses_an_unknown_state(
        capsys: pytest.CaptureFixture[str], db_path: Path, people: Services) -> None:
    code, _, err = run(capsys, db_path, "accounts", "list", "--statut", "perdu")
    assert code == 2
    assert "choix invalide" in err and "attente" in err


def test_accounts_show_any_spelling_and_json(
        capsys: pytest.CaptureFixture[str], db_path: Path, people: Services) -> None:
    code, out, _ = run(capsys, db_path, "accounts", "show", "1.85.05.75.115.123.64")
    assert code == 0
    assert f"Espace {NIR_SPACED}" in out
    assert "jean.lefevre@example.fr" in out
    assert "Lien d'activation valable jusqu'au" in out
    code, out, _ = run(capsys, db_path, "accounts", "show", "2 78 07 2b 033 007 42", "--json")
    shown = json.loads(out)
    assert shown["nir"] == OTHER_NIR
    assert shown["statut"] == "bloque"
    assert shown["courriel"] == "claire.martin@example.org"
    assert shown["derniere_connexion"] is None


@pytest.mark.parametrize(
    "argv",
    [
        ("accounts", "show", UNKNOWN_NIR),
        ("accounts", "unlock", UNKNOWN_NIR),
        ("accounts", "resend", UNKNOWN_NIR),
        ("accounts", "delete", UNKNOWN_NIR, "--yes"),
    ],
)
def test_an_unknown_nir_exits_1_with_a_french_message(
        capsys: pytest.CaptureFixture[str], db_path: Path, people: Services,
        argv: tuple[str, ...]) -> None:
    code, out, err = run(capsys, db_path, *argv)
    assert code == 1
    assert out == ""
    assert err.strip() == f"ensap-tui : {UNKNOWN_MESSAGE}"


def test_a_malformed_nir_is_bad_usage(
        capsys: pytest.CaptureFixture[str], db_path: Path, people: Services) -> None:
    code, _, err = run(capsys, db_path, "accounts", "unlock", "185057511512365")
    assert code == 2
    assert "argument NIR : La clé du numéro ne correspond pas" in err


# -- accounts actions ------------------------------------------------------------------------


def test_unlock_lifts_the_block_in_the_name_of_the_shell_user(
        capsys: pytest.CaptureFixture[str], db_path: Path, people: Services) -> None:
    code, out, _ = run(capsys, db_path, "accounts", "unlock", OTHER_NIR)
    assert code == 0
    assert "Le blocage de l'espace 2 78 07 2B 033 007 42 est levé" in out
    assert people.sign_in.sign_in(OTHER_NIR, "Azur&Corail1978x").status is SignInStatus.SIGNED_IN
    shell_user = f"ligne de commande ({getpass.getuser()})"
    assert (assistance.ACCOUNT_UNBLOCKED, shell_user) in events_of(people, OTHER_NIR)
    code, out, _ = run(capsys, db_path, "accounts", "unlock", OTHER_NIR)
    assert code == 0 and "n'était pas bloqué" in out


def test_resend_by_a_named_agent_revokes_the_old_link(
        capsys: pytest.CaptureFixture[str], db_path: Path, people: Services) -> None:
    people.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    old = next(m.link for m in people.mailbox.messages() if m.nir == NIR)
    code, out, _ = run(
        capsys, db_path, "accounts", "resend", NIR_SPACED, "--agent", "camille.martin"
    )
    assert code == 0
    assert "jean.lefevre@example.fr" in out and "le lien précédent ne fonctionne plus" in out
    declared = f"ligne de commande ({getpass.getuser()}), pour {AGENT} (déclaré)"
    assert events_of(people, NIR)[0] == ("activation-sent", declared)
    assert people.activation.activate(old) is ActivationOutcome.UNKNOWN


def test_an_unknown_agent_is_bad_usage_and_nothing_is_done(
        capsys: pytest.CaptureFixture[str], db_path: Path, people: Services) -> None:
    mails = len(people.mailbox.messages())
    code, _, err = run(capsys, db_path, "accounts", "resend", NIR, "--agent", "Inconnu")
    assert code == 2
    assert "Aucun agent ne s'appelle « Inconnu »" in err
    assert len(people.mailbox.messages()) == mails


def test_resend_to_an_active_space_is_refused(
        capsys: pytest.CaptureFixture[str], db_path: Path, now_services: Services) -> None:
    now_services.registration.register(OTHER)
    activate_last(now_services)
    code, _, err = run(capsys, db_path, "accounts", "resend", OTHER_NIR)
    assert code == 1
    assert "déjà activé" in err


def test_delete_needs_yes(
        capsys: pytest.CaptureFixture[str], db_path: Path, people: Services) -> None:
    code, out, err = run(capsys, db_path, "accounts", "delete", NIR)
    assert code == 2
    assert out == ""
    assert "--yes" in err and "définitive" in err
    assert people.assistance.status_of(NIR).account.nir == NIR
    code, out, _ = run(capsys, db_path, "accounts", "delete", NIR, "--yes")
    assert code == 0 and "a été supprimé" in out
    assert events_of(people, NIR)[0][0] == assistance.ACCOUNT_DELETED
    code, _, err = run(capsys, db_path, "accounts", "show", NIR)
    assert code == 1


# -- events ----------------------------------------------------------------------------------


def test_events_table_json_limit_and_nir(
        capsys: pytest.CaptureFixture[str], db_path: Path, people: Services) -> None:
    code, out, _ = run(capsys, db_path, "events")
    assert code == 0
    assert "Journal des événements" in out
    assert "accès bloqué après 3 échecs" in out
    assert OTHER_NIR not in out and "2 78 •• •• ••• ••• 42" in out
    code, out, _ = run(capsys, db_path, "events", "--json", "--limit", "2", "--nir", NIR_SPACED)
    rows = json.loads(out)
    assert [r["type"] for r in rows] == ["registration-created"]
    assert rows[0]["nir"] == NIR and rows[0]["auteur"] == ""
    code, out, _ = run(capsys, db_path, "events", "--json", "--limit", "2")
    assert len(json.loads(out)) == 2
    code, _, err = run(capsys, db_path, "events", "--limit", "0")
    assert code == 2 and "un nombre entre 1 et 1\u202f000\u202f000 est attendu" in err


# -- agents ----------------------------------------------------------------------------------


def test_agent_add_reads_two_lines_then_lists_and_removes(
        capsys: pytest.CaptureFixture[str], db_path: Path, now_services: Services,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{AGENT_PASSWORD}\n{AGENT_PASSWORD}\n"))
    code, out, err = run(capsys, db_path, "agent", "add", AGENT)
    assert (code, err) == (0, "")
    assert "L'agent « Camille.Martin » a été ajouté" in out
    # The password is not echoed.
    assert AGENT_PASSWORD not in out
    assert now_services.agents.sign_in(AGENT, AGENT_PASSWORD).status is SignInStatus.SIGNED_IN
    code, out, _ = run(capsys, db_path, "agent", "list", "--json")
    assert [a["nom"] for a in json.loads(out)] == [AGENT]
    code, out, _ = run(capsys, db_path, "agent", "list")
    assert "Agents d'assistance (1)" in out and AGENT in out
    code, out, _ = run(capsys, db_path, "agent", "remove", "CAMILLE.MARTIN")
    assert code == 0 and "a été supprimé" in out
    code, out, _ = run(capsys, db_path, "agent", "list")
    assert "Aucun agent d'assistance" in out
    code, _, err = run(capsys, db_path, "agent", "remove", AGENT)
    assert code == 1 and "Aucun agent ne s'appelle « Camille.Martin »" in err


@pytest.mark.parametrize(
    ("stdin", "code", "words"),
    [
        (f"{AGENT_PASSWORD}\n", 2, "deux lignes"),
        ("Camille#2026xy\nCamille#2026xy\n", 1, "l'identifiant de l'agent"),
        (f"{AGENT_PASSWORD}\nAutre#Chose99\n", 1, "pas identiques"),
    ],
)
def test_agent_add_refusals(
        capsys: pytest.CaptureFixture[str], db_path: Path, now_services: Services,
        monkeypatch: pytest.MonkeyPatch, stdin: str, code: int, words: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    got, _, err = run(capsys, db_path, "agent", "add", "Camille")
    assert got == code
    assert words in err
    assert now_services.agents.list() == []


def test_the_real_command_in_a_subprocess(db_path: Path, now_services: Services) -> None:
    """The installed entry point, with the password piped, then a JSON listing and an error."""
    now_services.registration.register(PERSON)
    env = program_env(COLUMNS="200")

    def command(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ensap_tui", "--db", str(db_path), *argv],
            input=stdin, capture_output=True, text=True, env=env, timeout=120, check=False,
        )

    added = command("agent", "add", AGENT, stdin=f"{AGENT_PASSWORD}\n{AGENT_PASSWORD}\n")
    assert added.returncode == 0, added.stderr
    assert "a été ajouté" in added.stdout
    listed = command("accounts", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [r["statut"] for r in json.loads(listed.stdout)] == ["attente"]
    unknown = command("accounts", "unlock", UNKNOWN_NIR, "--agent", AGENT)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == f"ensap-tui : {UNKNOWN_MESSAGE}"
    assert "Traceback" not in unknown.stderr
    refused = command("accounts", "delete", NIR)
    assert refused.returncode == 2
    assert now_services.agents.get(AGENT) is not None
