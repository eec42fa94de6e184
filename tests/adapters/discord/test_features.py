"""Slash commands and buttons end to end: manager gating, polls, stellingen, kudos, /me."""

from __future__ import annotations

from tests.adapters.discord.harness import DiscordRun


def command(fake, name: str) -> dict:  # noqa: ANN001
    return next(c for c in fake.commands if c["name"] == name)


async def test_manager_command_is_hidden_and_refused_for_a_member(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    assert command(fake, "participation")["default_member_permissions"] == "32"
    assert "default_member_permissions" not in command(fake, "kudos")
    eva = fake.add_member("Eva")
    asked = await fake.slash(eva["id"], "/participation")
    reply = await discord_run.wait(lambda: fake.response_to(asked))
    assert reply["type"] == 4
    assert reply["data"]["flags"] & 64, "ephemeral"
    assert "/participation" in reply["data"]["content"]
    assert "beheerders" in reply["data"]["content"]

    boss = fake.add_member("Fien", roles=["Bestuur"])
    asked = await fake.slash(boss["id"], "/participation")
    reply = await discord_run.wait(lambda: fake.response_to(asked))
    assert "beheerders" not in reply["data"]["content"]
    await discord_run.stop()


async def test_poll_buttons_and_tallies(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    voters = [fake.add_member(name) for name in ("Gijs", "Hanna", "Ilse")]
    asked = await fake.slash(
        voters[0]["id"], "/poll new", question="Welke dag?", option1="Zaterdag", option2="Zondag"
    )
    await discord_run.wait(lambda: fake.response_to(asked))
    algemeen = fake.channel_id("algemeen")
    poll = await discord_run.wait(
        lambda: next(
            (
                m
                for m in fake.messages.values()
                if m["channel_id"] == algemeen and "Welke dag?" in m["content"] and m["components"]
            ),
            None,
        )
    )
    buttons = fake.buttons(poll["id"])
    saturday = next(b for b in buttons if b["label"] == "Zaterdag")
    for voter in voters:
        clicked = await fake.click(voter["id"], poll["id"], saturday["custom_id"])
        await discord_run.wait(lambda clicked=clicked: fake.response_to(clicked))
    # The scheduler loop edits the tally as soon as a vote lands; the next edit waits the
    # poll's edit_interval, so let simulated time work that queue off.
    await discord_run.drain()
    await discord_run.wait(lambda: fake.calls_to("PATCH", f"/messages/{poll['id']}"))
    await discord_run.wait(lambda: "3" in fake.messages[poll["id"]]["content"])
    assert fake.buttons(poll["id"]), "the buttons stay on the edited message"
    await discord_run.stop()


async def test_stelling_opens_a_thread(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    jan = fake.add_member("Jan")
    asked = await fake.slash(jan["id"], "/stelling", statement="Honden horen aan de lijn")
    await discord_run.wait(lambda: fake.response_to(asked))
    threads = await discord_run.wait(lambda: fake.calls_to("POST", "/threads"))
    root = threads[0].path.split("/")[4]
    assert "Honden" in fake.messages[root]["content"]
    assert fake.channels[root]["type"] == 11
    await discord_run.stop()


async def test_kudos_and_me(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    kees, lot = fake.add_member("Kees"), fake.add_member("Lot")
    given = await fake.slash(kees["id"], "/kudos", member=lot, reason="de mooie excursie")
    reply = await discord_run.wait(lambda: fake.response_to(given))
    assert reply["type"] == 4
    seen = [m["content"] for m in fake.messages.values()]
    assert any(f"<@{lot['id']}>" in text for text in seen)
    posted = await fake.say(lot["id"], "algemeen", "Wat een mooie dag voor een excursie!")
    assert posted["content"] == "", "without the content intent Discord sends no text"
    await fake.react(kees["id"], posted["id"], "👍")
    me = await fake.slash(lot["id"], "/me")
    reply = await discord_run.wait(lambda: fake.response_to(me))
    assert reply["type"] == 4 and reply["data"]["flags"] & 64
    assert reply["data"]["content"]
    await discord_run.stop()


async def test_report_chart_is_uploaded_as_a_file(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    boss = fake.add_member("Saar", roles=["Bestuur"])
    asked = await fake.slash(boss["id"], "/report show")
    await discord_run.wait(lambda: fake.response_to(asked))
    uploads = await discord_run.wait(
        lambda: [c for c in fake.calls if any(f.endswith(".png") for f in c.files)]
    )
    assert uploads[0].status == 200
    await discord_run.stop()
