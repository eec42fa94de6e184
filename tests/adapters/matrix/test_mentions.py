"""Whom a Matrix message mentions, from the spec's own examples (tests/fixtures/matrix/) and from
what older clients, bridges and hostile senders put in `formatted_body`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adapters.matrix.mentions import MAX_MENTIONS, mentioned_users, user_of_link
from adapters.matrix.translate import Said, translate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "matrix"
ROOM = "!jEsUZKDJdhlrceRyVU:example.org"
BOT = "@plein:example.org"
HTML = "org.matrix.custom.html"


def fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return loaded


def message(content: dict[str, Any], sender: str = "@bob:example.org") -> dict[str, Any]:
    return {"type": "m.room.message", "event_id": "$e:example.org", "sender": sender,
            "content": content}  # fmt: skip


def pills(html: str, body: str = "bedankt") -> dict[str, Any]:
    return {"msgtype": "m.text", "body": body, "format": HTML, "formatted_body": html}


def test_the_spec_example_mentions_alice_once() -> None:
    """m.mentions and the pill in formatted_body name the same member: once."""
    content = fixture("m.room.message.mentions.content.json")
    said = translate(ROOM, message(content), BOT)
    assert isinstance(said, Said)
    assert said.mentions == ("@alice:example.org",)
    assert said.body == "Hello Alice!"


def test_a_reply_mentions_whom_its_client_listed() -> None:
    said = translate(ROOM, message(fixture("m.room.message.reply.partial.json")["content"]), BOT)
    assert isinstance(said, Said) and said.mentions == ("@alice:example.org",)


def test_an_edit_that_adds_a_mention_is_no_new_message() -> None:
    edit = message(fixture("m.room.message.edit_with_mentions.partial.json")["content"])
    assert translate(ROOM, edit, BOT) is None


def test_a_message_without_mentions_mentions_no_one() -> None:
    said = translate(ROOM, fixture("m.room.message.text.json"), BOT)
    assert isinstance(said, Said) and said.mentions == ()


def test_pills_of_older_clients_count_in_order_of_mention() -> None:
    html = (
        'Dank je <a href="https://matrix.to/#/@carol:example.org">Carol</a> en '
        '<a href="https://matrix.to/#/%40dirk%3Aexample.org?via=example.org">Dirk</a> en '
        "<a href='matrix:u/erik:example.org?action=chat'>Erik</a>"
    )
    assert mentioned_users(pills(html), BOT) == (
        "@carol:example.org",
        "@dirk:example.org",
        "@erik:example.org",
    )


def test_the_reply_fallback_rooms_events_plein_and_the_sender_are_no_mentions() -> None:
    html = (
        "<mx-reply><blockquote>In reply to "
        '<a href="https://matrix.to/#/@alice:example.org">@alice</a> hoi</blockquote></mx-reply>'
        '<a href="https://matrix.to/#/#algemeen:example.org">#algemeen</a> '
        '<a href="https://matrix.to/#/!room:example.org/$event:example.org">a message</a> '
        f'<a href="https://matrix.to/#/{BOT}">Plein</a> '
        '<a href="https://matrix.to/#/@bob:example.org">me</a> bedankt'
    )
    content = {**pills(html), "m.mentions": {"user_ids": [BOT], "room": True}}
    said = translate(ROOM, message(content), BOT)
    assert isinstance(said, Said) and said.mentions == ()


@pytest.mark.parametrize(
    "content",
    [
        {"msgtype": "m.text", "body": "x", "m.mentions": {"user_ids": "@anna:example.org"}},
        {"msgtype": "m.text", "body": "x", "m.mentions": {"user_ids": [1, None, {"a": 1}]}},
        {"msgtype": "m.text", "body": "x", "m.mentions": ["@anna:example.org"]},
        {"msgtype": "m.text", "body": "x", "m.mentions": {"user_ids": ["anna", "@anna", "@ a:b"]}},
        {"msgtype": "m.text", "body": "x", "formatted_body": 7, "format": HTML},
        # without the HTML format, formatted_body is not HTML: no pills in it
        {
            "msgtype": "m.text",
            "body": "x",
            "formatted_body": '<a href="https://matrix.to/#/@anna:example.org">a</a>',
        },  # fmt: skip
        pills('<a href="javascript:alert(1)">@anna:example.org</a><a>no href</a><a href>'),
        pills('<a href="https://evil.example/#/@anna:example.org">anna</a>'),
        pills("<a href='https://matrix.to/#/@" + "a" * 300 + ":example.org'>long</a>"),
        pills("<b>unclosed <a href='https://matrix.to/#/"),
    ],
)
def test_hostile_or_malformed_mentions_name_no_one(content: dict[str, Any]) -> None:
    said = translate(ROOM, message(content), BOT)
    assert isinstance(said, Said) and said.mentions == ()


def test_a_flood_of_mentions_is_cut_short() -> None:
    html = "".join(f'<a href="https://matrix.to/#/@m{i}:example.org">m</a>' for i in range(5000))
    listed = [f"@n{i}:example.org" for i in range(5000)]
    found = mentioned_users({**pills(html), "m.mentions": {"user_ids": listed}}, BOT)
    assert len(found) == MAX_MENTIONS
    assert found[0] == "@n0:example.org"


def test_links_to_users_rooms_and_elsewhere() -> None:
    assert user_of_link("https://matrix.to/#/@anna:example.org") == "@anna:example.org"
    assert user_of_link("https://matrix.to/#/@anna:example.org/$event") == "@anna:example.org"
    assert user_of_link("matrix:u/anna:example.org") == "@anna:example.org"
    assert user_of_link("matrix:r/algemeen:example.org") is None
    assert user_of_link("https://matrix.to/#/#algemeen:example.org") is None
    assert user_of_link("https://example.org/@anna:example.org") is None
