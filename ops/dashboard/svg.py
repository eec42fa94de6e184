"""Server-rendered SVG charts: no JavaScript chart library, readable without scripts.

Every label goes through markupsafe's escape (option labels and names are member text); every
mark carries a <title> (shown on hover, read by screen readers) with its exact figure.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from bot.features.report.figures import Figures

GREEN = "#3a7d44"
GREY = "#c9d6df"
COLORS = ("#c9d6df", "#edae49", "#d1495b")
"""only reading, reacting, creating (the report chart's colours)."""


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}">' + "".join(body) + "</svg>"
    )


def bars(rows: Sequence[tuple[str, int]], label: str, width: int = 480) -> Markup:
    """Horizontal bars, one per (label, value): the ladder, a poll's options."""
    row_h, label_w = 26, 160
    top = max((value for _, value in rows), default=0) or 1
    body = []
    for i, (name, value) in enumerate(rows):
        y = i * row_h
        w = round((width - label_w - 60) * value / top)
        body.append(
            f'<g data-label="{escape(name)}" data-value="{value}">'
            f"<title>{escape(name)}: {value}</title>"
            f'<text x="0" y="{y + 17}" font-size="13">{escape(name)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 8}" fill="{GREEN}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 17}" font-size="13">{value}</text></g>'
        )
    return _svg(width, max(row_h * len(rows), row_h), label, body)


def split_bar(shares: tuple[float, float, float], names: Sequence[str], label: str) -> Markup:
    """One 100% bar: only reading, reacting, creating."""
    width, x, body = 480, 0.0, []
    for share, name, color in zip(shares, names, COLORS, strict=True):
        w = width * share / 100
        body.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="28" fill="{color}">'
            f"<title>{escape(name)}: {share}%</title></rect>"
        )
        x += w
    return _svg(width, 28, label, body)


def trend(series: Sequence[Figures], week_labels: Sequence[str], label: str) -> Markup:
    """Active members per week (bars) over members present (the grey bar behind), and each
    week's 90-9-1 split as a thin 100% strip underneath."""
    width, height, strip = 640, 200, 14
    n = max(len(series), 1)
    slot = width / n
    top = max((f.members_total for f in series), default=0) or 1
    body = []
    for i, (f, week) in enumerate(zip(series, week_labels, strict=True)):
        x = i * slot + 4
        w = slot - 8
        h_total = (height - 40) * f.members_total / top
        h_active = (height - 40) * f.active_members / top
        y0 = height - 20
        body.append(
            f'<g class="week" data-week="{escape(week)}" data-members="{f.members_total}" '
            f'data-active="{f.active_members}">'
            f"<title>{escape(week)}: {f.active_members} / {f.members_total}</title>"
            f'<rect x="{x:.1f}" y="{y0 - h_total:.1f}" width="{w:.1f}" height="{h_total:.1f}" '
            f'fill="{GREY}"/>'
            f'<rect x="{x:.1f}" y="{y0 - h_active:.1f}" width="{w:.1f}" '
            f'height="{h_active:.1f}" fill="{GREEN}"/>'
            f'<text x="{x + w / 2:.1f}" y="{height - 4}" font-size="10" '
            f'text-anchor="middle">{escape(week)}</text></g>'
        )
        sx = x
        for share, color in zip(f.split.shares(), COLORS, strict=True):
            sw = w * share / 100
            body.append(
                f'<rect x="{sx:.1f}" y="{height + 4}" width="{sw:.1f}" height="{strip}" '
                f'fill="{color}"/>'
            )
            sx += sw
    return _svg(width, height + strip + 8, label, body)
