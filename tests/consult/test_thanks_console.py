"""Thanks in plain words on the console: a mention with a thanks word, or a 🙏 reaction, is kudos."""

from __future__ import annotations

from tests.support import ConsoleRun, texts

SETUP = "join anna\njoin bob\njoin carla\njoin dirk\n"


def reactions(out: list[dict]) -> list[tuple[str, str]]:
    """(the text of the message Plein reacted to, the emoji)."""
    said = {a["ref"]: a["text"] for a in out if a["action"] == "message" and "ref" in a}
    return [(said.get(a["ref"], a["ref"]), a["emoji"]) for a in out if a["action"] == "react"]


async def test_thanks_in_a_message_is_kudos_confirmed_by_a_quiet_reaction(
    console: ConsoleRun,
) -> None:
    out = await console.run(
        SETUP
        + "bob: Wie helpt zaterdag bij de vogeltelling?\n"
        + "anna: Bedankt @bob en @carla voor het regelen!\n"
        + "bob: /me\n"
    )
    assert reactions(out) == [("Bedankt @bob en @carla voor het regelen!", "🌻")]
    me = texts(out, "dm", "bob")[-1]
    assert "Ontvangen kudos: 1" in me
    assert "@anna: bedankte je in een bericht" in me
    # No extra message: nobody got a DM or a post about it.
    assert not [t for t in texts(out, "dm", "carla") if "kudos" in t]


async def test_no_thanks_word_no_self_no_stranger_no_kudos(console: ConsoleRun) -> None:
    out = await console.run(
        SETUP
        + "anna: @bob zie je zaterdag, dankbaar dat het doorgaat\n"
        + "anna: Bedankt @anna, goed gedaan van mezelf\n"
        + "anna: thanks @nobody\n"
        + "bob: /me\n"
    )
    assert reactions(out) == []
    assert "Ontvangen kudos: 0" in texts(out, "dm", "bob")[-1]


async def test_quota_and_pair_cooldown_apply_silently(console: ConsoleRun) -> None:
    console.env["PLEIN_RECOGNITION__KUDOS_PER_DAY"] = "2"
    out = await console.run(
        SETUP
        + "anna: dank je @bob\n"
        + "anna: nog eens dank je @bob\n"
        + "anna: thanks @carla and @dirk\n"
        + "wait 1d\n"
        + "anna: dankjewel @dirk\n"
    )
    # 1: bob; 2: bob again within the cooldown (nothing); 3: carla (quota 2 reached, dirk not);
    # the next day dirk counts.
    assert reactions(out) == [
        ("dank je @bob", "🌻"),
        ("thanks @carla and @dirk", "🌻"),
        ("dankjewel @dirk", "🌻"),
    ]
    # anna also hosts: the health feature's nudge about an unanswered first post may reach her.
    dms = [
        t
        for t in texts(out, "dm", "anna")
        if not t.startswith("Welkom")
        and "wacht nog op antwoord" not in t
        and "wachten nog op antwoord" not in t
    ]
    assert dms == [], "a refusal is silent"


async def test_a_kudos_emoji_reaction_counts_once_per_pair(console: ConsoleRun) -> None:
    out = await console.run(
        SETUP
        + "bob: Ik heb de foto's van de excursie gedeeld\n"
        + "anna reacts 5 🙏\n"
        + "carla reacts 5 👍\n"
        + "bob reacts 5 🙏\n"
        + "anna reacts 5 🙏\n"
        + "bob: /me\n"
    )
    assert reactions(out) == [("Ik heb de foto's van de excursie gedeeld", "🌻")]
    assert "Ontvangen kudos: 1" in texts(out, "dm", "bob")[-1]
