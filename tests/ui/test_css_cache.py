"""The parsed stylesheets kept in the user's cache folder (ui/css_cache.py): a second start
parses nothing, and what it loads styles the app as a parse does; what cannot be trusted or
read is parsed again."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.layout import Layout

from ensap_tui.ui import css_cache
from ensap_tui.ui.screens.home import HomeScreen
from tests.support.waiting import wait_until

SIZE = (100, 40)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache folder of the apps this test builds (the user's cache folder is there)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(css_cache, "_cache", None)  # nothing preloaded from another test
    return tmp_path / "cache" / "ensap-tui" / "css"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The CSS texts Textual parses from now on (each call to Textual's parse, in order)."""
    parsed: list[str] = []
    textual_parse = css_cache.TEXTUAL_PARSE_RULES

    def counting(self: Stylesheet, css: str, *args: Any) -> Any:
        parsed.append(css)
        return textual_parse(self, css, *args)

    monkeypatch.setattr(css_cache, "TEXTUAL_PARSE_RULES", counting)
    return parsed


def described(rules: list[RuleSet]) -> list[tuple[object, ...]]:
    """Each rule's selectors, declarations and what Textual derives from them (rules do not
    compare equal across parses: each holds a layout object of its own, and sets whose order
    may differ)."""
    return [
        (
            rule.selector_set,
            {name: value.name if isinstance(value, Layout) else value
             for name, value in rule.styles.get_rules().items()},
            sorted(rule.styles.important),
            rule.errors,
            rule.is_default_rules,
            rule.tie_breaker,
            sorted(rule.selector_names),
            sorted(rule.pseudo_classes),
        )
        for rule in rules
    ]


async def start(make_app: Any) -> list[tuple[object, ...]]:
    """Starts the app until its home page is drawn; returns its stylesheet's rules
    (:func:`described`)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "the home page")
        await wait_until(pilot, lambda: app.screen.query_one("#creer-espace").region.width > 0,
                         "the home page laid out")
        return described(app.stylesheet.rules)


def kept(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{css_cache.SUFFIX}"))


async def test_a_second_start_loads_the_rules_and_parses_nothing(
    make_app: Any, folder: Path, parses: list[str]
) -> None:
    first = await start(make_app)
    assert any("#bandeau-simulation" in css for css in parses)  # ensap.tcss
    assert len(kept(folder)) == len(parses)
    parses.clear()
    second = await start(make_app)
    assert parses == []
    assert second == first  # the same rules, in the same order


async def test_the_folder_and_its_files_are_the_users_alone(
    make_app: Any, folder: Path, parses: list[str]
) -> None:
    await start(make_app)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert kept(folder)
    for path in kept(folder):
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.stat().st_uid == os.getuid()
    assert not list(folder.glob(".*"))  # no temporary file left


async def test_a_damaged_file_is_parsed_again_and_replaced(
    make_app: Any, folder: Path, parses: list[str]
) -> None:
    first = await start(make_app)
    files = kept(folder)
    damaged, emptied = files[0], files[1]
    damaged.write_bytes(b"\x80\x05not a pickle")
    emptied.write_bytes(b"")
    parses.clear()
    assert await start(make_app) == first
    assert len(parses) == 2
    parses.clear()
    assert await start(make_app) == first  # both files were written again, whole
    assert parses == []


async def test_a_file_that_is_not_a_list_of_rules_is_not_used(
    make_app: Any, folder: Path, parses: list[str]
) -> None:
    import pickle

    first = await start(make_app)
    other = kept(folder)[0]
    other.write_bytes(pickle.dumps({"not": "rules"}))
    parses.clear()
    assert await start(make_app) == first
    assert len(parses) == 1


async def test_a_folder_others_may_write_to_is_not_used(
    make_app: Any, folder: Path, parses: list[str]
) -> None:
    first = await start(make_app)
    count = len(parses)
    folder.chmod(0o777)
    parses.clear()
    assert await start(make_app) == first
    assert len(parses) == count  # everything parsed again, nothing loaded
    folder.chmod(0o700)
    for path in kept(folder):
        path.chmod(0o666)  # a file others may write to is not loaded either
    parses.clear()
    assert await start(make_app) == first
    assert len(parses) == count


async def test_a_linked_folder_is_not_used(
    make_app: Any, tmp_path: Path, folder: Path, parses: list[str]
) -> None:
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir(mode=0o700)
    folder.parent.mkdir(parents=True)
    folder.symlink_to(elsewhere)
    await start(make_app)
    assert parses
    assert list(elsewhere.iterdir()) == []


async def test_the_rules_preloaded_by_the_launcher_are_used_from_memory(
    make_app: Any, folder: Path, parses: list[str]
) -> None:
    from ensap_tui.commands import app_launcher

    first = await start(make_app)
    app_launcher.warm_up()  # what the training room's launcher does before it forks its apps
    for path in kept(folder):
        path.unlink()
    parses.clear()
    assert await start(make_app) == first
    assert parses == []


def test_each_theme_has_its_own_entries(tmp_path: Path) -> None:
    cache = css_cache.RulesCache(tmp_path)
    blue = Stylesheet(variables={"primary": "#0000ff", "surface": "#ffffff"})
    red = Stylesheet(variables={"primary": "#ff0000", "surface": "#ffffff"})
    blue_again = Stylesheet(variables={"surface": "#ffffff", "primary": "#0000ff"})
    css = "Button { color: $primary; }"

    def key(stylesheet: Stylesheet, **changes: Any) -> str:
        arguments: dict[str, Any] = {"css": css, "read_from": ("app.tcss", ""),
                                     "is_default_rules": False, "tie_breaker": 0, "scope": ""}
        arguments.update(changes)
        return cache.key(stylesheet, **arguments)

    assert key(blue) != key(red)
    assert key(blue) == key(blue_again)
    # Each other input of the parse as well.
    assert len({key(blue), key(blue, css=css + " "), key(blue, read_from=("b.tcss", "")),
                key(blue, is_default_rules=True), key(blue, tie_breaker=1),
                key(blue, scope="Screen")}) == 6
    # The rules themselves differ (the colour is substituted as the CSS is parsed).
    blue_rules = blue._parse_rules(css, ("app.tcss", ""))
    red_rules = red._parse_rules(css, ("app.tcss", ""))
    assert described(blue_rules) != described(red_rules)


async def test_a_change_of_theme_is_parsed_with_its_colours(
    make_app: Any, folder: Path, parses: list[str]
) -> None:
    await start(make_app)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "the home page")
        ensap_rules = described(app.stylesheet.rules)
        parses.clear()
        app.theme = "textual-light"
        await wait_until(pilot, lambda: described(app.stylesheet.rules) != ensap_rules, "restyled")
        assert parses  # another theme: not the files of the first
        light_rules = described(app.stylesheet.rules)
    # The light theme's entries are kept too, and loaded as such.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "the home page")
        parses.clear()
        app.theme = "textual-light"
        await wait_until(pilot, lambda: described(app.stylesheet.rules) != ensap_rules, "restyled")
        assert parses == []
        assert described(app.stylesheet.rules) == light_rules


def test_the_cache_is_not_installed_over_another_textual_method(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def other(self: Stylesheet, css: str, *args: Any) -> list[Any]:
        return []

    monkeypatch.setattr(Stylesheet, "_parse_rules", css_cache.TEXTUAL_PARSE_RULES)
    monkeypatch.setattr(css_cache, "_TEXTUAL_CODE", other.__code__)
    assert css_cache.install(tmp_path) is False
    assert Stylesheet._parse_rules is css_cache.TEXTUAL_PARSE_RULES
