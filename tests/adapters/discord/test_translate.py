"""The pure translation on the recorded real payloads (tests/fixtures/discord/)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from adapters.discord import translate
from adapters.discord.cli import PERMISSIONS, invite_url
from adapters.discord.commands import Route, build_commands, invoked_path
from bot.commands import CommandRegistry, CommandSpec, Option, OptionKind
from bot.config import example_text, parse_config
from bot.events import Member
from bot.i18n import Translator

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "discord"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


async def _noop(call):  # noqa: ANN001, ANN202
    return []


def lookups():  # noqa: ANN201
    nl, en = Translator("nl"), Translator("en")
    return (lambda k: nl(k) if nl.has(k) else None), (lambda k: en(k) if en.has(k) else None)


def registry() -> CommandRegistry:
    reg = CommandRegistry()
    reg.add(CommandSpec(path=("help",), handler=_noop))
    reg.add(
        CommandSpec(
            path=("poll",),
            handler=_noop,
            alias="new",
            options=(
                Option("question"),
                Option("option", variadic=True, min_count=2, max_count=4),
                Option("anonymous", OptionKind.BOOLEAN, required=False),
            ),
        )
    )
    reg.add(CommandSpec(path=("poll", "close"), handler=_noop, options=(Option("ref"),)))
    reg.add(
        CommandSpec(
            path=("points", "give"),
            handler=_noop,
            manager_only=True,
            options=(Option("member", OptionKind.MEMBER), Option("amount", OptionKind.INTEGER)),
        )
    )
    return reg


def test_ids_and_refs_stay_strings() -> None:
    assert translate.member_id("53908232506183680") == "discord:53908232506183680"
    assert translate.snowflake("<@!53908232506183680>") == 53908232506183680
    assert translate.snowflake("discord:1") == 1 and translate.snowflake("anna") is None
    assert translate.parse_ref(translate.message_ref(1, 2)) == (1, 2)
    assert translate.parse_ref("nonsense") is None


def test_commands_become_groups_with_aliases_numbered_options_and_localisations() -> None:
    nl, en = lookups()
    built = build_commands(registry().all(), nl, en)
    by_name = {c["name"]: c for c in built.payloads}
    assert set(by_name) == {"help", "poll", "points"}
    help_ = by_name["help"]
    assert help_["description_localizations"]["nl"] == Translator("nl")("cmd.help")
    assert help_["description_localizations"]["en-GB"] == Translator("en")("cmd.help")
    poll = by_name["poll"]
    subs = {o["name"]: o for o in poll["options"]}
    assert set(subs) == {"new", "close"} and all(o["type"] == 1 for o in subs.values())
    names = [(o["name"], o["required"]) for o in subs["new"]["options"]]
    assert names[:3] == [("question", True), ("option1", True), ("option2", True)]
    assert ("option4", False) in names and ("anonymous", False) in names
    assert by_name["points"]["default_member_permissions"] == "32"
    assert "default_member_permissions" not in poll
    assert built.routes[("poll", "new")].spec_path == ("poll",)
    give = {o["name"]: o for o in by_name["points"]["options"][0]["options"]}
    assert give["member"]["type"] == 6 and give["amount"]["type"] == 4


def test_slash_command_payload_options_are_typed() -> None:
    data = load("interaction_create.slash_command_options.json")["d"]["data"]
    path, leaves = invoked_path(data)
    names = {o["name"] for o in leaves}
    route = Route(path, {})
    values = translate.command_options(data, route)
    assert set(values) == names
    users = [v for v in values.values() if isinstance(v, Member)]
    for user in users:
        assert user.id.startswith("discord:")


def test_numbered_options_are_collected_in_order_and_users_resolved() -> None:
    data = {
        "name": "poll",
        "type": 1,
        "options": [
            {
                "name": "new",
                "type": 1,
                "options": [
                    {"name": "question", "type": 3, "value": "Welke dag?"},
                    {"name": "option2", "type": 3, "value": "Zondag"},
                    {"name": "option1", "type": 3, "value": "Zaterdag"},
                ],
            }
        ],
    }
    route = Route(("poll",), {"option1": "option", "option2": "option"})
    values = translate.command_options(data, route)
    assert values == {"question": "Welke dag?", "option": ["Zaterdag", "Zondag"]}


def test_modal_submit_both_shapes() -> None:
    legacy = load("interaction.modal_submit.action_row_legacy.json")["data"]
    assert translate.modal_values(legacy) == {"name": "John"}
    label = load("interaction.modal_submit.label.partial.json")["data"]
    assert translate.modal_values(label) == {
        "game_feedback": (
            "The recent changes to acceleration feel much better, but shadows still need help"
        )
    }


def test_button_click_becomes_a_choice_on_its_message() -> None:
    payload = load("interaction.button_click.json")
    actor = translate.member_from_payload(payload["member"]["user"], payload["member"])
    ref = translate.message_ref(payload["message"]["channel_id"], payload["message"]["id"])
    event = translate.choice_picked(int(payload["id"]), payload["data"], actor, "general", ref)
    assert event.choice_id == "click_one"
    assert event.message_ref == "345626669114982402/844397162624450620"
    assert event.event_id == "discord:interaction:846462639134605312"


def test_screening_pending_true_to_false_is_rules_acceptance() -> None:
    pending = load("guild_member_add.screening_pending.json")["d"]
    passed = load("guild_member_update.screening_passed.json")["d"]
    plain = load("guild_member_update.json")["d"]

    def obj(d: dict) -> SimpleNamespace:  # the attributes discord.Member exposes
        user = d["user"]
        return SimpleNamespace(
            id=int(user["id"]),
            display_name=d.get("nick") or user.get("global_name") or user["username"],
            bot=user.get("bot", False),
            pending=d.get("pending", False),
            flags=SimpleNamespace(did_rejoin=bool(d.get("flags", 0) & 1)),
        )

    joined = translate.member_joined(obj(pending))
    assert joined.pending_screening and not joined.platform_says_rejoin
    updated = translate.member_updated(obj(pending), obj(passed))
    assert updated is not None and updated.passed_screening
    assert translate.member_updated(obj(passed), obj(plain)) is None, "a nickname change"
    rejoined = translate.member_joined(obj({**pending, "flags": 1}))
    assert rejoined.platform_says_rejoin


def test_managers_by_role_name_role_id_or_listed_user() -> None:
    assert translate.is_manager("1", [], ["Bestuur"], [], ["bestuur"])
    assert translate.is_manager("1", ["99"], [], [], ["99"])
    assert translate.is_manager("1", [], [], ["discord:1"], [])
    assert not translate.is_manager("1", ["5"], ["Lid"], ["anna"], ["Bestuur"])


def test_a_listed_username_counts_only_when_discord_keeps_it_unique() -> None:
    """Usernames are unique since Discord's move away from discriminators ("0"); a legacy
    name#1234 is not, and a display name never is."""
    assert translate.is_manager("1", [], [], ["anna"], [], "Anna")
    assert not translate.is_manager("1", [], [], ["anna"], [], None)

    class User:
        def __init__(self, name: str, discriminator: str, global_name: str) -> None:
            self.name, self.discriminator, self.global_name = name, discriminator, global_name

    assert translate.unique_username(User("anna", "0", "Mallory")) == "anna"
    assert translate.unique_username(User("anna", "4821", "anna")) is None
    assert translate.unique_username(User("mallory", "0", "anna")) == "mallory"


def test_invite_url_has_exactly_the_scopes_and_permissions() -> None:
    config = parse_config(example_text(), "<test>", {})
    url = invite_url(config, client_id="123456789012345678")
    assert "scope=bot+applications.commands" in url and "client_id=123456789012345678" in url
    assert f"permissions={PERMISSIONS.value}" in url
    assert PERMISSIONS.manage_roles and PERMISSIONS.create_public_threads
    assert not PERMISSIONS.administrator and not PERMISSIONS.mention_everyone


def test_a_stale_command_still_reaches_the_core_for_a_friendly_answer() -> None:
    data = load("interaction.slash_command.docs.json")["data"]
    actor = translate.member_from_payload({"id": "1", "username": "x"})
    event = translate.command_invoked(5, data, actor, "algemeen", {})
    assert event.path == (data["name"],) and event.event_id == "discord:interaction:5"
