"""Every character legible on its background, in every theme: a line filter.

A theme picks colours for a dark or a light screen, and our muted texts, phase colours and
the cursor blend those colours again; some blends fall under WCAG's contrast ratio in some
themes (a muted dose on the cursor's blue, a day's progress on the race day's green). The
filter looks at each run of text as it is drawn and, when its colour is too close to its
background, moves the colour toward white or black (whichever stands out from that
background) just far enough: muted stays muted where it can, and is never unreadable.

Ratios are WCAG 2.1's: 4.5:1 for text, 3:1 for lines and marks that aren't read.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

TEXT_RATIO = 4.5
MARK_RATIO = 3.0
# Box lines, dividers and blocks: seen, not read.
DECORATIVE = frozenset("▏▕│─┃━╭╮╰╯┌┐└┘├┤▔▁▎▊█▌▐▀▄ ")
_WHITE = Color(255, 255, 255)
_BLACK = Color(0, 0, 0)


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(first: Color, second: Color) -> float:
    """WCAG's contrast ratio of two colours: 1 (the same) to 21 (black on white)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@lru_cache(maxsize=4096)
def legible(color: Color, background: Color, need: float = TEXT_RATIO) -> Color:
    """`color`, or the nearest blend of it toward white or black that stands `need` out
    from `background` (white or black itself at the most, which always does for 4.5)."""
    if contrast(color, background) >= need:
        return color
    target = max((_WHITE, _BLACK), key=lambda end: contrast(end, background))
    for step in range(1, 11):
        blended = color.blend(target, step / 10)
        if contrast(blended, background) >= need:
            return blended
    return target


def _color(color: RichColor | None) -> Color | None:
    if color is None or color.is_default:
        return None
    return Color.from_rich_color(color)


@lru_cache(maxsize=4096)
def _fixed(style: Style, background: Color, need: float) -> Style:
    """`style` with its text colour made legible on its background (or `background`)."""
    fg, bg = _color(style.color), _color(style.bgcolor) or background
    if style.reverse:
        fg, bg = bg, fg
    if fg is None or bg is None:
        return style
    better = legible(fg, bg, need)
    if better == fg:
        return style
    if style.reverse:
        return style + Style(bgcolor=better.rich_color)
    return style + Style(color=better.rich_color)


class Legible(LineFilter):
    """Raise any text under its contrast ratio (see the module), leaving the rest alone."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        fixed = []
        for segment in segments:
            text, style, control = segment
            if style is None or control or not text.strip():
                fixed.append(segment)
                continue
            need = MARK_RATIO if DECORATIVE.issuperset(text) else TEXT_RATIO
            better = _fixed(style, background, need)
            fixed.append(segment if better is style else Segment(text, better))
        return fixed
