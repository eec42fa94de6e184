"""`type = "survey"` in the calendar: the occurrence opens a real survey once, in the prompt's
channel, across restarts; members answer; the close posts the distributions. And the config
check names file, line and key path in the community's language."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest

from bot.config.loader import ConfigError, parse_config
from tests.calendar.helpers import COMMUNITY, QUIET, START, config, posts
from tests.support import ConsoleRun, texts

PLAN = """
[calendar]
reminder_before = "24h"
repeat_gap = "0s"

[[calendar.slots]]
when = "wed 09:00"
theme = "Club"
channel = "plans"

[[calendar.themes]]
name = "Club"
hosts = ["anna", "bram"]
prompts = [
  { type = "question", text = "Which walk did you like best this winter?" },
  { type = "survey", text = "Our spring programme", duration = "5d", questions = [
      "poll: Which walk first? / Dunes / Forest",
      "stelling: We should meet every month",
      "What would you like to learn?",
  ] },
]
"""

HISTORY = "join anna\njoin bram\njoin carla\njoin dirk\ncarla: morning all!\nwait 3d"
"""Members who have been talking; on Wed 25 Mar the calendar posts its first (question) prompt."""


def plan_posts(out: list[dict]) -> list[dict]:
    """What Plein posts in the calendar's channel (the managers' channel has its own posts)."""
    return [p for p in posts(out) if p["channel"] == "plans"]


def survey_posts(out: list[dict]) -> list[dict]:
    """Survey invitations ('📋 Survey #1: title'), not the close's '📋 Survey #1 “title” ...'."""
    return [p for p in plan_posts(out) if re.match(r"📋 Survey #\d+: ", p["text"])]


async def test_a_survey_prompt_opens_once_is_answered_and_closes_with_distributions(
    console: ConsoleRun,
) -> None:
    console.config_text = config(PLAN)
    history = await console.run(HISTORY, START)
    [question] = plan_posts(history)
    assert "Which walk did you like best" in question["text"]
    assert not survey_posts(history)
    ref = question["ref"]
    # The next week's occurrence is the survey: opened once, announced in the slot's channel.
    out = await console.run(
        f"carla replies #{ref}: The dunes!\nwait 1d2h", "2026-03-31T08:00:00+02:00"
    )
    [invitation] = survey_posts(out)
    assert invitation["channel"] == "plans"
    assert invitation["text"].startswith("📋 Survey #1: Our spring programme\n3 questions")
    survey = invitation["ref"]
    # Restarted mid-way (same day, then the next): nothing is posted twice.
    again = await console.run(
        f"bram picks {survey} Answer\nbram dm: Dunes\nbram dm: 4\nbram dm: Birdsong\n"
        f"carla picks {survey} Answer\ncarla dm: Forest\ncarla dm: Agree\ncarla dm: -\n"
        "wait 1h",
        "2026-04-01T09:30:00+02:00",
    )
    assert not plan_posts(again)
    assert "your answers are saved" in texts(again, "dm", "bram")[-1]
    # After downtime: one reminder to the members who have not answered, then the close.
    later = await console.run("wait 4d", "2026-04-02T12:00:00+02:00")
    assert not survey_posts(later)
    reminded = sorted(
        a["member"] for a in later if a["action"] == "dm" and "A reminder: the survey" in a["text"]
    )
    assert reminded == ["anna", "dirk"]
    [closed] = [p["text"] for p in plan_posts(later) if "is closed" in p["text"]]
    assert closed.startswith("📋 Survey #1 “Our spring programme” is closed.")
    assert "2 responses" in closed
    assert "   Dunes: 1 (50%)" in closed and "   Forest: 1 (50%)" in closed
    assert "   Agree: 2 (100%)" in closed
    assert "Birdsong" not in closed  # written answers are for the managers only
    # The week after, the cycle goes on with the question; the survey is not opened again.
    after = await console.run("wait 7d", "2026-04-06T12:00:00+02:00")
    assert not survey_posts(after)
    assert [p["text"].split("\n")[2] for p in plan_posts(after)] == [
        "Which walk did you like best this winter?"
    ]


SURVEY = '{{ type = "survey", text = "Spring", questions = [{questions}] }}'


@pytest.mark.parametrize(
    ("language", "questions", "where", "message"),
    [
        ("en", '"What do you miss?"', "prompts[1]", "a survey needs 2 to 8 questions"),
        (
            "nl",
            '"Wat mis je?", "poll: Welke dag? / zaterdag"',
            "prompts[1].questions[2]",
            "een pollvraag heeft na de vraag 2 tot 10 antwoorden nodig",
        ),
        ("en", '"text:", "Why?"', "prompts[1].questions[1]", "this survey question has no text"),
        ("nl", ", ".join(['"Waarom?"'] * 9), "prompts[1]", "niet 9"),
    ],
)
def test_a_bad_survey_prompt_names_file_line_and_key_in_the_communitys_language(
    language: str, questions: str, where: str, message: str
) -> None:
    head = COMMUNITY.replace('language = "en"', f'language = "{language}"') + QUIET
    text = head + f'[[calendar.themes]]\nname = "Club"\nprompts = [\n  {SURVEY}\n]\n'.format(
        questions=questions
    )
    with pytest.raises(ConfigError) as info:
        parse_config(text, "club.toml", {})
    [line] = info.value.lines()
    assert line.startswith(f"club.toml:{head.count(chr(10)) + 4}: calendar.themes[1].{where}: ")
    assert message in line


def test_survey_keys_belong_to_a_survey_prompt() -> None:
    text = (
        COMMUNITY
        + '[[calendar.themes]]\nname = "Club"\nprompts = [\n  '
        + ('{ type = "question", text = "Why?", questions = ["a", "b"] }\n]\n')
    )
    with pytest.raises(ConfigError) as info:
        parse_config(text, "club.toml", {})
    assert "only belong to a survey, not to a question" in info.value.lines()[0]


ONLY_SURVEY = """
[calendar]
reminder_before = "0s"

[[calendar.slots]]
when = "wed 09:00"
theme = "Club"
channel = "plans"

[[calendar.themes]]
name = "Club"
hosts = ["anna", "bram"]
prompts = [
  { type = "survey", text = "Our spring programme", anonymous = true, questions = [
      "poll: Which walk first? / Dunes / Forest", "What would you like to learn?",
  ] },
]
"""


async def test_a_process_taking_over_a_dead_ones_survey_post_opens_no_second_survey(
    console: ConsoleRun,
) -> None:
    console.config_text = config(ONLY_SURVEY)
    first, adapter_a, out_a = await console.start(START)
    second, adapter_b, out_b = await console.start(START)
    adapter_a.host, adapter_b.host = first, second
    at = datetime.fromisoformat("2026-03-25T09:00:00+01:00")
    try:
        calendar_a, calendar_b = first.features["calendar"], second.features["calendar"]
        [slot] = calendar_a.slots
        # Process A claims the occurrence, opens its survey, and dies before recording the post.
        occurrence = await calendar_a._planned(slot, at)
        assert occurrence.prompt_type == "survey"
        assert await calendar_a.store.claim_post(occurrence.id, at)
        pick = calendar_a._pick_of(occurrence)
        await calendar_a.poster.publish(pick, "plans", occurrence.id, at)
        # Its lease runs out; process B takes the post over and finds the survey already open.
        await calendar_b.take_over(at + timedelta(minutes=5))
        await calendar_b.fire(slot, at)
        settled = await calendar_b.store.by_id(occurrence.id)
    finally:
        await first.db.close()
        await second.db.close()
    printed = [json.loads(line) for line in (out_a.getvalue() + out_b.getvalue()).splitlines()]
    assert len(survey_posts(printed)) == 1
    assert settled is not None and settled.status == "posted"
