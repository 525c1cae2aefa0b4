"""Where a database is: a SQLite file's path, or a PostgreSQL server's URL.

``--db`` and ``ENSAP_TUI_DB`` take either; a text that starts with ``postgresql://`` (or
``postgres://``) is a server, anything else a path. Nothing here connects: this module is read
by the command line before any database library is imported, and it is the one place that
hides a URL's password (every message that names a server shows :attr:`PostgresUrl.masked`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

#: The URL schemes libpq accepts for a PostgreSQL server.
POSTGRES_SCHEMES = ("postgresql", "postgres")

#: What stands for a password in every message.
PASSWORD_MASK = "***"


def is_postgres_url(text: str) -> bool:
    """Whether ``text`` names a PostgreSQL server rather than a file."""
    scheme, sep, _rest = text.partition("://")
    return bool(sep) and scheme.lower() in POSTGRES_SCHEMES


class DatabaseUrlError(ValueError):
    """A PostgreSQL URL that cannot be used; ``str()`` is a French message (password masked)."""


@dataclass(frozen=True, slots=True)
class PostgresUrl:
    """A checked ``postgresql://user[:password]@host[:port]/name[?options]`` URL."""

    #: The URL as given, password included (before ``@`` or as ``?password=``): for the
    #: driver only, never shown.
    url: str = ""
    host: str = ""
    port: int = 5432
    dbname: str = ""
    user: str = ""
    password: str | None = None

    def __repr__(self) -> str:  # a traceback or a log must not show the password either
        return f"PostgresUrl({self.masked!r})"

    @property
    def masked(self) -> str:
        """The URL with its password replaced by ``***``: the only form shown to anyone."""
        return mask_url(self.url)

    @property
    def server(self) -> str:
        """``host:port``, for messages."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def scrub(self, text: str) -> str:
        """``text`` (a driver's message) with the password, if it appears, masked."""
        if self.password:
            text = text.replace(self.password, PASSWORD_MASK)
        return text.replace(self.url, self.masked)


def mask_url(text: str) -> str:
    """``text`` with the password of its URL, if any, replaced by ``***`` (any other text is
    returned as it is)."""
    if not is_postgres_url(text):
        return text
    try:
        parts = urlsplit(text)
    except ValueError:
        # Unreadable: show the scheme only, rather than risk printing a password.
        return text.partition("://")[0] + "://" + PASSWORD_MASK
    netloc = parts.netloc
    userinfo, at, hostport = netloc.rpartition("@")
    if at and ":" in userinfo:
        netloc = f"{userinfo.partition(':')[0]}:{PASSWORD_MASK}@{hostport}"
    query = "&".join(
        f"{name}={PASSWORD_MASK}" if _is_secret_option(name) else f"{name}{sep}{value}"
        for name, sep, value in (each.partition("=") for each in parts.query.split("&"))
    )
    if netloc == parts.netloc and query == parts.query:
        return text
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


#: The options of a URL's query that libpq takes as passwords (``?password=…`` is the same
#: as the password before ``@``).
_SECRET_OPTIONS = ("password", "sslpassword")


def _is_secret_option(name: str) -> bool:
    return unquote(name).strip().lower() in _SECRET_OPTIONS


def _query_password(query: str) -> str | None:
    """The value of a ``password=`` option of a URL's query, if any (libpq's last one)."""
    found = None
    for name, _sep, value in (each.partition("=") for each in query.split("&")):
        if unquote(name).strip().lower() == "password":
            found = unquote(value)
    return found


def parse_postgres_url(text: str) -> PostgresUrl:
    """Checks a server URL: a host, a port from 1 to 65535 when given, a database name.
    Raises :class:`DatabaseUrlError` with a French message (the password masked)."""
    shown = mask_url(text)

    def refuse(why: str) -> DatabaseUrlError:
        return DatabaseUrlError(
            f"L'adresse de base de données «\u00a0{shown}\u00a0» n'est pas valable\u00a0: {why}. "
            "Forme attendue\u00a0: postgresql://utilisateur@serveur:port/base"
        )

    if not is_postgres_url(text):
        raise refuse("elle doit commencer par «\u00a0postgresql://\u00a0»")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        raise refuse("elle contient un caractère de contrôle")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise refuse("le port doit être un nombre de 1 à 65535") from None
    if parts.fragment:
        raise refuse("elle ne peut pas contenir de «\u00a0#\u00a0»")
    host = unquote(parts.hostname or "")
    if not host:
        raise refuse("le nom du serveur manque")
    if port is not None and not 1 <= port <= 65535:
        raise refuse("le port doit être un nombre de 1 à 65535")
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname or "/" in dbname:
        raise refuse("le nom de la base manque après le serveur")
    return PostgresUrl(
        url=text,
        host=host,
        port=port or 5432,
        dbname=dbname,
        user=unquote(parts.username or ""),
        password=(
            unquote(parts.password) if parts.password is not None
            else _query_password(parts.query)
        ),
    )
