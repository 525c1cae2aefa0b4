"""Field checks and token helpers shared by several services (not part of the public API)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ensap_tui.domain import contact, identity, nir, password
from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.token_state import TokenState
from ensap_tui.domain.token_state import token_state as domain_token_state
from ensap_tui.services.models import Contacts, ContactsForm, TokenPurpose, TokenRecord
from ensap_tui.services.ports import Clock, StoreTx

#: How long an activation link works after it was issued.
ACTIVATION_VALIDITY = timedelta(hours=24)
#: How long a reset link works after it was issued.
RESET_VALIDITY = timedelta(minutes=30)

#: A new password (change or reset) must differ from the one it replaces.
SAME_AS_CURRENT = "Le nouveau mot de passe doit être différent du mot de passe actuel."

TERMS_MESSAGE = (
    "Vous devez accepter les conditions générales d'utilisation pour continuer."
)


def token_hash(token: str) -> str:
    """The SHA-256 hex digest stored in place of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_state(record: TokenRecord | None, purpose: TokenPurpose, now: datetime) -> TokenState:
    """Classifies a stored token for ``purpose`` at ``now`` (see
    :func:`ensap_tui.domain.token_state.token_state`); a token of another purpose, or none,
    reads as unknown."""
    if record is None or record.purpose != purpose:
        return TokenState.UNKNOWN
    return domain_token_state(record.expires_at, record.used_at, record.revoked_at, now)


def space_now(tx: StoreTx, nir_: str, now: datetime, real_clock: Clock) -> datetime:
    """The time on the clock of the space of ``nir_``: ``now`` (the caller's clock), except for
    a space created from a training room's poste, whose time is that poste's clock (the real
    time plus its room's and its own offsets), whoever reads or acts on it."""
    offset = tx.space_clock_offset(nir_)
    return now if offset is None else real_clock.now() + timedelta(seconds=offset)


def local_today(now: datetime) -> date:
    """Today's date in the user's zone (birth dates are calendar dates, not instants)."""
    return now.astimezone().date()


@dataclass(frozen=True, slots=True)
class Identity:
    """Step 1, checked."""

    nir: str
    birth_name: str
    birth_date: date


def check_identity(
    nir_text: str,
    birth_name: str,
    day: str,
    month: str,
    year: str,
    terms_accepted: bool,
    today: date,
) -> tuple[Identity | None, list[FieldError]]:
    """Step 1: the identity when every field is valid, and the errors in screen order."""
    errors: list[FieldError] = []
    compact: str | None = None
    name: str | None = None
    born: date | None = None
    try:
        compact = nir.parse_nir(nir_text, field="nir")
    except FieldError as error:
        errors.append(error)
    try:
        name = identity.parse_birth_name(birth_name, field="nom-naissance")
    except FieldError as error:
        errors.append(error)
    try:
        born = identity.parse_birth_date(day, month, year, today, field="date-naissance")
    except FieldError as error:
        errors.append(error)
    if compact is not None and born is not None:
        try:
            nir.check_birth_date(compact, born, field="nir")
        except FieldError as error:
            # The NIR is the first field on screen: its error comes first.
            errors.insert(0, error)
    if not terms_accepted:
        errors.append(FieldError("cgu", TERMS_MESSAGE))
    if errors or compact is None or name is None or born is None:
        return None, errors
    return Identity(compact, name, born), errors


def check_new_password(
    text: str,
    confirmation: str,
    personal: password.PersonalInfo,
    *,
    field: str = "mot-de-passe",
    confirmation_field: str = "confirmation-mot-de-passe",
) -> list[FieldError]:
    """A new password: acceptable for ``personal``, and confirmed (compared after NFKC).

    Both fields are reported when both are wrong, so the screen can show every message at once
    (the domain's ``check_password`` stops at the first).
    """
    errors: list[FieldError] = []
    problems = password.assess(text, personal).problems
    if problems:
        errors.append(FieldError(field, problems[0]))
    if not confirmation:
        errors.append(FieldError(confirmation_field, password.MSG_CONFIRMATION_EMPTY))
    elif password.normalise_password(confirmation) != password.normalise_password(text):
        errors.append(FieldError(confirmation_field, password.MSG_CONFIRMATION))
    return errors


def _same_email(first: str, second: str) -> bool:
    try:
        return contact.same_email(first, second)
    except FieldError:
        return first.strip().casefold() == second.strip().casefold()


def _parsed(
    parse: Callable[[str, str], str], text: str, field: str, errors: list[FieldError]
) -> str | None:
    """``parse(text, field)``, or None with its error added to ``errors`` (a form reports
    every field's error at once)."""
    try:
        return parse(text, field)
    except FieldError as error:
        errors.append(error)
        return None


def check_contacts(form: ContactsForm) -> tuple[Contacts | None, list[FieldError]]:
    """Step 3: the contacts when every field is valid, and the errors in screen order."""
    email, email_confirmation = form.email, form.email_confirmation
    email_backup, email_backup_confirmation = form.email_backup, form.email_backup_confirmation
    phone, phone_secondary = form.phone, form.phone_secondary
    errors: list[FieldError] = []
    backup = ""
    main_phone = ""
    other_phone = ""
    main = _parsed(contact.parse_email, email, "courriel", errors)
    if not email_confirmation.strip():
        errors.append(
            FieldError("confirmation-courriel", "Saisissez à nouveau votre courriel principal.")
        )
    elif not _same_email(email, email_confirmation):
        errors.append(
            FieldError(
                "confirmation-courriel",
                "La confirmation doit être identique au courriel principal.",
            )
        )
    if email_backup.strip():
        backup = _parsed(contact.parse_email, email_backup, "courriel-secours", errors) or ""
        if backup and main is not None and _same_email(main, backup):
            errors.append(
                FieldError(
                    "courriel-secours",
                    "Le courriel de secours doit être différent du courriel principal.",
                )
            )
    if (email_backup.strip() or email_backup_confirmation.strip()) and not _same_email(
        email_backup, email_backup_confirmation
    ):
        errors.append(
            FieldError(
                "confirmation-courriel-secours",
                "La confirmation doit être identique au courriel de secours.",
            )
        )
    if phone.strip():
        main_phone = _parsed(contact.parse_phone, phone, "telephone", errors) or ""
    if phone_secondary.strip():
        other_phone = (
            _parsed(contact.parse_phone, phone_secondary, "telephone-secondaire", errors) or ""
        )
    if errors or main is None:
        return None, errors
    return Contacts(main, backup, main_phone, other_phone), errors
