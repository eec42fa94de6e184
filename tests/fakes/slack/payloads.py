"""Slack request bodies for tests, built on the real documented payloads in
tests/fixtures/slack/ (see each .src.txt) with only ids and texts changed."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

from tests.fakes.slack.server import TEAM

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "slack"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def _event_id() -> str:
    return "Ev" + uuid.uuid4().hex[:10].upper()


def _envelope(name: str, event: dict[str, Any], event_id: str | None) -> dict[str, Any]:
    body = fixture(name)
    body["team_id"] = TEAM
    body["event"] = event
    body["event_id"] = event_id or _event_id()
    return body


def team_join(user: str, name: str, *, event_id: str | None = None) -> dict[str, Any]:
    body = fixture("team_join")
    account = body["event"]["user"]
    account.update(id=user, name=name.lower(), real_name=name, team_id=TEAM)
    account["profile"].update(display_name=name, real_name=name, team=TEAM)
    body["team_id"] = TEAM
    body["event_id"] = event_id or _event_id()
    return body


def member_joined_channel(
    user: str, channel: str, *, event_id: str | None = None
) -> dict[str, Any]:
    event = fixture("member_joined_channel")["event"]
    event.update(user=user, channel=channel, team=TEAM)
    return _envelope("member_joined_channel", event, event_id)


def message(
    user: str,
    channel: str,
    text: str,
    ts: str,
    *,
    thread_ts: str | None = None,
    channel_type: str = "channel",
    event_id: str | None = None,
) -> dict[str, Any]:
    name = "message.channels.thread_reply" if thread_ts else "message.channels"
    event = fixture(name)["event"]
    event.pop("blocks", None)
    event.update(
        user=user, channel=channel, text=text, ts=ts, event_ts=ts, channel_type=channel_type
    )
    if thread_ts:
        event["thread_ts"] = thread_ts
    return _envelope(name, event, event_id)


def reaction_added(
    user: str, channel: str, ts: str, reaction: str, item_user: str
) -> dict[str, Any]:
    event = fixture("reaction_added")["event"]
    event.update(user=user, reaction=reaction, item_user=item_user)
    event["item"].update(channel=channel, ts=ts)
    return _envelope("reaction_added", event, None)


def slash_command(
    user: str, name: str, channel: str, channel_name: str, text: str, response_url: str
) -> dict[str, str]:
    body = fixture("slash_command.parsed")
    body.update(
        team_id=TEAM,
        user_id=user,
        user_name=name.lower(),
        channel_id=channel,
        channel_name=channel_name,
        command="/plein",
        text=text,
        response_url=response_url,
        trigger_id=f"{uuid.uuid4().hex[:8]}.{user}.valid",
    )
    return body


def block_actions(
    user: str,
    name: str,
    channel: str,
    message_ts: str,
    button: dict[str, Any],
    response_url: str,
    *,
    trigger_valid: bool = True,
) -> dict[str, Any]:
    body = copy.deepcopy(fixture("block_actions.button"))
    body["user"].update(id=user, username=name.lower(), name=name.lower(), team_id=TEAM)
    body["container"].update(message_ts=message_ts, channel_id=channel, is_ephemeral=False)
    body["channel"].update(id=channel)
    body["team"]["id"] = TEAM
    body["trigger_id"] = f"{uuid.uuid4().hex[:8]}.{user}." + (
        "valid" if trigger_valid else "expired"
    )
    body["response_url"] = response_url
    action = body["actions"][0]
    action.update(action_id=button["action_id"], value=button["value"], text=button["text"])
    return body


def view_submission(
    user: str, name: str, view: dict[str, Any], answers: dict[str, str]
) -> dict[str, Any]:
    """Submit a modal the app opened with views.open; answers by block_id."""
    body = fixture("view_submission")
    body["user"].update(id=user, username=name.lower(), name=name.lower(), team_id=TEAM)
    body["trigger_id"] = f"{uuid.uuid4().hex[:8]}.{user}.valid"
    submitted = {
        **body["view"],
        **{k: view[k] for k in ("blocks", "callback_id", "private_metadata", "title")},
    }
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["block_id"] not in answers:
            continue
        element = block["element"]
        answer = answers[block["block_id"]]
        if element["type"] == "static_select":
            values[block["block_id"]] = {element["action_id"]: {"type": "static_select",
                "selected_option": {"text": {"type": "plain_text", "text": answer}, "value": answer}}}  # fmt: skip
        else:
            values[block["block_id"]] = {
                element["action_id"]: {"type": "plain_text_input", "value": answer}
            }
    submitted["state"] = {"values": values}
    body["view"] = submitted
    return body
