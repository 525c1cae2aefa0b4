"""The scenario file format (version 1): read, checked and turned into steps before anything
runs. Pure: no Textual, no database.

A scenario is a TOML file::

    format = 1
    titre = "Création d'un espace"
    [variables]
    mot_de_passe = "Soleil-Vert-42"
    [[etapes]]
    tirer_nir = "nir"
    [[etapes]]
    ouvrir = "creation"
    legende = "On crée un espace"
    [[etapes]]
    saisir = "#nir"
    texte = "{nir}"

Each ``[[etapes]]`` table holds exactly one action key (:data:`ACTIONS`) and the options that
action accepts, plus ``legende`` (a caption for the audience) on any step. Every refusal is a
:class:`ScenarioError` with the line it is about and a French message.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

#: What a log or a report shows instead of a password.
HIDDEN = "••••••••"

#: The version this module reads.
FORMAT_VERSION = 1

#: Every id of the tester's contract (docs/TESTING.md, «Ids, screen by screen»). A scenario may
#: name no other: screens may change inside, these ids stay.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


KNOWN_IDS = _words(
    """
    acceder acceder-espace accepter-cgu activer activer-espace adresse-envoi
    afficher-confirmation-mot-de-passe afficher-mot-de-passe agent-connecte agent-connexion
    agent-demo agent-identifiant agent-mot-de-passe aide-nir aide-nom-naissance aide-texte annee
    annuler avancer-1h avancer-24h avertissement-tentatives bandeau-simulation bienvenue
    bienvenue-nir bienvenue-nom boite-reception boite-vide cgu cgu-erreur cgu-texte comptes-demo
    confirmation-courriel confirmation-courriel-secours confirmation-mot-de-passe
    confirmation-mot-de-passe-erreur confirmer continuer coordonnees corps courriel
    courriel-entete courriel-secours courriel-selectionne courriel-texte creer-espace
    date-naissance-erreur debloquer deconnexion deconnexion-agent derniere-connexion
    details-contenu details-espace details-titre documents en-savoir-plus entete-simulateur
    entete-titre envoyer espace-assistance etapes fermer-aide fermer-cgu heure-reelle
    horloge-demo identifiant identifiant-erreur jour journal journal-evenements lien lien-erreur
    lire-cgu message-activation message-agent message-connexion message-console message-demo
    message-espace message-oubli message-reinitialisation messages modifier-coordonnees
    modifier-mot-de-passe mois mot-de-passe mot-de-passe-actuel mot-de-passe-erreur
    mot-de-passe-oublie nir nir-aide nir-erreur niveau-securite nom-naissance nom-naissance-aide
    nom-naissance-erreur ouvrir-boite panneau-journal recherche recherche-info regles
    reinitialiser-demo renvoyer-activation resultats retour retour-accueil retour-etape
    suivre-lien supprimer telephone telephone-secondaire travail-en-cours valider validite
    """
)

#: The text fields (``saisir``).
INPUT_IDS = _words(
    """
    nir nom-naissance mot-de-passe confirmation-mot-de-passe courriel confirmation-courriel
    courriel-secours confirmation-courriel-secours telephone telephone-secondaire lien
    identifiant mot-de-passe-actuel agent-identifiant agent-mot-de-passe recherche
    """
)
#: The drop-down lists (``choisir``).
LIST_IDS = frozenset({"jour", "mois", "annee"})
#: The tables whose row is chosen by a text it contains (``choisir`` too).
TABLE_IDS = frozenset({"resultats", "messages"})
#: The tick boxes (``cocher``).
BOX_IDS = frozenset({"cgu"})
#: The fields whose error line ``verifier_erreur`` can check (``#<champ>-erreur``).
ERROR_FIELDS = INPUT_IDS - {"recherche"} | {"date-naissance", "cgu"}


#: Variables every scenario may use without defining them: the demo's help-desk agent and its
#: password (drawn for each demo database; the runner reads them from the demo database).
BUILTIN_VARIABLES = {
    "agent_demo": "l'identifiant de l'agent d'assistance de la démonstration",
    "mot_de_passe_agent_demo": "son mot de passe (tiré pour chaque base de démonstration)",
}


def is_secret_field(widget_id: str) -> bool:
    """True for a password field: what is typed there is never written in a log."""
    return "mot-de-passe" in widget_id


def is_secret_variable(name: str) -> bool:
    """True for a variable holding a password (its name starts with ``mot_de_passe``)."""
    return name.startswith("mot_de_passe")


#: The screens, each known by ids of the tester's contract that only it shows (all must be
#: present); the first that matches names the screen.
SCREENS: dict[str, tuple[str, ...]] = {
    "aide": ("aide-texte",),
    "cgu": ("accepter-cgu",),
    "confirmation": ("confirmer",),
    "accueil": ("espace-assistance", "creer-espace"),
    "identite": ("nir", "cgu"),
    "mot-de-passe": ("retour-etape", "mot-de-passe"),
    "coordonnees": ("retour-etape", "courriel"),
    "finalisation": ("adresse-envoi",),
    "boite-reception": ("messages",),
    "activation": ("activer",),
    "connexion": ("acceder",),
    "mot-de-passe-oublie": ("message-oubli",),
    "reinitialisation": ("message-reinitialisation",),
    "mon-espace": ("bienvenue",),
    "modifier-mot-de-passe": ("mot-de-passe-actuel",),
    "modifier-coordonnees": ("courriel", "annuler"),
    "assistance": ("agent-connexion",),
    "console": ("recherche",),
    "demo": ("horloge-demo",),
}

#: ``ouvrir``: the screens reached from the home page, by the id of its button (``None``: the
#: home page itself; ``demo``: F2).
OPENABLE: dict[str, str | None] = {
    "accueil": None,
    "creation": "creer-espace",
    "connexion": "acceder-espace",
    "activation": "activer-espace",
    "boite-reception": "boite-reception",
    "assistance": "espace-assistance",
    "demo": "f2",
}

#: ``touche``: Textual key names (``enter``, ``tab``, ``shift+tab``, ``escape``, ``f7``,
#: ``ctrl+p``, ``down``…) or one printable character.
_KEY = re.compile(r"(?:(?:ctrl|shift|alt)\+)*(?:[a-z0-9_]+|f[0-9]{1,2})\Z|.\Z", re.DOTALL)
_CLOCK = re.compile(r"\+(?P<amount>[0-9]{1,4})\s?(?P<unit>min|h|j)\Z")
_BIRTH = re.compile(r"[0-9]{2}/(19|20)[0-9]{2}\Z")
_VARIABLE_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_UNITS = {"min": timedelta(minutes=1), "h": timedelta(hours=1), "j": timedelta(days=1)}


class ScenarioError(Exception):
    """A scenario that cannot run; ``str()`` is the French message with the file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}, ligne {line}" if line is not None else self.path
        super().__init__(f"{where} : {message}")


@dataclass(frozen=True)
class Step:
    """One step: its ``action`` (a key of :data:`ACTIONS`), the action's ``target`` (an id
    without ``#``, a screen, a key, a text…), its ``options``, the audience's ``caption``, its
    number (from 1) and the line of its ``[[etapes]]`` header."""

    number: int
    line: int
    action: str
    target: Any
    options: Mapping[str, Any] = field(default_factory=dict)
    caption: str = ""

    def describe(self, variables: Mapping[str, str] | None = None) -> str:
        """The step in one French line, passwords hidden, for logs and reports."""
        target = self.target
        if self.action == "saisir":
            text = str(self.options["texte"])
            shown = (
                HIDDEN
                if is_secret_field(target) or _uses_secret(text)
                else _shown(text, variables)
            )
            return f"saisir « {shown} » dans #{target}"
        if self.action == "choisir":
            value = _shown(str(self.options["valeur"]), variables)
            return f"choisir « {value} » dans #{target}"
        if self.action == "cocher":
            return f"{'cocher' if self.options.get('coche', True) else 'décocher'} #{target}"
        if self.action in {"bouton", "verifier_erreur"}:
            extra = self.options.get("texte")
            tail = f" « {extra} »" if extra else ""
            return f"{_LABELS[self.action]} #{target}{tail}"
        if self.action == "verifier_texte":
            inside = self.options.get("dans")
            text = HIDDEN if _uses_secret(str(target)) else _shown(str(target), variables)
            return f"vérifier le texte « {text} »" + (f" dans #{inside}" if inside else "")
        if self.action == "suivre_lien":
            return "suivre le lien du dernier courriel"
        return f"{_LABELS[self.action]} « {target} »"


_LABELS = {
    "ouvrir": "ouvrir",
    "saisir": "saisir",
    "choisir": "choisir",
    "cocher": "cocher",
    "touche": "touche",
    "bouton": "bouton",
    "horloge": "avancer l'horloge de démonstration de",
    "suivre_lien": "suivre le lien",
    "attendre": "attendre l'écran",
    "verifier_ecran": "vérifier l'écran",
    "verifier_texte": "vérifier le texte",
    "verifier_erreur": "vérifier l'erreur sous",
    "pause": "pause",
    "tirer_nir": "tirer un NIR dans la variable",
}

#: Each action and the options it accepts: name -> required.
ACTIONS: dict[str, dict[str, bool]] = {
    "ouvrir": {},
    "saisir": {"texte": True},
    "choisir": {"valeur": True},
    "cocher": {"coche": False},
    "touche": {},
    "bouton": {},
    "horloge": {},
    "suivre_lien": {},
    "attendre": {"delai": False},
    "verifier_ecran": {},
    "verifier_texte": {"dans": False},
    "verifier_erreur": {"texte": False},
    "pause": {},
    "tirer_nir": {"naissance": False},
}
_COMMON_OPTIONS = {"legende"}


@dataclass(frozen=True)
class Scenario:
    """A checked scenario: its title, description, variables (name -> value, as written) and
    steps, and the file it came from."""

    path: Path
    title: str
    description: str
    variables: Mapping[str, str]
    steps: tuple[Step, ...]

    @property
    def secret_values(self) -> tuple[str, ...]:
        """The values never to be written in a log: password variables."""
        return tuple(v for k, v in self.variables.items() if is_secret_variable(k) and v)


def clock_step(text: str) -> timedelta | None:
    """``+24h``, ``+1h``, ``+30min``, ``+2j`` as a duration; ``reel`` as None (real time).
    Raises ValueError otherwise."""
    if text in {"reel", "réel"}:
        return None
    found = _CLOCK.fullmatch(text.strip())
    if found is None or int(found["amount"]) == 0:
        raise ValueError(text)
    return int(found["amount"]) * _UNITS[found["unit"]]


def substitute(text: str, variables: Mapping[str, str]) -> str:
    """``text`` with each ``{name}`` replaced by its variable (``{{`` and ``}}`` give braces).
    Raises KeyError with the unknown name."""
    escaped = text.replace("{{", "\x00").replace("}}", "\x01")
    replaced = _PLACEHOLDER.sub(lambda found: variables[found[1]], escaped)
    return replaced.replace("\x00", "{").replace("\x01", "}")


def _shown(text: str, variables: Mapping[str, str] | None) -> str:
    """``text`` with the variables known replaced, the others left as ``{name}``."""
    known = dict(variables or {})
    return substitute(text, {name: known.get(name, f"{{{name}}}")
                             for name in _placeholders(text)})


def _uses_secret(text: str) -> bool:
    return any(is_secret_variable(name) for name in _PLACEHOLDER.findall(text))


def _placeholders(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text.replace("{{", "").replace("}}", ""))


def load(path: Path, overrides: Mapping[str, str] | None = None) -> Scenario:
    """Reads and checks the scenario at ``path``; ``overrides`` replace or add variables (the
    command line's ``--variable``). Raises :class:`ScenarioError`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(path, None, "fichier introuvable.") from None
    except OSError as error:
        raise ScenarioError(path, None, f"lecture impossible ({error.strerror}).") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(path, None, "le fichier n'est pas en UTF-8.") from None
    return parse(text, path, overrides)


_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse(text: str, path: Path | str = "<scénario>",
          overrides: Mapping[str, str] | None = None) -> Scenario:
    """Checks the scenario ``text`` (see :func:`load`)."""
    source = Path(path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE.search(str(error))
        line = int(found[1]) if found else None
        column = f", colonne {found[2]}" if found else ""
        detail = _TOML_LINE.sub("", str(error)).strip()
        raise ScenarioError(
            source, line, f"syntaxe TOML incorrecte{column} ({detail})."
        ) from None
    lines = _Lines(text)
    return _Checker(source, lines).scenario(document, overrides or {})


class _Lines:
    """Finds the line of a top-level key, of the n-th ``[[etapes]]`` and of a key in it
    (tomllib gives no positions; scenarios are written one key a line)."""

    _HEADER = re.compile(r"\s*\[\[\s*etapes\s*\]\]")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [i + 1 for i, line in enumerate(self.lines) if self._HEADER.match(line)]

    def of_key(self, key: str, start: int = 1, stop: int | None = None) -> int | None:
        pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
        end = len(self.lines) if stop is None else stop - 1
        for number in range(start, end + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def of_step(self, index: int) -> int | None:
        return self.headers[index] if index < len(self.headers) else None

    def of_step_key(self, index: int, key: str) -> int | None:
        start = self.of_step(index)
        if start is None:
            return None
        stop = self.headers[index + 1] if index + 1 < len(self.headers) else None
        return self.of_key(key, start, stop) or start


class _Checker:
    def __init__(self, path: Path, lines: _Lines) -> None:
        self.path = path
        self.lines = lines

    def fail(self, line: int | None, message: str) -> ScenarioError:
        return ScenarioError(self.path, line, message)

    def scenario(self, document: dict[str, Any], overrides: Mapping[str, str]) -> Scenario:
        allowed = {"format", "titre", "description", "variables", "etapes"}
        for key in document:
            if key not in allowed:
                raise self.fail(
                    self.lines.of_key(key),
                    f"clé inconnue « {key} » (clés possibles : {', '.join(sorted(allowed))}).",
                )
        version = document.get("format")
        if version is None:
            raise self.fail(1, "la clé « format = 1 » manque en tête du fichier.")
        if version != FORMAT_VERSION:
            raise self.fail(
                self.lines.of_key("format"),
                f"format {version!r} inconnu : ce programme lit le format {FORMAT_VERSION}.",
            )
        title = document.get("titre")
        if not isinstance(title, str) or not title.strip():
            raise self.fail(self.lines.of_key("titre") or 1,
                            "un titre est attendu : titre = \"…\" (texte non vide).")
        description = document.get("description", "")
        if not isinstance(description, str):
            raise self.fail(self.lines.of_key("description"),
                            "la description doit être un texte entre guillemets.")
        variables = self.variables(document.get("variables", {}), overrides)
        raw_steps = document.get("etapes")
        if not isinstance(raw_steps, list) or not raw_steps:
            raise self.fail(None, "aucune étape : ajoutez des tables [[etapes]].")
        defined = set(variables) | set(BUILTIN_VARIABLES)
        steps = []
        for index, raw in enumerate(raw_steps):
            step = self.step(index, raw, defined)
            if step.action == "tirer_nir":
                defined.add(step.target)
            steps.append(step)
        return Scenario(self.path, title.strip(), description.strip(), variables, tuple(steps))

    def variables(self, table: Any, overrides: Mapping[str, str]) -> dict[str, str]:
        line = self.lines.of_key("variables") or self._table_line("variables")
        if not isinstance(table, dict):
            raise self.fail(line, "« variables » doit être une table [variables].")
        result: dict[str, str] = {}
        for name, value in table.items():
            where = self.lines.of_key(name) or line
            if not _VARIABLE_NAME.fullmatch(name):
                raise self.fail(where, f"nom de variable « {name} » incorrect : lettres "
                                       "minuscules sans accent, chiffres et « _ ».")
            if not isinstance(value, str):
                raise self.fail(where, f"la variable « {name} » doit être un texte entre "
                                       "guillemets.")
            result[name] = value
        for name, value in overrides.items():
            if not _VARIABLE_NAME.fullmatch(name):
                raise self.fail(None, f"nom de variable « {name} » incorrect (--variable).")
            result[name] = value
        return result

    def _table_line(self, name: str) -> int | None:
        for number, text in enumerate(self.lines.lines, 1):
            if text.strip() == f"[{name}]":
                return number
        return None

    def step(self, index: int, raw: Any, defined: set[str]) -> Step:
        number = index + 1
        line = self.lines.of_step(index)
        if not isinstance(raw, dict):
            raise self.fail(line, f"étape {number} : une table [[etapes]] est attendue.")
        actions = [key for key in raw if key in ACTIONS]
        if not actions:
            unknown = [key for key in raw if key not in _COMMON_OPTIONS]
            if unknown:
                raise self.fail(
                    self.lines.of_step_key(index, unknown[0]),
                    f"étape {number} : action inconnue « {unknown[0]} » (actions possibles : "
                    f"{', '.join(ACTIONS)}).",
                )
            raise self.fail(line, f"étape {number} : aucune action (par exemple saisir, "
                                  "bouton, verifier_texte, pause).")
        if len(actions) > 1:
            raise self.fail(
                self.lines.of_step_key(index, actions[1]),
                f"étape {number} : une seule action par étape ({' et '.join(actions)} "
                "trouvées) ; séparez-les en deux [[etapes]].",
            )
        action = actions[0]
        accepted = ACTIONS[action]
        for key in raw:
            if key != action and key not in accepted and key not in _COMMON_OPTIONS:
                possible = sorted(set(accepted) | _COMMON_OPTIONS)
                raise self.fail(
                    self.lines.of_step_key(index, key),
                    f"étape {number} : clé « {key} » inconnue pour « {action} » (clés "
                    f"possibles : {', '.join(possible)}).",
                )
        for key, required in accepted.items():
            if required and key not in raw:
                raise self.fail(line, f"étape {number} : « {action} » demande aussi la clé "
                                      f"« {key} ».")
        caption = raw.get("legende", "")
        if not isinstance(caption, str):
            raise self.fail(self.lines.of_step_key(index, "legende"),
                            f"étape {number} : la légende doit être un texte entre guillemets.")
        check = _StepCheck(self, index, number, action, raw, defined)
        target, options = check.run()
        self.check_placeholders(index, number, "legende", caption, defined)
        return Step(number, line or 0, action, target, options, caption)

    def check_placeholders(self, index: int, number: int, key: str, text: str,
                           defined: set[str]) -> None:
        for name in _placeholders(text):
            if name not in defined:
                known = ", ".join(sorted(defined)) or "aucune"
                raise self.fail(
                    self.lines.of_step_key(index, key),
                    f"étape {number} : variable « {{{name}}} » inconnue (variables définies : "
                    f"{known}). Définissez-la dans [variables] ou par une étape tirer_nir.",
                )


@dataclass(eq=False)
class _StepCheck:
    """The checks of one step's values."""

    checker: _Checker
    index: int
    number: int
    action: str
    raw: dict[str, Any]
    defined: set[str]

    def fail(self, key: str, message: str) -> ScenarioError:
        line = self.checker.lines.of_step_key(self.index, key)
        return self.checker.fail(line, f"étape {self.number} : {message}")

    def text(self, key: str, *, empty: bool = False) -> str:
        value = self.raw[key]
        if not isinstance(value, str):
            raise self.fail(key, f"« {key} » doit être un texte entre guillemets.")
        if not empty and not value.strip():
            raise self.fail(key, f"« {key} » ne peut pas être vide.")
        self.checker.check_placeholders(self.index, self.number, key, value, self.defined)
        return value

    def widget(self, key: str, allowed: frozenset[str] | None = None, kind: str = "") -> str:
        value = self.text(key)
        if not value.startswith("#"):
            raise self.fail(key, f"un identifiant commençant par « # » est attendu, pas "
                                 f"« {value} » (voir docs/TESTING.md).")
        name = value[1:]
        if name not in KNOWN_IDS and (allowed is None or name not in allowed):
            raise self.fail(key, f"identifiant inconnu « {value} » : il n'est pas dans la "
                                 "liste des identifiants de docs/TESTING.md.")
        if allowed is not None and name not in allowed:
            choices = " ".join(f"#{item}" for item in sorted(allowed))
            raise self.fail(key, f"#{name} n'est pas {kind} (possibles : {choices}).")
        return name

    def run(self) -> tuple[Any, dict[str, Any]]:
        action, raw = self.action, self.raw
        options: dict[str, Any] = {}
        target: Any
        if action == "ouvrir":
            target = self.choice(action, OPENABLE, "écrans que « ouvrir » atteint")
        elif action in {"attendre", "verifier_ecran"}:
            target = self.choice(action, SCREENS, "écrans connus")
            if "delai" in raw:
                delay = raw["delai"]
                if isinstance(delay, bool) or not isinstance(delay, int | float) or not (
                    0 < delay <= 600
                ):
                    raise self.fail("delai", "« delai » est un nombre de secondes entre 1 et "
                                             "600.")
                options["delai"] = float(delay)
        elif action == "saisir":
            target = self.widget(action, INPUT_IDS, "un champ de saisie")
            options["texte"] = self.text("texte", empty=True)
        elif action == "choisir":
            target = self.widget(action, LIST_IDS | TABLE_IDS, "une liste")
            options["valeur"] = self.text("valeur")
        elif action == "cocher":
            target = self.widget(action, BOX_IDS, "une case à cocher")
            ticked = raw.get("coche", True)
            if not isinstance(ticked, bool):
                raise self.fail("coche", "« coche » vaut true ou false.")
            options["coche"] = ticked
        elif action == "bouton":
            target = self.widget(action)
        elif action == "touche":
            target = self.text(action)
            if not _KEY.fullmatch(target):
                raise self.fail(action, f"touche « {target} » incorrecte (par exemple enter, "
                                        "tab, escape, f7, ctrl+p ou un caractère).")
        elif action == "horloge":
            target = self.text(action)
            try:
                clock_step(target)
            except ValueError:
                raise self.fail(action, f"« {target} » : une durée comme +24h, +1h, +30min, "
                                        "+2j, ou « reel », est attendue.") from None
        elif action == "suivre_lien":
            if raw[action] is not True:
                raise self.fail(action, "écrivez suivre_lien = true.")
            target = True
        elif action == "verifier_texte":
            target = self.text(action)
            if "dans" in raw:
                options["dans"] = self.widget("dans")
        elif action == "verifier_erreur":
            target = self.widget(action, ERROR_FIELDS, "un champ avec une ligne d'erreur")
            if "texte" in raw:
                options["texte"] = self.text("texte")
        elif action == "pause":
            target = self.text(action)
        else:  # tirer_nir
            target = self.text(action)
            if not _VARIABLE_NAME.fullmatch(target):
                raise self.fail(action, f"nom de variable « {target} » incorrect : lettres "
                                        "minuscules sans accent, chiffres et « _ ».")
            if "naissance" in raw:
                birth = self.text("naissance")
                if not _BIRTH.fullmatch(birth) or not 1 <= int(birth[:2]) <= 12:
                    raise self.fail("naissance", f"« {birth} » : un mois et une année de "
                                                 "naissance MM/AAAA sont attendus (05/1985).")
                options["naissance"] = birth
        return target, options

    def choice(self, key: str, known: Mapping[str, Any], what: str) -> str:
        value = self.text(key)
        if value not in known:
            raise self.fail(key, f"écran « {value} » inconnu ({what} : {', '.join(known)}).")
        return value
