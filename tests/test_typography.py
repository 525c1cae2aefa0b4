"""French typography (issue 11, point 12): a non-breaking space (U+00A0 or U+202F) before
« : ; ! ? » » and after « « », in everything users read, and lines never break there.

The scan reads every string constant of the package's code (screens, notices, mails, messages
of the domain and the services, command-line texts) and every Markdown page (F1), so a new text
typed with a plain space fails here, whichever screen or command shows it. Left out, because no
user reads them: docstrings and other bare string statements, and SQL.
"""

from __future__ import annotations

import argparse
import ast
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content

from ensap_tui.cli import build_parser

PACKAGE = Path(__file__).resolve().parents[1] / "ensap_tui"
README = PACKAGE.parent / "README.md"

NBSP = "\u00a0\u202f"
#: A breakable space before : ; ! ? », or after «; or a guillemet glued to its word.
WRONG = re.compile(rf"[^\S{NBSP}][:;!?»]|«[^{NBSP}]|[^{NBSP}]»")
SQL = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|WHERE|VALUES|PRAGMA|ORDER BY|LIMIT|FROM|CASE|AND|OR)\b"
    r"|[=<>] [?:]"
)


def faults(text: str) -> list[str]:
    """Each fault of ``text`` with a little context, for a readable failure."""
    return [repr(text[max(0, m.start() - 20) : m.end() + 10]) for m in WRONG.finditer(text)]


def user_strings(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every string a user may read in a module: each string constant (an
    f-string as its literal parts joined), bare string statements (docstrings) and SQL aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    statements = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    parts_of_fstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            literal = [v for v in node.values if isinstance(v, ast.Constant)]
            parts_of_fstrings.update(id(v) for v in literal)
            # The gaps of an f-string count as a word: «{nom}» is glued, «{nom} :» is not.
            text = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
            if not SQL.search(text):
                yield node.lineno, text
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in statements
            and id(node) not in parts_of_fstrings
            and not SQL.search(node.value)
        ):
            yield node.lineno, node.value


MODULES = sorted(PACKAGE.rglob("*.py"))
PAGES = sorted(PACKAGE.rglob("*.md"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_string_of_the_code_has_its_non_breaking_spaces(path: Path) -> None:
    found = [f"line {line}: {fault}" for line, text in user_strings(path) for fault in faults(text)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_help_page_has_its_non_breaking_spaces(path: Path) -> None:
    assert not faults(path.read_text(encoding="utf-8"))


def test_the_readme_has_its_non_breaking_spaces() -> None:
    # Code blocks show what a terminal prints or what is typed: left as they are.
    prose = re.sub(r"```.*?```|`[^`\n]*`|!\[", "", README.read_text(encoding="utf-8"), flags=re.S)
    assert not faults(prose)


def toml_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from toml_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from toml_strings(item)


@pytest.mark.parametrize(
    "path", sorted((PACKAGE.parent / "scenarios").glob("*.toml")), ids=lambda p: p.name
)
def test_every_shipped_scenario_has_its_non_breaking_spaces(path: Path) -> None:
    """The captions a trainer's scenario shows, and the texts it expects on screen."""
    scenario = tomllib.loads(path.read_text(encoding="utf-8"))
    found = [fault for text in toml_strings(scenario) for fault in faults(text)]
    assert not found, found


def test_the_browser_page_has_its_non_breaking_spaces() -> None:
    html = (PACKAGE / "commands" / "serve_page" / "app_index.html").read_text(encoding="utf-8")
    # The text between the tags (scripts and styles are code, not prose).
    prose = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
    assert not faults(prose)


def every_parser(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from every_parser(sub)


#: A mark glued to its word at the end of a phrase («options:»), as argparse writes headings.
GLUED = re.compile(rf"[^\s{NBSP}][:;!?](?=\s|$)", re.M)


def test_every_command_line_help_has_its_non_breaking_spaces() -> None:
    """What argparse itself adds (headings such as «options :», choices) is read too."""
    parsers = list(every_parser(build_parser(with_commands=True)))
    assert len(parsers) > 10
    for parser in parsers:
        text = parser.format_help()
        assert not faults(text), parser.prog
        assert not GLUED.findall(text), (parser.prog, GLUED.findall(text))


def test_the_scan_catches_a_plain_space() -> None:
    """The scan is no formality: each mistake it is meant to catch is caught."""
    for wrong in ["Rappel : x", "x ; y", "Oui !", "Vraiment ?", "« Fort»", "«Fort »", "a\n: b"]:
        assert faults(wrong), wrong
    for right in ["Rappel\u00a0: x", "x\u202f; y", "«\u00a0Fort\u00a0»", "14:02", "ensap-tui://a"]:
        assert not faults(right), right


@pytest.mark.parametrize("width", range(12, 40))  # the longest unbreakable run is 11
def test_lines_never_break_at_a_non_breaking_space(make_app: Any, width: int) -> None:
    make_app()  # the app's factory sets the wrapping rule
    text = "Attention\u00a0: le lien «\u00a0Suivre le lien\u00a0» expire\u00a0; vraiment\u00a0?"
    for line in Content(text).wrap(width):
        assert not re.match(rf"[{NBSP}]*[:;!?»]", line.plain), (width, line.plain)
        assert not line.plain.rstrip().endswith("«"), (width, line.plain)
