"""Identity fields of step 1: the birth name and the birth date."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from ensap_tui.domain.errors import FieldError

NAME_MAX_LENGTH = 60
#: Apostrophes accepted in a name: the typewriter one and the typographic one.
_APOSTROPHES = frozenset("'’")
_NAME_PUNCTUATION = _APOSTROPHES | {"-", " "}
#: Format and separator characters that are invisible on screen: refused like control characters.
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
EARLIEST_BIRTH = date(1900, 1, 1)

MSG_NAME_EMPTY = "Saisissez votre nom de naissance."
MSG_NAME_LENGTH = f"Le nom de naissance comporte au plus {NAME_MAX_LENGTH} caractères."
MSG_NAME_CONTROL = (
    "Le nom de naissance contient un caractère invisible ou de contrôle "
    "(tabulation, retour à la ligne…) : retirez-le."
)
MSG_NAME_DIGITS = "Le nom de naissance ne peut pas contenir de chiffres."
MSG_NAME_NO_LETTER = "Le nom de naissance doit contenir au moins une lettre."
MSG_NAME_LONE_MARK = "Un accent du nom de naissance doit être placé sur une lettre."
_MSG_NAME_ALLOWED = (
    "Le nom de naissance ne peut contenir que des lettres (accentuées ou non), des espaces, "
    "des traits d'union et des apostrophes"
)

MSG_DATE_TOO_EARLY = "La date de naissance ne peut pas être antérieure au 1er janvier 1900."

_PARTS = (("jour", "le jour"), ("mois", "le mois"), ("année", "l'année"))


def _refusal(c: str) -> str | None:
    """Why ``c`` cannot appear in a name (``None`` when it can)."""
    category = unicodedata.category(c)
    if category[0] in "LM" or category == "Zs" or c in _NAME_PUNCTUATION:
        return None
    if category in _CONTROL_CATEGORIES:
        return MSG_NAME_CONTROL
    if category[0] == "N":
        return MSG_NAME_DIGITS
    if c.isprintable():
        return f"{_MSG_NAME_ALLOWED} (caractère refusé : «\u00a0{c}\u00a0»)."
    return f"{_MSG_NAME_ALLOWED}."


def parse_birth_name(text: str, field: str = "nom-naissance") -> str:
    """The birth name as it will be stored: NFC, trimmed, inner runs of spaces made one.

    Allowed: letters of any script and accent, spaces, hyphens and apostrophes (``'`` and ``’``),
    with at least one letter; 1 to 60 characters. Any Unicode space counts as a space. Control and
    invisible characters, digits and any other sign (markup such as ``[`` ``]`` ``<`` ``>``
    included) raise :class:`FieldError` on ``field`` with the reason. Case is kept as typed.
    """
    for c in text:
        refusal = _refusal(c)
        if refusal is not None:
            raise FieldError(field, refusal)
    normalised = unicodedata.normalize("NFC", text)
    words = "".join(" " if unicodedata.category(c) == "Zs" else c for c in normalised).split(" ")
    name = " ".join(word for word in words if word)
    if not name:
        raise FieldError(field, MSG_NAME_EMPTY)
    if len(name) > NAME_MAX_LENGTH:
        raise FieldError(field, MSG_NAME_LENGTH)
    if not any(unicodedata.category(c)[0] == "L" for c in name):
        raise FieldError(field, MSG_NAME_NO_LETTER)
    previous = " "
    for c in name:
        # An accent typed on its own (a combining mark) must sit on a letter.
        if unicodedata.category(c)[0] == "M" and previous in _NAME_PUNCTUATION:
            raise FieldError(field, MSG_NAME_LONE_MARK)
        previous = c
    return name


def _missing_message(missing: list[str]) -> str:
    if len(missing) == 1:
        return f"Choisissez {missing[0]} de naissance."
    listed = ", ".join(missing[:-1]) + " et " + missing[-1]
    return f"Choisissez {listed} de naissance."


def _number(text: str, label: str, digits: int, field: str) -> int:
    value = text.strip()
    if not (1 <= len(value) <= digits) or not all("0" <= c <= "9" for c in value):
        if label == "année":
            raise FieldError(
                field, "L'année de naissance s'écrit avec 4 chiffres, par exemple 1985."
            )
        raise FieldError(
            field,
            f"Le {label} de naissance s'écrit en chiffres "
            f"({'1 à 31' if label == 'jour' else '1 à 12'}).",
        )
    return int(value)


def parse_birth_date(
    day: str, month: str, year: str, today: date, field: str = "date-naissance"
) -> date:
    """The birth date from the three lists (JJ, MM, AAAA) of step 1.

    Each part is ASCII digits (``"5"`` or ``"05"``; the year with 4 digits). The date must exist
    in the calendar, be no later than ``today`` and no earlier than 1 January 1900. Empty parts,
    and every other failure, raise :class:`FieldError` on ``field`` with a French message.
    """
    if isinstance(today, datetime):
        today = today.date()
    parts = (day, month, year)
    missing = [label for (_, label), value in zip(_PARTS, parts, strict=True) if not value.strip()]
    if missing:
        raise FieldError(field, _missing_message(missing))
    d = _number(day, "jour", 2, field)
    m = _number(month, "mois", 2, field)
    if len(year.strip()) != 4:
        raise FieldError(field, "L'année de naissance s'écrit avec 4 chiffres, par exemple 1985.")
    y = _number(year, "année", 4, field)
    if not 1 <= m <= 12:
        raise FieldError(field, "Le mois de naissance est compris entre 1 et 12.")
    if y < EARLIEST_BIRTH.year:
        raise FieldError(field, MSG_DATE_TOO_EARLY)
    try:
        born = date(y, m, d)
    except ValueError:
        raise FieldError(
            field,
            f"Le {d:02d}/{m:02d}/{y:04d} n'existe pas dans le calendrier : "
            "vérifiez le jour et le mois.",
        ) from None
    if born > today:
        raise FieldError(field, "La date de naissance ne peut pas être dans le futur.")
    if born < EARLIEST_BIRTH:  # pragma: no cover - years before 1900 are refused above
        raise FieldError(field, MSG_DATE_TOO_EARLY)
    return born
