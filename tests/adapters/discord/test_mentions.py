"""Member text never pings on Discord: every message Plein sends (channel post, DM, interaction
response, follow-up, edit) carries `allowed_mentions` that allow only the members Plein itself
mentions, never @everyone, @here or a role; masked links from members are shown as text.

Read from the request bodies the real discord.py sent to the fake Discord.
"""

from __future__ import annotations

import re
from typing import Any

from adapters.discord.mentions import neutralise
from tests.adapters.discord.harness import DiscordRun
from tests.fakes.discord import FakeDiscord

ROLE = "112233445566778899"
TYPED = f"@everyone @here <@&{ROLE}> [the agenda](https://evil.example)"
"""What a member types (short enough for a story title)."""
SHORT = "@here [x](https://evil.example)"
"""Short enough for a poll option."""
LINK_SHOWN = r"\[the agenda\](https://evil.example)"
MASKED_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")


def bodies(fake: FakeDiscord) -> list[dict[str, Any]]:
    """Every message body Plein sent: REST messages, webhooks and interaction callbacks."""
    found = []
    for call in fake.calls:
        body = call.json if isinstance(call.json, dict) else {}
        if "/callback" in call.path:
            body = body.get("data") or {}
        if body.get("content"):
            found.append(body)
    return found


def assert_safe(fake: FakeDiscord, intended: set[str]) -> None:
    sent = bodies(fake)
    assert sent
    for body in sent:
        allowed = body.get("allowed_mentions")
        assert allowed is not None, body["content"]
        assert allowed["parse"] == [], allowed
        assert "roles" not in allowed, allowed
        assert {str(u) for u in allowed.get("users", [])} <= intended, (allowed, body["content"])
        assert not MASKED_LINK.search(body["content"]), body["content"]
        assert "@everyone" not in body["content"] and "@here" not in body["content"]


def carrying(fake: FakeDiscord, needle: str) -> list[dict[str, Any]]:
    return [b for b in bodies(fake) if needle in b["content"]]


async def test_poll_question_and_options(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    gijs, hanna = fake.add_member("Gijs"), fake.add_member("Hanna")
    asked = await fake.slash(
        gijs["id"], "/poll new", question=f"Welke dag? {TYPED}", option1=SHORT, option2="Zondag"
    )
    await discord_run.wait(lambda: fake.response_to(asked))
    poll = await discord_run.wait(
        lambda: next((m for m in fake.messages.values() if "Welke dag?" in m["content"]), None)
    )
    assert LINK_SHOWN in poll["content"]
    button = next(b for b in fake.buttons(poll["id"]) if b["label"] != "Zondag")
    clicked = await fake.click(hanna["id"], poll["id"], button["custom_id"])
    await discord_run.wait(lambda: fake.response_to(clicked))
    await discord_run.settle()
    await discord_run.wait(lambda: fake.calls_to("PATCH", f"/messages/{poll['id']}"))
    assert_safe(fake, set())
    await discord_run.stop()


async def test_stelling(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    jan = fake.add_member("Jan")
    asked = await fake.slash(jan["id"], "/stelling", statement=f"Honden {TYPED}")
    await discord_run.wait(lambda: fake.response_to(asked))
    await discord_run.wait(lambda: carrying(fake, "Honden"))
    assert LINK_SHOWN in carrying(fake, "Honden")[0]["content"]
    assert_safe(fake, set())
    await discord_run.stop()


async def test_kudos_allows_only_the_members_plein_mentions(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    kees, lot, piet = fake.add_member("Kees"), fake.add_member("Lot"), fake.add_member("Piet")
    given = await fake.slash(kees["id"], "/kudos", member=lot, reason=f"<@{piet['id']}> {TYPED}")
    await discord_run.wait(lambda: fake.response_to(given))
    await discord_run.wait(lambda: carrying(fake, "evil.example"))
    [told] = carrying(fake, "evil.example")
    assert LINK_SHOWN in told["content"]
    assert f"<@{piet['id']}>" in told["content"], "shown as typed, but Piet is not pinged"
    mentioned = [b for b in bodies(fake) if f"<@{lot['id']}>" in b["content"]]
    assert mentioned, "the receiver is mentioned on purpose"
    assert all(int(lot["id"]) in b["allowed_mentions"].get("users", []) for b in mentioned)
    assert_safe(fake, {kees["id"], lot["id"]})
    await discord_run.stop()


async def test_story_title_and_text(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    bob = fake.add_member("Bob")
    added = await fake.slash(bob["id"], "/story add", title=TYPED, text=f"Het begon {TYPED}")
    await discord_run.wait(lambda: fake.response_to(added))
    shown = await fake.slash(bob["id"], "/story random")
    await discord_run.wait(lambda: carrying(fake, "Het begon"))
    await discord_run.wait(lambda: fake.response_to(shown))
    assert LINK_SHOWN in carrying(fake, "Het begon")[0]["content"]
    assert_safe(fake, {bob["id"]})
    await discord_run.stop()


async def test_spotlight_quotes_a_nomination(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    boss = fake.add_member("Saar", roles=["Bestuur"])
    dave, eve = await fake.join("Dave"), await fake.join("Eve")
    # The example community requires the groundrules before anyone can be spotlighted.
    await discord_run.wait(lambda: fake.dm_messages(dave["id"]))
    accepted = await fake.click(
        dave["id"], fake.dm_messages(dave["id"])[0]["id"], "onboarding:accept"
    )
    await discord_run.wait(lambda: fake.response_to(accepted))
    for member in (dave, eve):
        await fake.say(member["id"], "algemeen", "goedemorgen")
    nominated = await fake.slash(eve["id"], "/spotlight nominate", member=dave, reason=TYPED)
    await discord_run.wait(lambda: fake.response_to(nominated))
    await discord_run.settle()
    now = await fake.slash(boss["id"], "/spotlight now")
    await discord_run.wait(lambda: fake.response_to(now))
    post = await discord_run.wait(lambda: carrying(fake, LINK_SHOWN))
    assert f"<@{dave['id']}>" in post[0]["content"]
    assert int(dave["id"]) in post[0]["allowed_mentions"]["users"]
    assert_safe(fake, {dave["id"], eve["id"]})
    await discord_run.stop()


def test_the_checks_find_a_masked_link() -> None:
    assert MASKED_LINK.search("see [the agenda](https://evil.example)")
    assert not MASKED_LINK.search(LINK_SHOWN)


def test_a_pre_escaped_link_is_escaped_again() -> None:
    """`\\[x\\](url)` typed by a member: its backslashes are escaped too, so no bracket is bare."""
    assert neutralise(r"\[x\](https://evil.example)") == r"\\\[x\\\](https://evil.example)"
    assert neutralise("plain [brackets] stay") == "plain [brackets] stay"
