"""Member text is never Slack markup: what members type reaches Slack escaped (`& < >`), so
`<!channel>` or `<https://evil|label>` shows as text; only Plein's own mentions are markup.

Each test sends member text through the real bolt app and reads what Plein sent to the fake
Web API: every mrkdwn text (message `text` and section blocks) may contain only the `<...>`
tokens Plein itself means, and the member's text must be there, escaped.
"""

from __future__ import annotations

import re

from tests.adapters.slack.harness import ANNA, BERT, CAROL, SlackRun
from tests.fakes.slack import Call
from tests.fakes.slack import payloads as p

# As Slack delivers text a member typed: control characters escaped (`&lt;`), and what the
# client turned into markup (`@channel` -> `<!channel>`) raw. Plein unescapes both on the way in.
TYPED = (
    "&lt;!channel&gt; <!here> &lt;!everyone&gt; <!subteam^S0HACKERS> &lt;@UANNA001&gt; "
    "&lt;#C0BESTUUR&gt; &lt;https://evil.example|the agenda&gt; fish &amp; chips"
)
SEEN = (
    "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;!subteam^S0HACKERS&gt; &lt;@UANNA001&gt; "
    "&lt;#C0BESTUUR&gt; &lt;https://evil.example|the agenda&gt; fish &amp; chips"
)
"""The same text as Plein must send it: `&` of the typed `&amp;` and every `<`/`>` escaped."""
SHORT = "&lt;!channel&gt; &lt;https://evil.example|x&gt;"
SEEN_SHORT = SHORT
"""Short enough for a poll option or a story title."""
TOKEN = re.compile(r"<[^<>]*>")
SENDS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")


def mrkdwn_texts(call: Call) -> list[str]:
    texts = [str(call.args.get("text") or "")]
    for block in call.args.get("blocks") or []:
        text = block.get("text") or {}
        if text.get("type") == "mrkdwn":
            texts.append(text["text"])
    return texts


def sent(slack: SlackRun) -> list[Call]:
    return [c for method in SENDS for c in slack.fake.calls_to(method)]


def assert_only_intended_markup(slack: SlackRun, intended: set[str]) -> None:
    """No `<...>` token in anything Plein sent except the mentions it means."""
    for call in sent(slack):
        for text in mrkdwn_texts(call):
            unexpected = [t for t in TOKEN.findall(text) if t not in intended]
            assert unexpected == [], (call.method, text)


def carrying(slack: SlackRun, needle: str) -> list[Call]:
    return [c for c in sent(slack) if any(needle in t for t in mrkdwn_texts(c))]


async def test_poll_question_and_options(slack_http: SlackRun) -> None:
    slack = slack_http
    await slack.command(BERT, f'poll "Which day? {TYPED}" "{SHORT}" "&lt;!here&gt; Tuesday"')
    [poll] = [c for c in slack.posts("C0ALGEMEEN") if "Which day?" in c["text"]]
    assert SEEN in poll["text"]
    sections = [b for b in poll["blocks"] if b["type"] == "section"]
    assert any(SEEN in b["text"]["text"] for b in sections)
    labels = [b["text"] for b in poll.buttons()]
    assert all(label["type"] == "plain_text" for label in labels)
    assert labels[1]["text"] == "<!here> Tuesday", "a plain_text label is never parsed"
    await slack.command(CAROL, 'poll add 1 "&lt;!channel&gt; Sunday"')
    await slack.click(ANNA, poll, "poll:1:1")
    await slack.advance(minutes=2)
    assert slack.fake.calls_to("chat.update"), "the tally edit is checked too"
    assert_only_intended_markup(slack, set())


async def test_stelling(slack_http: SlackRun) -> None:
    slack = slack_http
    await slack.command(ANNA, f'stelling "Cats stay inside {TYPED}"')
    [stelling] = [c for c in slack.posts("C0ALGEMEEN") if "Cats stay inside" in c["text"]]
    assert SEEN in stelling["text"]
    assert_only_intended_markup(slack, set())


async def test_kudos_reason_keeps_the_intended_mentions(slack_http: SlackRun) -> None:
    slack = slack_http
    hook = await slack.command(CAROL, f'kudos <@{BERT}|bert> "{TYPED}"')
    [answer] = slack.answers(hook)
    assert f"<@{BERT}>" in answer, "Plein's own mention of the receiver stays a mention"
    [dm] = slack.dms(BERT)
    assert f"<@{CAROL}>" in dm["text"] and SEEN in dm["text"]
    assert_only_intended_markup(slack, {f"<@{BERT}>", f"<@{CAROL}>"})


async def test_story_title_and_text(slack_http: SlackRun) -> None:
    slack = slack_http
    await slack.command(BERT, f'story add title:"{SHORT}" text:"It began {TYPED}"')
    await slack.command(BERT, "story random")
    shown = carrying(slack, "It began")
    assert shown and SEEN in mrkdwn_texts(shown[0])[0]
    assert_only_intended_markup(slack, {f"<@{BERT}>"})


async def test_spotlight_quotes_a_nomination(slack_http: SlackRun) -> None:
    slack = slack_http
    for n, user in enumerate((BERT, CAROL)):
        await slack.event(p.team_join(user, user.title()))
        await slack.event(p.message(user, "C0ALGEMEEN", "good morning", f"1700000000.00000{n}"))
    await slack.command(CAROL, f'spotlight nominate <@{BERT}|bert> "{TYPED}"')
    await slack.command(ANNA, "spotlight now")
    [post] = [c for c in slack.posts() if SEEN in c["text"]]
    assert f"<@{BERT}>" in post["text"], "the spotlighted member is mentioned on purpose"
    assert_only_intended_markup(slack, {f"<@{BERT}>", f"<@{CAROL}>"})


async def test_display_names_are_text_too(slack_http: SlackRun) -> None:
    """A member's name is member text: `/top` lists names, and a name can be anything."""
    slack = slack_http
    slack.fake.add_user("UEVIL0009", "<!channel> Eve")
    await slack.event(p.message("UEVIL0009", "C0ALGEMEEN", "hi all", "1700000000.000001"))
    await slack.command(BERT, f"kudos <@UEVIL0009> {SEEN_SHORT}")
    await slack.command(BERT, "top")
    assert_only_intended_markup(slack, {"<@UEVIL0009>", f"<@{BERT}>"})


async def test_a_typed_marker_is_not_a_mention(slack_http: SlackRun) -> None:
    """Plein's mention markers carry a per-process nonce: one typed by a member stays text."""
    slack = slack_http
    assert slack.adapter is not None
    real = slack.adapter.mention(f"slack:{ANNA}")
    forged = real.replace(slack.adapter.out.markers.nonce, "0" * 16)
    await slack.command(BERT, f'stelling "Forged {forged} here"')
    [stelling] = [c for c in slack.posts("C0ALGEMEEN") if "Forged" in c["text"]]
    assert "<@" not in stelling["text"]
    assert_only_intended_markup(slack, set())


def test_the_check_finds_raw_markup() -> None:
    call = Call("chat.postMessage", {"text": "hi <!channel>", "blocks": []}, None)
    assert TOKEN.findall(mrkdwn_texts(call)[0]) == ["<!channel>"]
