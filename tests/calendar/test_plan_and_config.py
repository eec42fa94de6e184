"""The rotation rule, config validation with key paths, and the signals replies emit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, parse_config
from bot.config.calendar import Theme
from bot.events import Actor, MessagePosted
from bot.features.calendar import config_problems
from bot.features.calendar.plan import SlotPlan, choose, choose_prompt, prompt_key
from bot.features.calendar.ports import Usage
from bot.signals import Contributed, ContributionKind
from scheduler import CronMath
from tests.calendar.helpers import COMMUNITY, START, config
from tests.support import ConsoleRun

AMS = ZoneInfo("Europe/Amsterdam")
AT = datetime(2026, 3, 25, 8, tzinfo=UTC)


def theme(name: str, *texts: str) -> Theme:
    return Theme(
        name=name, hosts=["anna"], prompts=[{"type": "question", "text": t} for t in texts]
    )


def test_least_recently_used_prompt_never_repeats_before_a_full_cycle() -> None:
    birds = theme("Birds", "a", "b", "c")
    usage = Usage({}, {})
    order = []
    for week in range(7):
        pick = choose_prompt(birds, usage, at=AT + timedelta(weeks=week), tz=AMS)
        assert pick is not None
        order.append(pick.prompt.text)
        usage.record("slot", "Birds", pick.key, AT + timedelta(weeks=week))
        if week == 3:  # a prompt added mid-cycle is posted next, then joins the cycle
            birds = theme("Birds", "a", "b", "new", "c")
    assert order == ["a", "b", "c", "a", "new", "b", "c"]


def test_once_rotation_runs_out_and_rotate_slots_cycle_themes() -> None:
    birds, green = theme("Birds", "a"), theme("Green", "x", "y")
    usage = Usage({}, {})
    assert choose_prompt(birds, usage, at=AT, tz=AMS, rotation="once") is not None
    usage.record("s", "Birds", prompt_key(birds.prompts[0]), AT)
    assert choose_prompt(birds, usage, at=AT, tz=AMS, rotation="once") is None
    slot = SlotPlan("r", 0, "0 9 * * mon", "algemeen", "rotate", frozenset())
    usage = Usage({}, {})
    themes = []
    for week in range(4):
        at = AT + timedelta(weeks=week)
        pick = choose(slot, [birds, green], usage, at, tz=AMS)
        assert pick is not None
        themes.append(pick.theme.name)
        usage.record("r", pick.theme.name, pick.key, at)
    assert themes == ["Birds", "Green", "Birds", "Green"]


def plan_problems(plan: str) -> list[str]:
    parsed = parse_config(COMMUNITY + plan, "club.toml", {})
    return config_problems(parsed, CronMath("Europe/Amsterdam"))


def test_cross_checks_name_the_key_path() -> None:
    problems = plan_problems(
        """
[[calendar.slots]]
when = "0 9 * * *"
theme = "Birds"
[[calendar.slots]]
when = "mon 09:00"
theme = "Owls"
[[calendar.slots]]
when = "tue 09:00"
theme = "Birds"
types = ["poll"]
[[calendar.themes]]
name = "Birds"
prompts = [{ type = "question", text = "a" }, { type = "question", text = "a" }]
[[calendar.themes]]
name = "birds"
prompts = [{ type = "news", text = "b" }]
"""
    )
    assert (
        problems[0]
        == "calendar.themes[1].prompts[2]: same type and text as calendar.themes[1].prompts[1]"
    )
    assert (
        problems[1]
        == "calendar.themes[2].name: theme 'birds' is already defined at calendar.themes[1]"
    )
    assert problems[2] == (
        "calendar.slots[2].theme: unknown theme 'Owls'; use one of 'Birds', 'birds' or \"rotate\""
    )
    assert problems[3] == "calendar.slots[3].types: no prompt of type poll in theme(s) Birds"
    assert plan_problems("") == []


@pytest.mark.parametrize(
    ("prompt", "message"),
    [
        ('{ type = "poll", text = "Which?" }', "a poll needs 2 to 10 options"),
        ('{ type = "event", text = "Walk" }', "an event needs a date"),
        ('{ type = "question", text = "" }', "a question prompt needs a text"),
        ('{ type = "news", text = "x", place = "here" }', "date and place only belong to an event"),
        ('{ type = "quiz", text = "x" }', "calendar.themes[1].prompts[1].type: must be one of"),
        ('{ type = "event", text = "x", date = "soon" }', "cannot read date 'soon'"),
    ],
)
def test_prompt_shape_errors_name_the_prompt(prompt: str, message: str) -> None:
    text = COMMUNITY + f'[[calendar.themes]]\nname = "Birds"\nprompts = [{prompt}]\n'
    with pytest.raises(ConfigError) as info:
        parse_config(text, "club.toml", {})
    [line] = info.value.lines()
    lines = COMMUNITY.count("\n")
    assert line.startswith(f"club.toml:{lines + 3}: calendar.themes[1].prompts[1]")
    assert message in line


def test_bad_slot_time_names_the_slot() -> None:
    text = COMMUNITY + '[[calendar.slots]]\nwhen = "monday 9am"\n'
    with pytest.raises(ConfigError) as info:
        parse_config(text, "club.toml", {})
    assert info.value.lines()[0].startswith(
        f"club.toml:{COMMUNITY.count(chr(10)) + 2}: calendar.slots[1].when: cannot read"
    )


async def test_replies_emit_prompt_answers_and_hosting_once(
    tmp_path: Path, storage_url: str
) -> None:
    run = ConsoleRun(db_path=tmp_path / "plein.db", config_text=config(), storage_url=storage_url)
    plein, adapter, _ = await run.start(START)
    adapter.host = plein
    seen: list[Contributed] = []

    async def listen(signal: Contributed) -> None:
        seen.append(signal)

    plein.kit.signals.subscribe(Contributed, listen)
    try:
        service = plein.features["calendar"]
        at = datetime.fromisoformat("2026-03-25T09:00:00+01:00")
        plein.clock.set(at)
        await service.fire(service.slots[0], at)
        ref = next(iter(service.linker._refs))
        anna, carla = Actor("console:anna", "anna"), Actor("console:carla", "carla")

        def reply(who: Actor, n: int, **where: str) -> MessagePosted:
            return MessagePosted(
                author=who, channel="algemeen", message_ref=f"r{n}", length=12, **where
            )

        for event in (
            reply(carla, 1, thread_of=ref),
            reply(carla, 1, thread_of=ref),  # a replay of the same message
            reply(anna, 2, reply_to=ref),
            reply(anna, 3, thread_of=ref),
            reply(carla, 4, thread_of="somewhere-else"),
            reply(Actor("discord:666", "anna"), 5, thread_of=ref),  # a host's name, not the host
        ):
            await plein.dispatch(event)
    finally:
        await plein.db.close()
    assert [(s.member_id, s.kind) for s in seen] == [
        ("console:carla", ContributionKind.PROMPT_ANSWER),
        ("console:anna", ContributionKind.HOSTED),
        ("discord:666", ContributionKind.PROMPT_ANSWER),
    ]
    assert seen[0].length == 12 and seen[0].ref == "r1"
