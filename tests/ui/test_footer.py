"""The footer (``EnsapFooter``): the keys Textual's footer would show, rebuilt only when they
change (issue 12: rebuilding them on every click from field to field was a fifth of a training
room poste's CPU)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.widgets.footer import EnsapFooter
from tests.support.waiting import wait_for_focus, wait_until


class Rounds:
    """The footer's rounds of work: after each publication of the screen's bindings, once the
    footer has done what it does with it (a rebuild of its keys included), the id of the
    widget that had the focus when the bindings were published."""

    def __init__(self, footer: Footer) -> None:
        self.footer = footer
        self.done: list[str | None] = []
        # Subscribed after the footer itself: this round's callback runs after the footer's
        # (the same queue, then the same list of after-refresh callbacks, awaited in order).
        footer.screen.bindings_updated_signal.subscribe(footer, self._published)

    def _published(self, screen: Screen[Any]) -> None:
        focused = screen.focused
        self.footer.call_after_refresh(self.done.append, None if focused is None else focused.id)


def described(footer: Footer) -> list[tuple[object, ...]]:
    """Everything the footer's children show and do, in order."""

    def one(widget: Widget) -> tuple[object, ...]:
        classes = tuple(sorted(widget.classes))
        if isinstance(widget, FooterKey):
            return (
                "key", classes, widget.key, widget.key_display, widget.description,
                widget.action, str(widget.tooltip), widget.compact,
            )
        if isinstance(widget, FooterLabel):
            return ("label", classes, str(widget.render()))
        if isinstance(widget, KeyGroup):
            return ("group", classes, tuple(one(child) for child in widget.children))
        return ("other", type(widget).__name__)

    return [one(child) for child in footer.children]


def descriptions(footer: Footer) -> list[str]:
    return [key.description for key in footer.query(FooterKey)]


async def test_clicking_from_field_to_field_keeps_the_footer_keys(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = IdentityScreen(RegistrationDraft())
        await app.push_screen(screen)
        await wait_for_focus(pilot, "nir", "step 1 focuses the NIR")
        footer = screen.query_one(EnsapFooter)
        rounds = Rounds(footer)
        screen.refresh_bindings()
        await wait_until(pilot, lambda: "nir" in rounds.done, "the footer's first keys")
        keys = list(footer.query(FooterKey))
        assert "Aide" in [key.description for key in keys]

        for field in ("nom-naissance", "nir", "nom-naissance"):
            rounds.done.clear()
            await pilot.click(f"#{field}")
            await wait_until(
                pilot, lambda field=field: field in rounds.done, f"the footer after #{field}"
            )
            now = list(footer.query(FooterKey))
            assert len(now) == len(keys)
            assert all(a is b for a, b in zip(now, keys, strict=True)), f"rebuilt for #{field}"


async def test_a_focus_that_changes_the_keys_changes_the_footer(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = IdentityScreen(RegistrationDraft())
        await app.push_screen(screen)
        await wait_for_focus(pilot, "nir", "step 1 focuses the NIR")
        footer = screen.query_one(EnsapFooter)
        await wait_until(pilot, lambda: "Retour" in descriptions(footer), "Échap Retour")

        screen.query_one("#jour").focus()
        await wait_for_focus(pilot, "jour", "the day's list")
        await pilot.press("enter")  # the list opens and takes the focus: its Échap closes it
        await wait_until(
            pilot,
            lambda: "Fermer la liste" in descriptions(footer)
            and "Retour" not in descriptions(footer),
            "Échap Fermer la liste",
        )
        await pilot.press("escape")
        await wait_until(
            pilot,
            lambda: "Retour" in descriptions(footer)
            and "Fermer la liste" not in descriptions(footer),
            "Échap Retour again",
        )
        assert descriptions(footer)[0] == "Aide"


_ARROWS = Binding.Group("Déplacer", compact=True)


class _BothFooters(App[None]):
    """Textual's footer and ours on the same bindings: a group, a hidden binding, a binding that
    check_action hides or disables, a tooltip, the command palette's key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Aide", tooltip="Ouvrir l'aide"),
        Binding("left", "left", "Gauche", group=_ARROWS),
        Binding("right", "right", "Droite", group=_ARROWS),
        Binding("f2", "hidden", "Caché", show=False),
        Binding("f3", "toggled", "Bascule", key_display="F3"),
        Binding("f4", "alone", "Seul", group=Binding.Group("Seul dans son groupe")),
    ]
    toggled: bool | None = True

    def compose(self) -> ComposeResult:
        yield Footer(id="textual")
        yield EnsapFooter(id="ensap")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggled":
            return self.toggled
        return True


async def test_the_footer_shows_what_textual_s_footer_shows() -> None:
    app = _BothFooters()
    async with app.run_test(size=(120, 10)) as pilot:
        textual = app.screen.query_one("#textual", Footer)
        ensap = app.screen.query_one("#ensap", EnsapFooter)
        both = (Rounds(textual), Rounds(ensap))

        async def settled() -> None:
            for rounds in both:
                rounds.done.clear()
            app.screen.refresh_bindings()
            await wait_until(pilot, lambda: all(rounds.done for rounds in both), "both footers")

        for toggled, compact, palette in (
            (True, False, True),
            (None, False, True),  # shown, disabled
            (False, False, True),  # not shown
            (True, True, True),
            (True, True, False),
            (True, False, False),
        ):
            app.toggled = toggled
            for footer in (textual, ensap):
                footer.compact = compact
                footer.show_command_palette = palette
            await settled()
            assert described(ensap) == described(textual), (toggled, compact, palette)
            assert len(described(ensap)) >= 2
