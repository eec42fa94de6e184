"""The Gateway half (perform, mentions) against the fake Web API, without bolt."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.slack import SlackAdapter
from bot.actions import (
    DM_CLOSED,
    AddRole,
    Attachment,
    Choice,
    Form,
    FormField,
    OpenForm,
    PostMessage,
    React,
    Reply,
    SendDM,
    UpdateMessage,
)
from bot.gateway import Outbox
from tests.adapters.slack.harness import BERT, CHANNELS, NAMES
from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.support import config_from


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    for cid, name in CHANNELS.items():
        fake.add_channel(cid, name)
    for uid, name in NAMES.items():
        fake.add_user(uid, name)
    await fake.start()
    yield fake
    await fake.close()


def adapter_for(fake: FakeSlack, tmp_path: Path, **env: str) -> SlackAdapter:
    config = config_from(
        db_path=tmp_path / "plein.db",
        PLEIN_SLACK__BOT_TOKEN=BOT_TOKEN,
        PLEIN_SLACK__API_BASE_URL=fake.api_url,
        PLEIN_COMMUNITY__LANGUAGE="en",
        **env,
    )
    return SlackAdapter(config)


async def test_post_with_buttons_thread_and_open_thread(fake: FakeSlack, tmp_path: Path) -> None:
    adapter = adapter_for(fake, tmp_path)
    choices = (Choice("poll:1:1", "Ja"), Choice("poll:1:2", "Nee"))
    first = await adapter.perform(
        PostMessage(
            channel="algemeen", text="**Stelling**", choices=choices, open_thread="Praat mee"
        )
    )
    assert (
        first.ok and first.ref == f"C0ALGEMEEN/{fake.calls_to('chat.postMessage')[0].result['ts']}"
    )
    assert first.thread_ref == first.ref and first.channel == "algemeen"
    [call] = fake.calls_to("chat.postMessage")
    assert call["text"] == "*Stelling*"
    assert [b["value"] for b in call.buttons()] == ["poll:1:1", "poll:1:2"]
    reply = await adapter.perform(
        PostMessage(channel="algemeen", text="in thread", thread_of=first.ref)
    )
    assert fake.calls_to("chat.postMessage")[1]["thread_ts"] == first.ref.split("/")[1]
    assert reply.ok


async def test_unknown_channel_is_reported(fake: FakeSlack, tmp_path: Path) -> None:
    delivery = await adapter_for(fake, tmp_path).perform(PostMessage(channel="nergens", text="x"))
    assert not delivery.ok and delivery.reason == "unknown_channel"


async def test_configured_channel_ids_are_used(fake: FakeSlack, tmp_path: Path) -> None:
    fake.add_channel("G0PRIVATE", "geheim")
    adapter = adapter_for(fake, tmp_path, PLEIN_SLACK__CHANNELS='{"bestuur": "G0PRIVATE"}')
    assert (await adapter.perform(PostMessage(channel="bestuur", text="x"))).ok
    assert fake.calls_to("chat.postMessage")[0]["channel"] == "G0PRIVATE"
    assert fake.calls_to("conversations.list") == []
    # mention() hands out a marker; on the wire it is the channel link.
    link = adapter.channel_mention("bestuur")
    assert (await adapter.perform(PostMessage(channel="bestuur", text=link))).ok
    assert fake.calls_to("chat.postMessage")[-1]["text"] == "<#G0PRIVATE>"


async def test_dm_refused_falls_back_to_the_channel(fake: FakeSlack, tmp_path: Path) -> None:
    fake.dm_refused.add(BERT)
    adapter = adapter_for(fake, tmp_path)
    direct = await adapter.perform(SendDM(member=f"slack:{BERT}", text="hoi"))
    assert not direct.ok and direct.reason == DM_CLOSED
    delivery = await Outbox(adapter).send(
        SendDM(member=f"slack:{BERT}", text="hoi", fallback_channel="welkom")
    )
    assert delivery.ok and delivery.reason == "fell_back_to_channel"
    [post] = fake.calls_to("chat.postMessage")
    assert post["channel"] == "C0WELKOM" and post["text"].startswith(f"<@{BERT}>")


async def test_dm_channel_is_opened_once(fake: FakeSlack, tmp_path: Path) -> None:
    adapter = adapter_for(fake, tmp_path)
    for _ in range(3):
        assert (await adapter.perform(SendDM(member=f"slack:{BERT}", text="hoi"))).ok
    assert len(fake.calls_to("conversations.open")) == 1


async def test_files_go_through_upload_v2(fake: FakeSlack, tmp_path: Path) -> None:
    adapter = adapter_for(fake, tmp_path)
    chart = Attachment("week.png", b"\x89PNG fake chart", "Weekly report")
    delivery = await adapter.perform(PostMessage(channel="bestuur", text="Report", files=(chart,)))
    assert delivery.ok
    [get_url] = fake.calls_to("files.getUploadURLExternal")
    assert get_url["filename"] == "week.png" and int(get_url["length"]) == len(chart.data)
    [upload] = fake.calls_to("upload")
    assert upload["size"] == len(chart.data)
    [complete] = fake.calls_to("files.completeUploadExternal")
    assert complete["channel_id"] == "C0BESTUUR"
    assert complete["files"][0]["title"] == "Weekly report"


async def test_update_without_choices_keeps_buttons_after_restart(
    fake: FakeSlack, tmp_path: Path
) -> None:
    first = adapter_for(fake, tmp_path)
    posted = await first.perform(
        PostMessage(channel="algemeen", text="Poll", choices=(Choice("poll:1:1", "A"),))
    )
    assert posted.ref is not None
    restarted = adapter_for(fake, tmp_path)  # nothing in memory
    assert (await restarted.perform(UpdateMessage(ref=posted.ref, text="Poll: 1 vote"))).ok
    await restarted.idle()
    [update] = fake.calls_to("chat.update")
    assert [b["value"] for b in update.buttons()] == ["poll:1:1"]
    assert fake.calls_to("conversations.history")
    cleared = await restarted.perform(UpdateMessage(ref=posted.ref, text="Closed", choices=()))
    await restarted.idle()
    assert cleared.ok and fake.calls_to("chat.update")[-1].buttons() == []


async def test_react_roles_and_mentions(fake: FakeSlack, tmp_path: Path) -> None:
    adapter = adapter_for(fake, tmp_path)
    assert (await adapter.perform(React(ref="C0ALGEMEEN/1700000000.000001", emoji="🎉"))).ok
    [react] = fake.calls_to("reactions.add")
    assert react["name"] == "tada" and react["timestamp"] == "1700000000.000001"
    role = await adapter.perform(AddRole(member=f"slack:{BERT}", role="Lid"))
    assert role.ok and role.reason == "unsupported"
    # mention() hands out a marker; on the wire it is the mention.
    mention = adapter.mention(f"slack:{BERT}")
    assert (await adapter.perform(PostMessage(channel="algemeen", text=mention))).ok
    assert fake.calls_to("chat.postMessage")[-1]["text"] == f"<@{BERT}>"
    member = await adapter.resolve_member(f"<@{BERT}|bert>")
    assert member is not None and member.id == f"slack:{BERT}" and member.name == "Bert"
    assert await adapter.resolve_member("<@UNOBODY1>") is None
    assert await adapter.resolve_member("bert") is None


async def test_reply_to_unknown_interaction_and_form_without_trigger(
    fake: FakeSlack, tmp_path: Path
) -> None:
    adapter = adapter_for(fake, tmp_path)
    assert (await adapter.perform(Reply(interaction="nope", text="x"))).reason == (
        "unknown_interaction"
    )
    form = Form("onboarding:answers", "Welcome questions", (FormField("city", "City"),))
    delivery = await adapter.perform(
        OpenForm(interaction="nope", member=f"slack:{BERT}", form=form)
    )
    assert delivery.ok
    [offer] = fake.calls_to("chat.postMessage")
    assert offer["channel"] == f"D{BERT}"
    assert offer.buttons()[0]["action_id"].startswith("plein-open-form:")


async def test_public_reply_in_a_channel_plein_is_not_in(fake: FakeSlack, tmp_path: Path) -> None:
    from adapters.slack.translate import ReplyTarget

    adapter = adapter_for(fake, tmp_path)
    hook = fake.response_url()
    adapter.out.remember_target("trig", ReplyTarget(BERT, "G0NOTIN", hook, "trig"))
    delivery = await adapter.perform(Reply(interaction="trig", text="Poll #2", ephemeral=False))
    assert delivery.ok
    [answer] = fake.calls_to("response_url")
    assert answer["response_type"] == "in_channel" and answer["text"] == "Poll #2"
