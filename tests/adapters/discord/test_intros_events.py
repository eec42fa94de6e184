"""Issue 23 on the Discord fake: introductions as private threads under the intros channel, and
events as Guild Scheduled Events whose 'Interested' members are the RSVPs."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import combinations

from tests.adapters.discord.harness import DiscordRun

NAMES = ["Anna", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ilse"]


async def test_an_event_is_a_guild_scheduled_event_and_interest_is_the_rsvp(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    agenda = fake.add_channel("agenda")
    boss = fake.add_member("Fien", roles=["Bestuur"])
    people = [fake.add_member(name) for name in NAMES[:5]]
    discord_run.env["PLEIN_COMMUNITY__LANGUAGE"] = "en"
    plein = await discord_run.start("2026-03-27T10:00:00+01:00")
    asked = await fake.slash(
        boss["id"],
        "/event create",
        title="Bird walk",
        date="29-03-2026",
        time="14:00",
        place="De Ring",
    )
    await discord_run.wait(lambda: fake.response_to(asked))
    [created] = await discord_run.wait(lambda: fake.calls_to("POST", "/scheduled-events") or None)
    assert created.json["entity_type"] == 3
    assert created.json["entity_metadata"] == {"location": "De Ring"}
    assert created.json["scheduled_start_time"].startswith("2026-03-29T12:00:00")  # 14:00 CEST
    [event_id] = list(fake.scheduled_events)
    post = await discord_run.wait(
        lambda: next((m for m in fake.messages.values() if m["channel_id"] == agenda), None)
    )
    assert "Bird walk" in post["content"]
    for person in people:
        await fake.subscribe(event_id, person["id"])
    await discord_run.wait(lambda: "Going: 5" in fake.messages[post["id"]]["content"])
    await fake.subscribe(event_id, people[0]["id"], add=False)
    await discord_run.wait(lambda: "Going: 4" in fake.messages[post["id"]]["content"])
    await plein.scheduler.advance_to(plein.clock.now() + timedelta(days=1, hours=4))  # type: ignore[attr-defined]
    await discord_run.settle()
    reminded = await discord_run.wait(
        lambda: (
            [
                p["id"]
                for p in people[1:]
                if any("starts in 1 day" in m["content"] for m in fake.dm_messages(p["id"]))
            ]
            or None
        )
    )
    assert sorted(reminded) == sorted(p["id"] for p in people[1:])
    assert not any("starts in 1 day" in m["content"] for m in fake.dm_messages(people[0]["id"]))
    # Sunday 13:00 CEST, after the clocks went forward: the hour-before reminder
    await plein.scheduler.advance_to(  # type: ignore[attr-defined]
        datetime.fromisoformat("2026-03-29T13:00:01+02:00")
    )
    await discord_run.settle()
    hour = "starts in 1 hour"
    await discord_run.wait(
        lambda: (
            all(any(hour in m["content"] for m in fake.dm_messages(p["id"])) for p in people[1:])
            or None
        )
    )
    # after the event the host is asked who came; "everyone who said going" records attendance
    await plein.scheduler.advance_to(  # type: ignore[attr-defined]
        datetime.fromisoformat("2026-03-29T18:00:01+02:00")
    )
    await discord_run.settle()
    ask = await discord_run.wait(
        lambda: next((m for m in fake.dm_messages(boss["id"]) if "Who came?" in m["content"]), None)
    )
    everyone = next(b for b in fake.buttons(ask["id"]) if b["label"] == "Everyone who said going")
    clicked = await fake.click(boss["id"], ask["id"], everyone["custom_id"])
    await discord_run.wait(lambda: fake.response_to(clicked))
    await discord_run.settle()
    events = plein.features["events"]
    figures = await events.store.figures(  # type: ignore[attr-defined]
        datetime.fromisoformat("2026-03-23T00:00:00+01:00"), plein.clock.now()
    )
    assert (figures.events, figures.going, figures.attended) == (1, 4, 4)
    await discord_run.stop()


def thread_groups(fake, parent: str, known: set[str]) -> list[frozenset[str]]:  # noqa: ANN001
    return [
        frozenset(fake.thread_members[c["id"]][1:])  # minus Plein
        for c in fake.channels.values()
        if c.get("parent_id") == parent and c["id"] not in known
    ]


async def test_nine_members_meet_in_private_threads_once_across_a_restart_and_a_skip_is_honoured(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    intros = fake.add_channel("kennismaken")
    people = [fake.add_member(name) for name in NAMES]
    discord_run.env["PLEIN_COMMUNITY__LANGUAGE"] = "en"
    discord_run.env["PLEIN_INTROS__EVERY"] = "1w"  # the next round a week later, not two
    plein = await discord_run.start()  # Monday 23 March 08:00, a round day
    for person in people:
        asked = await fake.slash(person["id"], "/intros join")
        await discord_run.wait(lambda asked=asked: fake.response_to(asked))
    await plein.scheduler.advance_to(plein.clock.now() + timedelta(hours=2, seconds=1))  # type: ignore[attr-defined]
    await discord_run.settle()
    await discord_run.wait(lambda: len(fake.calls_to("PUT", "/thread-members/")) == 9 or None)
    first = thread_groups(fake, intros, set())
    assert sorted(len(g) for g in first) == [2, 2, 2, 3]
    threads = [c for c in fake.channels.values() if c.get("parent_id") == intros]
    assert len(threads) == 4 and all(t["type"] == 12 for t in threads)
    assert all(t["thread_metadata"]["invitable"] is False for t in threads)
    everyone = sorted(m for g in first for m in g)
    assert everyone == sorted(p["id"] for p in people)
    said = await discord_run.wait(
        lambda: (
            [m for m in fake.messages.values() if m["channel_id"] in {t["id"] for t in threads}]
            or None
        )
    )
    assert "introducing you to each other" in said[0]["content"]
    await discord_run.stop()

    # back half an hour later, inside the round's catch-up window: nothing is posted again
    plein = await discord_run.start("2026-03-23T10:30:00+01:00")
    await plein.scheduler.advance_to(plein.clock.now() + timedelta(minutes=30))  # type: ignore[attr-defined]
    await discord_run.settle()
    assert len(fake.calls_to("POST", f"/channels/{intros}/threads")) == 4
    ilse = people[-1]
    asked = await fake.slash(ilse["id"], "/intros skip")
    await discord_run.wait(lambda: fake.response_to(asked))

    # the next round, a week later (after the clocks went forward): Ilse skips it, no pair repeats
    known = {c["id"] for c in fake.channels.values() if c.get("parent_id") == intros}
    await plein.scheduler.advance_to(  # type: ignore[attr-defined]
        datetime.fromisoformat("2026-03-30T10:00:01+02:00")
    )
    await discord_run.settle()
    await discord_run.wait(lambda: len(fake.calls_to("PUT", "/thread-members/")) == 9 + 8 or None)
    second = thread_groups(fake, intros, known)
    assert sorted(len(g) for g in second) == [2, 2, 2, 2]
    assert ilse["id"] not in {m for g in second for m in g}
    met_before = {frozenset(p) for g in first for p in combinations(sorted(g), 2)}
    assert not {frozenset(p) for g in second for p in combinations(sorted(g), 2)} & met_before
    await discord_run.stop()
