"""Acceptance on the console: nine opted-in members, one trio, a skip, restarts, the follow-up."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

from bot.features.intros.pairing import Group
from storage.db import Database
from storage.intros import SqlIntrosStore
from tests.intros.helpers import CONFIG, MEMBERS, NAMES, START, group_dms, seed_answers
from tests.support import ConsoleRun

AMS = ZoneInfo("Europe/Amsterdam")


def local(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(AMS).strftime("%a %d %b %H:%M")


def pairs(groups: list[dict[str, object]]) -> set[frozenset[str]]:
    out: set[frozenset[str]] = set()
    for group in groups:
        members = group["members"]
        assert isinstance(members, list)
        out |= {frozenset(p) for p in combinations(members, 2)}
    return out


async def community(console: ConsoleRun) -> None:
    console.config_text = CONFIG
    joins = "\n".join(f"{name}: /intros join" for name in NAMES)
    out = await console.run(f"{MEMBERS}\n{joins}", START)
    assert sum("You're in!" in o["text"] for o in out) == 9
    await seed_answers(console.config(), datetime.fromisoformat(START))


async def test_nine_members_one_trio_a_skip_no_repeat_and_restarts_post_nothing_twice(
    console: ConsoleRun,
) -> None:
    await community(console)
    first = group_dms(await console.run("wait 7d2h", "2026-03-16T09:00:00+01:00"))
    assert sorted(len(g["members"]) for g in first) == [2, 2, 2, 3]
    assert sorted(m for g in first for m in g["members"]) == NAMES
    assert {local(g["at"]) for g in first} == {"Mon 23 Mar 10:00"}
    for group in first:
        assert "this round I'm introducing you to each other" in group["text"]
        assert "Why: " in group["text"] and "To get started: " in group["text"]
    reasons = " ".join(g["text"] for g in first)
    assert "you both like" in reasons or "you all like" in reasons
    # the private answer ("birds" for everyone) is never a reason
    assert any("birds" not in g["text"].lower().split("why:")[1].split("\n")[0] for g in first)

    # a restart two hours later (inside the catch-up window) finds the round made and sent
    out = await console.run("carla: /intros skip\nwait 14d", "2026-03-23T12:00:00+01:00")
    second = group_dms(out)
    followups = [o for o in out if "A week ago I introduced you" in o["text"]]
    assert len(followups) == 9 and {local(o["at"]) for o in followups} == {"Mon 30 Mar 10:00"}
    # after the change to summer time the round is still at 10:00 local time
    assert {local(g["at"]) for g in second} == {"Mon 06 Apr 10:00"}
    assert sorted(len(g["members"]) for g in second) == [2, 2, 2, 2]
    assert "carla" not in {m for g in second for m in g["members"]}
    assert not pairs(first) & pairs(second)

    # restarting right after that round posts nothing again; the skip was honoured once
    again = await console.run("wait 1h", "2026-04-06T10:30:00+02:00")
    assert not group_dms(again)
    third = group_dms(await console.run("wait 14d", "2026-04-06T12:00:00+02:00"))
    assert sorted(len(g["members"]) for g in third) == [2, 2, 2, 3]
    assert "carla" in {m for g in third for m in g["members"]}
    assert not pairs(third) & (pairs(first) | pairs(second))


async def test_status_leave_and_the_met_answer(console: ConsoleRun) -> None:
    await community(console)
    out = await console.run(
        "anna: /intros status\nilse: /intros leave\nilse: /intros status\nwait 14d",
        "2026-03-16T09:00:00+01:00",
    )
    anna = [o["text"] for o in out if o.get("member") == "anna"]
    ilse = [o["text"] for o in out if o.get("member") == "ilse"]
    assert anna[0] == (
        "You take part; the next round is Mon 23 Mar 10:00. "
        "You have been introduced 0 times so far."
    )
    assert "no longer take part" in ilse[0] and "don't take part" in ilse[1]
    assert not [o for o in out if o["action"] == "group_dm" and "ilse" in o["members"]]
    groups = group_dms(out)
    assert sorted(len(g["members"]) for g in groups) == [2, 2, 2, 2]
    asked = [o for o in out if o.get("member") == "anna" and o["choices"]]
    assert asked and "Have you talked to each other?" in asked[-1]["text"]
    out = await console.run(
        f"anna picks {asked[-1]['ref']} 1\nwait 1m\nmia: /report", "2026-03-31T09:00:00+02:00"
    )
    assert "Lovely" in out[0]["text"]
    assert "Introductions: 0 made; of 1 answered, 1 met (100%)" in out[-1]["text"]
    assert "Connections: 2 members with a two-way connection" in out[-1]["text"]  # the met pair


async def test_the_welcome_offers_the_introductions(console: ConsoleRun) -> None:
    console.config_text = CONFIG
    out = await console.run("join zoe", START)
    [welcome] = [o for o in out if o.get("member") == "zoe" and o["choices"]]
    labels = [c["label"] for c in welcome["choices"]]
    assert "Introduce me to other members" in labels
    choice = labels.index("Introduce me to other members") + 1
    out = await console.run(f"zoe picks {welcome['ref']} {choice}\nzoe: /intros status", START)
    assert "You're in!" in out[0]["text"]
    assert out[1]["text"].startswith("You take part; the next round is Mon 23 Mar 10:00")


async def test_a_round_made_by_a_process_that_died_before_sending_is_sent_once(
    console: ConsoleRun,
) -> None:
    await community(console)
    round_at = datetime.fromisoformat("2026-03-23T10:00:00+01:00")
    db = Database.from_url(console.config().storage.url)
    try:
        store = SqlIntrosStore(db)
        groups = [
            Group(("console:anna", "console:bram"), ()),
            Group(("console:carla", "console:daan"), ()),
        ]
        made = await store.create_round(
            round_at, 1, groups, [], now=round_at, followup_due=round_at + timedelta(days=7)
        )
        assert made
    finally:
        await db.close()
    out = group_dms(await console.run("wait 1h", "2026-03-23T10:05:00+01:00"))
    assert sorted(sorted(g["members"]) for g in out) == [["anna", "bram"], ["carla", "daan"]]
    assert not group_dms(await console.run("wait 1h", "2026-03-23T10:20:00+01:00"))


async def test_a_rounds_followups_go_out_a_week_later_within_the_same_run(
    console: ConsoleRun,
) -> None:
    """The round's job pokes the follow-up source: the scheduler keeps each source's answer
    until it runs or is poked, and the follow-ups did not exist when it last asked."""
    await community(console)
    out = await console.run("wait 14d2h", "2026-03-16T09:00:00+01:00")
    assert {local(g["at"]) for g in group_dms(out)} == {"Mon 23 Mar 10:00"}
    followups = [o for o in out if "A week ago I introduced you" in o["text"]]
    assert len(followups) == 9 and {local(o["at"]) for o in followups} == {"Mon 30 Mar 10:00"}
