"""``ensap-tui scenario``: scenario files (``docs/TESTING.md``, « Scenarios »).

``scenario verifier FICHIER…`` runs each scenario headless on a throw-away demo database and
stops at the first failure (exit code 1) with the step, what was expected, what the screen
showed and an SVG capture. A scenario that cannot be read is refused before anything runs
(exit code 2). ``scenario jouer FICHIER`` plays one live in the app, in demo mode;
``scenario enregistrer FICHIER`` writes what the person does in the app as a scenario.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ensap_tui.commands import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    ActionSpec,
    CommandError,
    add_actions,
)

if TYPE_CHECKING:
    from ensap_tui.scenarios.format import Scenario


def build(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """``scenario verifier``, ``scenario jouer`` and ``scenario enregistrer``."""
    add_actions(parser, common, _ACTIONS, when_bare=_missing_action)


def _verify_arguments(verify: argparse.ArgumentParser) -> None:
    verify.add_argument("files", nargs="+", type=Path, metavar="FICHIER",
                        help="scénarios à vérifier (.toml)")
    verify.add_argument("--junit", type=Path, metavar="RAPPORT.xml",
                        help="écrit aussi un rapport JUnit XML")
    verify.add_argument("--captures", type=Path, metavar="DOSSIER", default=Path("."),
                        help="dossier des captures SVG d'un échec (par défaut : le dossier "
                             "courant)")
    _variables_option(verify)
    verify.add_argument("--delai", type=positive_seconds, default=15.0, metavar="SECONDES",
                        help="attente maximale d'une étape avant l'échec (par défaut : 15)")
    verify.add_argument("--taille", type=terminal_size, default=(100, 40), metavar="LxH",
                        help="taille du terminal simulé, par exemple 80x24 (par défaut : 100x40)")
    verify.add_argument("--detail", action="store_true",
                        help="affiche chaque étape (mots de passe masqués)")


def _play_arguments(play: argparse.ArgumentParser) -> None:
    play.add_argument("file", type=Path, metavar="FICHIER", help="le scénario (.toml)")
    play.add_argument("--vitesse", type=positive_speed, default=1.0, metavar="FACTEUR",
                      help="2 : deux fois plus vite, 0.5 : deux fois moins (par défaut : 1)")
    _variables_option(play)


def _record_arguments(record: argparse.ArgumentParser) -> None:
    record.add_argument("file", type=Path, metavar="FICHIER", help="le scénario à écrire (.toml)")
    record.add_argument("--titre", metavar="TITRE", help="titre du scénario")
    record.add_argument("--remplacer", action="store_true",
                        help="remplace FICHIER s'il existe déjà")


def number_between(
    low: float, high: float, *, not_a_number: str, out_of_range: str
) -> Callable[[str], float]:
    """argparse type: a decimal number (``0,5`` or ``0.5``) from ``low`` to ``high``; otherwise
    the French message ``not_a_number`` (``{text!r}`` is what was typed) or ``out_of_range``."""

    def parse(text: str) -> float:
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise argparse.ArgumentTypeError(not_a_number.format(text=text)) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(out_of_range)
        return value

    return parse


#: ``--delai``: seconds a step may wait, 0.1 to 600.
positive_seconds = number_between(
    0.1, 600,
    not_a_number="un nombre de secondes est attendu, pas {text!r}",
    out_of_range="un nombre de secondes entre 0,1 et 600 est attendu",
)
#: ``--vitesse``: the speed factor, 0.1 to 20.
positive_speed = number_between(
    0.1, 20,
    not_a_number="un nombre est attendu, pas {text!r}",
    out_of_range="une vitesse entre 0,1 et 20 est attendue",
)


def terminal_size(text: str) -> tuple[int, int]:
    """argparse type: ``80x24``, columns × rows, at least 40×12 and at most 400×200."""
    columns, _, rows = text.lower().replace("×", "x").partition("x")
    try:
        size = (int(columns), int(rows))
    except ValueError:
        raise argparse.ArgumentTypeError(f"une taille comme 80x24 est attendue, pas {text!r}"
                                         ) from None
    if not (40 <= size[0] <= 400 and 12 <= size[1] <= 200):
        raise argparse.ArgumentTypeError("une taille entre 40x12 et 400x200 est attendue")
    return size


def _variables_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--variable", action="append", default=[], metavar="NOM=VALEUR",
                        help="donne ou remplace une variable du scénario (répétable)")


def _missing_action(parser: argparse.ArgumentParser) -> Any:
    def run(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    return run


def _overrides(args: argparse.Namespace) -> dict[str, str]:
    result = {}
    for item in args.variable:
        name, equals, value = item.partition("=")
        if not equals or not name:
            raise CommandError(f"--variable {item!r} : la forme attendue est NOM=VALEUR.",
                               EXIT_USAGE)
        result[name] = value
    return result


def load_all(files: list[Path], overrides: dict[str, str]) -> list[Scenario]:
    """Every file read and checked, before any runs; the first refused one is a
    :class:`CommandError` (exit code 2) naming its line."""
    from ensap_tui.scenarios.format import ScenarioError, load

    try:
        return [load(path, overrides) for path in files]
    except ScenarioError as error:
        raise CommandError(f"scénario refusé : {error}", EXIT_USAGE) from None


def run_verify(args: argparse.Namespace) -> int:
    """``scenario verifier``: exit code 0 when every scenario passed, 1 at the first failure,
    2 when a scenario is refused."""
    import asyncio  # here: the other commands' start-up does not pay for it

    from ensap_tui.scenarios.verifier import failure_report, verify, write_junit

    scenarios = load_all(args.files, _overrides(args))
    outcomes = []
    # The stream as it is now: while the app runs, Textual captures what print() writes.
    out = sys.stdout
    log = (lambda line: print(f"  {line}", file=out, flush=True)) if args.detail else None
    for index, scenario in enumerate(scenarios):
        if args.detail:
            print(f"{scenario.title} ({scenario.path})", flush=True)
        outcome = asyncio.run(verify(scenario, args.captures, log=log, budget=args.delai,
                                    size=args.taille))
        outcomes.append(outcome)
        if not outcome.passed:
            if args.junit is not None:
                write_junit(args.junit, outcomes, scenarios[index + 1:])
            print(f"ensap-tui : {failure_report(outcome)}", file=sys.stderr)
            return EXIT_FAILED
        seconds = f"{outcome.seconds:.1f}".replace(".", ",")
        print(f"réussi : {scenario.title} ({scenario.path}) — {outcome.steps_done} étapes, "
              f"{seconds}\u00a0s", flush=True)
    if args.junit is not None:
        write_junit(args.junit, outcomes, [])
    print(f"{len(outcomes)} scénario{'s' if len(outcomes) > 1 else ''} vérifié"
          f"{'s' if len(outcomes) > 1 else ''}, aucun échec.")
    return EXIT_OK


def run_play(args: argparse.Namespace) -> int:
    """``scenario jouer``: the app in the terminal, in demo mode, played by the scenario."""
    from ensap_tui.bootstrap import StartupError
    from ensap_tui.commands import chosen_database, chosen_settings
    from ensap_tui.scenarios.player import Player
    from ensap_tui.ui.app import create_app

    (scenario,) = load_all([args.file], _overrides(args))
    db, _ = chosen_database(args, demo=True)
    try:
        app = create_app(db, settings=chosen_settings(args, in_demo=True))
    except StartupError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    player = Player(scenario, speed=args.vitesse)
    app.run(auto_pilot=player)
    print(f"Scénario « {scenario.title} » : {player.result or 'non commencé'}.")
    return EXIT_OK


def run_record(args: argparse.Namespace) -> int:
    """``scenario enregistrer``: the app in the terminal, in demo mode; what the person does
    is written to FICHIER as a scenario when the app closes."""
    from textual._context import message_hook  # how run_test installs its hook, for app.run

    from ensap_tui.bootstrap import StartupError
    from ensap_tui.commands import chosen_database, chosen_settings
    from ensap_tui.domain.timefmt import format_datetime
    from ensap_tui.scenarios.recorder import Recorder
    from ensap_tui.ui.app import create_app

    target: Path = args.file
    if target.exists() and not args.remplacer:
        raise CommandError(f"{target} existe déjà : choisissez un autre nom, ou --remplacer.",
                           EXIT_USAGE)
    if not target.parent.is_dir():
        raise CommandError(f"le dossier {target.parent} n'existe pas.", EXIT_USAGE)
    db, _ = chosen_database(args, demo=True)
    try:
        app = create_app(db, settings=chosen_settings(args, in_demo=True))
    except StartupError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    title = args.titre or f"Scénario enregistré le {format_datetime(app.services.clock.now())}"
    recorder = Recorder(title)
    recorder.attach(app)
    token = message_hook.set(recorder)
    try:
        app.run()
    finally:
        message_hook.reset(token)
    recorder.finish()
    if not recorder.steps:
        print("Rien à enregistrer : aucune action dans l'application.", file=sys.stderr)
        return EXIT_FAILED
    write_atomically(target, recorder.toml())
    print(f"Scénario enregistré : {target} ({len(recorder.steps)} étapes). Vérifiez-le avec "
          f"« ensap-tui scenario verifier {target} ».")
    return EXIT_OK


def write_atomically(path: Path, text: str) -> None:
    """Writes ``text`` to ``path`` whole or not at all (a temporary file, then a rename)."""
    import os
    import tempfile

    try:
        handle, temporary = tempfile.mkstemp(prefix=".scenario-", suffix=".toml",
                                             dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError as error:
        raise CommandError(f"écriture de {path} impossible ({error.strerror}).") from None


#: The actions on scenario files, in help order.
_ACTIONS = (
    ActionSpec(
        "verifier",
        help="vérifie des scénarios sans écran, sur une base jetable",
        description=(
            "Joue chaque scénario sans écran, aussi vite que l'application le permet, sur une "
            "base de démonstration neuve et jetable (horloge fixe), et vérifie chaque attente. "
            "--db et --demo n'y changent rien : la base est toujours neuve. "
            "S'arrête au premier échec : étape, attendu, écran affiché et capture SVG."
        ),
        handler=run_verify,
        arguments=_verify_arguments,
    ),
    ActionSpec(
        "jouer",
        help="joue un scénario en direct, au rythme d'une personne, avec ses pauses",
        description=(
            "Ouvre l'application en mode démonstration (base de démonstration, ou celle de "
            "--db) et joue le scénario à vitesse humaine : la légende de chaque étape s'affiche "
            "en bas de l'écran, chaque pause attend une touche, Échap rend la main à tout "
            "moment (l'application reste ouverte ; Ctrl+Q pour quitter)."
        ),
        handler=run_play,
        arguments=_play_arguments,
    ),
    ActionSpec(
        "enregistrer",
        help="enregistre ce que vous faites dans l'application comme un scénario",
        description=(
            "Ouvre l'application en mode démonstration (base de démonstration, ou celle de "
            "--db) et note ce que vous faites : boutons, textes saisis, listes, cases, touches "
            "Échap et F1-F8. En quittant (Ctrl+Q), écrit le scénario : les mots de passe y "
            "deviennent des variables, chaque nouvel écran une attente, le dernier une "
            "vérification."
        ),
        handler=run_record,
        arguments=_record_arguments,
    ),
)
