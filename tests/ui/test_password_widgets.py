"""The live checklist of password rules at every width, its colours after a theme change, and a
password longer than its field."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Input

from ensap_tui.domain.password import PersonalInfo, assess
from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.widgets.rules_checklist import RulesChecklist

from .registration_wizard import NIR, shown_text

PERSON = PersonalInfo("185057511512364", "Dupont", date(1985, 5, 14), "")
LABELS = [
    "8 caractères minimum", "majuscules", "minuscules", "chiffres", "caractères spéciaux",
    "3 des 4 types", "pas un mot de passe courant", "sans information personnelle",
]


class Host(App[None]):
    def __init__(self, password: str) -> None:
        super().__init__()
        self.password = password

    def compose(self) -> ComposeResult:
        yield RulesChecklist(assess(self.password, PERSON))


async def test_the_rules_fill_two_columns_at_100_and_three_at_120() -> None:
    for width, lines in ((100, 4), (120, 3)):
        app = Host("tribord7")
        async with app.run_test(size=(width, 20)) as pilot:
            await pilot.pause()
            checklist = app.query_one(RulesChecklist)
            text = shown_text(checklist)
            assert checklist.size.height == lines
            assert text.splitlines()[0].startswith("  ✔ 8 caractères minimum")
            for label in LABELS:
                assert label in text
            assert "✖ majuscules" in text and "✔ chiffres" in text


async def test_narrower_than_a_column_each_rule_wraps_under_its_mark() -> None:
    app = Host("Tribord7")
    async with app.run_test(size=(18, 30)) as pilot:
        await pilot.pause()
        checklist = app.query_one(RulesChecklist)
        lines = shown_text(checklist).splitlines()
        assert all(len(line) <= 18 for line in lines)
        assert lines[0] == "  ✔ 8 caractères"
        assert lines[1] == "    minimum"
        # Every rule starts its own line with its mark, and no word is lost in the wrapping.
        assert sum(line.lstrip().startswith(("✔", "✖")) for line in lines) == len(LABELS)
        words = " ".join(line.strip().lstrip("✔✖ ") for line in lines).split()
        assert words == " ".join(LABELS).split()
        assert checklist.size.height == len(lines)


async def test_the_marks_take_the_colours_of_a_new_theme() -> None:
    app = Host("tribord7")
    async with app.run_test(size=(100, 20)) as pilot:
        app.theme = "textual-dark"
        await pilot.pause()
        checklist = app.query_one(RulesChecklist)

        def mark_colour() -> object:
            strip = checklist.render_line(0)
            mark = next(segment for segment in strip if segment.text.startswith("✔"))
            assert mark.style is not None
            return mark.style.color

        dark = mark_colour()
        app.theme = "textual-light"
        await pilot.pause()
        assert mark_colour() != dark


async def test_a_password_longer_than_its_field_scrolls_to_keep_the_cursor_in_view(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        draft = RegistrationDraft(nir=NIR, birth_name="DUPONT", birth_day="14",
                                  birth_month="05", birth_year="1985", terms_accepted=True)
        await app.push_screen(PasswordScreen(draft))
        await pilot.pause()
        field = app.screen.query_one("#mot-de-passe", Input)
        field.focus()
        await pilot.press(*("Abcdefgh1!" * 9))
        await pilot.pause()
        width = field.content_size.width
        assert len(field.value) == 90 > width
        assert 0 < field.cursor_position - field.scroll_offset.x <= width
        await pilot.press("home")
        await pilot.pause()
        assert field.scroll_offset.x == 0
