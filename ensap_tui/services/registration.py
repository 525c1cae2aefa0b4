"""Creating a secure space: the checks of the first three steps, then the registration itself.

Registration always gives the same answer, whether or not the NIR already has a space: a NIR
with an active account or a pending, unexpired registration gets a notice mail (no link) at the
address on file, and no second account.
"""

from __future__ import annotations

from datetime import datetime

from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo, normalise_password
from ensap_tui.services import _checks, events, mail_texts
from ensap_tui.services._mail import mail_limit_reached, send_link, send_mail
from ensap_tui.services.errors import ValidationFailed
from ensap_tui.services.models import (
    Account,
    AccountStatus,
    ContactsForm,
    Event,
    NewAccount,
    RegistrationReceipt,
    RegistrationRequest,
    TokenPurpose,
)
from ensap_tui.services.ports import Clock, Hasher, Store, StoreTx, TokenSource


def activation_ends(account: Account, latest_expiry: datetime | None) -> datetime:
    """When a pending registration expires, given the expiry of its newest activation link:
    that instant, or 24 hours after the account's creation when it has no link (should not
    happen)."""
    if latest_expiry is not None:
        return latest_expiry
    return account.created_at + _checks.ACTIVATION_VALIDITY


def registration_expired(tx: StoreTx, account: Account, now: datetime) -> bool:
    """True when ``account`` is pending and its newest activation link has expired
    (see :func:`activation_ends`)."""
    if account.status is not AccountStatus.PENDING:
        return False
    latest = tx.latest_token(account.id, TokenPurpose.ACTIVATION)
    return now >= activation_ends(account, None if latest is None else latest.expires_at)


def purge_if_expired(tx: StoreTx, account: Account, now: datetime) -> bool:
    """Deletes ``account`` when it is a pending registration whose newest link has expired
    (:func:`registration_expired`), with its event; True when it did."""
    if not registration_expired(tx, account, now):
        return False
    tx.delete_account(account.id)
    tx.add_event(
        Event(at=now, kind=events.REGISTRATION_PURGED, nir=account.nir, actor="systeme",
              detail="lien d'activation expiré")
    )
    return True


def send_activation(
    tx: StoreTx, account_id: int, nir: str, email: str, token: str, now: datetime
) -> datetime:
    """Stores a new activation token for the account and mails its link; returns its expiry.

    Older activation links of the account are revoked first.
    """
    return send_link(
        tx, TokenPurpose.ACTIVATION, token, account_id=account_id, to=email, nir=nir, at=now
    )


class RegistrationService:
    """The four creation steps (see :mod:`ensap_tui.services.events` for the events logged).

    ``real_clock`` is the real time under any offset (``Services.real_clock``): in a training
    room, a space already on file for the NIR is judged (is its registration expired?) and
    its notice dated on the clock of the poste it was created from, whichever poste
    registers the NIR again."""

    def __init__(
        self,
        store: Store,
        hasher: Hasher,
        clock: Clock,
        tokens: TokenSource,
        real_clock: Clock | None = None,
    ) -> None:
        self._store = store
        self._hasher = hasher
        self._clock = clock
        self._tokens = tokens
        self._real_clock = real_clock or clock

    def check_identity(
        self,
        nir: str,
        birth_name: str,
        day: str,
        month: str,
        year: str,
        terms_accepted: bool,
    ) -> list[FieldError]:
        """Step 1. Fields: "nir", "nom-naissance", "date-naissance", "cgu", in that order.

        Includes the NIR/birth date cross-check (reported on "nir").
        """
        today = _checks.local_today(self._clock.now())
        _, errors = _checks.check_identity(
            nir, birth_name, day, month, year, terms_accepted, today
        )
        return errors

    def check_password(
        self, password: str, confirmation: str, personal: PersonalInfo
    ) -> list[FieldError]:
        """Step 2. Fields: "mot-de-passe", "confirmation-mot-de-passe", in that order."""
        return _checks.check_new_password(password, confirmation, personal)

    def check_contacts(self, form: ContactsForm) -> list[FieldError]:
        """Step 3. Fields: "courriel", "confirmation-courriel", "courriel-secours",
        "confirmation-courriel-secours", "telephone", "telephone-secondaire", in that order.

        Confirmations compare without case; the backup address must differ from the main one.
        """
        _, errors = _checks.check_contacts(form)
        return errors

    def register(self, request: RegistrationRequest) -> RegistrationReceipt:
        """Validates everything again (raises :class:`ValidationFailed`), hashes the password,
        then in one transaction creates the pending account, its activation token and mail, or,
        when the NIR already has an active space or a pending unexpired one, mails a notice to
        the address on file. An expired pending registration of that NIR is purged first.

        The receipt is the same in both cases: the typed e-mail and now + 24 hours.
        """
        now = self._clock.now()
        ident, errors = _checks.check_identity(
            request.nir,
            request.birth_name,
            request.birth_day,
            request.birth_month,
            request.birth_year,
            request.terms_accepted,
            _checks.local_today(now),
        )
        contacts, contact_errors = _checks.check_contacts(request.contacts)
        if ident is not None:
            # With the e-mail known, the password must not contain its local part either.
            personal = PersonalInfo(
                ident.nir, ident.birth_name, ident.birth_date,
                contacts.email if contacts is not None else "",
            )
            errors += _checks.check_new_password(
                request.password, request.password_confirmation, personal
            )
        errors += contact_errors
        if errors or ident is None or contacts is None:
            raise ValidationFailed(errors)

        # argon2 is slow on purpose: never inside the write transaction.
        password_hash = self._hasher.hash(normalise_password(request.password))
        token = self._tokens.new_token()
        valid_until = now + _checks.ACTIVATION_VALIDITY
        with self._store.write() as tx:
            existing = tx.account_by_nir(ident.nir)
            # The space on file lives on its own clock (its poste's, in a training room).
            on_file = now if existing is None else _checks.space_now(
                tx, ident.nir, now, self._real_clock)
            if existing is not None and purge_if_expired(tx, existing, on_file):
                existing = None
            if existing is None:
                account_id = tx.insert_account(
                    NewAccount(
                        nir=ident.nir,
                        birth_name=ident.birth_name,
                        birth_date=ident.birth_date,
                        password_hash=password_hash,
                        contacts=contacts,
                        created_at=now,
                    )
                )
                send_activation(tx, account_id, ident.nir, contacts.email, token, now)
                tx.add_event(Event(at=now, kind=events.REGISTRATION_CREATED, nir=ident.nir))
            else:
                if mail_limit_reached(tx, mail_texts.NOTICE, ident.nir, on_file):
                    # Same receipt on screen: nothing tells the limit was reached.
                    detail = "aucun avis envoyé : limite de 3 courriels par heure atteinte"
                else:
                    notice = mail_texts.registration_notice(
                        on_file, active=existing.status is AccountStatus.ACTIVE
                    )
                    send_mail(
                        tx, mail_texts.NOTICE, notice, to=existing.contacts.email,
                        nir=ident.nir, at=on_file,
                    )
                    detail = "avis envoyé à l'adresse enregistrée"
                tx.add_event(
                    Event(at=now, kind=events.REGISTRATION_DUPLICATE, nir=ident.nir,
                          detail=detail)
                )
        return RegistrationReceipt(email=contacts.email, valid_until=valid_until)
