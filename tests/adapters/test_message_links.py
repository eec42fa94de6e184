"""MessageLinks (bot/host.py): which adapters can link to a message, and how, from Plein's refs.
Discord and Matrix build the URL from ids; Slack asks Slack (tests/adapters/slack/
test_nudge_link.py); the console has no links, so its nudge names channel and time only."""

from __future__ import annotations

from adapters.console import ConsoleAdapter
from adapters.discord.adapter import DiscordAdapter
from adapters.discord.links import message_link as discord_link
from adapters.matrix.adapter import MatrixAdapter
from adapters.matrix.ids import message_link as matrix_link
from adapters.slack.adapter import SlackAdapter
from bot.host import MessageLinks


def test_which_adapters_offer_links() -> None:
    for adapter in (DiscordAdapter, SlackAdapter, MatrixAdapter):
        assert issubclass(adapter, MessageLinks), adapter
    assert not issubclass(ConsoleAdapter, MessageLinks)


def test_discord_links_name_guild_channel_and_message() -> None:
    assert discord_link(111, "222/333") == "https://discord.com/channels/111/222/333"
    assert discord_link(None, "222/333") is None  # no guild known yet
    for hostile in ("", "222", "222/abc", "../333", "222/333?x=<@everyone>", "222/333/444"):
        assert discord_link(111, hostile) is None, hostile


def test_matrix_links_go_through_matrix_to() -> None:
    assert (
        matrix_link("!room:example.org|$Ab-9_x")
        == "https://matrix.to/#/!room:example.org/%24Ab-9_x"
    )
    assert matrix_link("!room:example.org|$ev/../x?y") == (
        "https://matrix.to/#/!room:example.org/%24ev%2F..%2Fx%3Fy"
    )
    for hostile in ("", "no-separator", "room|$ev", "!room:example.org|ev"):
        assert matrix_link(hostile) is None, hostile
