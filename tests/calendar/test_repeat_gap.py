"""Issue 15: the same calendar prompt never runs in two slots within a few days. The example plan
has a Monday "rotate" slot that may pick the theme the Saturday slot just used, with only one
prompt of the Monday types left in it; without the gap the same question ran two days apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.features.calendar.plan import SlotPlan, choose, prompt_key
from bot.features.calendar.ports import Usage
from tests.calendar.test_plan_and_config import theme
from tests.support import ConsoleRun

CALENDAR_ONLY = {
    f"PLEIN_{section}__ENABLED": "false"
    for section in ("ONBOARDING", "RECOGNITION", "SPOTLIGHT", "REPORT", "POLLS")
}
TYPE_LABELS = ("Vraag · ", "Stelling · ", "Casus · ", "Activiteit · ", "Poll · ", "Actie · ")
TYPE_LABELS += ("Verhaal · ", "Nieuws · ")


def prompt_posts(out: list[dict[str, Any]]) -> list[tuple[datetime, str]]:
    return [
        (datetime.fromisoformat(a["at"]), a["text"].split("\n")[2])
        for a in out
        if a["action"] == "post" and a["text"].startswith(TYPE_LABELS)
    ]


async def test_no_prompt_twice_within_three_days_over_ten_weeks_with_a_restart(
    tmp_path: Path, storage_url: str
) -> None:
    db = tmp_path / "plein.db"
    first = await ConsoleRun(db_path=db, env=dict(CALENDAR_ONLY), storage_url=storage_url).run(
        "join anna\n" + "wait 7d\n" * 5
    )
    restart = prompt_posts(first)[-1][0] + timedelta(hours=1)
    second = await ConsoleRun(db_path=db, env=dict(CALENDAR_ONLY), storage_url=storage_url).run(
        "wait 7d\n" * 5, start=restart
    )
    posts = prompt_posts(first) + prompt_posts(second)
    assert len(posts) >= 28
    last_seen: dict[str, datetime] = {}
    for at, text in posts:
        if text in last_seen:
            assert at - last_seen[text] >= timedelta(days=3), (text, last_seen[text], at)
        last_seen[text] = at


AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime(2026, 4, 27, 7, tzinfo=UTC)
ROTATE = SlotPlan(
    key="mon", index=0, cron="0 9 * * mon", channel="c", theme="rotate", types=frozenset()
)


def test_a_rotate_slot_takes_another_theme_rather_than_repeat_a_prompt() -> None:
    stories, birds = theme("Stories", "How did you find us?"), theme("Birds", "Which bird?")
    usage = Usage({}, {})
    # Saturday's own slot just posted the stories question; birds ran on Monday a week ago.
    usage.record("sat", "Stories", prompt_key(stories.prompts[0]), MONDAY - timedelta(days=2))
    usage.record("mon", "Birds", prompt_key(birds.prompts[0]), MONDAY - timedelta(days=7))
    gap = timedelta(days=3)
    pick = choose(ROTATE, [stories, birds], usage, MONDAY, tz=AMS, gap=gap)
    assert pick is not None and pick.theme.name == "Birds"
    # A theme's own slot with only that prompt left posts nothing rather than repeat it.
    own = SlotPlan(
        key="mon", index=0, cron="0 9 * * mon", channel="c", theme="Stories", types=frozenset()
    )
    assert choose(own, [stories, birds], usage, MONDAY, tz=AMS, gap=gap) is None
    assert choose(own, [stories, birds], usage, MONDAY + timedelta(days=1), tz=AMS, gap=gap)
