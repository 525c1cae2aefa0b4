"""The French social-security number (NIR): parsing, cross-check with the birth date, display.

A NIR has 15 characters: sex (1), year (2), month (2), place of birth (5: department and commune,
or 99 and a country code), order number (3) and a key of 2 digits (97 − N mod 97, where 2A counts
as 19 and 2B as 18). python-stdnum computes the key; the structure rules it does not check
(sex, month, department, commune, order) are written here.
"""

from __future__ import annotations

from datetime import date

from ensap_tui.domain.errors import FieldError

#: Characters a NIR may be typed with between its digits (spaces, non-breaking spaces, dots).
_SEPARATORS = frozenset(" .\u00a0\u202f")
_ASCII_DIGITS = frozenset("0123456789")
_SEXES = frozenset("123478")
#: Longest text worth looking at: anything longer is refused on its length without more work.
_MAX_INPUT = 64

MSG_EMPTY = "Saisissez votre numéro de sécurité sociale (15 caractères)."
MSG_LENGTH = (
    "Le numéro de sécurité sociale comporte 15 caractères (13 chiffres et une clé de 2 chiffres)."
)
MSG_CHARACTERS = (
    "Le numéro de sécurité sociale ne contient que des chiffres, "
    "et 2A ou 2B pour un département de Corse."
)
MSG_UNICODE_DIGITS = (
    "Saisissez le numéro de sécurité sociale avec les chiffres ordinaires du clavier (0 à 9)."
)
MSG_LETTERS = (
    "Seul le département de naissance peut comporter une lettre, pour la Corse (2A ou 2B)."
)
MSG_SEX = "Le premier chiffre du numéro de sécurité sociale doit être 1, 2, 3, 4, 7 ou 8."
MSG_MONTH = (
    "Les 4e et 5e chiffres (mois de naissance) doivent être compris entre 01 et 12 "
    "(ou entre 20 et 42, ou 50 et 99, dans des cas particuliers)."
)
MSG_DEPARTMENT = (
    "Les 6e et 7e caractères (département de naissance) doivent être compris entre 01 et 95, "
    "ou valoir 2A, 2B, 97, 98 ou 99 (né à l'étranger)."
)
MSG_COMMUNE = "Le code de la commune de naissance (après le département) ne peut pas être nul."
MSG_COUNTRY = "Le code du pays de naissance (après le 99) ne peut pas être 000."
MSG_ORDER = "Les 11e, 12e et 13e chiffres (numéro d'ordre) ne peuvent pas être 000."
MSG_KEY = "La clé du numéro ne correspond pas : vérifiez les deux derniers chiffres."


def _compact(text: str, field: str) -> str:
    """Separators removed, ASCII only, upper case; checks characters and length only."""
    if len(text) > _MAX_INPUT:
        raise FieldError(field, MSG_LENGTH)
    chars = [c for c in text if c not in _SEPARATORS]
    if not chars:
        raise FieldError(field, MSG_EMPTY)
    for c in chars:
        if c in _ASCII_DIGITS or c in "aAbB":
            continue
        if c.isdigit():
            raise FieldError(field, MSG_UNICODE_DIGITS)
        raise FieldError(field, MSG_CHARACTERS)
    compact = "".join(chars).upper()
    if len(compact) != 15:
        raise FieldError(field, MSG_LENGTH)
    department = compact[5:7]
    rest = compact[:5] + compact[7:]
    if not all(c in _ASCII_DIGITS for c in rest) or not (
        department in ("2A", "2B") or all(c in _ASCII_DIGITS for c in department)
    ):
        raise FieldError(field, MSG_LETTERS)
    return compact


def _check_structure(nir: str, field: str) -> None:
    if nir[0] not in _SEXES:
        raise FieldError(field, MSG_SEX)
    month = int(nir[3:5])
    if not (1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99):
        raise FieldError(field, MSG_MONTH)
    department = nir[5:7]
    if department in ("97", "98"):
        # Overseas: a 3-digit department (97x/98x) then a 2-digit commune.
        if nir[8:10] == "00":
            raise FieldError(field, MSG_COMMUNE)
    elif department == "99":
        if nir[7:10] == "000":
            raise FieldError(field, MSG_COUNTRY)
    elif department in ("2A", "2B") or 1 <= int(department) <= 95:
        if nir[7:10] == "000":
            raise FieldError(field, MSG_COMMUNE)
    else:
        raise FieldError(field, MSG_DEPARTMENT)
    if nir[10:13] == "000":
        raise FieldError(field, MSG_ORDER)


def parse_nir(text: str, field: str = "nir") -> str:
    """The 15 compact upper-case characters of a valid NIR.

    Accepts spaces, non-breaking spaces and dots between the characters, and lower-case
    ``2a``/``2b``. Only ASCII digits count. Raises :class:`FieldError` on ``field`` with a French
    message naming the first rule broken: characters, length, sex, month, department, commune or
    country, order number, key.
    """
    from stdnum.fr.nir import calc_check_digits  # imported on first use: start-up time matters

    nir = _compact(text, field)
    _check_structure(nir, field)
    if calc_check_digits(nir) != nir[13:]:
        raise FieldError(field, MSG_KEY)
    return nir


def birth_month(nir: str) -> int | None:
    """The birth month a valid compact NIR states (1–12), or ``None`` when it is unknown.

    01–12 is the month itself, 31–42 the month plus 30 (numbers given on a civil-status
    document); 20–30 and 50–99 say the month is unknown.
    """
    month = int(nir[3:5])
    if 1 <= month <= 12:
        return month
    if 31 <= month <= 42:
        return month - 30
    return None


def check_birth_date(nir: str, birth: date, field: str = "nir") -> None:
    """Raises :class:`FieldError` on ``field`` when the NIR does not match the birth date.

    The NIR's 2-digit year must be the birth year's last two digits, and its month the birth month
    when the NIR states one (see :func:`birth_month`). ``nir`` is parsed first, so a malformed one
    raises the same errors as :func:`parse_nir`.
    """
    compact = parse_nir(nir, field)
    year = compact[1:3]
    if int(year) != birth.year % 100:
        raise FieldError(
            field,
            f"L'année de naissance ({birth.year:04d}) ne correspond pas au numéro de sécurité "
            f"sociale, qui indique une année se terminant par {year} : vérifiez l'un ou l'autre.",
        )
    month = birth_month(compact)
    if month is not None and month != birth.month:
        raise FieldError(
            field,
            f"Le mois de naissance ({birth.month:02d}) ne correspond pas au numéro de sécurité "
            f"sociale, qui indique le mois {month:02d} : vérifiez l'un ou l'autre.",
        )


def _display_form(nir: str) -> str:
    """The compact form for display; structure of characters only, the key is not checked."""
    return _compact(nir, "nir")


def format_nir(nir: str) -> str:
    """``"1 85 05 75 115 123 64"``: the NIR in its usual groups, for display.

    Accepts what :func:`parse_nir` accepts, without checking the key or structure rules; raises
    :class:`FieldError` (field ``"nir"``) when the text is not 15 NIR characters.
    """
    n = _display_form(nir)
    return " ".join((n[0], n[1:3], n[3:5], n[5:7], n[7:10], n[10:13], n[13:]))


def mask_nir(nir: str) -> str:
    """``"1 85 •• •• ••• ••• 64"``: sex, year and key only, for logs and screens seen by others.

    Same input rules as :func:`format_nir`.
    """
    n = _display_form(nir)
    return f"{n[0]} {n[1:3]} •• •• ••• ••• {n[13:]}"
