"""Managers are matched by Discord user id or unique username, never by display name: anyone may
set their display name to "anna", and the example community lists `managers = ["anna"]`.

Each test has an impostor whose display name (global_name) is "anna" but whose username is not,
and shows the manager right is refused at one place that used to compare display names: closing
a poll, cancelling an event, marking a story, and being left out of the spotlight."""

from __future__ import annotations

from typing import Any

from tests.adapters.discord.harness import DiscordRun
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord import payloads as p


def impostor(fake: FakeDiscord) -> dict[str, Any]:
    usr = p.user(fake.new_id(), "mallory")
    usr["global_name"] = "anna"  # the display name of the configured manager
    return fake.add_member("mallory", usr=usr)


async def reply_text(run: DiscordRun, asked: str) -> str:
    reply = await run.wait(lambda: run.fake.response_to(asked))
    assert reply["type"] == 4, "answered at once, not deferred"
    return str(reply["data"]["content"])


async def test_an_impostor_cannot_close_a_poll_the_manager_can(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    anna = fake.add_member("Anna")  # username "anna": the configured manager
    mallory = impostor(fake)
    gijs = fake.add_member("Gijs")
    asked = await fake.slash(
        gijs["id"], "/poll new", question="Welke dag?", option1="Zaterdag", option2="Zondag"
    )
    await discord_run.wait(lambda: fake.response_to(asked))
    refused = await reply_text(discord_run, await fake.slash(mallory["id"], "/poll close", ref="1"))
    assert "Alleen de maker van poll #1 of een beheerder" in refused
    closed = await reply_text(discord_run, await fake.slash(anna["id"], "/poll close", ref="1"))
    assert "Alleen de maker" not in closed
    await discord_run.stop()


async def test_an_impostor_cannot_cancel_an_event(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    fake.add_channel("agenda")
    boss = fake.add_member("Fien", roles=["Bestuur"])
    mallory = impostor(fake)
    await discord_run.start("2026-03-27T10:00:00+01:00")
    asked = await fake.slash(
        boss["id"], "/event create", title="Vogelwandeling", date="29-03-2026", time="14:00"
    )
    await discord_run.wait(lambda: fake.calls_to("POST", "/scheduled-events") or None)
    await discord_run.wait(lambda: fake.response_to(asked))
    refused = await reply_text(
        discord_run, await fake.slash(mallory["id"], "/event cancel", event=1)
    )
    assert "Alleen de organisatoren van Vogelwandeling en beheerders" in refused
    await discord_run.settle()
    assert not fake.calls_to("PATCH", "/scheduled-events/"), "the Discord event stays"
    await discord_run.stop()


async def test_an_impostors_story_mark_is_ignored(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    anna = fake.add_member("Anna")
    # a reaction carries no username: the manager is listed by id as well as by name
    discord_run.env["PLEIN_COMMUNITY__MANAGERS"] = f'["anna", "{anna["id"]}"]'
    await discord_run.start()
    mallory = impostor(fake)
    gijs = fake.add_member("Gijs")
    await fake.say(gijs["id"], "algemeen", "Wat een mooie wandeling was het gisteren")
    said = await discord_run.wait(
        lambda: next((m for m in fake.messages.values() if m["author"]["id"] == gijs["id"]), None)
    )
    await fake.react(mallory["id"], said["id"], "📖")
    await discord_run.settle()  # the impostor's mark is handled first
    await fake.react(anna["id"], said["id"], "📖")  # the real manager, after the impostor
    await discord_run.wait(lambda: fake.dm_messages(anna["id"]) or None)
    await discord_run.settle()
    assert not fake.dm_messages(mallory["id"]), "the impostor was not asked to write a story"
    assert "als verhaal gemarkeerd" in fake.dm_messages(anna["id"])[0]["content"]
    await discord_run.stop()


async def test_an_impostor_is_not_left_out_of_the_spotlight(discord_run: DiscordRun) -> None:
    """Spotlight leaves managers out; a member who merely calls themselves "anna" is not one."""
    fake = discord_run.fake
    await discord_run.start()
    boss = fake.add_member("Saar", roles=["Bestuur"])
    usr = p.user(fake.new_id(), "mallory")
    usr["global_name"] = "anna"
    mallory = await fake.join("mallory", usr=usr)
    eve = await fake.join("Eve")
    await discord_run.wait(lambda: fake.dm_messages(mallory["id"]))
    accepted = await fake.click(
        mallory["id"], fake.dm_messages(mallory["id"])[0]["id"], "onboarding:accept"
    )
    await discord_run.wait(lambda: fake.response_to(accepted))
    for member in (mallory, eve):
        await fake.say(member["id"], "algemeen", "goedemorgen")
    nominated = await fake.slash(eve["id"], "/spotlight nominate", member=mallory, reason="Helpt")
    await discord_run.wait(lambda: fake.response_to(nominated))
    await discord_run.settle()
    posted = await reply_text(discord_run, await fake.slash(boss["id"], "/spotlight now"))
    assert "De spotlight van deze week is geplaatst." in posted
    await discord_run.stop()
