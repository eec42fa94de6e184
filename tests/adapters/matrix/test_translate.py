"""Matrix events as Plein reads them, from the spec's own examples (tests/fixtures/matrix/)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from adapters.matrix import content as c
from adapters.matrix.api import retry_after_ms
from adapters.matrix.translate import Joined, Left, PollVoted, Reacted, Said, translate
from bot.actions import Choice

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "matrix"
ROOM = "!jEsUZKDJdhlrceRyVU:example.org"
BOT = "@plein:example.org"


def payload(name: str, **extra: Any) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    event.setdefault("event_id", "$event:example.org")
    event.setdefault("sender", "@bob:example.org")
    event.setdefault("type", "m.room.message")
    event.update(extra)
    return event


def test_a_join_is_a_join_and_a_new_display_name_is_not() -> None:
    join = payload("m.room.member.join.json")
    assert translate(ROOM, join, BOT) == Joined(ROOM, "@alice:example.org", "Alice Margatroid")
    renamed = copy.deepcopy(join)
    renamed["unsigned"]["prev_content"] = {"membership": "join", "displayname": "Alice"}
    assert translate(ROOM, renamed, BOT) is None
    rejoin = copy.deepcopy(join)
    rejoin["unsigned"]["prev_content"] = {"membership": "leave"}
    assert isinstance(translate(ROOM, rejoin, BOT), Joined)


def test_leaving_and_a_declined_invite() -> None:
    leave = payload("m.room.member.leave.json")
    assert translate(ROOM, leave, BOT) == Left(ROOM, "@alice:example.org", "alice")
    declined = copy.deepcopy(leave)
    declined["unsigned"]["prev_content"] = {"membership": "invite"}
    assert translate(ROOM, declined, BOT) is None


def test_plein_itself_joining_is_no_member_joining() -> None:
    join = payload("m.room.member.join.json", state_key=BOT, sender=BOT)
    assert translate(ROOM, join, BOT) is None


def test_messages_replies_and_threads() -> None:
    text = payload("m.room.message.text.json")
    said = translate(ROOM, text, BOT)
    assert isinstance(said, Said) and said.body == text["content"]["body"]
    reply = translate(ROOM, payload("m.room.message.reply.partial.json"), BOT)
    assert isinstance(reply, Said) and reply.reply_to == "$another_event"
    thread = translate(ROOM, payload("m.room.message.thread.partial.json"), BOT)
    assert isinstance(thread, Said) and thread.thread_root is not None
    assert thread.reply_to is None or thread.reply_to != thread.thread_root
    fallback = payload("m.room.message.text.json")
    fallback["content"]["m.relates_to"] = json.loads(
        (FIXTURES / "m.room.message.thread_fallback.relates_to.json").read_text()
    )["m.relates_to"]
    in_thread = translate(ROOM, fallback, BOT)
    assert isinstance(in_thread, Said) and in_thread.thread_root is not None
    assert in_thread.reply_to is None  # a thread's reply fallback is no reply


def test_an_edit_is_not_a_second_message() -> None:
    assert translate(ROOM, payload("m.room.message.edit.partial.json"), BOT) is None


def test_reactions_and_poll_responses_in_both_forms() -> None:
    reaction = translate(ROOM, payload("m.reaction.json"), BOT)
    assert reaction == Reacted(
        ROOM, "$143273582443PhrSn:example.org", "@example:example.org", "$some_event_id", "👍"
    )
    stable = translate(ROOM, payload("m.poll.response.msc3381.json"), BOT)
    assert isinstance(stable, PollVoted) and stable.selections == ("poutine",)
    unstable = translate(ROOM, payload("org.matrix.msc3381.poll.response.json"), BOT)
    assert isinstance(unstable, PollVoted) and unstable.selections == ("pizza",)


@pytest.mark.parametrize(
    "content",
    [
        {"m.relates_to": {"rel_type": "m.reference"}, "m.selections": ["a"]},
        {"m.relates_to": {"rel_type": "m.reference", "event_id": "$p"}, "m.selections": "a"},
        {"m.relates_to": {"rel_type": "m.reference", "event_id": "$p"}, "m.selections": [1]},
        "not an object",
        {"msgtype": "m.text", "body": 12},
    ],
)
def test_hostile_content_is_ignored(content: Any) -> None:
    for kind in ("m.poll.response", "m.room.message", "m.reaction"):
        event = {"type": kind, "event_id": "$e", "sender": "@eve:x", "content": content}
        assert translate(ROOM, event, BOT) is None


def test_poll_starts_read_in_both_forms() -> None:
    stable = payload("m.poll.start.msc3381.json")["content"]
    unstable = payload("org.matrix.msc3381.poll.start.json")["content"]
    assert c.poll_answers(stable) == ["pizza", "poutine", "italian", "wings"]
    assert c.poll_answers(unstable) == ["pizza", "poutine", "italian", "wings"]
    ours = c.poll_start("Which day?", "Which day?\n1. Mon", [Choice("poll:1:1", "Mon")])
    assert c.poll_answers(ours) == ["poll:1:1"]
    assert ours["m.mentions"] == {}


def test_member_text_is_escaped_and_only_meant_mentions_ping() -> None:
    content = c.text_content("hi @room", c.html_text("<b>@room</b>\nx"), ["@anna:x"])
    assert content["formatted_body"] == "&lt;b&gt;@room&lt;/b&gt;<br>x"
    assert content["m.mentions"] == {"user_ids": ["@anna:x"]}


@pytest.mark.parametrize(
    ("typed", "index"),
    [("1", 0), (" 2. ", 1), ("3)", 2), ("2️⃣", 1), ("4", None), ("0", None), ("yes", None)],
)
def test_numbered_picks(typed: str, index: int | None) -> None:
    assert c.picked_number(typed, 3) == index


def test_the_rate_limit_answer_gives_its_wait() -> None:
    answer = json.loads((FIXTURES / "error.m_limit_exceeded.json").read_text())
    assert retry_after_ms(answer) == 500
    assert retry_after_ms({"errcode": "M_LIMIT_EXCEEDED"}) == 5000
    assert retry_after_ms({"errcode": "M_FORBIDDEN"}) is None
