"""The footer of every screen (:class:`EnsapFooter`): Textual's ``Footer``, drawn the same, that
rebuilds its keys only when the keys it shows change."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import TYPE_CHECKING, NamedTuple

from textual.app import ScreenStackError
from textual.binding import Binding
from textual.dom import NoScreen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


# Named tuples rather than dataclasses: this module is imported as the app starts, and a
# dataclass compiles its methods when its class is made (about half a millisecond each).
class ShownKey(NamedTuple):
    """One key of the footer, with everything its ``FooterKey`` is built from."""

    key: str
    key_display: str
    description: str
    action: str
    disabled: bool
    tooltip: str
    #: ``""``, ``"-grouped"`` (in a group of keys) or ``"-command-palette"`` (on the right).
    classes: str


class ShownGroup(NamedTuple):
    """Keys of one binding group shown together, then the group's description."""

    compact: bool
    keys: tuple[ShownKey, ...]
    description: str


class ShownKeys(NamedTuple):
    """Everything the footer's children are built from: two equal values give the same
    children."""

    #: How many actions have keys shown (Textual's footer sets its ``grid_size_columns``).
    actions: int
    parts: tuple[ShownKey | ShownGroup, ...]
    #: The command palette's key on the right, or None when it is not shown.
    palette: ShownKey | None


class EnsapKey(FooterKey):
    """Textual's ``FooterKey`` that takes its ``compact`` state (and its ``-compact`` class)
    when it is built: Textual's binds it to the footer's after mounting, which sets and
    removes the class, and each change of class restyles the key (a fifth of a training-room
    poste's CPU went into footers)."""

    def __init__(
        self,
        shown: ShownKey,
        *,
        compact: bool,
    ) -> None:
        super().__init__(
            shown.key,
            shown.key_display,
            shown.description,
            shown.action,
            disabled=shown.disabled,
            tooltip=shown.tooltip,
            classes=f"{shown.classes} -compact" if compact else shown.classes,
        )
        # Already initialised: Textual does not call the watcher at mount.
        self.set_reactive(FooterKey.compact, compact)


class EnsapFooter(Footer):
    """Textual's ``Footer``, with the same keys, labels, classes and tooltips, that rebuilds its
    keys only when what it would show changes (:meth:`shown_keys`).

    Textual's rebuilds them on every change of focus and every ``refresh_bindings``: each time
    a dozen widgets are removed, mounted, styled and laid out again, on every click from one
    field to the next, although the keys of a form's fields are the same.
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        show_command_palette: bool = True,
        compact: bool = False,
    ) -> None:
        super().__init__(
            name=name,
            id=id,
            classes=classes,
            show_command_palette=show_command_palette,
            compact=compact,
        )
        #: What the current children were built from (None: none built yet).
        self.composed: ShownKeys | None = None

    def shown_keys(self, *, early: bool = False) -> ShownKeys | None:
        """What :meth:`compose` builds now (the screen's active bindings, as Textual's footer
        reads them); None before the screen has told its bindings, unless ``early``."""
        if not self._bindings_ready and not early:
            return None
        app = self.app
        active_bindings = self.screen.active_bindings
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _, binding, enabled, tooltip in active_bindings.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        parts: list[ShownKey | ShownGroup] = []
        for group, same_group in groupby(
            by_action.values(), lambda for_action: for_action[0][0].group
        ):
            actions = list(same_group)
            if group is not None and len(actions) > 1:
                keys = tuple(
                    ShownKey(
                        binding.key,
                        app.get_key_display(binding),
                        "",
                        binding.action,
                        not enabled,
                        tooltip or binding.description,
                        "-grouped",
                    )
                    for binding, enabled, tooltip in (for_action[0] for for_action in actions)
                )
                parts.append(ShownGroup(group.compact, keys, group.description))
            else:
                parts.extend(
                    ShownKey(
                        binding.key,
                        app.get_key_display(binding),
                        binding.description,
                        binding.action,
                        not enabled,
                        tooltip,
                        "",
                    )
                    for binding, enabled, tooltip in (for_action[0] for for_action in actions)
                )
        palette: ShownKey | None = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            active = active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if active is not None:
                binding = active.binding
                palette = ShownKey(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    not active.enabled,
                    binding.tooltip or binding.description,
                    "-command-palette",
                )
        return ShownKeys(len(by_action), tuple(parts), palette)

    def compose(self) -> ComposeResult:
        # Textual's Footer.compose, built from shown_keys(); it binds each key's `compact` to
        # the footer's except the palette's, which keeps FooterKey's default (True).
        # The first time, the keys the screen's bindings give already: Textual's footer waits
        # for the screen to tell them, then mounts its keys, and the new screen is laid out
        # and drawn again. Should they differ once told, bindings_changed rebuilds them.
        shown = self.composed = self.shown_keys(early=self.composed is None)
        if shown is None:
            return
        self.styles.grid_size_columns = shown.actions
        for part in shown.parts:
            if isinstance(part, ShownGroup):
                with KeyGroup(classes="-compact" if part.compact else ""):
                    for key in part.keys:
                        yield EnsapKey(key, compact=self.compact)
                yield FooterLabel(part.description)
            else:
                yield EnsapKey(part, compact=self.compact)
        if shown.palette is not None:
            yield EnsapKey(shown.palette, compact=True)

    def watch_compact(self, compact: bool) -> None:
        """The keys follow the footer's compact state (Textual's footer binds them to it)."""
        for key in self.query(EnsapKey):
            if not key.has_class("-command-palette"):
                key.compact = compact

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        # A screen covered by another is told its bindings changed (the app's Escape now has
        # somewhere to go): its keys are rebuilt, if still needed, when it comes back (Textual
        # tells it its bindings again then), not while hidden. Under a dialog they show.
        # This runs after a refresh: the screen may have been closed meanwhile (a sign-out,
        # Escape, a step left), its footer detached; there is nothing to show then.
        if not self.is_attached:
            return
        try:
            mine, front = self.screen, self.app.screen
        except (NoScreen, ScreenStackError):
            return
        seen = front is mine or front.styles.background.a < 1  # under a dialog
        if seen and self.shown_keys() != self.composed:
            await self.recompose()
