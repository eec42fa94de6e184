"""A PNG of the last weeks: active members and the 90-9-1 split. matplotlib is loaded lazily."""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.features.report.figures import Figures


def render_png(series: Sequence[Figures], labels: dict[str, str]) -> bytes:
    """`labels`: localised texts for title, active, consumers, reactors, creators, share."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    weeks = [f.since.strftime("%d-%m") for f in series]
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
    bottom.set_xticklabels(weeks, rotation=45, fontsize="small")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
