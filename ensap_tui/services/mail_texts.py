"""The simulated e-mails' texts, in French, kept in one place.

Each function returns ``(subject, body)``. The only secret a body may hold is the link itself;
nothing else typed by the person (and never a password) goes into a mail.
"""

from __future__ import annotations

from datetime import datetime

from ensap_tui.domain.timefmt import format_datetime

#: Mail kinds stored in the outbox (``MailMessage.kind``).
ACTIVATION = "activation"
NOTICE = "notice"
RESET = "reset"
PASSWORD_CHANGED = "password-changed"

_FOOTER = (
    "Ce courriel est produit par ensap-tui, un simulateur de formation : il n'a été envoyé à "
    "personne et aucune donnée n'a été transmise à l'ENSAP."
)


def activation(link: str, valid_until: datetime) -> tuple[str, str]:
    """The mail that carries the activation link, valid 24 hours."""
    subject = "Finalisez la création de votre espace ENSAP (simulation)"
    body = (
        "Bonjour,\n\n"
        "Vous avez demandé la création de votre espace numérique sécurisé de l'agent public "
        "(ENSAP).\n\n"
        "Pour finaliser la création de votre espace ENSAP, suivez ce lien (valable 24 heures, "
        f"jusqu'au {format_datetime(valid_until)}) :\n\n"
        f"    {link}\n\n"
        "Passé ce délai, vous devrez recommencer la procédure.\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucun espace ne "
        "sera créé.\n\n"
        f"{_FOOTER}\n"
    )
    return subject, body


def registration_notice(at: datetime, *, active: bool) -> tuple[str, str]:
    """The notice sent to the address on file when someone registers a NIR that has a space."""
    subject = "Demande de création d'un espace ENSAP à votre nom (simulation)"
    if active:
        situation = (
            "Votre espace sécurisé existe déjà : aucun nouvel espace n'a été créé. Pour y "
            "accéder, saisissez votre numéro de sécurité sociale et votre mot de passe ; si vous "
            "l'avez oublié, choisissez « Mot de passe oublié »."
        )
    else:
        situation = (
            "Votre espace sécurisé est déjà en cours de création : aucun nouvel espace n'a été "
            "créé. Pour le finaliser, suivez le lien du premier courriel reçu, tant qu'il est "
            "valable ; passé ce délai, vous pourrez recommencer la procédure."
        )
    body = (
        "Bonjour,\n\n"
        "Une demande de création d'espace ENSAP a été faite avec votre numéro de sécurité "
        f"sociale le {format_datetime(at)}.\n\n"
        f"{situation}\n\n"
        "Ce message ne contient aucun lien. Si vous n'êtes pas à l'origine de cette demande, "
        "vous pouvez l'ignorer : votre espace n'a pas été modifié.\n\n"
        f"{_FOOTER}\n"
    )
    return subject, body


def reset(link: str, valid_until: datetime) -> tuple[str, str]:
    """The mail that carries the password reset link, valid 30 minutes."""
    subject = "Réinitialisation de votre mot de passe ENSAP (simulation)"
    body = (
        "Bonjour,\n\n"
        "Vous avez demandé la réinitialisation du mot de passe de votre espace ENSAP.\n\n"
        "Pour choisir un nouveau mot de passe, suivez ce lien (valable 30 minutes, "
        f"jusqu'au {format_datetime(valid_until)}, utilisable une seule fois) :\n\n"
        f"    {link}\n\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de "
        "passe actuel reste valable.\n\n"
        f"{_FOOTER}\n"
    )
    return subject, body


def password_changed(at: datetime, *, by_reset: bool) -> tuple[str, str]:
    """The notice that the password was changed (from the space or by a reset link)."""
    subject = "Votre mot de passe a été modifié (simulation)"
    how = "à l'aide du lien de réinitialisation" if by_reset else "depuis votre espace"
    body = (
        "Bonjour,\n\n"
        f"Le mot de passe de votre espace ENSAP a été modifié le {format_datetime(at)}, {how}.\n\n"
        "Si vous êtes à l'origine de cette modification, vous n'avez rien à faire.\n"
        "Sinon, choisissez sans tarder « Mot de passe oublié » sur la page de connexion pour "
        "définir un nouveau mot de passe.\n\n"
        f"{_FOOTER}\n"
    )
    return subject, body
