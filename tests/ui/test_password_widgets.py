"""The live checklist of password rules at every width, its colours after a theme change, what a
change repaints (only a turned mark; the meter's bar and word), and a password longer than its
field."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Offset, Region
from textual.selection import Selection
from textual.widgets import Input

from ensap_tui.domain.password import PersonalInfo, assess
from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.widgets.rules_checklist import RulesChecklist
from ensap_tui.ui.widgets.strength_meter import StrengthMeter

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
        yield RulesChecklist(assess(self.password, PERSON).rules)


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


class Spied:
    """The regions a widget asks Textual to repaint (``[]``: the whole widget)."""

    def __init__(self, widget: Any) -> None:
        self.calls: list[list[Region]] = []
        refresh = widget.refresh

        def spy(*regions: Region, **options: Any) -> Any:
            self.calls.append(list(regions))
            return refresh(*regions, **options)

        widget.refresh = spy


async def test_a_rule_that_turns_repaints_only_its_mark() -> None:
    app = Host("tribord7")
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        checklist = app.query_one(RulesChecklist)
        spied = Spied(checklist)
        checklist.rules = assess("Tribord7", PERSON).rules  # «majuscules», «3 des 4 types»
        await pilot.pause()
        assert len(spied.calls) == 1
        regions = spied.calls[0]
        assert len(regions) == 2 and all(r.width == 2 and r.height == 1 for r in regions)
        lines = shown_text(checklist).splitlines()
        for region in regions:  # content coordinates: the padding of 2 comes first
            mark = lines[region.y][2 + region.x]
            assert mark == "✔"
        text = shown_text(checklist)
        assert "✔ majuscules" in text and "✔ 3 des 4 types" in text


async def test_rules_and_a_level_set_again_in_the_same_states_repaint_nothing() -> None:
    class Both(App[None]):
        def compose(self) -> ComposeResult:
            yield RulesChecklist(assess("tribord7", PERSON).rules)
            yield StrengthMeter("Faible")

    app = Both()
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        checklist, meter = app.query_one(RulesChecklist), app.query_one(StrengthMeter)
        spied_rules, spied_meter = Spied(checklist), Spied(meter)
        checklist.rules = assess("tribord8", PERSON).rules  # new objects, the same states
        meter.level = "Faible"
        await pilot.pause()
        assert spied_rules.calls == [] and spied_meter.calls == []


async def test_a_new_level_repaints_the_bar_and_the_word_but_not_the_label() -> None:
    class Meter(App[None]):
        def compose(self) -> ComposeResult:
            yield StrengthMeter()

    app = Meter()
    async with app.run_test(size=(100, 5)) as pilot:
        await pilot.pause()
        meter = app.query_one(StrengthMeter)
        assert shown_text(meter).endswith("—") and "█" not in shown_text(meter)
        spied = Spied(meter)
        meter.level = "Moyen"
        await pilot.pause()
        (region,) = spied.calls[0]
        assert region.x == len("Niveau de sécurité   ") and region.right == meter.size.width
        text = shown_text(meter)
        assert text.startswith("Niveau de sécurité   ██") and text.endswith("Moyen")
        assert meter.has_class("-moyen") and not meter.has_class("-fort")
        meter.level = ""
        await pilot.pause()
        assert shown_text(meter).endswith("—") and not meter.has_class("-moyen")


async def test_the_meter_takes_the_colours_of_a_new_theme() -> None:
    class Meter(App[None]):
        def compose(self) -> ComposeResult:
            yield StrengthMeter("Fort")

    app = Meter()
    async with app.run_test(size=(100, 5)) as pilot:
        app.theme = "textual-dark"
        await pilot.pause()
        meter = app.query_one(StrengthMeter)

        def word_colour() -> object:
            strip = meter.render_lines(Region(0, 0, meter.size.width, 1))[0]
            word = next(segment for segment in strip if segment.text == "Fort")
            assert word.style is not None
            return word.style.color

        dark = word_colour()
        app.theme = "textual-light"
        await pilot.pause()
        assert word_colour() != dark


async def test_a_selection_in_the_meter_is_drawn_and_copies_what_it_shows() -> None:
    class Meter(App[None]):
        def compose(self) -> ComposeResult:
            yield StrengthMeter("Moyen")

    app = Meter()
    async with app.run_test(size=(100, 5)) as pilot:
        await pilot.pause()
        meter = app.query_one(StrengthMeter)
        region = Region(0, 0, meter.size.width, 1)
        before = meter.render_lines(region)[0]
        app.screen.selections = {meter: Selection(Offset(0, 0), Offset(6, 0))}
        await pilot.pause()
        assert app.screen.get_selected_text() == "Niveau"
        selected = meter.render_lines(region)[0]
        assert selected.text == before.text and list(selected) != list(before)
        app.screen.selections = {}
        await pilot.pause()
        assert list(meter.render_lines(region)[0]) == list(before)


async def test_the_meter_and_the_checklist_draw_again_at_a_new_width() -> None:
    class Both(App[None]):
        def compose(self) -> ComposeResult:
            yield RulesChecklist(assess("tribord7", PERSON).rules)
            yield StrengthMeter("Fort")

    app = Both()
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        checklist, meter = app.query_one(RulesChecklist), app.query_one(StrengthMeter)
        assert len(shown_text(checklist).splitlines()) == 3
        assert shown_text(meter).count("█") == StrengthMeter.BAR_MAX_WIDTH
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        assert len(shown_text(checklist).splitlines()) == 8  # one rule a line
        text = shown_text(meter)
        assert len(text) <= 50 and text.endswith("Fort") and text.count("█") < 36
