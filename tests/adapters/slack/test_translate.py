"""The pure translation, on the real documented payloads in tests/fixtures/slack/."""

from __future__ import annotations

from adapters.slack.translate import (
    Context,
    OpenFormClicked,
    SlashCommand,
    parse_member_token,
    split_ref,
    translate_action,
    translate_command,
    translate_event,
    translate_view_submission,
    view_values,
)
from bot.events import (
    ChoicePicked,
    DirectMessage,
    FormSubmitted,
    MemberJoined,
    MessagePosted,
    ReactionAdded,
)
from tests.fakes.slack.payloads import fixture

CTX = Context(bot_user_id="W23456789", channel_names={"C111": "algemeen"})


def test_team_join_is_a_member_joined_with_display_name() -> None:
    event = translate_event(fixture("team_join"), CTX)
    assert isinstance(event, MemberJoined)
    assert event.member.id == "slack:W012A3CDE"
    assert event.member.name == "spengler"
    assert event.event_id == "Ev123ABC456"
    assert not event.member.is_bot


def test_team_join_ignored_when_joining_means_the_channel() -> None:
    ctx = Context(join_event="member_joined_channel", community_channel_id="C111")
    assert translate_event(fixture("team_join"), ctx) is None


def test_member_joined_channel_counts_only_for_the_community_channel() -> None:
    body = fixture("member_joined_channel")
    ctx = Context(join_event="member_joined_channel", community_channel_id="C111")
    event = translate_event(body, ctx)
    assert isinstance(event, MemberJoined) and event.member.id == "slack:U999"
    other = Context(join_event="member_joined_channel", community_channel_id="C999")
    assert translate_event(body, other) is None
    assert translate_event(body, CTX) is None  # default: team_join means joining


def test_our_own_bot_joining_is_ignored() -> None:
    ctx = Context(
        bot_user_id="W23456789", join_event="member_joined_channel", community_channel_id="C111"
    )
    assert translate_event(fixture("member_joined_channel.self_bot"), ctx) is None


def test_channel_join_message_is_not_a_second_greeting_nor_activity() -> None:
    assert translate_event(fixture("message.channel_join"), CTX) is None


def test_channel_message_carries_length_and_channel_name_only() -> None:
    event = translate_event(fixture("message.channels"), Context())
    assert isinstance(event, MessagePosted)
    assert event.length == len("dgsfklsdgf")
    assert event.message_ref == "C043YJGBY49/1663966382.046509"
    assert event.thread_of is None
    named = translate_event(
        fixture("message.channels"), Context(channel_names={"C043YJGBY49": "x"})
    )
    assert isinstance(named, MessagePosted) and named.channel == "x"


def test_thread_reply_and_broadcast_point_at_the_thread_root() -> None:
    reply = translate_event(fixture("message.channels.thread_reply"), CTX)
    assert isinstance(reply, MessagePosted)
    assert reply.thread_of == "C111/1726133698.626339"
    assert reply.channel == "algemeen"
    broadcast = translate_event(fixture("message.thread_broadcast"), CTX)
    assert isinstance(broadcast, MessagePosted)
    assert broadcast.thread_of == "C111/1633663824.000500"


def test_bot_messages_are_ignored() -> None:
    assert translate_event(fixture("message.channels.thread_reply_from_bot"), CTX) is None


def test_ts_stays_a_string() -> None:
    body = fixture("message.channels")
    body["event"]["ts"] = "1663966382.046500"
    event = translate_event(body, Context())
    assert isinstance(event, MessagePosted)
    assert split_ref(event.message_ref) == ("C043YJGBY49", "1663966382.046500")


def test_direct_message_keeps_text() -> None:
    body = fixture("message.channels")
    body["event"].update(channel="D0123", channel_type="im", text="Utrecht &amp; omgeving")
    event = translate_event(body, Context())
    assert isinstance(event, DirectMessage)
    assert event.text == "Utrecht & omgeving"


def test_reaction_added() -> None:
    event = translate_event(fixture("reaction_added"), Context(channel_names={"C111": "algemeen"}))
    assert isinstance(event, ReactionAdded)
    assert event.message_ref == "C111/1599529504.000400"
    assert event.emoji == ":heart_eyes:"
    assert event.message_author == "slack:W111"
    assert event.channel == "algemeen"
    body = fixture("reaction_added")
    body["event"]["reaction"] = "tada"
    tada = translate_event(body, Context())
    assert isinstance(tada, ReactionAdded) and tada.emoji == "🎉"


def test_socket_mode_envelope_payload_translates_like_http() -> None:
    envelope = fixture("socket_mode.events_api_envelope")
    event = translate_event(envelope["payload"], Context(bot_user_id="UOTHER"))
    assert isinstance(event, MessagePosted) and event.event_id == "Ev111"


def test_slash_command_form() -> None:
    ctx = Context(channel_names={"C111": "algemeen"}, managers=frozenset({"W111"}))
    incoming = translate_command(fixture("slash_command.parsed"), ctx)
    command = incoming.event
    assert isinstance(command, SlashCommand)
    assert command.text == "Hi"
    assert command.actor.id == "slack:W111" and command.actor.is_manager
    assert command.interaction.channel == "algemeen"
    assert incoming.target is not None
    assert incoming.target.response_url == "https://hooks.slack.com/commands/T111/111/xxxxx"


def test_slash_command_curly_quotes_become_straight() -> None:
    body = fixture("slash_command.parsed")
    body["text"] = "poll \u201cWhich day?\u201d Mon Tue"
    command = translate_command(body, Context()).event
    assert isinstance(command, SlashCommand) and command.text == 'poll "Which day?" Mon Tue'


def test_block_actions_button_is_a_choice() -> None:
    incoming = translate_action(fixture("block_actions.button"), CTX)
    picked = incoming.event
    assert isinstance(picked, ChoicePicked)
    assert picked.choice_id == "click_me_123"
    assert picked.message_ref == "C111/111.222"
    assert picked.interaction.id == "111.222.valid"
    assert incoming.target is not None and incoming.target.trigger_id == "111.222.valid"


def test_open_form_button_is_recognised() -> None:
    body = fixture("block_actions.button")
    body["actions"][0].update(action_id="plein-open-form:abc", value="plein-open-form:abc")
    assert isinstance(translate_action(body, CTX).event, OpenFormClicked)


def test_view_submission_is_a_form() -> None:
    incoming = translate_view_submission(fixture("view_submission"), CTX)
    form = incoming.event
    assert isinstance(form, FormSubmitted)
    assert form.form_id == "view-id"
    assert dict(form.values) == {"hspI": "test"}


def test_select_values_are_read() -> None:
    view = {"state": {"values": {"q": {"value": {"type": "static_select",
            "selected_option": {"value": "Vogels"}}}}}}  # fmt: skip
    assert view_values(view) == {"q": "Vogels"}


def test_member_tokens() -> None:
    assert parse_member_token("<@U123ABC|anna>") == ("U123ABC", "anna")
    assert parse_member_token("<@W123ABC>") == ("W123ABC", None)
    assert parse_member_token("slack:U123ABC") == ("U123ABC", None)
    assert parse_member_token("anna") is None
