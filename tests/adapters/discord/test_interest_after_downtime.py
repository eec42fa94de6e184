"""Issue 23 on the Discord fake: 'Interested' given or taken back while Plein was down is caught
up after the restart, by re-reading each open Guild Scheduled Event's subscribers (paged, 100 a
page, as Discord documents), without undoing a 'going' given with the announcement's buttons."""

from __future__ import annotations

import asyncio

from tests.adapters.discord.harness import DiscordRun

NAMES = ["Anna", "Bram", "Carla", "Daan", "Eva", "Fleur"]


async def event_handlers_finished() -> None:
    """Await the handlers discord.py runs as tasks named 'discord.py: on_...' (the live
    interest updates), so none is still editing the announcement when Plein stops."""
    running = [t for t in asyncio.all_tasks() if t.get_name().startswith("discord.py: on_")]
    await asyncio.wait_for(asyncio.gather(*running), 30)


async def test_interest_changed_while_down_is_reconciled_after_the_restart(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    agenda = fake.add_channel("agenda")
    boss = fake.add_member("Fien", roles=["Bestuur"])
    anna, bram, carla, daan, eva, fleur = (fake.add_member(name) for name in NAMES)
    discord_run.env["PLEIN_COMMUNITY__LANGUAGE"] = "en"
    await discord_run.start("2026-03-27T10:00:00+01:00")
    asked = await fake.slash(
        boss["id"],
        "/event create",
        title="Bird walk",
        date="29-03-2026",
        time="14:00",
        place="Ring",
    )
    await discord_run.wait(lambda: fake.response_to(asked))
    [event_id] = await discord_run.wait(lambda: list(fake.scheduled_events) or None)
    post = await discord_run.wait(
        lambda: next((m for m in fake.messages.values() if m["channel_id"] == agenda), None)
    )
    for person in (anna, bram, carla):
        await fake.subscribe(event_id, person["id"])
    going = next(b for b in fake.buttons(post["id"]) if b["label"] == "Going")
    clicked = await fake.click(fleur["id"], post["id"], going["custom_id"])  # the buttons
    await discord_run.wait(lambda: fake.response_to(clicked))
    await discord_run.wait(lambda: "Going: 4" in fake.messages[post["id"]]["content"])
    await event_handlers_finished()
    await discord_run.stop()

    # While Plein is down: Anna takes her interest back; Daan, Eva and 100 more members become
    # interested (two pages of subscribers).
    fake.unsubscribe_quietly(event_id, anna["id"])
    for person in (daan, eva):
        fake.subscribe_quietly(event_id, person["id"])
    fake.populate(100)
    for ident in list(fake.members)[-100:]:
        fake.subscribe_quietly(event_id, ident)
    pages_before = fake.event_user_pages

    await discord_run.start("2026-03-27T12:00:00+01:00")
    await discord_run.wait(  # 102 RSVPs caught up in one go: give a loaded machine time
        lambda: "Going: 105" in fake.messages[post["id"]]["content"], within=60
    )
    await event_handlers_finished()  # on_ready's re-read included
    assert fake.event_user_pages - pages_before == 2
    await discord_run.stop()

    # A second restart with nothing changed changes nothing (and edits nothing).
    edits = len(fake.calls_to("PATCH", f"/messages/{post['id']}"))
    await discord_run.start("2026-03-27T13:00:00+01:00")
    await event_handlers_finished()
    await discord_run.settle()
    assert fake.event_user_pages - pages_before == 4  # read again, two pages
    assert len(fake.calls_to("PATCH", f"/messages/{post['id']}")) == edits
    assert "Going: 105" in fake.messages[post["id"]]["content"]

    # The reminder a day before goes to exactly who is going now: not Anna, Fleur (buttons) yes.
    await discord_run.plein.scheduler.advance_to(  # type: ignore[union-attr, attr-defined]
        discord_run.plein.clock.now().replace(hour=15, day=28)  # type: ignore[union-attr]
    )
    await discord_run.settle()
    reminded = {
        p["id"]
        for p in (anna, bram, carla, daan, eva, fleur)
        if any("starts in 1 day" in m["content"] for m in fake.dm_messages(p["id"]))
    }
    assert reminded == {bram["id"], carla["id"], daan["id"], eva["id"], fleur["id"]}
    await discord_run.stop()
