"""A community of nine members with welcome answers and history, for the introductions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.config import PleinConfig
from storage.db import Database
from storage.onboarding import SqlOnboardingStore

CONFIG = """
[community]
name = "De Groene Ring"
language = "en"
timezone = "Europe/Amsterdam"
managers = ["mia"]
managers_channel = "bestuur"

[onboarding]
questions = [
  { id = "interest", text = "What draws you to nature?", choices = ["Birds", "Plants", "Walking"] },
  { id = "hobbies", text = "What do you like to do?", required = false, match = true },
  { id = "secret", text = "Anything private?", required = false, public = false, match = true },
]

[polls]
enabled = false

[spotlight]
enabled = false

[calendar]
enabled = false

[[calendar.themes]]
name = "Birds"
prompts = [{ type = "question", text = "Which bird did you see this week?" }]

[intros]
when = "mon 10:00"
every = "2w"
seed = 7
"""

MEMBERS = (
    "members anna:700d bram:500d carla:400d daan:300d eva:200d fleur:100d gijs:40d hanna:5d ilse:3d"
)
NAMES = ["anna", "bram", "carla", "daan", "eva", "fleur", "gijs", "hanna", "ilse"]

ANSWERS = {
    "anna": ("Birds", "photography and cycling"),
    "bram": ("Plants", "cooking"),
    "carla": ("Birds", "Photography, chess"),
    "daan": ("Walking", "chess"),
    "eva": ("Plants", "cooking and gardening"),
    "fleur": ("Walking", "running"),
    "gijs": ("Birds", "running"),
    "hanna": ("Plants", "gardening"),
    "ilse": ("Walking", "cycling"),
}

START = "2026-03-16T08:00:00+01:00"
"""A Monday; the rounds fall on even weeks since 2024-01-01 (23 and 30 Mar are not both rounds)."""


def mid(name: str) -> str:
    return f"console:{name}"


async def seed_answers(config: PleinConfig, at: datetime) -> None:
    db = Database.from_url(config.storage.url)
    try:
        await db.migrate()
        store = SqlOnboardingStore(db)
        for name, (interest, hobbies) in ANSWERS.items():
            await store.save_answer(mid(name), "interest", interest, at)
            await store.save_answer(mid(name), "hobbies", hobbies, at)
            await store.save_answer(mid(name), "secret", "birds", at)
    finally:
        await db.close()


def group_dms(out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in out if o["action"] == "group_dm"]
