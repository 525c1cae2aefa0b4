"""The per-database secret (the password pepper): in the system keyring, or in a 0600 file
beside the database when no keyring works."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ensap_tui.adapters.oserrors import french_reason
from ensap_tui.adapters.private_files import PRIVATE_MODE, make_private, special_file_reason

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

#: Keyring service name; the username is the database's ``db_id``.
KEYRING_SERVICE = "ensap-tui"
SECRET_BYTES = 32

KEYRING_UNAVAILABLE_NOTICE = (
    "Le trousseau système est indisponible : le secret de la base est conservé dans un "
    "fichier protégé à côté de la base."
)
FILE_SECRET_NOTICE = (
    "Le secret de la base est conservé dans un fichier protégé à côté de la base, "
    "et non dans le trousseau système."
)

_CHECK_LABEL = b"ensap-tui secret check v1"
#: A secret file holds 44 characters and a line break: anything much larger is not one, and is
#: never read whole (a link to /dev/zero or a huge file must not hang or fill memory).
SECRET_FILE_MAX_BYTES = 1024

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class SecretResult:
    """The secret, a French notice for the user when it lives in a file, and another when the
    file's rights had to be restricted to 0600 (``tightened``)."""

    secret: bytes
    notice: str | None = None
    tightened: str | None = None

    @property
    def notices(self) -> list[str]:
        """Both notices, those there are."""
        return [n for n in (self.notice, self.tightened) if n]


class SecretError(Exception):
    """The secret cannot be found or read; ``str()`` is a French clause saying why, written
    to follow «Le secret de cette base est introuvable ou ne correspond pas : »."""


class _KeyringUnavailable(Exception):
    """No keyring backend answered properly (internal)."""


def secret_file_path(db_path: Path) -> Path:
    """Where the fallback secret file lives: ``<database file name>.secret`` beside it."""
    return db_path.with_name(db_path.name + ".secret")


def secret_check(secret: bytes) -> str:
    """A check value of ``secret`` (HMAC of a fixed label) to keep in the database: it tells
    a wrong secret without revealing it."""
    return hmac.new(secret, _CHECK_LABEL, hashlib.sha256).hexdigest()


def _encode(secret: bytes) -> str:
    return base64.urlsafe_b64encode(secret).decode("ascii")


def _decode(text: str, where: str) -> bytes:
    try:
        secret = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise SecretError(f"le secret conservé {where} est illisible") from error
    if len(secret) != SECRET_BYTES:
        raise SecretError(f"le secret conservé {where} est illisible")
    return secret


def _with_timeout(work: Callable[[], _T], timeout: float) -> _T:
    """Runs ``work`` in a daemon thread: a keyring backend that hangs (a locked D-Bus
    session, an unanswered unlock prompt) is abandoned after ``timeout`` seconds."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # any failure of a backend means "no keyring"
            outcome["error"] = error

    thread = threading.Thread(target=run, name="ensap-tui-keyring", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise _KeyringUnavailable("the keyring did not answer in time")
    if "error" in outcome:
        raise _KeyringUnavailable("the keyring failed") from outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _backend_or_raise() -> KeyringBackend:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise _KeyringUnavailable("only keyring's fail backend is available")
    return backend


def _keyring_get(db_id: str) -> str | None:
    backend = _backend_or_raise()
    value = backend.get_password(KEYRING_SERVICE, db_id)
    return None if value is None else str(value)


def _keyring_put(db_id: str, encoded: str) -> str:
    """Stores ``encoded`` and returns what the keyring then holds (another program may have
    stored first; a backend that silently drops secrets is caught by the read-back)."""
    backend = _backend_or_raise()
    backend.set_password(KEYRING_SERVICE, db_id, encoded)
    stored = backend.get_password(KEYRING_SERVICE, db_id)
    if stored is None:
        raise _KeyringUnavailable("the keyring did not keep the secret")
    return str(stored)


def _read_file(path: Path) -> tuple[bytes, str | None]:
    """The secret in ``path``, read only from a regular file of at most
    :data:`SECRET_FILE_MAX_BYTES`, and the notice when its rights were restricted to 0600."""
    unreadable = f"le fichier «\u00a0{path}\u00a0» ne peut pas être lu"
    # Non-blocking: opening a named pipe must not wait for a writer; refused just after.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise SecretError(f"{unreadable} ({french_reason(error)})") from error
    try:
        info = os.fstat(fd)
        reason = special_file_reason(info.st_mode)
        if reason is not None:
            raise SecretError(f"{unreadable} : {reason}")
        if info.st_size > SECRET_FILE_MAX_BYTES:
            raise SecretError(f"{unreadable} : il est bien trop grand pour être un secret")
        data = os.read(fd, SECRET_FILE_MAX_BYTES + 1)
        if len(data) > SECRET_FILE_MAX_BYTES:  # grew since fstat
            raise SecretError(f"{unreadable} : il est bien trop grand pour être un secret")
        tightened = make_private(path, info.st_mode, fd)
    except OSError as error:
        raise SecretError(f"{unreadable} ({french_reason(error)})") from error
    finally:
        os.close(fd)
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as error:
        raise SecretError(f"le secret conservé dans «\u00a0{path}\u00a0» est illisible") from error
    return _decode(text, f"dans «\u00a0{path}\u00a0»"), tightened


def _write_file(path: Path, secret: bytes) -> bytes:
    """Creates the 0600 secret file; if another program created it first, uses theirs."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return _read_file(path)[0]
    except OSError as error:
        raise SecretError(
            f"le fichier « {path} » ne peut pas être créé ({french_reason(error)})"
        ) from error
    try:
        try:
            os.fchmod(fd, PRIVATE_MODE)  # whatever the umask
            os.write(fd, (_encode(secret) + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        path.unlink(missing_ok=True)  # a half-written secret would be worse than none
        raise SecretError(
            f"le fichier « {path} » ne peut pas être écrit ({french_reason(error)})"
        ) from error
    return secret


def _exists(path: Path) -> bool:
    """Whether something is at ``path``, a dangling link included (it is refused when read,
    rather than a new secret being written through it)."""
    return os.path.lexists(path)


#: Said when a database has no file beside it (a server's) and no secret file was given.
NO_SECRET_FILE = (
    "aucun fichier de secret n'est indiqué (option --secret-file FICHIER ou variable "
    "ENSAP_TUI_SECRET_FILE)"
)


def load_secret(
    db_path: Path | None,
    db_id: str,
    *,
    use_keyring: bool,
    timeout: float = 3.0,
    create: bool = True,
    file: Path | None = None,
) -> SecretResult:
    """The database's 32-byte secret.

    ``file`` (a secret file the user gave, shared by every machine of a server database) is
    the secret, whatever ``use_keyring`` says: read from it, or made in it (0600) when
    ``create``. Else the fallback file is ``<db_path>.secret`` beside a database file, and
    there is none for a server (``db_path`` None).

    With ``use_keyring``: from the system keyring (service ``ensap-tui``, username ``db_id``),
    reached in a daemon thread for at most ``timeout`` seconds per call; when the keyring has
    nothing but the fallback file exists, from that file (a regular file of at most
    :data:`SECRET_FILE_MAX_BYTES`, restricted to 0600 with a notice in ``tightened`` if others
    could read it); when no backend works, a new secret goes to that 0600 file, with a French
    notice. Without ``use_keyring``: the file only, no notice but ``tightened``.
    ``create=False`` (the database already has a check value) never makes a new secret: nothing
    found raises :class:`SecretError`, as does a server database with neither a working
    keyring nor a file.
    """
    if file is not None:
        return _from_file(file, create)
    fallback = None if db_path is None else secret_file_path(db_path)
    if not use_keyring:
        if fallback is None:
            raise SecretError(NO_SECRET_FILE)
        return _from_file(fallback, create)

    keyring_works = True
    try:
        stored = _with_timeout(lambda: _keyring_get(db_id), timeout)
    except _KeyringUnavailable:
        keyring_works, stored = False, None
    if stored is not None:
        return SecretResult(_decode(stored, "dans le trousseau système"))
    if fallback is not None and _exists(fallback):
        notice = FILE_SECRET_NOTICE if keyring_works else KEYRING_UNAVAILABLE_NOTICE
        secret, tightened = _read_file(fallback)
        return SecretResult(secret, notice, tightened)
    if not create:
        if fallback is None:
            if keyring_works:
                raise SecretError(f"le trousseau système ne le contient pas et {NO_SECRET_FILE}")
            raise SecretError(f"le trousseau système est indisponible et {NO_SECRET_FILE}")
        raise SecretError(
            f"ni le trousseau système ni un fichier « {fallback} » ne le contiennent"
        )
    secret = secrets.token_bytes(SECRET_BYTES)
    if keyring_works:
        encoded = _encode(secret)
        try:
            kept = _with_timeout(lambda: _keyring_put(db_id, encoded), timeout)
        except _KeyringUnavailable:
            pass
        else:
            return SecretResult(_decode(kept, "dans le trousseau système"))
    if fallback is None:
        raise SecretError(f"le trousseau système est indisponible et {NO_SECRET_FILE}")
    return SecretResult(_write_file(fallback, secret), KEYRING_UNAVAILABLE_NOTICE)


def _from_file(file: Path, create: bool) -> SecretResult:
    """The secret in ``file`` (no notice but ``tightened``), or a new one written there."""
    if _exists(file):
        secret, tightened = _read_file(file)
        return SecretResult(secret, tightened=tightened)
    if not create:
        raise SecretError(f"le fichier « {file} » n'existe pas")
    return SecretResult(_write_file(file, secrets.token_bytes(SECRET_BYTES)))


# -- sharing a secret between machines (``ensap-tui secret export`` / ``secret import``) ----------


class SecretFileExists(SecretError):
    """The file to write already exists (and replacing it was not asked for)."""


def encode_secret(secret: bytes) -> str:
    """``secret`` as a secret file holds it (URL-safe base64, 44 characters): what ``secret
    export`` writes, so that the exported file can serve as ``--secret-file`` as it is."""
    return _encode(secret)


def decode_secret(text: str, where: str) -> bytes:
    """The secret written in ``text`` (as :func:`encode_secret` writes it), or
    :class:`SecretError` naming ``where`` it was read from (``"sur l'entrée standard"``…)."""
    return _decode(text, where)


def read_secret_file(path: Path) -> SecretResult:
    """The secret in the file ``path`` (a regular file of at most
    :data:`SECRET_FILE_MAX_BYTES`, restricted to 0600 with a notice in ``tightened`` when
    others could read it). Raises :class:`SecretError` in French."""
    secret, tightened = _read_file(path)
    return SecretResult(secret, tightened=tightened)


def write_secret_file(path: Path, secret: bytes, *, replace: bool = False) -> None:
    """Writes ``secret`` to a new 0600 file ``path``. An existing ``path`` raises
    :class:`SecretFileExists`, unless ``replace``: then a new file written beside it (0600,
    synced) takes its place in one rename, so that a failure leaves the old one whole.
    Raises :class:`SecretError` in French."""
    if not replace:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
        except FileExistsError:
            raise SecretFileExists(f"le fichier «\u00a0{path}\u00a0» existe déjà") from None
        except OSError as error:
            raise SecretError(
                f"le fichier «\u00a0{path}\u00a0» ne peut pas être créé ({french_reason(error)})"
            ) from error
        _fill(fd, path, path, secret)
        return
    import tempfile

    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # 0600
    except OSError as error:
        raise SecretError(
            f"le fichier «\u00a0{path}\u00a0» ne peut pas être créé ({french_reason(error)})"
        ) from error
    _fill(fd, Path(temporary), path, secret)
    try:
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise SecretError(
            f"le fichier «\u00a0{path}\u00a0» ne peut pas être remplacé ({french_reason(error)})"
        ) from error


def _fill(fd: int, written: Path, shown: Path, secret: bytes) -> None:
    """Writes ``secret`` through ``fd`` (0600 whatever the umask, synced) and closes it; on a
    failure, removes ``written``: a half-written secret would be worse than none."""
    try:
        try:
            os.fchmod(fd, PRIVATE_MODE)
            os.write(fd, (_encode(secret) + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        written.unlink(missing_ok=True)
        raise SecretError(
            f"le fichier «\u00a0{shown}\u00a0» ne peut pas être écrit ({french_reason(error)})"
        ) from error


class KeyringUnavailable(SecretError):
    """No keyring backend works on this machine (or it did not answer in time)."""


def keyring_secret(db_id: str, *, timeout: float = 3.0) -> bytes | None:
    """The secret the system keyring holds for the database ``db_id``, or None. Raises
    :class:`KeyringUnavailable` when no keyring works, :class:`SecretError` when the entry
    is unreadable."""
    try:
        stored = _with_timeout(lambda: _keyring_get(db_id), timeout)
    except _KeyringUnavailable as error:
        raise KeyringUnavailable("le trousseau système est indisponible") from error
    return None if stored is None else _decode(stored, "dans le trousseau système")


def put_keyring_secret(db_id: str, secret: bytes, *, timeout: float = 3.0) -> None:
    """Stores ``secret`` in the system keyring for the database ``db_id`` (an entry already
    there is replaced), and checks that the keyring then holds it. Raises
    :class:`KeyringUnavailable` when no keyring works or it did not keep the secret."""
    encoded = _encode(secret)
    try:
        kept = _with_timeout(lambda: _keyring_put(db_id, encoded), timeout)
    except _KeyringUnavailable as error:
        raise KeyringUnavailable("le trousseau système est indisponible") from error
    if kept != encoded:
        raise KeyringUnavailable("le trousseau système n'a pas conservé le secret")
