"""A PNG of the last weeks: active members and the 90-9-1 split. matplotlib is loaded lazily.

Rendering takes a few hundred milliseconds of CPU, so the bot renders in a worker thread
(`render_chart`) and the event loop keeps serving members meanwhile.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence

from bot.features.report.figures import Figures


async def render_chart(
    series: Sequence[Figures], labels: dict[str, str], week_labels: Sequence[str] = ()
) -> bytes:
    return await asyncio.to_thread(render_png, series, labels, week_labels)


def render_png(
    series: Sequence[Figures], labels: dict[str, str], week_labels: Sequence[str] = ()
) -> bytes:
    """`labels`: localised texts for title, active, consumers, reactors, creators, share;
    `week_labels`: the localised first day of each week in `series` (no tick labels if empty)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    weeks = list(week_labels)
    x = list(range(len(series)))
    shares = [f.split.shares() for f in series]
    figure = Figure(figsize=(8, 6), dpi=100)
    top, bottom = figure.subplots(2, 1, sharex=True)
    top.bar(x, [f.active_members for f in series], color="#3a7d44")
    top.set_title(labels["title"])
    top.set_ylabel(labels["active"])
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    consumers = [s[0] for s in shares]
    reactors = [s[1] for s in shares]
    creators = [s[2] for s in shares]
    bottom.stackplot(
        x,
        creators,
        reactors,
        consumers,
        labels=[labels["creators"], labels["reactors"], labels["consumers"]],
        colors=["#d1495b", "#edae49", "#c9d6df"],
    )
    bottom.set_ylim(0, 100)
    bottom.set_ylabel(labels["share"])
    bottom.legend(loc="upper left", fontsize="small")
    bottom.set_xticks(x)
    if weeks:
        bottom.set_xticklabels(weeks, rotation=45, fontsize="small")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
