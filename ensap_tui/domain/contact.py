"""Contact details: e-mail addresses (email-validator) and phone numbers (phonenumbers).

Both libraries are imported on first use: together they cost about 0.1 s at start-up.
"""

from __future__ import annotations

from ensap_tui.domain.errors import FieldError

EMAIL_MAX_LENGTH = 254
_EMAIL_EXAMPLE = "exemple : prenom.nom@exemple.fr"

MSG_EMAIL_EMPTY = f"Saisissez une adresse électronique ({_EMAIL_EXAMPLE})."
MSG_EMAIL_LONG = f"L'adresse électronique comporte au plus {EMAIL_MAX_LENGTH} caractères."
MSG_EMAIL_NO_AT = f"L'adresse électronique doit contenir un «\u00a0@\u00a0» ({_EMAIL_EXAMPLE})."
MSG_EMAIL_MANY_AT = "L'adresse électronique ne doit contenir qu'un seul «\u00a0@\u00a0»."
MSG_EMAIL_SPACE = "L'adresse électronique ne doit contenir ni espace ni retour à la ligne."
MSG_EMAIL_NO_LOCAL = f"Il manque la partie avant le «\u00a0@\u00a0» ({_EMAIL_EXAMPLE})."
MSG_EMAIL_NO_DOMAIN = f"Il manque le domaine après le «\u00a0@\u00a0» ({_EMAIL_EXAMPLE})."
MSG_EMAIL_DOMAIN_DOT = (
    "Le domaine après le «\u00a0@\u00a0» doit comporter un point (exemple : exemple.fr)."
)
MSG_EMAIL_INVALID = f"L'adresse électronique n'est pas valide : vérifiez-la ({_EMAIL_EXAMPLE})."

PHONE_EXAMPLES = (
    "exemple : 0615147879 ou depuis l'étranger +33615147879 ; Polynésie : 0689 + 8 chiffres"
)
MSG_PHONE_EMPTY = f"Saisissez un numéro de téléphone ({PHONE_EXAMPLES})."
MSG_PHONE_PLACEHOLDER = (
    "Remplacez «\u00a0XXX\u00a0» par l'indicatif du pays précédé de «\u00a0+\u00a0» "
    f"({PHONE_EXAMPLES})."
)
MSG_PHONE_CHARACTERS = (
    "Le numéro de téléphone ne contient que des chiffres, éventuellement précédés de "
    f"«\u00a0+\u00a0» ({PHONE_EXAMPLES})."
)
MSG_PHONE_LENGTH = (
    f"Un numéro de téléphone français comporte 10 chiffres et commence par 0 ({PHONE_EXAMPLES})."
)
MSG_PHONE_INVALID = f"Ce numéro de téléphone n'est pas valide ({PHONE_EXAMPLES})."
MSG_PHONE_POLYNESIA = "Pour la Polynésie, composez 0689 puis vos 8\u00a0chiffres."
MSG_PHONE_POLYNESIA_INVALID = (
    "Ce numéro de Polynésie n'est pas valide\u00a0: après 0689, composez les 8\u00a0chiffres "
    "de votre numéro (exemple\u00a0: 0689\u00a087\u00a012\u00a034\u00a056)."
)

#: 10-digit French numbers of overseas departments, by their first four digits: phonenumbers
#: reads them as +33 (metropolitan), ENSAP means the department's own country code.
OVERSEAS_PREFIXES: dict[str, str] = {
    "0262": "262",  # Réunion
    "0263": "262",
    "0692": "262",
    "0693": "262",
    "0269": "262",  # Mayotte
    "0639": "262",
    "0590": "590",  # Guadeloupe
    "0690": "590",
    "0691": "590",
    "0596": "596",  # Martinique
    "0696": "596",
    "0697": "596",
    "0594": "594",  # Guyane
    "0694": "594",
}
#: ENSAP's form for French Polynesia: 0689 followed by the 8-digit local number.
POLYNESIA_PREFIX = "0689"
_PHONE_SEPARATORS = frozenset(" .-()/\u00a0\u202f")
_ASCII_DIGITS = frozenset("0123456789")
_PHONE_MAX_INPUT = 40


def parse_email(text: str, field: str = "courriel") -> str:
    """The normalised address (domain in lower case, Unicode NFC), checked without DNS.

    Surrounding spaces are ignored. Raises :class:`FieldError` on ``field`` with a French message.
    """
    address = text.strip()
    if not address:
        raise FieldError(field, MSG_EMAIL_EMPTY)
    if len(address) > EMAIL_MAX_LENGTH:
        raise FieldError(field, MSG_EMAIL_LONG)
    if any(c.isspace() for c in address):
        raise FieldError(field, MSG_EMAIL_SPACE)
    if "@" not in address:
        raise FieldError(field, MSG_EMAIL_NO_AT)
    if address.count("@") > 1:
        raise FieldError(field, MSG_EMAIL_MANY_AT)
    local, _, domain = address.partition("@")
    if not local:
        raise FieldError(field, MSG_EMAIL_NO_LOCAL)
    if not domain:
        raise FieldError(field, MSG_EMAIL_NO_DOMAIN)
    if "." not in domain.strip("."):
        raise FieldError(field, MSG_EMAIL_DOMAIN_DOT)

    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        raise FieldError(field, MSG_EMAIL_INVALID) from None
    normalized: str = result.normalized
    return normalized


def same_email(a: str, b: str) -> bool:
    """Whether two addresses are the same, ignoring case, once normalised.

    When either is not a valid address, their trimmed texts are compared without case. Never
    raises.
    """
    try:
        first = parse_email(a)
        second = parse_email(b)
    except FieldError:
        return a.strip().casefold() == b.strip().casefold()
    return first.casefold() == second.casefold()


def _mapped_form(e164: str) -> bool:
    """Whether ``e164`` is what :func:`parse_phone` makes of an ENSAP overseas or Polynesia form."""
    digits = e164[1:]
    for code in ("262", "590", "594", "596"):
        if digits.startswith(code) and len(digits) == 12:
            return OVERSEAS_PREFIXES.get("0" + digits[3:6]) == code
    return False


def _international(number: str, field: str) -> str:
    """``number`` is "+" and digits; accepted when phonenumbers says valid (or our own forms)."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        raise FieldError(field, MSG_PHONE_INVALID) from None
    e164: str = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(parsed) or (
        _mapped_form(e164) and phonenumbers.is_possible_number(parsed)
    ):
        return e164
    raise FieldError(field, MSG_PHONE_INVALID)


def _valid_polynesian(local: str) -> bool:
    """Whether ``local`` (8 digits) is a valid number of French Polynesia (+689)."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse("+689" + local, None)
    except phonenumbers.NumberParseException:  # pragma: no cover - 8 digits always parse
        return False
    return bool(phonenumbers.is_valid_number(parsed))


def parse_phone(text: str, field: str = "telephone") -> str:
    """The number in E.164 (``"+33615147879"``).

    Accepts spaces, dots, hyphens, slashes and parentheses between the digits, and:
    a French 10-digit number (``0615147879``), the ENSAP Polynesia form ``0689`` + 8 digits
    (→ ``+689`` + the 8 digits, which phonenumbers must deem a valid Polynesian number; the
    8 digits alone get a message saying to dial 0689 first), 10-digit overseas numbers by their
    prefix (0262, 0263, 0692, 0693 Réunion and 0269, 0639 Mayotte → +262; 0590, 0690, 0691
    Guadeloupe → +590; 0596, 0696, 0697 Martinique → +596; 0594, 0694 Guyane → +594), and
    international numbers written ``+XX…`` or ``00XX…`` that phonenumbers deems valid. Refuses
    the guide's placeholder ``XXX…`` and anything else with a :class:`FieldError` on ``field``
    quoting the expected form.
    """
    raw = text.strip()
    if not raw:
        raise FieldError(field, MSG_PHONE_EMPTY)
    if "x" in raw.casefold():
        raise FieldError(field, MSG_PHONE_PLACEHOLDER)
    if len(raw) > _PHONE_MAX_INPUT:
        raise FieldError(field, MSG_PHONE_LENGTH)
    plus = raw.startswith("+")
    body = raw[1:] if plus else raw
    if any(c not in _ASCII_DIGITS and c not in _PHONE_SEPARATORS for c in body):
        raise FieldError(field, MSG_PHONE_CHARACTERS)
    digits = "".join(c for c in body if c in _ASCII_DIGITS)
    if plus:
        return _international("+" + digits, field)
    if digits.startswith("00"):
        return _international("+" + digits[2:], field)
    if len(digits) == 12 and digits.startswith(POLYNESIA_PREFIX):
        try:
            return _international("+689" + digits[4:], field)
        except FieldError:
            raise FieldError(field, MSG_PHONE_POLYNESIA_INVALID) from None
    if len(digits) == 8 and _valid_polynesian(digits):
        raise FieldError(field, MSG_PHONE_POLYNESIA)
    if len(digits) != 10 or not digits.startswith("0"):
        raise FieldError(field, MSG_PHONE_LENGTH)
    code = OVERSEAS_PREFIXES.get(digits[:4])
    if code is not None:
        return f"+{code}{digits[1:]}"
    number = _international("+33" + digits[1:], field)
    if not number.startswith("+33"):  # pragma: no cover - phonenumbers keeps the code it is given
        raise FieldError(field, MSG_PHONE_INVALID)
    return number


def format_phone(e164: str) -> str:
    """The number for display: national form in pairs for +33 (``"06 15 14 78 79"``,
    ``"08 12 34 56 78"``), international otherwise (``"+689 87 12 34 56"``).

    Accepts whatever :func:`parse_phone` accepts and raises the same :class:`FieldError`
    (field ``"telephone"``) otherwise.
    """
    import phonenumbers

    number = parse_phone(e164)
    if number.startswith("+33") and len(number) == 12:
        # Written by hand: phonenumbers follows the ITU layout for some ranges («0 812 34 56
        # 78»), whereas every French number is read out in pairs.
        national = "0" + number[3:]
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    parsed = phonenumbers.parse(number, None)
    formatted: str = phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return formatted
