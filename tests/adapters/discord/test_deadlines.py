"""Interactions answered within Discord's 3 s: a late answer is deferred, then followed up;
a modal that comes too late is offered behind a button; Membership Screening counts as rules
acceptance."""

from __future__ import annotations

from tests.adapters.discord.harness import DiscordRun


async def test_a_slow_answer_is_deferred_then_edited_in(discord_run: DiscordRun) -> None:
    discord_run.defer_after = 0  # every answer counts as late
    fake = discord_run.fake
    await discord_run.start()
    olga = fake.add_member("Olga")
    asked = await fake.slash(olga["id"], "/help")
    first = await discord_run.wait(lambda: fake.response_to(asked))
    assert first["type"] == 5 and first["data"]["flags"] & 64, "deferred, ephemeral thinking"
    edits = await discord_run.wait(
        lambda: fake.calls_to("PATCH", f"/webhooks/{fake.application_id}/token-{asked}")
    )
    assert "/help" in edits[0].json["content"]
    await discord_run.stop()


async def test_a_late_modal_is_offered_behind_a_button(discord_run: DiscordRun) -> None:
    discord_run.defer_after = 0
    fake = discord_run.fake
    await discord_run.start()
    piet = await fake.join("Piet")
    await discord_run.wait(lambda: fake.dm_messages(piet["id"]))
    welcome = fake.dm_messages(piet["id"])[0]
    click = await fake.click(piet["id"], welcome["id"], "onboarding:form")
    first = await discord_run.wait(lambda: fake.response_to(click))
    assert first["type"] == 6, "a click is deferred silently"
    followups = await discord_run.wait(
        lambda: fake.calls_to("POST", f"/webhooks/{fake.application_id}/token-{click}")
    )
    button = followups[0].json["components"][0]["components"][0]
    offered = next(m for m in fake.messages.values() if m["components"] and m is not welcome)
    reopen = await fake.click(piet["id"], offered["id"], button["custom_id"])
    modal = await discord_run.wait(lambda: fake.response_to(reopen))
    assert modal["type"] == 9
    await discord_run.stop()


async def test_passing_membership_screening_grants_the_member_role(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    await discord_run.start()
    rosa = await fake.join("Rosa", pending=True)
    await discord_run.wait(lambda: fake.dm_messages(rosa["id"]))
    await fake.accept_rules(rosa["id"])
    role = fake.role_id("Lid")
    await discord_run.wait(lambda: fake.calls_to("PUT", f"/members/{rosa['id']}/roles/{role}"))
    await discord_run.stop()
