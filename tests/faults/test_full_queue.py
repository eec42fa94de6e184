"""Slack HTTP mode with a full work queue: Plein never acknowledges what it will not get to.

The platform is slow (users.info stalls on the fake), so acknowledged events wait in the queue
(`slack.work_queue = 3`). Then: another event gets 503 and Retry-After (Slack delivers it again
later), a click gets 503 (Slack shows the member it did not go through), a slash command is
acked with a clear "busy" message for the member. None of those is stored in the inbox. Once the
platform answers, the queue drains, Slack's retry of the refused event is taken, and every
message is counted exactly once.
"""

from __future__ import annotations

import json
import sqlite3
import urllib.parse
from pathlib import Path

from tests.adapters.slack.harness import ANNA, BERT, SlackRun
from tests.fakes.slack import SIGNING_SECRET
from tests.fakes.slack import payloads as p
from tests.fakes.slack.signing import signed_headers

CHANNEL = "C0ALGEMEEN"
NEWCOMERS = {"UDAVE004": "Dave", "UEVE0005": "Eve", "UFINN006": "Finn", "UGWEN007": "Gwen"}


def signed(body: str, content_type: str, retry: int = 0) -> dict[str, str]:
    headers = signed_headers(SIGNING_SECRET, body, content_type=content_type)
    if retry:
        headers["X-Slack-Retry-Num"] = str(retry)
        headers["X-Slack-Retry-Reason"] = "http_error"
    return headers


def message_refs(db_file: Path) -> dict[str, int]:
    with sqlite3.connect(db_file) as db:
        return dict(
            db.execute(
                "SELECT ref, count(*) FROM contributions WHERE kind IN ('message', 'reply') "
                "GROUP BY ref"
            ).fetchall()
        )


def inbox_ids(db_file: Path) -> set[str]:
    with sqlite3.connect(db_file) as db:
        return {row[0] for row in db.execute("SELECT event_id FROM inbox")}


async def test_a_full_queue_acks_nothing_it_will_not_do(tmp_path: Path) -> None:
    run = SlackRun(tmp_path, mode="http", env={"PLEIN_SLACK__WORK_QUEUE": "3"})
    await run.start()
    for user, name in NEWCOMERS.items():  # joined after Plein's member sync: names unknown
        run.fake.add_user(user, name)
    try:
        assert run.adapter is not None
        db_file = tmp_path / "plein.db"
        # The community already talks: Anna and Bert posted before the slow spell.
        await run.event(p.message(ANNA, CHANNEL, "goedemorgen", "1711180000.000100"))
        await run.event(p.message(BERT, CHANNEL, "hallo allemaal", "1711180000.000200"))
        await run.command(ANNA, 'poll "Which day?" Monday Friday')
        [poll] = [c for c in run.posts(CHANNEL) if c.buttons()]

        run.fake.stalled.add("users.info")  # newcomers' names: the platform is slow to answer
        newcomer_events = []
        for n, user in enumerate(NEWCOMERS):
            ts = f"1711180100.{n:06d}"
            body = json.dumps(p.message(user, CHANNEL, f"hoi, ik ben nieuw {n}", ts))
            newcomer_events.append((f"{CHANNEL}/{ts}", body))

        statuses = []
        for _, body in newcomer_events[:3]:
            response = await run.post_raw(body.encode(), signed(body, "application/json"))
            statuses.append(response.status)
        assert statuses == [200, 200, 200]  # stored, acknowledged, waiting for the platform
        assert run.adapter.work.depth == 3

        refused_ref, refused_body = newcomer_events[3]
        refused = await run.post_raw(
            refused_body.encode(), signed(refused_body, "application/json")
        )
        assert refused.status == 503
        assert refused.headers.get("Retry-After") == "1"

        click = p.block_actions(
            BERT, "Bert", CHANNEL, run.ts_of(poll), poll.buttons()[0], run.fake.response_url("a")
        )
        click_form = urllib.parse.urlencode({"payload": json.dumps(click)})
        clicked = await run.post_raw(
            click_form.encode(), signed(click_form, "application/x-www-form-urlencoded")
        )
        assert clicked.status == 503

        command = p.slash_command(
            BERT, "Bert", CHANNEL, "algemeen", "me", run.fake.response_url("cmd")
        )
        command_form = urllib.parse.urlencode(command)
        assert run._http is not None
        async with run._http.post(
            run.events_url,
            data=command_form.encode(),
            headers=signed(command_form, "application/x-www-form-urlencoded"),
        ) as answered:
            assert answered.status == 200
            answer = await answered.text()
        assert "busy" in answer and "try again" in answer  # the member sees why, right away

        stored = inbox_ids(db_file)
        assert len([k for k in stored if k.startswith("slack.action:")]) == 0
        commands_stored = [k for k in stored if k.startswith("slack.command:")]
        assert len(commands_stored) == 1  # only the poll, from before the slow spell
        assert run.adapter.work.depth == 3
        assert run.adapter.work.refused == 3

        run.fake.unstall()
        await run.settle()
        assert run.adapter.work.depth == 0
        # Slack delivers the refused event again; now there is room.
        retried = await run.post_raw(
            refused_body.encode(), signed(refused_body, "application/json", retry=1)
        )
        assert retried.status == 200
        await run.settle()

        counts = message_refs(db_file)
        for ref, _ in newcomer_events:
            assert counts.get(ref) == 1, (ref, counts)
        assert counts[f"{CHANNEL}/1711180000.000100"] == 1
        assert refused_ref in counts
    finally:
        await run.stop()
