"""``make bench``: measures ensap-tui against its targets and writes BENCHMARKS.md.

Not a test: every figure is measured in this run beside its reference (a bare Textual app, the
same field without the meter, the timer at rest...), printed as a table, and recorded with a
description of the machine. ``--quick`` makes a short run that writes nothing (development).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(SCRIPTS))

MIB = 1024 * 1024


@dataclass
class Figure:
    """One line of the table: a measure, its value, its reference and its target."""

    section: str
    measure: str
    value: str
    reference: str
    target: str
    passed: bool | None  # None: reported, no target

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: "—"}[self.passed]


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def add(self, *args: Any) -> None:
        figure = Figure(*args)
        self.figures.append(figure)
        print(f"  {figure.measure}: {figure.value} (référence : {figure.reference}) "
              f"— cible {figure.target} : {figure.verdict}", flush=True)

    def note(self, section: str, text: str) -> None:
        self.notes.setdefault(section, []).append(text)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms".replace(".", ",")


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.0f} µs"


def num(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def section(title: str) -> None:
    print(f"\n== {title}", flush=True)


# -- the machine -------------------------------------------------------------------------------


def machine() -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "inconnue"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} Gio".replace(".", ",")
    except OSError:
        pass
    try:
        load = ", ".join(num(x) for x in os.getloadavg())
    except OSError:
        load = "inconnue"

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "absent"

    return [
        ("Processeur", cpu),
        ("Cœurs logiques", str(os.cpu_count())),
        ("Mémoire", memory),
        ("Système", platform.platform()),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("Textual", version("textual")),
        ("argon2-cffi", version("argon2-cffi")),
        ("SQLite", sqlite3.sqlite_version),
        ("Charge moyenne (1, 5, 15 min) au début", load),
    ]


# -- 1. start-up -------------------------------------------------------------------------------


def child_env(folder: Path) -> dict[str, str]:
    """The environment of the measured programs: bytecode cached as in any installation (in a
    folder of the bench), even where PYTHONDONTWRITEBYTECODE is set (it would compile
    ensap-tui's modules again at every start, and not Textual's, installed with theirs), and
    the user's cache folder (the parsed stylesheets, ``ui/css_cache.py``) in the bench's
    folder too: filled by the first start, never the user's own."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    env["XDG_CACHE_HOME"] = str(folder / "cache")
    return env


def _start_once(mode: str, db: Path, env: dict[str, str]) -> float:
    child = [sys.executable, str(SCRIPTS / "bench_startup_child.py"), mode, str(db)]
    started = time.perf_counter()
    process = subprocess.Popen(child, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env)
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    _, err = process.communicate(timeout=60)
    if line.strip() != "ready":
        raise RuntimeError(f"start-up probe {mode} failed:\n{err}")
    return elapsed


def _forget_keyring_entry(db: Path) -> None:
    """The probe starts ensap-tui as a user would, keyring included: remove the entry it may
    have made for this throw-away database."""
    from ensap_tui.adapters.secret_store import KEYRING_SERVICE, secret_file_path

    if secret_file_path(db).exists() or not db.exists():
        return
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchone()
    conn.close()
    if row:
        try:
            import keyring

            keyring.delete_password(KEYRING_SERVICE, row[0])
        except Exception:
            pass


def bench_startup(report: Report, folder: Path, pairs: int) -> None:
    section("1. Démarrage")
    db = folder / "demarrage" / "ensap.sqlite3"
    env = child_env(folder)
    try:
        for mode in ("bare", "ensap", "bare", "ensap"):  # database, bytecode, disk cache
            _start_once(mode, db, env)
        bare: list[float] = []
        ensap: list[float] = []
        for index in range(pairs):
            order = ("bare", "ensap") if index % 2 == 0 else ("ensap", "bare")
            for mode in order:
                (bare if mode == "bare" else ensap).append(_start_once(mode, db, env))
    finally:
        _forget_keyring_entry(db)
    ratio = statistics.median(ensap) / statistics.median(bare)
    pair_ratio = statistics.median(e / b for e, b in zip(ensap, bare, strict=True))
    report.add("Démarrage", "Jusqu'à la page d'accueil affichée (médiane)",
               ms(statistics.median(ensap)),
               f"application Textual d'une ligne : {ms(statistics.median(bare))}",
               "—", None)
    report.add("Démarrage", "Rapport ensap-tui / application témoin (médianes)", num(ratio),
               f"rapport médian par paire : {num(pair_ratio)}", "≤ 1,3", ratio <= 1.3)
    report.note("Démarrage", (
        f"{pairs} paires de lancements alternés (l'ordre change à chaque paire), après 2 "
        "lancements d'échauffement de chaque. Chaque lancement est un processus neuf : "
        "l'horloge part juste avant son démarrage et s'arrête quand il écrit « ready », ce "
        "qu'il fait dès que la première image de son premier écran est composée et traduite "
        "en séquences pour le terminal (Textual en mode headless, 100 × 40). ensap-tui est "
        "lancé comme par la commande `ensap-tui --db …` (`cli.main`), trousseau système "
        "compris, sur une base déjà créée. Le bytecode Python est en cache pour les deux, "
        "comme dans toute installation (la variable PYTHONDONTWRITEBYTECODE de cette machine "
        "ferait sinon recompiler les modules d'ensap-tui à chaque lancement, et pas ceux de "
        "Textual, installés avec le leur). Les feuilles de style analysées par ensap-tui "
        "sont elles aussi en cache (dans le dossier de cache de l'utilisateur, ici un dossier "
        "du banc), rempli dès le premier lancement d'échauffement comme au premier démarrage "
        "d'une installation."
    ))


# -- 2. keystroke to repaint ---------------------------------------------------------------------


def run_ui_probe(folder: Path, *args: str) -> Any:
    """One measure of ``bench_ui.py`` in a fresh process (see its ``main``)."""
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench_ui.py"), *args], capture_output=True, text=True,
        timeout=600, check=False, env=child_env(folder),
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench_ui.py {args[0]} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_keystrokes(report: Report, folder: Path, blocks: int, rounds: int) -> None:
    section("2. Frappe → affichage")
    import bench_ui

    keys = list(bench_ui.keys_to_type()) * rounds
    per_block = len(keys) // blocks + 1
    with_meter: list[float] = []
    without: list[float] = []
    db = folder / "frappe" / "ensap.sqlite3"
    for block in range(blocks):
        chunk = keys[block * per_block : (block + 1) * per_block] or keys[:per_block]
        order = (True, False) if block % 2 == 0 else (False, True)
        for meter in order:
            latencies = run_ui_probe(folder, "keys", str(db), "with" if meter else "without",
                                     json.dumps(chunk))
            (with_meter if meter else without).extend(latencies)
    p90, p90_ref = percentile(with_meter, 0.9), percentile(without, 0.9)
    med, med_ref = statistics.median(with_meter), statistics.median(without)
    report.add("Frappe", "Frappe → image, champ avec jauge (90e centile)", ms(p90),
               f"même champ sans jauge : {ms(p90_ref)}", "≤ 16 ms", p90 <= 0.016)
    report.add("Frappe", "Frappe → image, médiane avec / sans jauge",
               f"{ms(med)} / {ms(med_ref)}", f"max avec jauge : {ms(max(with_meter))}", "—",
               None)
    ratio = med / med_ref
    report.add("Frappe", "Rapport avec / sans jauge (médianes)", num(ratio),
               f"rapport des 90es centiles : {num(p90 / p90_ref)}", "≤ 1,2", ratio <= 1.2)
    report.note("Frappe", (
        f"{len(with_meter)} frappes de chaque côté, réparties en {blocks} blocs alternés "
        "(une application neuve dans un processus neuf par bloc, démarrée comme par la ligne "
        "de commande). L'étape 2 de la création d'espace tourne sous "
        "Pilot (headless, 100 × 40), le champ « Mot de passe » ayant le focus et son curseur "
        "ne clignotant pas. Pour chaque touche, l'horloge part juste avant `pilot.press` et "
        "s'arrête à la dernière image que la touche a provoquée dans les 50 ms qui suivent "
        "(une seconde image viendrait 16,7 ms après la première) ; une « image » est la mise "
        "à jour du compositeur de Textual, traduite en séquences de terminal (ce que le "
        "pilote headless saute, et que la mesure refait). La référence est le même écran "
        "sans la jauge « Niveau de sécurité » ni la liste des règles, qui suivent la saisie "
        "touche par touche (le mot de passe y est évalué à chaque frappe). On tape cinq mots "
        "de passe caractère par caractère puis on les efface, ce qui fait passer la jauge par "
        f"Faible, Moyen et Fort ; la suite est tapée {rounds} fois. Chaque bloc en reprend la "
        "suite là où le précédent s'est arrêté, sur l'étape 2 ouverte avec le mot de passe "
        "du brouillon, que la prise du focus sélectionne : la première touche du bloc le "
        "remplace, et un effacement dans un champ déjà vide, qui ne provoque aucune image, "
        "n'est pas compté (d'où moins de frappes que de touches)."
    ))


# -- 3. strength assessment ---------------------------------------------------------------------


def _strength_inputs(rng: random.Random) -> dict[str, list[str]]:
    alphabets = [
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&*+-./:;<=>?@",
        "éèêëàâäôöûüçÉÈÀÇœæ€«»’ ",
        "".join(chr(c) for c in range(0x20, 0x2FF) if chr(c).isprintable()),
    ]
    random_inputs = []
    for _ in range(4000):
        length = rng.randint(0, 128)
        if rng.random() < 0.15:
            text = "".join(chr(rng.randint(1, 0x10FFFF)) for _ in range(length))
            text = text.encode("utf-8", "replace").decode("utf-8", "replace")
        else:
            alphabet = rng.choice(alphabets)
            text = "".join(rng.choice(alphabet) for _ in range(length))
        random_inputs.append(text)
    crafted_units = [
        "a", "A1!", "1", "é", "e\u0301", "ﷺ", "ｱ", "\u202e", "\u0000", "\t", "185057511512364",
        "14051985", "dupont", "DUPONT", "jean.dupont", "Ab1!" * 3, "\U0001f600", "ß", "İ",
        "\ufb01", "\u3000", "👨‍👩‍👧", "a\u0300\u0301\u0302\u0303",
    ]
    crafted = []
    for unit in crafted_units:
        for length in (8, 16, 32, 64, 127, 128):
            crafted.append((unit * length)[:length])
    crafted += ["", "motdepasse", "azertyuiop", "Motdepasse1!", "Dupont1985!", "0" * 128]
    pasted = ["ﷺ" * 5000, "e\u0301" * 5000, "A1!" * 4000, "".join(rng.choice(alphabets[3])
                                                               for _ in range(10_000))]
    return {"random": random_inputs, "crafted": crafted, "pasted": pasted}


def bench_strength(report: Report) -> None:
    section("3. Évaluation de la robustesse")
    from ensap_tui.domain.password import PersonalInfo, assess

    personal = PersonalInfo("185057511512364", "Dupont-Lefèvre", date(1985, 5, 14),
                            "jean.dupont@exemple.fr")
    rng = random.Random(2026)
    inputs = _strength_inputs(rng)
    assess("warm-up", personal)
    timings: dict[str, list[float]] = {}
    for kind, texts in inputs.items():
        repeat = 1 if kind == "random" else (20 if kind == "crafted" else 25)
        samples = []
        for _ in range(repeat):
            for text in texts:
                started = time.perf_counter()
                assess(text, personal)
                samples.append(time.perf_counter() - started)
        timings[kind] = samples
    both = timings["random"] + timings["crafted"]
    p99 = percentile(both, 0.99)
    report.add("Robustesse", "assess(), 0 à 128 caractères, aléatoires et construits (99e c.)",
               ms(p99), f"médiane {us(statistics.median(both))}, max {ms(max(both))} "
               f"({len(both)} appels)", "< 2 ms", p99 < 0.002)
    p99_pasted = percentile(timings["pasted"], 0.99)
    report.add("Robustesse", "assess(), texte collé de 10 000 à 30 000 caractères (99e c.)",
               ms(p99_pasted), f"max {ms(max(timings['pasted']))}", "< 2 ms",
               p99_pasted < 0.002)
    report.note("Robustesse", (
        f"{len(inputs['random'])} textes aléatoires (ASCII, français, Latin étendu, points de "
        f"code quelconques) et {len(inputs['crafted'])} textes construits (répétitions, "
        "caractères que NFKC multiplie par 18, diacritiques empilés, contrôles, NIR, date et "
        "nom de la personne, mots de passe courants) répétés 20 fois, évalués avec les "
        "informations personnelles d'une personne ; plus de longs textes collés."
    ))


# -- 4. screen stalls during account creation ----------------------------------------------------


def bench_stalls(report: Report, folder: Path, runs: int) -> None:
    section("4. Écran pendant la création du compte")
    from ensap_tui.bootstrap import Settings

    defaults = Settings()
    result = run_ui_probe(folder, "stalls", str(folder / "blocages" / "ensap.sqlite3"),
                          str(runs))
    busy, idle, switch = result["busy"], result["idle"], result["switch"]
    report.add("Blocages", "Plus long écart entre deux tops d'un minuteur de 10 ms, pendant la "
               "création", ms(busy), f"au repos : {ms(idle)} ; création : "
               f"{ms(statistics.median(result['durations']))} (médiane)", "< 50 ms",
               busy < 0.050)
    report.add("Blocages", "… puis pendant le passage à l'étape 4 (première image + 50 ms)",
               ms(switch), "changement d'écran, hors création", "—", None)
    report.note("Blocages", (
        f"{runs} créations d'espace par l'écran « Mes coordonnées » (bouton « Valider et "
        "Continuer », application sous Pilot dans un processus neuf, démarrée comme par la "
        "ligne de commande), argon2id aux paramètres réels "
        f"(t={defaults.argon2_time_cost}, {defaults.argon2_memory_cost // 1024} Mio, "
        f"p={defaults.argon2_parallelism}). Un minuteur Textual de 10 ms note ses tops : la "
        "création va du clic à la fin du travail en arrière-plan (compte, jeton et courriel "
        "écrits) ; le passage à l'étape 4 qui suit (retrait des écrans de saisie, composition "
        "du nouvel écran) est donné à part. La référence est le même minuteur pendant 0,5 s "
        "au repos juste avant."
    ))


# -- 5. scale: one million accounts ---------------------------------------------------------------

_SURNAMES = (
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
    "LAURENT", "SIMON", "MICHEL", "LEFÈVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
    "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT",
    "MULLER", "LEFEBVRE", "FAURE", "ANDRÉ", "MERCIER", "BLANC", "GUÉRIN", "BOYER", "GARNIER",
    "CHEVALIER", "FRANÇOIS", "LEGRAND", "GAUTHIER", "GARCIA", "PERRIN", "ROBIN", "CLÉMENT",
    "MORIN", "NICOLAS", "HENRY", "ROUSSEL", "MATHIEU", "GAUTIER", "MASSON", "MARCHAND", "DUVAL",
    "DENIS", "DUMONT", "MARIE", "LEMAIRE", "NOËL", "MEYER", "DUFOUR", "MEUNIER", "BRUN",
    "BLANCHARD", "GIRAUD", "JOLY", "RIVIÈRE", "LUCAS", "BRUNET", "GAILLARD", "BARBIER", "ARNAUD",
    "MARTINEZ", "GÉRARD", "ROCHE", "RENARD", "SCHMITT", "ROY", "LEROUX", "COLIN", "VIDAL", "CARON",
    "PICARD", "ROGER", "FABRE", "AUBERT", "LEMOINE", "RENAUD", "DUMAS", "LACROIX", "OLIVIER",
    "PHILIPPE", "BOURGEOIS", "PIERRE", "BENOÎT", "REY", "LECLERC", "PAYET", "ROLLAND", "LECLERCQ",
    "GUILLAUME", "LECOMTE", "LÓPEZ", "JEAN", "DUPUY", "GUILLOT", "HUBERT", "BERGER", "CARPENTIER",
    "SANCHEZ", "DUPUIS", "MOULIN", "LOUIS", "DESCHAMPS", "HUET", "VASSEUR", "PEREZ", "BOUCHER",
    "FLEURY", "ROYER", "KLEIN", "JACQUET", "ADAM", "PARIS", "POIRIER", "MARTY", "AUBRY", "GUYOT",
    "CARRÉ", "CHARLES", "RENAULT", "CHARPENTIER", "MÉNARD", "MAILLARD", "BARON", "BERTIN",
    "BAILLY", "HERVÉ", "SCHNEIDER", "FERNANDEZ", "LE GALL", "COLLET", "LÉGER", "BOUVIER", "JULIEN",
    "PRÉVOST", "MILLET", "PERROT", "DANIEL", "LE ROUX", "COUSIN", "GERMAIN", "BRETON", "BESSON",
    "LANGLOIS", "RÉMY", "LE GOFF", "PELLETIER", "LÉVÊQUE", "PERRIER", "LEBLANC", "BARRÉ", "LEBRUN",
    "MARCHAL", "WEBER", "MALLET", "HAMON", "BOULANGER", "JACOB", "MONNIER", "MICHAUD", "RODRIGUEZ",
    "GUICHARD", "GILLET", "ÉTIENNE", "GRONDIN", "POULAIN", "TESSIER", "CHEVALLIER", "COLLIN",
    "CHAUVIN", "DA SILVA", "BOUCHET", "GAY", "LEMAÎTRE", "BÉNARD", "MARÉCHAL", "HUMBERT",
    "REYNAUD", "ANTOINE", "HOARAU", "PERRET", "BARTHÉLEMY", "CORDIER", "PICHON", "LEJEUNE",
    "GILBERT", "LAMY", "DELAUNAY", "PASQUIER", "CARLIER", "LAPORTE", "ŒUVRAY"
)


def _nir_rows(count: int) -> Any:
    """``count`` distinct valid NIRs in ascending order, each with a matching birth date."""
    made = 0
    for sex in "12":
        for year in range(30, 100):
            for month in range(1, 13):
                for order in range(1, 1000):
                    body = f"{sex}{year:02d}{month:02d}75115{order:03d}"
                    born = date(1900 + year, month, 1 + order % 28)
                    yield f"{body}{97 - int(body) % 97:02d}", born
                    made += 1
                    if made == count:
                        return
    raise ValueError("too many accounts asked")


def _ts(at: datetime) -> str:
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


class Synthetic:
    """``count`` synthetic accounts, the same for both engines: French surnames (accents,
    compound names), 90 % active and 10 % pending with their activation token, argon2 hashes of
    real length. :meth:`accounts` yields the rows (a million are never all in memory) and fills
    ``tokens``, ``parts`` (the later parts of compound names) and the sample as it goes."""

    COLUMNS = ("id", "nir", "birth_name", "name_key", "birth_date", "password_hash", "email",
               "email_backup", "phone", "phone_secondary", "status", "created_at",
               "activated_at", "last_sign_in_at")

    def __init__(self, count: int, seed: int = 7) -> None:
        self.count = count
        self.rng = random.Random(seed)
        self.sample_nirs: list[str] = []
        self.names: list[str] = []
        self.tokens: list[tuple[Any, ...]] = []
        self.parts: list[tuple[str, str, int]] = []

    @property
    def sample(self) -> dict[str, Any]:
        return {"nirs": self.sample_nirs, "names": self.names}

    def accounts(self) -> Any:
        from ensap_tui.adapters.name_keys import name_key, part_keys

        rng = self.rng
        start = datetime(2023, 1, 1, tzinfo=UTC)
        hash_prefix = "$argon2id$v=19$m=65536,t=3,p=4$"
        for index, (nir, born) in enumerate(_nir_rows(self.count)):
            surname = rng.choice(_SURNAMES)
            if rng.random() < 0.15:
                surname = f"{surname}-{rng.choice(_SURNAMES)}"
            first = rng.choice(("jean", "marie", "lea", "hugo", "ines", "paul", "chloe", "noe"))
            created = start + timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
            pending = rng.random() < 0.1
            salt = base64.b64encode(rng.randbytes(16)).decode().rstrip("=")
            digest = base64.b64encode(rng.randbytes(32)).decode().rstrip("=")
            key = name_key(surname)
            self.parts.extend((part, nir, index + 1) for part in part_keys(surname))
            if pending:
                self.tokens.append((index + 1, "activation", rng.randbytes(32).hex(),
                                    _ts(created), _ts(created + timedelta(hours=24))))
            if index % 997 == 0:
                self.sample_nirs.append(nir)
                self.names.append(surname)
            yield (
                index + 1, nir, surname, key, born.isoformat(), f"{hash_prefix}{salt}${digest}",
                f"{first}.{key.replace(' ', '')}{index}@exemple.fr", "",
                f"+336{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.6 else "", "",
                "pending" if pending else "active", _ts(created),
                None if pending else _ts(created + timedelta(hours=rng.randint(1, 23))),
                None if pending or rng.random() < 0.3 else _ts(created + timedelta(days=30)),
            )


def generate_database(path: Path, count: int, seed: int = 7) -> dict[str, Any]:
    """A database of ``count`` accounts (:class:`Synthetic`) with the store's own schema
    (migrations run by ``SqliteStore``), filled by plain sqlite3. Returns a sample of NIRs and
    names for the lookups."""
    from ensap_tui.bootstrap import Settings, open_services

    open_services(path, settings=Settings.for_tests()).close()  # schema, secret, check value
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -512000")
    # The secondary indexes are dropped and built again afterwards, with their own SQL.
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('accounts', 'tokens')"
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    data = Synthetic(count, seed)
    conn.execute("BEGIN")
    conn.executemany(
        f"INSERT INTO accounts ({', '.join(Synthetic.COLUMNS)}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        data.accounts(),
    )
    conn.executemany(
        "INSERT INTO tokens (account_id, purpose, token_hash, issued_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        data.tokens,
    )
    conn.executemany(
        "INSERT INTO account_name_parts (part_key, nir, account_id) VALUES (?, ?, ?)", data.parts
    )
    conn.execute("COMMIT")
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return data.sample


def _timed(call: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def _prefixes(names: list[str], rng: random.Random, count: int) -> list[str]:
    """Search texts as an agent types them: the start of a name, in any case, with or
    without its accents."""
    texts = []
    for _ in range(count):
        name = rng.choice(names)
        prefix = name[: rng.randint(1, min(6, len(name)))]
        variant = rng.random()
        if variant < 0.4:
            prefix = prefix.lower()
        elif variant < 0.7:
            prefix = "".join(c for c in unicodedata.normalize("NFKD", prefix.lower())
                             if not unicodedata.combining(c))
        elif variant < 0.85:
            prefix = prefix.title()
        texts.append(prefix)
    return texts


def _later_parts(names: list[str], rng: random.Random, count: int) -> list[str]:
    """Search texts for a later part of the compound names among ``names``: its start, 3 to 6
    letters, lower-case without accents (none when no name is compound)."""
    from ensap_tui.adapters.name_keys import part_keys

    parts = [key for name in names for key in part_keys(name)]
    if not parts:
        return []
    return [(key := rng.choice(parts))[: rng.randint(3, min(6, len(key)))] for _ in range(count)]


def _file_size(path: Path) -> int:
    """The database file and the files beside it (-wal, -shm), in bytes."""
    return sum(p.stat().st_size for p in path.parent.iterdir() if p.name.startswith(path.name))


def _scale_figures(where: Any, sample: dict[str, Any], repeat: int,
                   settings: Any = None) -> dict[str, Any]:
    """The sign-in lookup, the name searches and the opening, measured on the database
    ``where`` (a path or a server URL) through the application's own store and services."""
    from ensap_tui.bootstrap import Settings, open_services

    settings = settings or Settings.for_tests()
    opens = _timed(lambda: open_services(where, settings=settings).close(), 3)
    services = open_services(where, settings=settings)
    rng = random.Random(11)
    store = services.store
    nirs = sample["nirs"]
    unknown = "299129912345678"

    def lookup(nir: str) -> None:
        # What sign-in reads before argon2: the account, the throttling state and the clock of
        # its poste, in one statement (Store.sign_in_reading, read by PersonDoor).
        store.sign_in_reading(nir)

    lookups = []
    for _ in range(repeat):
        nir = rng.choice(nirs) if rng.random() < 0.9 else unknown
        started = time.perf_counter()
        lookup(nir)
        lookups.append(time.perf_counter() - started)
    prefixes = _prefixes(sample["names"], rng, repeat)
    searches = []
    found = 0
    for text in prefixes:
        started = time.perf_counter()
        results = services.assistance.search(text)
        searches.append(time.perf_counter() - started)
        found += len(results)
    # The start of a later part of a compound name («silva» for DA SILVA, «lef» for
    # MARTIN-LEFÈVRE): the path that reads account_name_parts when the names starting with the
    # text are fewer than 50.
    later = _later_parts(sample["names"], rng, repeat)
    later_searches = []
    for text in later:
        started = time.perf_counter()
        services.assistance.search(text)
        later_searches.append(time.perf_counter() - started)
    store_searches = []
    for text in prefixes:
        started = time.perf_counter()
        with store.read() as tx:
            tx.search_accounts(name_prefix=text, limit=50)
        store_searches.append(time.perf_counter() - started)
    services.close()
    return {
        "open": statistics.median(opens),
        "lookup": statistics.median(lookups),
        "search": statistics.median(searches),
        "search_p90": percentile(searches, 0.9),
        "store_search": statistics.median(store_searches),
        "later_search": statistics.median(later_searches) if later_searches else None,
        "later_search_p90": percentile(later_searches, 0.9) if later_searches else None,
        "found": found / len(prefixes),
        "bytes": _file_size(where) if isinstance(where, Path) else 0,
    }


def bench_scale(report: Report, folder: Path, count: int, repeat: int) -> None:
    section(f"5. Base de {count:,} comptes".replace(",", " "))
    small_path = folder / "petite" / "ensap.sqlite3"
    big_path = folder / "grande" / "ensap.sqlite3"
    small = _scale_figures(small_path, generate_database(small_path, 1000), repeat)
    started = time.perf_counter()
    sample = generate_database(big_path, count)
    generated = time.perf_counter() - started
    big = _scale_figures(big_path, sample, repeat)
    per_account = big["bytes"] / count
    report.add("Volume", "Connexion : lecture du compte par NIR, sans argon2 (médiane)",
               us(big["lookup"]), f"base de 1 000 comptes : {us(small['lookup'])}",
               "< 100 µs", big["lookup"] < 100e-6)
    report.add("Volume", "Console : recherche par début de nom, 50 premiers (médiane)",
               ms(big["search"]), f"base de 1 000 comptes : {ms(small['search'])} ; "
               f"index seul : {ms(big['store_search'])}", "< 1 ms", big["search"] < 0.001)
    later = big["later_search"]
    if later is None:  # no compound name in the sample (a small base)
        report.add("Volume", "Console : recherche par une partie suivante d'un nom composé "
                   "(médiane)", "—", "aucun nom composé dans l'échantillon", "< 1 ms", None)
    else:
        report.add("Volume", "Console : recherche par une partie suivante d'un nom composé "
                   "(médiane)", ms(later), f"90e centile : {ms(big['later_search_p90'])}",
                   "< 1 ms", later < 0.001)
    report.add("Volume", "Octets par compte (fichier ÷ comptes)", f"{per_account:.0f} o",
               f"fichier : {big['bytes'] / MIB:.0f} Mio".replace(".", ","), "—", None)
    report.add("Volume", "open_services() sur la grande base (dont quick_check)",
               ms(big["open"]), f"base de 1 000 comptes : {ms(small['open'])}", "—", None)
    report.note("Volume", (
        f"Base générée en {num(generated, 0)} s par sqlite3 directement, avec le schéma "
        "créé par les migrations de l'application : noms de famille français (accents, "
        "noms composés), 90 % d'espaces actifs et 10 % en attente avec leur jeton "
        "d'activation, empreintes argon2 synthétiques de longueur réelle. Lecture de "
        f"connexion : {repeat} NIR tirés au hasard (10 % inconnus), par le magasin SQLite de "
        "l'application (ce que la connexion lit avant argon2 : compte, état de blocage et horloge "
        "de son poste, en une requête). "
        f"Recherche : {repeat} débuts de nom de 1 à 6 lettres, en minuscules, sans accents ou "
        "en capitales, par le service d'assistance de la console (statuts compris) — en "
        f"moyenne {num(big['found'], 1)} espaces trouvés par recherche (au plus 50) ; "
        f"90e centile : {ms(big['search_p90'])}. Partie suivante : {repeat} débuts (3 à 6 "
        "lettres) de la partie après le trait d'union ou l'espace d'un nom composé de "
        "l'échantillon («\u00a0silva\u00a0» pour DA SILVA) ; quand moins de 50 noms commencent "
        "ainsi, les parties suivantes sont lues (table account_name_parts, puis chaque compte "
        "par son identifiant)."
    ))


# -- PostgreSQL -------------------------------------------------------------------------------

#: The server the PostgreSQL sections use (``scripts/pg_test_server.sh`` exports it; ``make
#: bench`` starts a throw-away one when it is not set): a role that may CREATEDB.
PG_ENV = "ENSAP_TEST_POSTGRES"
NO_SERVER = ("aucun serveur PostgreSQL joignable : la variable ENSAP_TEST_POSTGRES n'est pas "
             "définie (`make bench` démarre un serveur jetable avec scripts/pg_test_server.sh)")


def reachable_server() -> tuple[str, str]:
    """The bench's server URL and ``""``, or ``""`` and why there is none to measure on (the
    variable unset, or a server that does not answer)."""
    server = os.environ.get(PG_ENV, "")
    if not server:
        return "", NO_SERVER
    import psycopg

    try:
        psycopg.connect(server, connect_timeout=5).close()
    except psycopg.Error as error:
        from ensap_tui.adapters.database_url import mask_url

        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return "", (f"le serveur PostgreSQL de ENSAP_TEST_POSTGRES ({mask_url(server)}) ne "
                    f"répond pas : {first}")
    return server, ""


def _database_url(server: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


class PgDatabases:
    """Fresh databases on the bench's server, all dropped at the end."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.made: list[str] = []

    def new(self) -> str:
        import secrets

        import psycopg

        name = f"ensap_bench_{secrets.token_hex(5)}"
        with psycopg.connect(self.server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        self.made.append(name)
        return _database_url(self.server, name)

    def drop_all(self) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as conn:
            for name in self.made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.clear()


def _pg_settings(folder: Path, name: str) -> Any:
    """Cheap argon2, no keyring, and the database's secret in a file of the bench."""
    import dataclasses

    from ensap_tui.bootstrap import Settings

    return dataclasses.replace(Settings.for_tests(), secret_file=folder / f"{name}.secret")


def generate_postgres(url: str, count: int, settings: Any, seed: int = 7) -> tuple[
        dict[str, Any], int]:
    """The accounts of :class:`Synthetic` in the PostgreSQL database ``url``, its schema made
    by the application: the secondary indexes dropped, the rows loaded with COPY, the indexes
    built again, statistics gathered. Returns the sample and the database's size in bytes."""
    import psycopg

    from ensap_tui.bootstrap import open_services

    open_services(url, settings=settings).close()  # schema, secret, check value
    data = Synthetic(count, seed)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '256MB'")
        indexes = conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = "
            "current_schema() AND i.tablename IN ('accounts', 'tokens', 'account_name_parts') "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        with conn.transaction(), conn.cursor() as cur:
            with cur.copy(f"COPY accounts ({', '.join(Synthetic.COLUMNS)}) FROM STDIN") as copy:
                for row in data.accounts():
                    copy.write_row(row)
            with cur.copy("COPY tokens (account_id, purpose, token_hash, issued_at, expires_at) "
                          "FROM STDIN") as copy:
                for row in data.tokens:
                    copy.write_row(row)
            with cur.copy("COPY account_name_parts (part_key, nir, account_id) FROM STDIN") as copy:
                for row in data.parts:
                    copy.write_row(row)
            cur.execute("SELECT setval(pg_get_serial_sequence('accounts', 'id'), %s)", (count,))
        for _, sql in indexes:
            conn.execute(sql)
        # The visibility map lets the name search read its covering index alone.
        conn.execute("VACUUM ANALYZE")
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        size = int(row[0]) if row else 0
    return data.sample, size


@contextlib.contextmanager
def _processors_awake() -> Iterator[None]:
    """While inside: one busy loop per processor, at the idle scheduling class (SCHED_IDLE,
    below nice 19), which gets a processor only when nothing else wants it. They keep this
    virtual machine's processors from halting between two round trips to the server (each
    wake-up of a halted one costs the hypervisor's exit), and take nothing from the measured
    processes. Stopped by their process ids."""
    spinners: list[subprocess.Popen[bytes]] = []

    def idle_class() -> None:
        with contextlib.suppress(AttributeError, OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        os.nice(19)

    try:
        for _ in range(os.cpu_count() or 1):
            spinners.append(subprocess.Popen(
                [sys.executable, "-c", "while True: pass"], preexec_fn=idle_class,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def _server_version(server: str) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "inconnue"


def bench_postgres(report: Report, folder: Path, count: int, repeat: int,
                   described: list[tuple[str, str]]) -> None:
    section(f"PostgreSQL : base de {count:,} comptes".replace(",", " "))
    server, why = reachable_server()
    lookup_name = "PostgreSQL — connexion : lecture du compte par NIR, sans argon2 (médiane)"
    search_name = "PostgreSQL — console : recherche par début de nom, 50 premiers (médiane)"
    later_name = ("PostgreSQL — console : recherche par une partie suivante d'un nom composé "
                  "(médiane)")
    bytes_name = "PostgreSQL — octets par compte (base ÷ comptes)"
    open_name = "PostgreSQL — open_services() sur la grande base"
    if not server:
        for name, target in ((lookup_name, "< 1 ms"), (search_name, "< 1 ms"),
                             (later_name, "< 1 ms"), (bytes_name, "—"), (open_name, "—")):
            report.add("PostgreSQL", name, "non mesuré", why, target, None)
        report.note("PostgreSQL", f"Non mesuré : {why}.")
        return
    described.append(("PostgreSQL", _server_version(server)))
    databases = PgDatabases(server)
    try:
        small_url, big_url = databases.new(), databases.new()
        small_settings, big_settings = _pg_settings(folder, "petite"), _pg_settings(folder,
                                                                                     "grande")
        small_sample, _ = generate_postgres(small_url, 1000, small_settings)
        small = _scale_figures(small_url, small_sample, repeat, small_settings)
        started = time.perf_counter()
        sample, size = generate_postgres(big_url, count, big_settings)
        generated = time.perf_counter() - started
        big = _scale_figures(big_url, sample, repeat, big_settings)
        with _processors_awake():
            awake = _scale_figures(big_url, sample, repeat, big_settings)
    finally:
        databases.drop_all()
    report.add("PostgreSQL", lookup_name, us(big["lookup"]),
               f"base de 1 000 comptes : {us(small['lookup'])} ; processeurs tenus éveillés : "
               f"{us(awake['lookup'])}", "< 1 ms", big["lookup"] < 0.001)
    report.add("PostgreSQL", search_name, ms(big["search"]),
               f"base de 1 000 comptes : {ms(small['search'])} ; index seul : "
               f"{ms(big['store_search'])} ; processeurs tenus éveillés : "
               f"{ms(awake['search'])}", "< 1 ms", big["search"] < 0.001)
    later = big["later_search"]
    if later is not None:
        report.add("PostgreSQL", later_name, ms(later),
                   f"90e centile : {ms(big['later_search_p90'])} ; processeurs tenus éveillés : "
                   f"{ms(awake['later_search'])}", "< 1 ms", later < 0.001)
    report.add("PostgreSQL", bytes_name, f"{size / count:.0f} o",
               f"base : {size / MIB:.0f} Mio".replace(".", ","), "—", None)
    report.add("PostgreSQL", open_name, ms(big["open"]),
               f"base de 1 000 comptes : {ms(small['open'])}", "—", None)
    report.note("PostgreSQL", (
        f"Serveur PostgreSQL {_server_version(server)} sur la même machine (127.0.0.1), celui de "
        "scripts/pg_test_server.sh (fsync désactivé : cela ne change pas les lectures mesurées "
        "ici). Les mêmes comptes que la base SQLite de « Volume » (même générateur, même graine), "
        f"chargés en {num(generated, 0)} s : schéma créé par l'application (ses migrations "
        "PostgreSQL), index secondaires retirés, lignes chargées par COPY, index reconstruits, "
        "puis VACUUM ANALYZE. Les mêmes mesures que pour SQLite, par le magasin PostgreSQL et "
        "le service d'assistance de l'application, à travers une connexion TCP locale : "
        f"{repeat} lectures de connexion (10 % de NIR inconnus ; une requête, hors transaction, "
        f"comme la connexion la fait), {repeat} recherches par début "
        f"de nom (en moyenne {num(big['found'], 1)} espaces trouvés ; 90e centile : "
        f"{ms(big['search_p90'])}) et {repeat} par une partie suivante d'un nom composé. "
        "Chaque recherche est un aller-retour entre deux processus : le serveur attend la "
        "suivante pendant que le client lit la précédente, le client attend le serveur. Sur "
        "cette machine virtuelle, un processeur sans travail s'arrête, et le réveiller pour "
        "l'arrivée d'une réponse coûte la sortie de l'hyperviseur : sur la machine au repos, "
        "cela s'ajoute à chaque aller-retour. Les mêmes mesures sont donc refaites avec les "
        "processeurs tenus éveillés (une boucle par processeur, à la classe "
        "d'ordonnancement SCHED_IDLE, qui n'a un processeur que quand rien d'autre n'en "
        "veut), en référence : ce que coûtent le travail du client et du serveur seuls. La "
        "cible est jugée sur la machine au repos."
    ))


# -- sign-ins per second -----------------------------------------------------------------------

SIGNIN_PROCESSES = 8
SIGNIN_PASSWORD = "Quartz#Velo8842"


def _signin_people(count: int) -> list[Any]:
    from ensap_tui.services.models import RegistrationRequest

    people = []
    for index, (nir, born) in enumerate(_nir_rows(count)):
        email = f"usager{index}@exemple.fr"
        people.append(RegistrationRequest(
            nir=nir, birth_name="Dupont", birth_day=f"{born.day:02d}",
            birth_month=f"{born.month:02d}", birth_year=str(born.year), terms_accepted=True,
            password=SIGNIN_PASSWORD, password_confirmation=SIGNIN_PASSWORD, email=email,
            email_confirmation=email))
    return people


def _prepare_signins(where: Any, settings: Any, count: int) -> list[str]:
    """``count`` active spaces with :data:`SIGNIN_PASSWORD`; their NIRs."""
    from ensap_tui.bootstrap import open_services

    services = open_services(where, settings=settings)
    try:
        people = _signin_people(count)
        for person in people:
            services.registration.register(person)
        for message in services.mailbox.messages(limit=1000):
            if message.kind == "activation" and message.link:
                services.activation.activate(message.link)
    finally:
        services.close()
    return [person.nir for person in people]


def _signins_per_second(where: Any, settings: Any, nirs: list[str],
                        per_process: int) -> tuple[float, float]:
    """Sign-ins per second of one process per NIR of ``nirs``, all at once, each signing in
    its own space ``per_process`` times through the services; and the mean time of one."""
    params = {"db": str(where), "secret_file": None if settings.secret_file is None
              else str(settings.secret_file), "password": SIGNIN_PASSWORD,
              "count": per_process}
    children = [
        subprocess.Popen(
            [sys.executable, str(SCRIPTS / "bench_signin_child.py"),
             json.dumps({**params, "nir": nir})],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for nir in nirs
    ]
    try:
        for child in children:
            assert child.stdout is not None
            line = child.stdout.readline().strip()
            if line != "ready":
                raise RuntimeError(f"sign-in probe failed:\n{child.communicate()[1]}")
        started = time.perf_counter()
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        for child in children:
            _, err = child.communicate(timeout=900)
            if child.returncode != 0:
                raise RuntimeError(f"sign-in probe failed:\n{err}")
        elapsed = time.perf_counter() - started
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    total = len(children) * per_process
    return total / elapsed, elapsed / total


def bench_signins(report: Report, folder: Path, quick: bool) -> None:
    section(f"Connexions par seconde, {SIGNIN_PROCESSES} processus")
    from ensap_tui.bootstrap import Settings

    cheap = 40 if quick else 200
    engines: list[tuple[str, Any, Any, PgDatabases | None]] = [
        ("SQLite", folder / "connexions" / "ensap.sqlite3", Settings.for_tests(), None)]
    server, why = reachable_server()
    if server:
        databases = PgDatabases(server)
        engines.append(("PostgreSQL", databases.new(), _pg_settings(folder, "connexions"),
                        databases))
    rounds = 1 if quick else 3
    try:
        people = {engine: _prepare_signins(where, settings, SIGNIN_PROCESSES)
                  for engine, where, settings, _ in engines}
        alone: dict[str, list[tuple[float, float]]] = {engine: [] for engine, *_ in engines}
        together: dict[str, list[float]] = {engine: [] for engine, *_ in engines}
        # Rounds alternate the engines, so that a busy moment of the machine falls on both.
        for _ in range(rounds):
            for engine, where, settings, _ in engines:
                nirs = people[engine]
                together[engine].append(_signins_per_second(where, settings, nirs, cheap)[0])
                alone[engine].append(_signins_per_second(where, settings, nirs[:1], cheap))
        for engine, *_ in engines:
            rate_all = statistics.median(together[engine])
            rate = statistics.median(r for r, _ in alone[engine])
            one = statistics.median(t for _, t in alone[engine])
            report.add("Connexions", f"{engine} — connexions réussies par seconde, "
                       f"{SIGNIN_PROCESSES} processus (argon2id de test)", num(rate_all, 0),
                       f"un seul processus : {num(rate, 0)} par seconde ({ms(one)} par "
                       "connexion)", "—", None)
    finally:
        for *_, databases_ in engines:
            if databases_ is not None:
                databases_.drop_all()
    if not server:
        report.add("Connexions", f"PostgreSQL — connexions réussies par seconde, "
                   f"{SIGNIN_PROCESSES} processus (argon2id de test)", "non mesuré", why, "—",
                   None)
    report.note("Connexions", (
        f"{SIGNIN_PROCESSES} processus neufs démarrent ensemble sur la même base (chacun ouvre "
        "les services comme l'application, puis attend le signal de départ) ; chacun connecte "
        f"son propre espace, {cheap} fois de suite, par le service de connexion (lecture de "
        "l'état de blocage et du compte, vérification argon2id hors transaction, puis "
        "écriture de la dernière connexion et de l'événement). Le débit est le nombre total de "
        "connexions divisé par le temps entre le départ et la fin du dernier processus ; la "
        "référence est la même mesure avec un seul processus. Médianes de "
        f"{rounds} tours qui alternent les moteurs. Argon2id aux paramètres de test "
        "(t=1, 8 Kio, p=1), pas de production (t=3, 64 Mio, p=4, environ 125 ms par "
        "vérification sur cette machine, ce qui limiterait les deux moteurs à une quinzaine de "
        "connexions par seconde sur ses 2 cœurs) : la mesure porte sur la base et ses "
        "transactions. "
        + ("PostgreSQL : base neuve sur le serveur local de scripts/pg_test_server.sh, dont "
           "fsync est désactivé (ses validations n'attendent pas le disque), alors que SQLite "
           "attend le disque à chaque validation (WAL, synchronous=FULL) : le chiffre de "
           "PostgreSQL est un plafond."
           if server else f"PostgreSQL non mesuré : {why}.")
    ))


# -- 6. memory --------------------------------------------------------------------------------


def _memory_child(db: str, traced: bool) -> dict[str, Any]:
    mode = ["bare"] if db == "-" else ["ensap", db]
    command = [sys.executable, str(SCRIPTS / "bench_memory_child.py"), *mode]
    if traced:
        command.append("tracemalloc")
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"memory probe failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def bench_memory(report: Report, folder: Path) -> None:
    section("6. Mémoire")
    db = folder / "memoire" / "ensap.sqlite3"
    whole = _memory_child(str(db), traced=False)
    bare = _memory_child("-", traced=False)
    traced = _memory_child(str(folder / "memoire2" / "ensap.sqlite3"), traced=True)
    peak = whole["maxrss_kib"] / 1024
    report.add("Mémoire", "Pic de mémoire d'un processus qui crée un espace (VmHWM)",
               f"{num(peak, 0)} Mio", f"application Textual d'une ligne : "
               f"{num(bare['maxrss_kib'] / 1024, 0)} Mio", "< 150 Mio", peak < 150)
    report.add("Mémoire", "dont tas Python au plus haut (tracemalloc)",
               f"{num(traced['tracemalloc_peak'] / MIB, 1)} Mio", "argon2 alloue en C : hors "
               "tracemalloc", "—", None)
    report.note("Mémoire", (
        "Un processus neuf lance l'application (headless, sous Pilot), ouvre l'écran « Mes "
        "coordonnées » d'un brouillon rempli et valide : création de l'espace avec argon2id "
        "aux paramètres réels (64 Mio), courriel simulé, puis étape 4. Le pic est la mémoire "
        "résidente la plus haute du processus (VmHWM de Linux, à la fin) ; la référence est le "
        "même relevé pour "
        "l'application témoin d'une ligne. tracemalloc est mesuré dans un troisième processus "
        "(il ralentit et grossit celui qu'il observe)."
    ))


# -- enumeration -----------------------------------------------------------------------------


def bench_enumeration(report: Report, folder: Path, pairs: int) -> None:
    section("Énumération")
    from ensap_tui.bootstrap import Settings, open_services
    from ensap_tui.services.models import RegistrationRequest, SignInStatus

    services = open_services(folder / "enumeration" / "ensap.sqlite3",
                             settings=Settings(use_keyring=False))
    known = "185057511512364"
    password = "Quartz#Velo8842"
    services.registration.register(RegistrationRequest(
        nir=known, birth_name="Lefèvre", birth_day="14", birth_month="05", birth_year="1985",
        terms_accepted=True, password=password, password_confirmation=password,
        email="lea.lefevre@exemple.fr", email_confirmation="lea.lefevre@exemple.fr"))
    link = services.mailbox.messages(limit=1)[0].link
    services.activation.activate(link)
    unknown = "278072B03300742"
    first_unknown = _timed(lambda: services.sign_in.sign_in(unknown, "Mauvais#Passe1"), 1)[0]
    wrong: list[float] = []
    absent: list[float] = []

    def attempt(nir: str) -> float:
        started = time.perf_counter()
        result = services.sign_in.sign_in(nir, "Mauvais#Passe1")
        elapsed = time.perf_counter() - started
        assert result.status is SignInStatus.FAILED, result
        with services.store.write() as tx:  # no block: every attempt is a counted failure
            tx.clear_failure_state(nir)
        return elapsed

    for index in range(pairs):
        for nir in ((known, unknown) if index % 2 == 0 else (unknown, known)):
            (wrong if nir == known else absent).append(attempt(nir))
    services.close()
    med_wrong, med_absent = statistics.median(wrong), statistics.median(absent)
    gap = abs(med_absent - med_wrong) / med_wrong
    report.add("Énumération", "Échec de connexion : NIR inconnu / mauvais mot de passe",
               f"{ms(med_absent)} / {ms(med_wrong)}",
               f"écart {num(gap * 100, 1)} % ; tout premier NIR inconnu : {ms(first_unknown)}",
               "écart ≤ 20 %", gap <= 0.20)
    report.note("Énumération", (
        f"{pairs} paires de tentatives alternées par le service de connexion, argon2id aux "
        "paramètres réels ; l'état de blocage est effacé après chaque tentative (hors "
        "mesure) pour que chacune soit un échec compté. Le tout premier NIR inconnu d'un "
        "processus calcule en plus l'empreinte factice de référence (une fois par processus)."
    ))


# -- 7. a training room under load ----------------------------------------------------------------


def bench_room(report: Report, folder: Path, postes: int) -> None:
    section(f"7. Salle de formation de {postes} postes")
    import asyncio

    import room_load

    try:
        load_before = ", ".join(num(x) for x in os.getloadavg())
    except OSError:
        load_before = "inconnue"
    plan = room_load.Plan(postes=postes)
    run = asyncio.run(room_load.run_room(plan, folder / "salle",
                                         progress=lambda line: print(line, flush=True)))
    stored = room_load.registered_accounts(run.db)
    try:
        load_after = ", ".join(num(x) for x in os.getloadavg())
    except OSError:
        load_after = "inconnue"
    figures = room_load.summary(run)
    s = "s" if postes > 1 else ""
    first = [p.first_screen or 0.0 for p in run.postes]
    report.add("Salle", f"{postes} postes rejoints dans la même seconde : tous affichent "
               "l'accueil", f"{num(figures['first_screen_all'])} s",
               f"médiane {num(statistics.median(first))} s ; premier "
               f"{num(min(first))} s ; CPU d'une application jusqu'au repos : "
               f"{num(figures['idle_cpu_median'])} s (médiane), "
               f"{num(figures['idle_cpu_total'], 1)} s pour les {postes}", "< 6 s",
               figures["first_screen_all"] < 6)
    report.add("Salle", f"Frappe → image pendant que les {postes} postes tapent (90e centile "
               "du poste le plus lent)", ms(figures["key_p90_worst_poste"]),
               f"90e c. médian des postes : {ms(figures['key_p90_median_poste'])} ; médiane "
               f"{ms(figures['key_median'])}, max {ms(figures['key_max'])} "
               f"({figures['keys']} frappes)", "< 100 ms",
               figures["key_p90_worst_poste"] < 0.100)
    shown = figures["registered_count"]
    registered_ok = len(stored) == postes and shown == postes
    value = f"{num(figures['registered_all'])} s"
    if shown < postes:
        value = f"{shown} sur {postes} en {num(plan.register_timeout, 0)} s"
    report.add("Salle", f"{postes} postes valident ensemble : toutes les pages « Finalisation »"
               " affichées", value,
               f"médiane {num(figures['registered_median'])} s ; {len(stored)} espace{s} "
               "enregistré" + ("s" if len(stored) > 1 else "") + " dans la base", "< 15 s",
               figures["registered_all"] < 15 and registered_ok)
    if run.failures:
        report.note("Salle", f"{len(run.failures)} poste(s) sans page « Finalisation » ; le "
                    "premier : " + run.failures[0].split(" ; l'écran")[0] + ".")
    report.add("Salle", "Mémoire d'un poste au repos (PSS médiane)",
               f"{num(figures['idle_pss_median'], 1)} Mio",
               f"RSS médiane {num(figures['idle_rss_median'], 1)} Mio ; PSS max "
               f"{num(figures['idle_pss_max'], 1)} Mio ; après l'inscription "
               f"{num(figures['registered_pss_median'], 1)} Mio", "< 60 Mio",
               figures["idle_pss_median"] < 60)
    report.add("Salle", f"Mémoire de la salle au repos ({postes} postes et serveur, PSS)",
               f"{num(figures['idle_total_pss'], 0)} Mio",
               f"serveur {num(figures['idle_server_pss'], 1)} Mio ; après les inscriptions "
               f"{num(figures['registered_total_pss'], 0)} Mio", "—", None)
    full = run.full_status == 503 and "Salle complète" in run.full_text
    report.add("Salle", f"Un {postes + 1}e poste", f"{run.full_status}, « Salle complète »"
               if full else f"{run.full_status}", "aucune application démarrée" if
               run.apps_after_full == run.apps_before_full else "une application démarrée",
               "page française", full and run.apps_after_full == run.apps_before_full)
    joined = [p.joined_at or 0.0 for p in run.postes]
    connected = [p.connected_at or 0.0 for p in run.postes]
    report.note("Salle", (
        f"`scripts/room_load.py` (le même pilote que `tests/test_room_load.py`) démarre le "
        "serveur de la salle (`python -m ensap_tui.commands.salle_server`, ce que lance "
        "`ensap-tui salle`) sur un port libre de 127.0.0.1, sur une base de démonstration "
        "neuve, une salle ouverte, au plus "
        f"{postes} postes. {postes} stagiaires rejoignent ensemble (client aiohttp : "
        "formulaire « Code de la salle » et « Prénom », cookie, page, websocket en 100 × 40, "
        "comme la page de textual-serve) : l'horloge part juste avant les "
        f"{postes} envois du formulaire et s'arrête quand l'écran de chacun montre « Créer mon "
        "espace » (dernier formulaire accepté après "
        f"{num(max(joined))} s, dernier websocket ouvert après {num(max(connected))} s). "
        "Ce qu'un poste « montre » est lu dans ce que son websocket transporte : le pilote "
        "tient l'écran du terminal (les déplacements du curseur et le texte que Textual écrit, "
        "sans les couleurs) et y cherche le texte français attendu. Chacun clique alors dans la "
        "page et sur « Créer mon espace », atteint chaque champ par un clic (pas par Tab : "
        "quand l'application est en retard sur les touches, celle tapée juste après un Tab "
        "peut encore aller au champ qu'on quitte), sauf le premier de chaque étape, qui a le "
        "curseur à l'ouverture, et "
        f"tape à {plan.keys_per_second:g} touches par seconde ce qu'une personne tape : NIR, "
        "nom de naissance, jour, mois et année dans leurs listes (ouvrir, taper, choisir, et "
        "recommencer si une autre valeur est choisie : "
        f"{figures['choices_again']} fois ici), case des conditions, mot de passe et sa "
        "confirmation, courriel principal et sa confirmation, téléphone principal ; il attend "
        "à l'écran chaque étape suivante. Une « image » est un message binaire du websocket "
        "(textual-serve transmet chaque écriture de l'application, et Textual écrit chaque "
        "mise à jour de l'écran d'un seul coup) ; la frappe → image va de l'envoi de la "
        "touche au premier message qui dessine sous la ligne d'en-tête (l'horloge de l'en-tête "
        "est redessinée chaque seconde d'elle-même). Quand l'image d'une touche n'est pas encore "
        "venue à l'heure de la suivante, le poste l'attend (une personne regarde l'écran) : "
        "l'allure réelle est donc au plus de "
        f"{plan.keys_per_second:g} touches par seconde ({figures['keys_without_frame']} "
        f"touche(s) et {figures['clicks_without_frame']} clic(s) sans image, saisie de "
        f"{num(figures['typing_median'], 0)} s par poste en médiane, champs retapés après "
        f"Ctrl+U faute d'afficher ce qui était tapé : {figures['fields_again']}) ; les "
        "chiffres tapés dans une liste ouverte ne l'attendent pas (la liste cherche ce "
        "qu'elle reçoit en 0,7 s) et ne comptent pas dans la frappe → image. Quand tous "
        "ont tapé, tous appuient sur Entrée (« Valider et "
        "Continuer ») au même instant ; l'horloge s'arrête quand le dernier écran montre "
        "« Votre espace sécurisé est en cours de création » (argon2id aux paramètres réels, "
        "64 Mio, dans chaque processus) ; les espaces enregistrés sont comptés dans la base. "
        "Mémoire : RSS et PSS (`/proc/PID/smaps_rollup`) de chaque processus d'application, "
        "trouvé sous le serveur par son nom (`ensap-poste-ID`, que lui donne le lanceur "
        "qui l'a créé), "
        f"{num(plan.settle, 0)} s après le dernier accueil affiché (puis après les "
        "inscriptions) ; le total compte aussi le serveur et son lanceur d'applications. "
        "La PSS partage les pages communes (Python, bibliothèques, et les modules que le "
        "lanceur a importés avant de créer les applications par fork) entre les processus "
        "qui les ont : c'est ce que la salle coûte "
        "vraiment ; la RSS les compte une fois par poste. Où passe le temps : chaque poste "
        "est une copie (fork) du lanceur du serveur, qui a déjà importé Textual, ensap-tui "
        "et les bibliothèques ; reste la base, l'application et le premier écran, "
        f"{num(figures['idle_cpu_median'])} s de CPU chacun jusqu'au repos (médiane), "
        f"{num(figures['idle_cpu_total'], 1)} s pour les {postes} : au moins "
        f"{num(figures['idle_cpu_total'] / (os.cpu_count() or 1), 1)} s sur les "
        f"{os.cpu_count()} cœurs même sans autre travail ; de l'arrivée à la fin des "
        f"inscriptions, les {postes} applications ont pris "
        f"{num(figures['registered_cpu_total'], 0)} s de CPU (frappe, argon2id à 64 Mio et "
        "4 fils par inscription, battements de cœur du tableau), que les 2 cœurs partagent, "
        "à une priorité de 5 crans (nice) derrière le serveur, qui relaie leurs images, et le "
        "pilote, qui tient lieu des navigateurs de la salle. Un "
        f"{postes + 1}e stagiaire essaie ensuite de rejoindre. Le pilote tourne dans un "
        "processus de plus sur les mêmes cœurs, et la machine n'était pas réservée à la mesure "
        "(d'autres travaux s'y partagent les 2 cœurs : la charge moyenne le dit). Charge "
        f"moyenne (1, 5, 15 min) au début : {load_before} ; à la fin : {load_after}."
    ))


# -- output -----------------------------------------------------------------------------------


def print_table(report: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="ensap-tui — mesures", show_lines=False)
    for column in ("Mesure", "Valeur", "Référence (même exécution)", "Cible", "Verdict"):
        table.add_column(column)
    for figure in report.figures:
        style = {True: "green", False: "bold red", None: ""}[figure.passed]
        table.add_row(figure.measure, figure.value, figure.reference, figure.target,
                      f"[{style}]{figure.verdict}[/]" if style else figure.verdict)
    Console().print(table)


def write_markdown(report: Report, path: Path, described: list[tuple[str, str]],
                   duration: float) -> None:
    lines = [
        "# Mesures de performance",
        "",
        "Produit par `make bench` (`scripts/bench.py`) le "
        f"{datetime.now().astimezone():%d/%m/%Y à %H:%M}, en {num(duration / 60, 1)} min. "
        "Chaque valeur est mesurée dans la même exécution que sa référence ; un échec "
        "(FAIL) se corrige dans le code, pas dans la cible.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in described],
        "",
        "## Résultats",
        "",
        "| Mesure | Valeur | Référence (même exécution) | Cible | Verdict |",
        "|---|---|---|---|---|",
        *[f"| {f.measure} | {f.value} | {f.reference} | {f.target} | **{f.verdict}** |"
          if f.passed is False else
          f"| {f.measure} | {f.value} | {f.reference} | {f.target} | {f.verdict} |"
          for f in report.figures],
        "",
        "## Méthode",
        "",
    ]
    for name, texts in report.notes.items():
        lines.append(f"### {name}")
        lines.append("")
        lines.extend(f"{text}\n" for text in texts)
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def _row(f: Figure) -> str:
    verdict = f"**{f.verdict}**" if f.passed is False else f.verdict
    return f"| {f.measure} | {f.value} | {f.reference} | {f.target} | {verdict} |"


def merge_markdown(report: Report, path: Path, sections: list[str],
                   described: list[tuple[str, str]], duration: float) -> None:
    """BENCHMARKS.md with the figures and the method of this run's sections only: a row of
    the same measure is replaced, a new one added at the end of the table, a method section
    of the same name replaced or added; the machine gets the lines it did not have (the
    PostgreSQL server's version), and a line under the title says what was measured when.
    Everything else is kept as the last full run wrote it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    when = datetime.now().astimezone()
    loads = dict(described)
    stamp = (f"Sections « {', '.join(sections)} » mesurées de nouveau le {when:%d/%m/%Y à %H:%M} "
             f"par `scripts/bench.py --only {','.join(sections)}`, en "
             f"{num(duration / 60, 1)} min (charge moyenne sur 1, 5 et 15 min : "
             f"{loads.get('Charge moyenne (1, 5, 15 min) au début', 'inconnue')} au début, "
             f"{loads.get('Charge moyenne (1, 5, 15 min) à la fin', 'inconnue')} à la fin).")
    old = [i for i, line in enumerate(lines) if line.startswith("Sections « ")
           and f"--only {','.join(sections)}`" in line]
    for i in reversed(old):  # the stamp of an earlier run of the same sections, and its blank
        del lines[i - 1:i + 1]
    title_end = next(i for i, line in enumerate(lines) if line.startswith("Produit par"))
    lines[title_end + 1:title_end + 1] = ["", stamp]
    machine_names = {line.split("|")[1].strip() for line in lines if line.startswith("| ")}
    last_machine = max(i for i, line in enumerate(lines) if line.startswith("| Charge moyenne"))
    for name, value in described:
        if name not in machine_names and not name.startswith("Charge"):
            lines.insert(last_machine + 1, f"| {name} | {value} |")
            last_machine += 1
    results = lines.index("## Résultats")
    method = lines.index("## Méthode")
    table = [i for i in range(results, method) if lines[i].startswith("| ")]
    by_measure = {lines[i].split(" | ")[0][2:]: i for i in table[2:]}
    added: list[str] = []
    for figure in report.figures:
        if figure.measure in by_measure:
            lines[by_measure[figure.measure]] = _row(figure)
        else:
            added.append(_row(figure))
    lines[table[-1] + 1:table[-1] + 1] = added
    for name, texts in report.notes.items():
        body = [""]
        for text in texts:
            body.extend([text, ""])
        heading = f"### {name}"
        if heading in lines:
            start = lines.index(heading)
            end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("### ")),
                       len(lines))
            lines[start + 1:end] = body
        else:
            while lines and not lines[-1]:
                lines.pop()
            lines.extend(["", heading, *body])
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesures de performance d'ensap-tui.")
    parser.add_argument("--quick", action="store_true",
                        help="mesures courtes, sans écrire BENCHMARKS.md")
    parser.add_argument("--only", help="sections à mesurer, séparées par des virgules "
                        "(demarrage,frappe,robustesse,blocages,volume,memoire,enumeration,"
                        "postgresql,connexions,salle) ; sans --quick, leurs lignes et leur méthode "
                        "remplacent les leurs dans BENCHMARKS.md, le reste est gardé")
    args = parser.parse_args(argv)
    quick = args.quick
    described = machine()
    report = Report()
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="ensap-bench-"))
    wanted = set((args.only or "").split(",")) - {""}

    def run(name: str) -> bool:
        return not wanted or name in wanted

    try:
        if run("demarrage"):
            bench_startup(report, folder, pairs=4 if quick else 30)
        if run("frappe"):
            bench_keystrokes(report, folder, blocks=2 if quick else 16, rounds=1 if quick else 2)
        if run("robustesse"):
            bench_strength(report)
        if run("blocages"):
            bench_stalls(report, folder, runs=1 if quick else 3)
        if run("memoire"):
            bench_memory(report, folder)
        if run("enumeration"):
            bench_enumeration(report, folder, pairs=4 if quick else 15)
        count = int(os.environ.get("BENCH_ACCOUNTS", 50_000 if quick else 1_000_000))
        if run("salle"):
            bench_room(report, folder, postes=int(os.environ.get("BENCH_POSTES",
                                                                 4 if quick else 30)))
        if run("volume"):
            bench_scale(report, folder, count=count, repeat=300 if quick else 2000)
        if run("postgresql"):
            bench_postgres(report, folder, count=count, repeat=300 if quick else 2000,
                           described=described)
        if run("connexions"):
            bench_signins(report, folder, quick)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    duration = time.perf_counter() - started
    try:
        load = ", ".join(num(x) for x in os.getloadavg())
    except OSError:
        load = "inconnue"
    described.append(("Charge moyenne (1, 5, 15 min) à la fin", load))
    print()
    print_table(report)
    print(f"Durée : {num(duration, 0)} s")
    if not quick and not wanted:
        write_markdown(report, ROOT / "BENCHMARKS.md", described, duration)
        print("BENCHMARKS.md écrit.")
    elif not quick:
        merge_markdown(report, ROOT / "BENCHMARKS.md", sorted(wanted), described, duration)
        print("BENCHMARKS.md complété.")
    return 0 if all(f.passed is not False for f in report.figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
