"""Textual's parsed stylesheets, kept in the user's cache folder from one start to the next.

Textual parses the app's stylesheet (``ensap.tcss``) and the default CSS of every widget class
the first screen uses each time the app starts: a fifth of the start-up's CPU after the
imports. Parsing the same text with the same theme gives the same rules, so :func:`install`
makes Textual's ``Stylesheet._parse_rules`` keep each result it parses in a file of the cache
folder (``platformdirs.user_cache_path("ensap-tui") / "css"``), pickled, and load it from
there the next time instead of parsing: loading takes a tenth of the time.

- What a file holds depends on all the parse reads: its name is a hash of the CSS text, where
  it was read from, whether it is a widget's default CSS, its tie-breaker and scope, the
  stylesheet's variables (the theme), Textual's version and Python's version. A change of any
  of them reads another file (an old one is only never read again).
- Loading a pickle runs code: a file is loaded only from a folder that is a real folder (not
  a link), owned by the current user and writable by nobody else, and only if it is itself
  such a file. The folder is made ``0700`` and each file ``0600``; written whole (a temporary
  file renamed over it), a file is never seen half-written.
- The cache never stops the app: any error reading a file (damaged, unreadable, not the rules
  expected) or writing one falls back to Textual's parse, and the parse's result replaces the
  damaged file. A CSS with errors is not kept.
- The training room's launcher loads the whole folder once before it forks (:func:`preload`):
  each forked app then finds the rules in its memory.

Deleting the folder clears the cache (it is made again at the next start).

Textual has no setting for this; the wrapped method is Textual's private
``Stylesheet._parse_rules`` (Textual is pinned below 8.3 in ``pyproject.toml``): :func:`install`
checks that it still is the method this module was written against, and otherwise leaves
Textual's alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

#: Textual's own method, as found when this module was imported (wrapped, never rewritten).
TEXTUAL_PARSE_RULES = Stylesheet._parse_rules
#: Its code, which :func:`install` checks.
_TEXTUAL_CODE = getattr(TEXTUAL_PARSE_RULES, "__code__", None)

#: Names Textual's ``_parse_rules`` (8.2) uses: a Textual whose method differs keeps its own.
_USED_NAMES = ("_parse_cache", "parse", "_variable_tokens")

#: Part of every key: changed when what a file holds changes.
FORMAT = 1

#: The file names: the key's hexadecimal hash and this suffix.
SUFFIX = ".pickle"


def default_folder() -> Path:
    """Where the cache lives: ``css`` in the user's cache folder for ensap-tui (platformdirs;
    ``~/.cache/ensap-tui/css`` on Linux)."""
    import platformdirs

    return platformdirs.user_cache_path("ensap-tui", appauthor=False) / "css"


def _textual_version() -> str:
    """Textual's version, from the name of its ``.dist-info`` folder beside it (reading it
    through ``importlib.metadata`` would import that package at every start: a few ms)."""
    import textual

    site = Path(textual.__file__).resolve().parent.parent
    # Not Path.glob: its pattern is a regular expression compiled at each start.
    with contextlib.suppress(OSError):
        found = [name for name in os.listdir(site)
                 if name.startswith("textual-") and name.endswith(".dist-info")]
        if len(found) == 1:
            return found[0]
    from importlib.metadata import version  # another layout (an editable install...)

    return version("textual")


def _is_private(info: os.stat_result, kind: int) -> bool:
    """Whether ``info`` is of ``kind`` (``stat.S_IFDIR``, ``stat.S_IFREG``), owned by the
    current user, and writable by no one else."""
    return (
        stat.S_IFMT(info.st_mode) == kind
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


class RulesCache:
    """The files of parsed rules in ``folder`` (see the module's documentation)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        #: Rules loaded by :meth:`preload`, by key.
        self.memory: dict[str, list[RuleSet]] = {}
        self._usable: bool | None = None
        self._identity: str | None = None
        #: The last stylesheet variables seen, and their hash.
        self._variables: tuple[object, str] | None = None

    def usable(self) -> bool:
        """Whether the folder may be read and written (made ``0700`` if missing): a real
        folder, the current user's, writable by no one else. Checked once."""
        if self._usable is None:
            self._usable = self._check_folder()
        return self._usable

    def check_again(self) -> None:
        """Makes the next use check the folder again (what :meth:`preload` loaded stays)."""
        self._usable = None

    def _check_folder(self) -> bool:
        if not hasattr(os, "getuid"):  # no owner to check (Windows): no cache
            return False
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = os.stat(self.folder, follow_symlinks=False)
        except OSError:
            return False
        return _is_private(info, stat.S_IFDIR)

    def key(self, stylesheet: Stylesheet, css: str, read_from: CSSLocation,
            is_default_rules: bool, tie_breaker: int, scope: str) -> str:
        """The name of the file for what ``stylesheet`` would parse from these arguments."""
        if self._identity is None:
            self._identity = repr((FORMAT, _textual_version(), sys.version,
                                   pickle.HIGHEST_PROTOCOL))
        # Textual gives a stylesheet new variables (a new dict) at each change of theme.
        variables = stylesheet._variables
        if self._variables is None or self._variables[0] is not variables:
            text = repr(sorted(variables.items()))
            self._variables = (variables, hashlib.sha256(text.encode()).hexdigest())
        text = repr((self._identity, self._variables[1], read_from, is_default_rules,
                     tie_breaker, scope, css))
        return hashlib.sha256(text.encode()).hexdigest()

    def load(self, key: str) -> list[RuleSet] | None:
        """The rules kept under ``key``, None when there are none that can be trusted."""
        rules = self.memory.get(key)
        if rules is not None:
            return rules
        if not self.usable():
            return None
        try:
            descriptor = os.open(self.folder / f"{key}{SUFFIX}",
                                 os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:  # none yet (or a link, refused)
            return None
        try:
            with open(descriptor, "rb") as file:
                if not _is_private(os.fstat(file.fileno()), stat.S_IFREG):
                    return None
                loaded: Any = pickle.load(file)
        except Exception:  # damaged: parsed again, and replaced
            return None
        if isinstance(loaded, list) and all(isinstance(rule, RuleSet) for rule in loaded):
            return loaded
        return None

    def store(self, key: str, rules: list[RuleSet]) -> None:
        """Keeps ``rules`` under ``key`` (any error leaves the cache as it was)."""
        if not self.usable():
            return
        temporary = None
        try:
            data = pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL)
            descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            with open(descriptor, "wb") as file:  # mkstemp makes it 0600
                file.write(data)
            os.replace(temporary, self.folder / f"{key}{SUFFIX}")
            temporary = None
        except Exception:  # a full disk, a read-only folder, rules that do not pickle...
            pass
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def preload(self) -> None:
        """Loads every file of the folder into :attr:`memory` (for the launcher, before it
        forks its apps)."""
        if not self.usable():
            return
        with contextlib.suppress(OSError):
            for path in self.folder.glob(f"*{SUFFIX}"):
                rules = self.load(path.name.removesuffix(SUFFIX))
                if rules is not None:
                    self.memory[path.name.removesuffix(SUFFIX)] = rules


#: The cache Textual's parse goes through, once installed.
_cache: RulesCache | None = None


def _parse_rules(
    self: Stylesheet,
    css: str,
    read_from: CSSLocation,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[RuleSet]:
    """Textual's ``Stylesheet._parse_rules``, through the cache: what Textual keeps in memory
    first, then the cache's file, else Textual's parse (whose result is kept)."""
    memory_key = (css, read_from, is_default_rules, tie_breaker, scope)
    kept = self._parse_cache.get(memory_key)
    if kept is not None:
        return kept
    cache = _cache
    if cache is None:
        return TEXTUAL_PARSE_RULES(self, css, read_from, is_default_rules, tie_breaker, scope)
    key = cache.key(self, css, read_from, is_default_rules, tie_breaker, scope)
    rules = cache.load(key)
    if rules is not None:
        self._parse_cache[memory_key] = rules
        return rules
    rules = TEXTUAL_PARSE_RULES(self, css, read_from, is_default_rules, tie_breaker, scope)
    if not any(rule.errors for rule in rules):
        cache.store(key, rules)
    return rules


def install(folder: Path | None = None) -> bool:
    """Makes Textual's stylesheets parse through a :class:`RulesCache` of ``folder`` (by
    default :func:`default_folder`); returns whether it is in place (False when Textual's
    method is not the one this module was written against: Textual's own then stays)."""
    global _cache
    code = _TEXTUAL_CODE
    if code is None or not all(name in code.co_names for name in _USED_NAMES):
        return False
    if not isinstance(getattr(Stylesheet(), "_variables", None), dict):  # the key reads them
        return False
    folder = default_folder() if folder is None else folder
    if _cache is None or _cache.folder != folder:
        _cache = RulesCache(folder)
    else:
        _cache.check_again()  # for each app: the folder may have changed since the last
    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]
    return True


def preload(folder: Path | None = None) -> None:
    """Installs the cache and loads all it holds into memory (see :meth:`RulesCache.preload`)."""
    if install(folder) and _cache is not None:
        _cache.preload()
