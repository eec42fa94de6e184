"""Join -> welcome DM (or the welcome channel when DMs are closed) -> rules button -> role;
the welcome questions as a modal; answers by DM."""

from __future__ import annotations

from tests.adapters.discord.harness import DiscordRun


def dm_posts(fake, user_id: str) -> list:  # noqa: ANN001
    channel = fake.dm_channel_of(user_id)
    return [c for c in fake.calls_to("POST", f"/channels/{channel}/messages") if c.status == 200]


async def test_join_gets_a_welcome_dm_with_buttons_and_the_rules_button_grants_the_role(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    await discord_run.start()
    anna = await fake.join("Anna")
    await discord_run.wait(lambda: dm_posts(fake, anna["id"]))
    (welcome,) = dm_posts(fake, anna["id"])
    assert f"<@{anna['id']}>" in welcome.json["content"]
    message_id = fake.dm_messages(anna["id"])[0]["id"]
    ids = [b["custom_id"] for b in fake.buttons(message_id)]
    assert "onboarding:accept" in ids

    click = await fake.click(anna["id"], message_id, "onboarding:accept")
    await discord_run.wait(lambda: fake.response_to(click))
    member_role = fake.role_id("Lid")
    puts = await discord_run.wait(
        lambda: fake.calls_to("PUT", f"/members/{anna['id']}/roles/{member_role}")
    )
    assert puts[0].status == 204
    assert fake.audit_reasons() == ["rules accepted"]
    assert member_role in fake.members[anna["id"]]["roles"]
    response = fake.response_to(click)
    assert response["type"] == 4 and response["data"]["content"]
    await discord_run.stop()


async def test_closed_dms_fall_back_to_the_welcome_channel(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    bram = fake.add_member("Bram")
    fake.closed_dms.add(bram["id"])
    del fake.members[bram["id"]]
    bram = await fake.join("Bram", usr=bram)
    welkom = fake.channel_id("welkom")
    posts = await discord_run.wait(lambda: fake.calls_to("POST", f"/channels/{welkom}/messages"))
    refused = [c for c in fake.calls if c.status == 403]
    assert refused, "the DM was tried first"
    assert posts[0].json["content"].startswith(f"<@{bram['id']}>")
    assert posts[0].json["components"], "the rules button comes along"
    await discord_run.stop()


async def test_welcome_questions_through_a_modal(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    cas = await fake.join("Cas")
    await discord_run.wait(lambda: fake.dm_messages(cas["id"]))
    message_id = fake.dm_messages(cas["id"])[0]["id"]
    click = await fake.click(cas["id"], message_id, "onboarding:form")
    modal = await discord_run.wait(lambda: fake.response_to(click))
    assert modal["type"] == 9, "the modal is the first response"
    form = modal["data"]
    assert len(form["components"]) >= 2
    submit = await fake.submit(
        cas["id"],
        form["custom_id"],
        {"woonplaats": "Utrecht", "interesse": ["Vogels"], "bijdrage": ["Tellingen"]},
        channel_id=fake.dm_channel_of(cas["id"]),
    )
    answer = await discord_run.wait(lambda: fake.response_to(submit))
    assert answer["type"] == 4
    assert answer["data"]["content"]
    await discord_run.stop()


async def test_answering_a_question_by_dm_asks_the_next(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    dirk = await fake.join("Dirk")
    await discord_run.wait(lambda: fake.dm_messages(dirk["id"]))
    await fake.dm(dirk["id"], "Amersfoort")
    await discord_run.wait(lambda: len(fake.dm_messages(dirk["id"])) >= 2)
    second = fake.dm_messages(dirk["id"])[1]
    assert "2/4" in second["content"]
    assert fake.buttons(second["id"]), "a choice question comes with buttons"
    await discord_run.stop()
