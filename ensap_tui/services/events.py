"""Kinds of the append-only event log (``Event.kind``), short kebab-case strings.

=========================  ==========================================================
kind                       when
=========================  ==========================================================
``registration-created``   a pending account and its activation mail were created
``registration-duplicate`` a registration for a NIR that already has a space (notice)
``registration-purged``    an expired pending registration was deleted
``activation-sent``        a new activation link was sent (help desk); older revoked
``account-activated``      an activation link was followed in time
``sign-in``                a successful sign-in
``sign-in-failed``         a counted failure (unknown NIR or wrong password)
``sign-in-blocked``        a third failure started a block (``detail``: its length)
``sign-in-not-activated``  the right password for a pending account
``sign-out``               the person left (``detail``: why, e.g. inactivity)
``reset-requested``        a reset link was mailed
``reset-refused``          a reset was asked but no mail sent (``detail``: why)
``password-reset``         a password was set through a reset link (unblocks)
``password-changed``       a password was changed from the signed-in space
``contacts-changed``       contact details were changed from the signed-in space
``account-unblocked``      a help-desk agent lifted a block
``account-deleted``        a help-desk agent deleted a space
``agent-added``            a help-desk agent account was created
``agent-removed``          a help-desk agent account was removed
``agent-sign-in``          an agent signed in to the console
``agent-sign-in-failed``   a counted agent failure
``agent-sign-in-blocked``  a third agent failure started a block
``agent-sign-out``         an agent left the console
``agent-unblocked``        ``agent unlock`` lifted an agent's block or forgot its failures
``demo-seeded``            the demo database was filled with its fictitious accounts
``demo-reset``             the demo was put back in its starting state
``demo-clock``             the trainer moved the demo clock
``room-opened``            a training room was opened (``detail``: its code)
``room-ended``             the trainer ended the room
``room-clock``             the trainer moved every poste's clock (the room's offset)
``poste-joined``           a trainee joined the room (``detail``: the first name)
``poste-clock``            a poste's own clock was moved (by the trainee or the trainer)
``poste-reset``            the trainer reset a poste (its spaces and mails deleted)
``poste-restarted``        the trainer let a poste start again from the home page
=========================  ==========================================================

Events of a training room (issue 12) carry ``room_id`` and, for a poste's, ``poste_id``.

An event never holds a password, a token or a link; ``detail`` is short French text for the
help desk.
"""

from __future__ import annotations

REGISTRATION_CREATED = "registration-created"
REGISTRATION_DUPLICATE = "registration-duplicate"
REGISTRATION_PURGED = "registration-purged"
ACTIVATION_SENT = "activation-sent"
ACCOUNT_ACTIVATED = "account-activated"
SIGN_IN = "sign-in"
SIGN_IN_FAILED = "sign-in-failed"
SIGN_IN_BLOCKED = "sign-in-blocked"
SIGN_IN_NOT_ACTIVATED = "sign-in-not-activated"
SIGN_OUT = "sign-out"
RESET_REQUESTED = "reset-requested"
RESET_REFUSED = "reset-refused"
PASSWORD_RESET = "password-reset"
PASSWORD_CHANGED = "password-changed"
CONTACTS_CHANGED = "contacts-changed"
ACCOUNT_UNBLOCKED = "account-unblocked"
ACCOUNT_DELETED = "account-deleted"
AGENT_ADDED = "agent-added"
AGENT_REMOVED = "agent-removed"
AGENT_SIGN_IN = "agent-sign-in"
AGENT_SIGN_IN_FAILED = "agent-sign-in-failed"
AGENT_SIGN_IN_BLOCKED = "agent-sign-in-blocked"
AGENT_SIGN_OUT = "agent-sign-out"
AGENT_UNBLOCKED = "agent-unblocked"
DEMO_SEEDED = "demo-seeded"
DEMO_RESET = "demo-reset"
DEMO_CLOCK = "demo-clock"
ROOM_OPENED = "room-opened"
ROOM_ENDED = "room-ended"
ROOM_CLOCK = "room-clock"
POSTE_JOINED = "poste-joined"
POSTE_CLOCK = "poste-clock"
POSTE_RESET = "poste-reset"
POSTE_RESTARTED = "poste-restarted"
