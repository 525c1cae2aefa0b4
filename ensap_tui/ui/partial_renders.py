"""A screen update that renders only the rows it sends (Textual's renders every widget whole).

When a widget changes (a typed character, a list opened or closed), Textual's compositor makes
a partial update: it sends only the changed region, but first asks every widget of the screen
whose container overlaps that region for all of its lines (the screen, its scrolling body,
each container, each field, the footer…), keeps the lines of the changed rows and drops the
rest. The lines come from each widget's cache, but each is still fetched, filtered and cut:
on a wizard step that was most of a typed character's cost. :func:`install` makes the
compositor ask each widget only for the rows of the changed region it covers, and skip the
widgets that cover none of it. What is sent does not change: the rows outside the region
were not sent before either, and a widget that covers a row of the region is still rendered
across its whole visible width (the update's spans then cut the columns, as before). A full
update (a new screen, a resize, a picture) asks for every row, as before.

Textual has no setting for this; the replaced method is Textual's private
``Compositor._get_renders`` (Textual is pinned below 8.3 in ``pyproject.toml``), so
:func:`install` checks that it still is the method this one was written against, and
otherwise leaves Textual's in place.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

#: Names Textual's ``_get_renders`` (8.2) uses; a Textual whose method differs keeps its own.
_REPLACED_NAMES = ("visible_widgets", "overlaps", "intersection", "contains_region",
                   "render_lines")

#: Textual's own method, as found when this module was imported (the tests compare with it).
TEXTUAL_GET_RENDERS = Compositor._get_renders

#: Beyond any screen: the rows and columns of an update without a crop (a full one).
_FAR = 1 << 30


def _get_renders(
    self: Compositor, crop: Region | None = None
) -> Iterable[tuple[Region, Region, list[Strip]]]:
    """Textual's ``Compositor._get_renders`` with each widget rendered only over the rows of
    ``crop`` it covers: yields ``(region, clip, strips)`` where ``region`` and ``clip`` are
    the part rendered, so that ``region ∩ clip`` is what the strips cover, as the caller
    (``_render_chops``) expects."""
    if crop:
        crop_left, crop_top, crop_right, crop_bottom = crop.corners
    else:
        crop_left = crop_top = -_FAR
        crop_right = crop_bottom = _FAR
    for widget, (region, clip) in self.visible_widgets.items():
        x, y, width, height = region.intersection(clip)
        top = max(y, crop_top)
        bottom = min(y + height, crop_bottom)
        if bottom <= top or not width or x >= crop_right or x + width <= crop_left:
            continue
        rendered = Region(x, top, width, bottom - top)
        yield rendered, rendered, widget.render_lines(
            Region(x - region.x, top - region.y, width, bottom - top)
        )


def install() -> bool:
    """Puts :func:`_get_renders` in place of Textual's ``Compositor._get_renders`` (once);
    returns whether it is in place (False when Textual's method is not the one this module
    was written against: Textual's own then stays)."""
    if Compositor._get_renders is _get_renders:
        return True
    code = getattr(TEXTUAL_GET_RENDERS, "__code__", None)
    if code is None or not all(name in code.co_names for name in _REPLACED_NAMES):
        return False
    Compositor._get_renders = _get_renders  # type: ignore[method-assign]
    return True
