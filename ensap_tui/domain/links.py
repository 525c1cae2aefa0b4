"""The links sent by the simulated mail: ``ensap-tui://activer/<jeton>`` and
``ensap-tui://reinitialiser/<jeton>``, and reading a token back from what a user pastes."""

from __future__ import annotations

from ensap_tui.domain.errors import FieldError

SCHEME = "ensap-tui"
ACTIVATION = "activer"
RESET = "reinitialiser"
KINDS = (ACTIVATION, RESET)
TOKEN_MIN_LENGTH = 16
TOKEN_MAX_LENGTH = 128
#: Longest pasted text worth reading (a link is under 170 characters; room for line breaks).
_MAX_INPUT = 4096
_TOKEN_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")

_PURPOSES = {
    ACTIVATION: "activer un espace",
    RESET: "réinitialiser un mot de passe",
}

MSG_EMPTY = "Collez le lien reçu par courriel (il commence par ensap-tui://)."
MSG_TOO_LONG = "Ce texte est trop long pour être un lien ENSAP : collez seulement le lien reçu."
MSG_NOT_OURS = (
    "Ce lien n'est pas un lien ENSAP : collez le lien reçu par courriel, "
    "qui commence par ensap-tui://."
)
MSG_CHARACTERS = (
    "Le lien contient un caractère inattendu : copiez-le à nouveau depuis le courriel, en entier."
)
MSG_TOKEN_LENGTH = (
    "Le lien est incomplet ou trop long : copiez-le à nouveau depuis le courriel, en entier."
)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise FieldError("lien", f"Type de lien inconnu ; attendu : {ACTIVATION} ou {RESET}.")


def _check_token(token: str, field: str) -> str:
    if any(c not in _TOKEN_CHARACTERS for c in token):
        raise FieldError(field, MSG_CHARACTERS)
    if not TOKEN_MIN_LENGTH <= len(token) <= TOKEN_MAX_LENGTH:
        raise FieldError(field, MSG_TOKEN_LENGTH)
    return token


def make_link(kind: str, token: str) -> str:
    """``ensap-tui://<kind>/<token>``; ``kind`` is :data:`ACTIVATION` or :data:`RESET`.

    Raises :class:`FieldError` (field ``"lien"``) for an unknown kind or a token that
    :func:`parse_link` would refuse, so every link made can be read back.
    """
    _check_kind(kind)
    return f"{SCHEME}://{kind}/{_check_token(token, 'lien')}"


def parse_link(text: str, kind: str, field: str = "lien") -> str:
    """The token of a pasted link of ``kind`` (or of a bare token).

    Whitespace anywhere is dropped (a link may be pasted across lines). The whole link must be
    ``ensap-tui://<kind>/<token>``; a link of the other kind, another scheme or host, a character
    outside ``A–Z a–z 0–9 _ -`` in the token, or a token not 16 to 128 characters long raises
    :class:`FieldError` on ``field`` with a French message.
    """
    _check_kind(kind)
    if len(text) > _MAX_INPUT:
        raise FieldError(field, MSG_TOO_LONG)
    compact = "".join(c for c in text if not c.isspace())
    if not compact:
        raise FieldError(field, MSG_EMPTY)
    if ":" in compact or "/" in compact:
        scheme, separator, rest = compact.partition("://")
        if not separator or scheme.lower() != SCHEME:
            raise FieldError(field, MSG_NOT_OURS)
        host, slash, token = rest.partition("/")
        if host.lower() not in KINDS or not slash:
            raise FieldError(field, MSG_NOT_OURS)
        if host.lower() != kind:
            raise FieldError(
                field,
                f"Ce lien sert à {_PURPOSES[host.lower()]} et non à {_PURPOSES[kind]} : "
                "utilisez-le depuis l'écran correspondant.",
            )
        compact = token
    return _check_token(compact, field)
