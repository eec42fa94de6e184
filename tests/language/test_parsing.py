"""Issue 15: one parsing rule for every command, so Plein never posts a guess.

Unquoted free text takes the rest of the line; a question followed by its answers (/poll) runs
to the first word ending in `?`, and without one Plein answers privately with the usage and an
example. Quoted text is exactly one value; options after free text need their name.
"""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.command_words import CommandWords
from bot.commands import CommandRegistry, UsageError, parse_command_text
from bot.i18n import Translator
from tests.support import ConsoleRun, texts

MEMBERS = "join anna\njoin bob\njoin carla\n"


def posts(out: list[dict]) -> list[str]:
    return [a["text"] for a in out if a["action"] == "post"]


async def test_an_unquoted_question_runs_to_its_question_mark(console: ConsoleRun) -> None:
    out = await console.run(MEMBERS + "bob: /poll Welke dag wandelen we? zaterdag zondag\n")
    [poll] = [p for p in posts(out) if "Poll #1" in p]
    assert poll.startswith("📊 Poll #1: Welke dag wandelen we?\nzaterdag")
    assert "\nzondag" in poll and "\ndag " not in poll


async def test_a_question_without_an_end_gets_the_usage_privately(console: ConsoleRun) -> None:
    out = await console.run(MEMBERS + "bob: /poll Welke dag wandelen we zaterdag zondag\n")
    assert not [p for p in posts(out) if "Poll" in p]
    answer = texts(out, "dm", "bob")[-1]
    assert answer.startswith("Waar houdt de vraag op?")
    assert "Bijvoorbeeld: /poll Welke dag wandelen we? zaterdag zondag" in answer


async def test_a_statement_takes_the_rest_of_the_line(console: ConsoleRun) -> None:
    out = await console.run(
        MEMBERS
        + "bob: /stelling Honden horen aan de lijn\n"
        + "carla: /stelling Fietsen mag overal duur:2d\n"
        + 'anna: /stelling "Bomen zijn belangrijker dan parkeerplaatsen" 3d\n'
    )
    statements = [p.splitlines()[0] for p in posts(out) if p.startswith("💬")]
    assert statements == [
        "💬 Stelling #1: Honden horen aan de lijn",
        "💬 Stelling #2: Fietsen mag overal",
        "💬 Stelling #3: Bomen zijn belangrijker dan parkeerplaatsen",
    ]


async def test_kudos_reason_and_poll_add_keep_working(console: ConsoleRun) -> None:
    out = await console.run(
        MEMBERS
        + 'bob: /poll "Waar picknicken?" Park Bos allow_add:ja\n'
        + "carla: /poll add 1 Het strand\n"
        + "bob: /kudos @carla dank voor de wandeling\n"
    )
    assert "'Het strand' is toegevoegd aan poll #1." in texts(out, "dm", "carla")


# ---- property: never a one-word question cut from a sentence ---------------------------------


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> CommandRegistry:
    async def build() -> CommandRegistry:
        run = ConsoleRun(db_path=tmp_path_factory.mktemp("parsing") / "plein.db")
        plein, _, _ = await run.start()
        await plein.close()
        return plein.commands

    return asyncio.run(build())


WORDS = CommandWords(Translator("nl"))
word = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc"), blacklist_characters="'\"\\"),
    min_size=1,
    max_size=10,
)
sentence = st.lists(word, min_size=2, max_size=8)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    question=sentence,
    answers=st.lists(word, max_size=5),
    how=st.sampled_from(["/poll", "/poll new"]),
)
def test_no_poll_question_is_a_word_cut_from_a_sentence(
    registry: CommandRegistry, question: list[str], answers: list[str], how: str
) -> None:
    text = " ".join([how, *question, *answers])
    try:
        parsed = parse_command_text(text, registry, WORDS)
    except UsageError:
        return
    if parsed.path != ("poll",) or "question" not in parsed.options:
        return
    asked = parsed.options["question"]
    words = [w for w in text.split()[len(how.split()) :] if ":" not in w]
    # The question is the whole run of words up to a `?`, never the first word of a sentence
    # that goes on (unless that word itself ends the question).
    if asked == words[0]:
        assert asked.endswith("?") or len(words) == 1
    assert asked.endswith("?") or asked == " ".join(words)
