"""The signed-in space: the account's data, changing the password and the contact details."""

from __future__ import annotations

from datetime import datetime

from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo, normalise_password
from ensap_tui.domain.throttle import blocked_until, effective_failure_state
from ensap_tui.services import _checks, _throttled, events, mail_texts
from ensap_tui.services._checks import SAME_AS_CURRENT
from ensap_tui.services._mail import send_mail
from ensap_tui.services.errors import NotSignedIn, TooManyAttempts, ValidationFailed
from ensap_tui.services.models import (
    Account,
    AccountStatus,
    Contacts,
    ContactsForm,
    Event,
    Session,
    TokenPurpose,
)
from ensap_tui.services.ports import Clock, Hasher, Store, StoreTx
from ensap_tui.services.signin import PersonDoor

TOO_MANY_ATTEMPTS = (
    "Trois mots de passe actuels erronés : par sécurité, votre session a pris fin et l'accès "
    "à votre espace est momentanément bloqué."
)
#: The event-log detail of a wrong current password.
CURRENT_FAILED_DETAIL = "mot de passe actuel incorrect (« Modifier mon mot de passe »)"
WRONG_CURRENT = (
    "Le mot de passe actuel est incorrect : saisissez celui que vous utilisez aujourd'hui."
)


class _CurrentPasswordDoor(PersonDoor):
    """Counts a wrong «Mot de passe actuel» on the NIR, like a failed sign-in."""

    def record_failure(self, tx: StoreTx, subject: Account | None, now: datetime) -> None:
        tx.add_event(Event(at=now, kind=events.SIGN_IN_FAILED, nir=self.nir,
                           detail=CURRENT_FAILED_DETAIL))


def _session_account(tx: StoreTx, session: Session) -> Account:
    account = tx.account_by_id(session.account_id)
    if account is None or account.nir != session.nir or account.status is not AccountStatus.ACTIVE:
        raise NotSignedIn("La session a pris fin : reconnectez-vous.")
    return account


class AccountService:
    """What a signed-in person can see and change.

    ``real_clock`` is the real time under any offset (``Services.real_clock``): a wrong
    current password of a training room poste's space is counted on that poste's clock, as
    its sign-in is (:meth:`ensap_tui.services.signin.PersonDoor.clock_at`)."""

    def __init__(
        self, store: Store, hasher: Hasher, clock: Clock, real_clock: Clock | None = None
    ) -> None:
        self._store = store
        self._hasher = hasher
        self._clock = clock
        self._real_clock = real_clock or clock

    def account(self, session: Session) -> Account:
        """The session's account; raises :class:`NotSignedIn` when it is gone."""
        with self._store.read() as tx:
            return _session_account(tx, session)

    def change_password(self, session: Session, current: str, new: str, confirmation: str) -> None:
        """Replaces the password after checking the current one.

        Raises :class:`ValidationFailed` on fields "mot-de-passe-actuel", "mot-de-passe",
        "confirmation-mot-de-passe" (in that order). Revokes every reset link and mails a notice.

        A wrong current password counts as a sign-in failure of the NIR: the one that starts a
        block (the third in a row) ends the session, and while a block is in force the current
        password is not even verified; both raise :class:`TooManyAttempts`.
        """
        account = self.account(session)
        with self._store.read() as tx:
            # The counter is the NIR's sign-in counter: on the clock of the space.
            now = _checks.space_now(tx, account.nir, self._clock.now(), self._real_clock)
            state = effective_failure_state(tx.failure_state(account.nir), now)
        until = blocked_until(state, now)
        if until is not None:
            raise TooManyAttempts(TOO_MANY_ATTEMPTS, until)
        current_norm = normalise_password(current)
        errors: list[FieldError] = []
        if not self._hasher.verify(account.password_hash, current_norm):
            errors.append(FieldError("mot-de-passe-actuel", self._wrong_current(account, now)))
        personal = PersonalInfo(
            account.nir, account.birth_name, account.birth_date, account.contacts.email
        )
        new_errors = _checks.check_new_password(new, confirmation, personal)
        if not errors and not new_errors and normalise_password(new) == current_norm:
            new_errors.insert(0, FieldError("mot-de-passe", SAME_AS_CURRENT))
        errors += new_errors
        if errors:
            raise ValidationFailed(errors)
        password_hash = self._hasher.hash(normalise_password(new))
        with self._store.write() as tx:
            fresh = _session_account(tx, session)
            if fresh.password_hash != account.password_hash:
                # Changed by another terminal since "current" was verified: verify again.
                raise ValidationFailed([FieldError("mot-de-passe-actuel", WRONG_CURRENT)])
            tx.set_password_hash(fresh.id, password_hash)
            tx.revoke_tokens(fresh.id, TokenPurpose.RESET, now)
            # Knowing the current password is as good as a sign-in: the streak restarts.
            tx.clear_failure_state(fresh.nir)
            tx.add_event(Event(at=now, kind=events.PASSWORD_CHANGED, nir=fresh.nir))
            send_mail(
                tx, mail_texts.PASSWORD_CHANGED, mail_texts.password_changed(now, by_reset=False),
                to=fresh.contacts.email, nir=fresh.nir, at=now,
            )

    def _wrong_current(self, account: Account, now: datetime) -> str:
        """Counts a wrong current password as a sign-in failure; the message to show, or
        :class:`TooManyAttempts` (raised after the transaction) when it starts a block."""
        result = None
        with self._store.write() as tx:
            state = effective_failure_state(tx.failure_state(account.nir), now)
            until = blocked_until(state, now)  # set when blocked meanwhile by another terminal
            if until is None:
                result = _throttled.count_failure(
                    tx, _CurrentPasswordDoor(account.nir), account, state, now
                )
                until = result.blocked_until
        # Raised once the transaction is committed: the failure must stay counted.
        if until is not None or result is None:
            raise TooManyAttempts(TOO_MANY_ATTEMPTS, until or now)
        left = result.attempts_left or 0
        plural = "s" if left > 1 else ""
        return (
            f"{WRONG_CURRENT} Après {left} autre{plural} erreur{plural}, la session prendra fin "
            "et l'accès à votre espace sera momentanément bloqué."
        )

    def change_contacts(self, session: Session, form: ContactsForm) -> Contacts:
        """Replaces the contact details with the same checks as creation step 3.

        Raises :class:`ValidationFailed` (fields as in
        :meth:`RegistrationService.check_contacts`) or :class:`NotSignedIn`.
        """
        contacts, errors = _checks.check_contacts(form)
        if errors or contacts is None:
            raise ValidationFailed(errors)
        now = self._clock.now()
        with self._store.write() as tx:
            account = _session_account(tx, session)
            tx.set_contacts(account.id, contacts)
            tx.add_event(Event(at=now, kind=events.CONTACTS_CHANGED, nir=account.nir))
        return contacts
