"""A small community with a content plan, for console runs and service-level tests."""

from __future__ import annotations

import json
from typing import Any

from storage.calendar import SqlCalendarStore
from storage.db import Database

QUIET = """
[onboarding]
enabled = false

[polls]
enabled = false

[recognition]
enabled = false

[spotlight]
enabled = false

[report]
enabled = false

[health]
enabled = false
"""

COMMUNITY = """
[community]
name = "De Groene Ring"
language = "en"
timezone = "Europe/Amsterdam"
managers = ["mia"]
managers_channel = "bestuur"
"""

PLAN = """
[calendar]
reminder_before = "24h"

[[calendar.slots]]
when = "wed 09:00"
theme = "Birds"

[[calendar.themes]]
name = "Birds"
hosts = ["anna", "bram"]
prompts = [
  { type = "question", text = "Which bird did you see this week?", title = "Birds of the week" },
  { type = "case", text = "The council wants to cut the old willows. What do we advise?" },
  { type = "news", text = "The owl box in the park has an owl!" },
]
"""

START = "2026-03-23T08:00:00+01:00"
"""A Monday morning, the week before summer time starts."""


def config(plan: str = PLAN, *, language: str = "en") -> str:
    return COMMUNITY.replace('language = "en"', f'language = "{language}"') + QUIET + plan


def posts(out: list[dict[str, Any]], channel: str | None = None) -> list[dict[str, Any]]:
    return [
        o
        for o in out
        if o["action"] == "post"
        and "author" not in o
        and (channel is None or o.get("channel") == channel)
    ]


def dms(out: list[dict[str, Any]], member: str | None = None) -> list[dict[str, Any]]:
    return [
        o
        for o in out
        if o["action"] == "dm"
        and not o.get("ephemeral")
        and (member is None or o.get("member") == member)
    ]


def replies(out: list[dict[str, Any]], member: str) -> list[str]:
    return [o["text"] for o in out if o.get("ephemeral") and o.get("member") == member]


async def open_store(storage_url: str) -> tuple[Database, SqlCalendarStore]:
    db = Database.from_url(storage_url)
    return db, SqlCalendarStore(db)


def dump(out: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in out)
