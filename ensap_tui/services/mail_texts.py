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


def _mail(subject: str, *paragraphs: str) -> tuple[str, str]:
    """``(subject, body)``: the body is the greeting, ``paragraphs`` separated by blank lines,
    then the footer, as every simulated mail."""
    return subject, "\n\n".join(("Bonjour,", *paragraphs, _FOOTER)) + "\n"


def activation(link: str, valid_until: datetime) -> tuple[str, str]:
    """The mail that carries the activation link, valid 24 hours."""
    return _mail(
        "Finalisez la création de votre espace ENSAP (simulation)",
        "Vous avez demandé la création de votre espace numérique sécurisé de l'agent public "
        "(ENSAP).",
        "Pour finaliser la création de votre espace ENSAP, suivez ce lien (valable 24 heures, "
        f"jusqu'au {format_datetime(valid_until)}) :",
        f"    {link}",
        "Passé ce délai, vous devrez recommencer la procédure.\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucun espace ne "
        "sera créé.",
    )


def registration_notice(at: datetime, *, active: bool) -> tuple[str, str]:
    """The notice sent to the address on file when someone registers a NIR that has a space."""
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
    return _mail(
        "Demande de création d'un espace ENSAP à votre nom (simulation)",
        "Une demande de création d'espace ENSAP a été faite avec votre numéro de sécurité "
        f"sociale le {format_datetime(at)}.",
        situation,
        "Ce message ne contient aucun lien. Si vous n'êtes pas à l'origine de cette demande, "
        "vous pouvez l'ignorer : votre espace n'a pas été modifié.",
    )


def reset(link: str, valid_until: datetime) -> tuple[str, str]:
    """The mail that carries the password reset link, valid 30 minutes."""
    return _mail(
        "Réinitialisation de votre mot de passe ENSAP (simulation)",
        "Vous avez demandé la réinitialisation du mot de passe de votre espace ENSAP.",
        "Pour choisir un nouveau mot de passe, suivez ce lien (valable 30 minutes, "
        f"jusqu'au {format_datetime(valid_until)}, utilisable une seule fois) :",
        f"    {link}",
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de "
        "passe actuel reste valable.",
    )


def password_changed(at: datetime, *, by_reset: bool) -> tuple[str, str]:
    """The notice that the password was changed (from the space or by a reset link)."""
    how = "à l'aide du lien de réinitialisation" if by_reset else "depuis votre espace"
    return _mail(
        "Votre mot de passe a été modifié (simulation)",
        f"Le mot de passe de votre espace ENSAP a été modifié le {format_datetime(at)}, {how}.",
        "Si vous êtes à l'origine de cette modification, vous n'avez rien à faire.\n"
        "Sinon, choisissez sans tarder « Mot de passe oublié » sur la page de connexion pour "
        "définir un nouveau mot de passe.",
    )
