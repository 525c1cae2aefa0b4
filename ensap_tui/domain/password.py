"""Password policy and the «Niveau de sécurité» shown while a password is typed.

A password is **acceptable** when, after NFKC normalisation:

- it has at least 8 characters after normalisation and at most 128 both as typed and after
  normalisation (:data:`MAX_LENGTH`, the one limit of every password field: whatever is
  acceptable fits the sign-in field as typed);
- it has no control or invisible format characters (Unicode categories Cc, Cf, Cs, Zl, Zp:
  tabulations, line breaks, zero-width spaces, soft hyphens, direction marks, tag characters…);
- it mixes at least 3 of the 4 kinds: upper case, lower case, digits, other characters
  (Unicode-aware: «É» is upper case, a space or «€» is another character);
- it is not one of the common passwords bundled in ``data/common-passwords.txt`` (compared in
  lower case);
- it is not a guessable core plus at most 6 other characters: once lower-cased, without
  accents and with the usual substitutions undone (@ → a, 0 → o, 1 → i or l, 3 → e, $ → s…),
  a common password, a common French word or name, one character repeated, a keyboard row or a
  sequence of digits or letters, of at least 4 characters (:func:`guessable_message` says why);
- it contains none of the account's personal information: the NIR or any run of 6 of its digits,
  the birth date written JJMMAAAA, JJMMAA or AAAAMMJJ, the birth name or any of its words of at
  least 3 letters, the local part of the e-mail address (at least 3 characters). Names and e-mail
  are compared without case or accents; the password is also compared with its spaces, dots,
  hyphens, underscores and slashes removed.

The level is:

- **Fort** exactly when the password is acceptable;
- **Faible** when it is not and it is shorter than 8 characters, or uses fewer than 2 kinds, or
  is a common password or a guessable variant, or contains personal information;
- **Moyen** otherwise (long enough and varied, but only 2 kinds, or a control character, or more
  than 128 characters).

:func:`assess` never raises, and its cost is bounded whatever the input: at most 129 characters
are normalised (longer text is too long as typed), and every check is a linear scan, a substring
test or at most 2 × 49 dictionary look-ups on at most 129 characters.

Checklist (:attr:`Assessment.rules`): ``longueur`` holds for 8 to 128 characters; ``courant``
fails for a common password and for a guessable variant; ``courant`` and
``personnel`` hold only for a non-empty password, so an empty field ticks nothing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Literal

from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.words import runs

MIN_LENGTH = 8
#: The one maximum length of every password field (registration, sign-in, reset, change, agent
#: on screen and on the command line), counted as typed and after NFKC: NFKC can shorten text
#: (a 259-character password once became 89), so a limit counted only after it would accept
#: passwords that no sign-in field could take again.
MAX_LENGTH = 128
#: How much of a name or an e-mail address is looked at (their own fields are shorter).
_RAW_LIMIT = 4 * MAX_LENGTH
#: Refused: controls, surrogates, line/paragraph separators, and format characters (Cf: zero-width
#: spaces and joiners, soft hyphen, BOM, word joiner, bidirectional controls, tag characters), which
#: are invisible and would otherwise pass for «caractères spéciaux» and hide a common password.
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_SEPARATORS = frozenset(" ._-/\u00a0\u202f")
_NAME_MIN = 3
_EMAIL_LOCAL_MIN = 3
_NIR_RUN = 6

Level = Literal["Faible", "Moyen", "Fort"]

MSG_EMPTY = "Saisissez un mot de passe."
MSG_TOO_SHORT = f"Le mot de passe doit comporter au moins {MIN_LENGTH} caractères."
MSG_TOO_LONG = f"Le mot de passe doit comporter au plus {MAX_LENGTH} caractères."
MSG_CONTROL = (
    "Le mot de passe contient un caractère de contrôle ou invisible "
    "(tabulation, retour à la ligne…) : retirez-le."
)
MSG_KINDS = (
    "Le mot de passe doit mélanger au moins 3 des 4 types de caractères : majuscules, "
    "minuscules, chiffres et caractères spéciaux."
)
MSG_COMMON = (
    "Ce mot de passe fait partie des mots de passe les plus courants : choisissez-en un autre."
)
#: The end of every reason given for a guessable password (see :func:`guessable_message`).
MSG_GUESSABLE_END = " se devine vite\u00a0: préférez plusieurs mots sans lien entre eux."
MSG_NIR = "Le mot de passe ne doit pas contenir votre numéro de sécurité sociale, même en partie."
MSG_BIRTH_DATE = "Le mot de passe ne doit pas contenir votre date de naissance."
MSG_BIRTH_NAME = "Le mot de passe ne doit pas contenir votre nom de naissance."
MSG_EMAIL = "Le mot de passe ne doit pas contenir l'identifiant de votre adresse électronique."
MSG_CONFIRMATION_EMPTY = "Saisissez une seconde fois le mot de passe pour le confirmer."
MSG_CONFIRMATION = "Les deux mots de passe ne sont pas identiques."


@dataclass(frozen=True)
class PersonalInfo:
    """What a password must not contain. Empty fields are not checked."""

    nir: str = ""
    birth_name: str = ""
    birth_date: date | None = None
    email: str = ""


@dataclass(frozen=True)
class Rule:
    """One line of the live checklist: a stable ``key``, its French ``label``, whether it holds."""

    key: str
    label: str
    ok: bool


@dataclass(frozen=True)
class Assessment:
    """The verdict on one password (see the module docstring for the levels).

    ``rules`` are the checklist lines in display order; ``kinds`` is how many of the 4 kinds the
    password uses; ``problems`` are the French reasons it is refused, most basic first (empty
    exactly when ``acceptable``).
    """

    level: Level
    acceptable: bool
    rules: tuple[Rule, ...]
    kinds: int
    problems: tuple[str, ...]


def normalise_password(password: str) -> str:
    """The NFKC form every check and the hash use. Never trims, folds case or truncates."""
    return unicodedata.normalize("NFKC", password)


@cache
def _common_passwords() -> frozenset[str]:
    """The bundled list, read once on first use (start-up does not pay for it)."""
    from importlib import resources

    text = (
        resources.files("ensap_tui.domain")
        .joinpath("data", "common-passwords.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line for line in (raw.strip() for raw in text.splitlines()) if line and line[0] != "#"
    )


def is_common(password: str) -> bool:
    """Whether ``password`` (after NFKC, in lower case) is in the bundled common-password list."""
    if len(password) > MAX_LENGTH:
        return False
    return normalise_password(password).lower() in _common_passwords()


def _fold(text: str) -> str:
    """Case- and accent-insensitive form: «Éloïse» and «eloise» fold alike."""
    if text.isascii():  # the usual case, without a look at each character
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _without_separators(text: str) -> str:
    return "".join(c for c in text if c not in _SEPARATORS)


def _name_words(text: str) -> list[str]:
    """The words of a name, folded: split on anything that is not a letter."""
    return runs(_fold(text), str.isalpha)


@dataclass(frozen=True)
class _Needles:
    """What to look for in a password, derived once per :class:`PersonalInfo`."""

    nir: str  # the NIR, upper case, separators removed
    nir_runs: tuple[str, ...]  # its runs of 6 ASCII digits
    dates: tuple[str, ...]  # JJMMAAAA, JJMMAA, AAAAMMJJ
    names: tuple[str, ...]  # folded words of the birth name (>= 3 letters) and the whole name
    email: tuple[str, ...]  # folded local part of the e-mail, with and without separators


@lru_cache(maxsize=64)
def _needles(personal: PersonalInfo) -> _Needles:
    # Inputs are cut first so that a huge field cannot make this slow.
    nir = _without_separators(personal.nir[:64]).upper()[:15]
    runs = tuple(
        run
        for run in (nir[i : i + _NIR_RUN] for i in range(len(nir) - _NIR_RUN + 1))
        if run.isascii() and run.isdigit()
    )
    born = personal.birth_date
    dates: tuple[str, ...] = ()
    if born is not None:
        dd, mm, yyyy = f"{born.day:02d}", f"{born.month:02d}", f"{born.year:04d}"
        dates = (dd + mm + yyyy, dd + mm + yyyy[-2:], yyyy + mm + dd)
    words = _name_words(personal.birth_name[:_RAW_LIMIT])
    names = [w for w in words if len(w) >= _NAME_MIN]
    whole = "".join(words)
    if len(whole) >= _NAME_MIN:
        names.append(whole)
    email = personal.email[:_RAW_LIMIT].strip()
    local = _fold(email.rpartition("@")[0]) if "@" in email else ""
    locals_ = {local, _without_separators(local)}
    return _Needles(
        nir=nir if len(nir) >= _NIR_RUN else "",
        nir_runs=runs,
        dates=dates,
        names=tuple(names),
        email=tuple(sorted(c for c in locals_ if len(c) >= _EMAIL_LOCAL_MIN)),
    )


#: Common substitutions undone before looking for a guessable core («P@ssw0rd» is «password»).
#: «1» stands for «i» or «l»: both readings are looked up.
_SUBSTITUTED = {
    "@": "a", "4": "a", "3": "e", "€": "e", "!": "i", "|": "l", "0": "o", "$": "s", "5": "s",
    "7": "t", "+": "t",
}  # fmt: skip
_AS_I = str.maketrans({**_SUBSTITUTED, "1": "i"})
_AS_L = str.maketrans({**_SUBSTITUTED, "1": "l"})
#: A guessable core has at least this many characters; at most this many others surround it.
CORE_MIN = 4
OTHERS_MAX = 6
#: Keyboard rows (AZERTY, QWERTY, and the AZERTY digit row unshifted, folded) and the sequences
#: of digits and letters, each read both ways.
_KEYBOARD_ROWS = (
    "azertyuiop", "qsdfghjklm", "wxcvbn", "qwertyuiop", "asdfghjkl", "zxcvbnm", "&e\"'(-e_ca",
)  # fmt: skip
_DIGIT_SEQUENCES = ("01234567890",)
_LETTER_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz",)
#: (kind, French subject, feminine) of each kind of guessable core, for the reason shown.
_CORES: dict[str, tuple[str, bool]] = {
    "courant": ("Un mot de passe courant", False),
    "mot": ("Un mot courant", False),
    "nom": ("Un prénom ou un nom courant", False),
    "repete": ("Un même caractère répété", False),
    "chiffres": ("Une suite de chiffres", True),
    "lettres": ("Une suite de lettres", True),
    "clavier": ("Une suite de touches du clavier", True),
}
_WORD_FILES = (("french-names.txt", "nom"), ("french-words.txt", "mot"))


def _canonical(folded: str, table: dict[int, str] = _AS_I) -> str:
    return folded.translate(table)


@cache
def _guessable_words() -> tuple[dict[str, str], frozenset[str]]:
    """(canonical form → kind, entries as written) of the bundled lists, read once on first use
    (the app warms them up in a thread); kind is ``courant``, ``mot`` or ``nom``, a common
    password winning over a word, a word over a name. Entries are folded (lower case, no accents).
    """
    from importlib import resources

    data = resources.files("ensap_tui.domain").joinpath("data")
    kinds: dict[str, str] = {}
    entries: set[str] = set()
    # Later files win. Whole files are translated and inserted in single calls: entry by entry
    # takes several times longer.
    for name, kind in (*_WORD_FILES, ("common-passwords.txt", "courant")):
        lines = [
            line if line.isascii() else _fold(line)
            for line in data.joinpath(name).read_text(encoding="utf-8").splitlines()
            if line and line[0] != "#"
        ]
        text = "\n".join(lines)
        for table in (_AS_L, _AS_I):
            kinds.update(dict.fromkeys(_canonical(text, table).splitlines(), kind))
        entries.update(lines)
    return kinds, frozenset(entries)


@cache
def _sequences() -> dict[str, str]:
    """Every piece of at least 4 characters of a sequence, either way → its kind (a few
    thousand entries: one look-up per core instead of a scan of every row)."""
    pieces: dict[str, str] = {}
    for kind, rows in (
        ("clavier", _KEYBOARD_ROWS),
        ("lettres", _LETTER_SEQUENCES),
        ("chiffres", _DIGIT_SEQUENCES),
    ):
        for row in rows:
            for text in (row, row[::-1]):
                for start in range(len(text)):
                    for end in range(start + CORE_MIN, len(text) + 1):
                        pieces[text[start:end]] = kind
    return pieces


def _core_kind(core: str) -> str | None:
    if core.count(core[0]) == len(core):
        return "repete"
    return _sequences().get(core)


@dataclass(frozen=True)
class _Guess:
    kind: str
    before: str
    after: str
    disguised: bool


def _guessable(text: str) -> _Guess | None:
    """The guessable core of ``text`` (at most 129 characters, NFKC) with at most
    :data:`OTHERS_MAX` other characters around it, if any: the longest core that is a word
    (letters at both ends, all letters once substitutions are undone) or all digits, else the
    longest core of any kind (so that «Azerty123!» reads as a keyboard row followed by digits
    and a symbol, not as the common «azerty123» followed by «!»).

    Only cores of at least ``len - 6`` characters can qualify: at most 7 lengths × 7 places, two
    passes, each a dictionary look-up and a few substring tests on short rows, whatever the input.
    """
    lower = _fold(text)
    canon = _canonical(lower)
    canon_l = _canonical(lower, _AS_L) if "1" in lower else canon
    size = len(lower)
    kinds, entries = _guessable_words()
    for uniform_only in (True, False):
        for length in range(size, max(CORE_MIN, size - OTHERS_MAX) - 1, -1):
            for start in range(size - length + 1):
                end = start + length
                plain, core = lower[start:end], canon[start:end]
                word = core.isalpha() and plain[0].isalpha() and plain[-1].isalpha()
                if uniform_only and not (word or plain.isdigit()):
                    continue
                kind = _core_kind(plain)
                disguised = False
                if kind is None:
                    kind = kinds.get(core) or kinds.get(canon_l[start:end])
                    if kind is not None:
                        disguised = plain not in entries
                    else:
                        kind = _core_kind(core)
                if kind is not None:
                    return _Guess(kind, lower[:start], lower[end:], disguised)
    return None


def _what(others: str) -> str:
    """«de chiffres et de symboles»: what the characters around a core are."""
    kinds = []
    if any(c.isdigit() for c in others):
        kinds.append("de chiffres")
    if any(c.isalpha() for c in others):
        kinds.append("de lettres")
    if any(c.isspace() for c in others):
        kinds.append("d'espaces")
    if any(not (c.isalnum() or c.isspace()) for c in others):
        kinds.append("de symboles")
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " et " + kinds[-1]


def guessable_message(guess: _Guess) -> str:
    """The French reason a guessable password is refused, e.g. «Un mot courant suivi de
    chiffres se devine vite : préférez plusieurs mots sans lien entre eux.»"""
    subject, feminine = _CORES[guess.kind]
    e = "e" if feminine else ""
    words = [subject]
    if guess.disguised:
        words.append(f"déguisé{e}")
    if guess.before and guess.after:
        words.append(f"entouré{e} {_what(guess.before + guess.after)}")
    elif guess.before:
        words.append(f"précédé{e} {_what(guess.before)}")
    elif guess.after:
        words.append(f"suivi{e} {_what(guess.after)}")
    return " ".join(words) + MSG_GUESSABLE_END


def _personal_problems(text: str, personal: PersonalInfo) -> list[str]:
    """The French reasons ``text`` (NFKC, at most 129 characters) contains personal data."""
    needles = _needles(personal)
    plain = _without_separators(text)
    problems: list[str] = []
    upper = plain.upper()
    if (needles.nir and needles.nir in upper) or any(run in plain for run in needles.nir_runs):
        problems.append(MSG_NIR)
    if any(form in plain for form in needles.dates):
        problems.append(MSG_BIRTH_DATE)
    if needles.names or needles.email:
        folded = _fold(text)
        folded_plain = _without_separators(folded)
        if any(n in folded or n in folded_plain for n in needles.names):
            problems.append(MSG_BIRTH_NAME)
        if any(n in folded or n in folded_plain for n in needles.email):
            problems.append(MSG_EMAIL)
    return problems


def assess(password: str, personal: PersonalInfo | None = None) -> Assessment:
    """Checks ``password`` against the policy for the account described by ``personal``.

    Never raises, whatever the input; see the module docstring for the rules and levels.
    """
    if not isinstance(password, str):
        password = ""
    if personal is None:
        personal = PersonalInfo()
    typed = len(password)
    if typed > MAX_LENGTH:
        # Too long as typed: only a bounded prefix is normalised, for the other rules.
        text = normalise_password(password[: MAX_LENGTH + 1])[: MAX_LENGTH + 1]
        length = typed
    else:
        text = normalise_password(password)
        length = len(text)
        text = text[: MAX_LENGTH + 1]
    too_long = length > MAX_LENGTH or typed > MAX_LENGTH

    upper = lower = digit = other = control = False
    for c in text:
        category = unicodedata.category(c)
        if category in ("Lu", "Lt"):
            upper = True
        elif category == "Ll":
            lower = True
        elif category == "Nd":
            digit = True
        elif category in _CONTROL_CATEGORIES:
            control = True
        else:
            other = True
    kinds = upper + lower + digit + other
    # The other rules judge what is seen: invisible characters cannot hide a common password or
    # personal information («Password1» + U+200B is still «Password1»).
    visible = (
        "".join(c for c in text if unicodedata.category(c) not in _CONTROL_CATEGORIES)
        if control
        else text
    )

    common = length > 0 and not too_long and visible.lower() in _common_passwords()
    guess = _guessable(visible) if length and not too_long and not common else None
    personal_problems = _personal_problems(visible, personal) if length else []

    problems: list[str] = []
    if length == 0:
        problems.append(MSG_EMPTY)
    elif length < MIN_LENGTH:
        problems.append(MSG_TOO_SHORT)
    elif too_long:
        problems.append(MSG_TOO_LONG)
    if control:
        problems.append(MSG_CONTROL)
    if kinds < 3:
        problems.append(MSG_KINDS)
    if common:
        problems.append(MSG_COMMON)
    # Personal information first: it says more precisely what to change.
    problems.extend(personal_problems)
    if guess is not None:
        problems.append(guessable_message(guess))

    acceptable = not problems
    level: Level
    if acceptable:
        level = "Fort"
    elif length < MIN_LENGTH or kinds < 2 or common or guess or personal_problems:
        level = "Faible"
    else:
        level = "Moyen"
    rules = (
        Rule("longueur", "8 caractères minimum", length >= MIN_LENGTH and not too_long),
        Rule("majuscules", "majuscules", upper),
        Rule("minuscules", "minuscules", lower),
        Rule("chiffres", "chiffres", digit),
        Rule("speciaux", "caractères spéciaux", other),
        Rule("types", "3 des 4 types", kinds >= 3),
        Rule("courant", "pas un mot de passe courant", length > 0 and not (common or guess)),
        Rule("personnel", "sans information personnelle", length > 0 and not personal_problems),
    )
    return Assessment(level, acceptable, rules, kinds, tuple(problems))


def check_password(
    password: str,
    confirmation: str,
    personal: PersonalInfo | None = None,
    field: str = "mot-de-passe",
) -> None:
    """Raises :class:`FieldError` when the password cannot be set.

    First the policy (the first problem of :func:`assess`, on ``field``), then the confirmation,
    compared after NFKC, on ``"confirmation-mot-de-passe"``.
    """
    assessment = assess(password, personal)
    if assessment.problems:
        raise FieldError(field, assessment.problems[0])
    if not confirmation:
        raise FieldError("confirmation-mot-de-passe", MSG_CONFIRMATION_EMPTY)
    if len(confirmation) > MAX_LENGTH or normalise_password(confirmation) != normalise_password(
        password
    ):
        raise FieldError("confirmation-mot-de-passe", MSG_CONFIRMATION)
