"""The report as files for use elsewhere (`plein report --format md|csv|json|png`).

JSON carries every figure (the period's, the health figures, the chart series); Markdown is the
text managers get in the chat, as a heading and a list.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, datetime
from enum import Enum
from typing import Any

from bot.features.report.health_figures import ChartData
from bot.features.report.render import Report

DERIVED = (
    "active_share",
    "poll_participation",
    "newcomer_connected_share",
    "answered_share",
    "waiting",
)
"""Properties computed from the fields, written out too."""
ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def parse_iso_week(text: str) -> date:
    """'2026-W14' -> the Monday of that ISO week; ValueError otherwise."""
    found = ISO_WEEK.match(text.strip())
    if found is None:
        raise ValueError(text)
    return date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)


def to_markdown(text: str) -> str:
    lines = text.splitlines()
    if not lines:
        return ""
    body = [
        f"  {line.strip()}" if line.startswith((" ", "•")) else f"- {line}" for line in lines[1:]
    ]
    return "\n".join([f"# {lines[0]}", "", *body]) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in DERIVED:
            if hasattr(value, name):
                out[name] = getattr(value, name)
        return out
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def to_json(report: Report, charts: ChartData, week: date) -> bytes:
    data = {
        "week": f"{week.isocalendar()[0]}-W{week.isocalendar()[1]:02d}",
        "figures": _plain(report.figures),
        "previous": _plain(report.previous),
        "health": _plain(report.health),
        "goals": [
            {
                "name": g.goal.name,
                "metric": g.goal.metric,
                "target": g.goal.target,
                "period": g.goal.period,
                "actual": g.actual,
                "on_track": g.on_track,
            }
            for g in report.goals
        ],
        "ambassadors": _plain(list(report.ambassadors)),
        "charts": _plain(charts),
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
