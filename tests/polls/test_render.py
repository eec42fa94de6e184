from __future__ import annotations

from datetime import UTC, datetime

from bot.features.polls import render
from bot.features.polls.ports import Poll, PollKind, PollOption, Tally
from bot.i18n import Translator

NOW = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)


def poll(**kwargs: object) -> Poll:
    base: dict[str, object] = {
        "id": 3,
        "kind": PollKind.POLL,
        "question": "Welke dag?",
        "channel": "algemeen",
        "creator_id": "console:anna",
        "max_choices": 1,
        "anonymous": False,
        "live_results": True,
        "allow_add": False,
        "created_at": NOW,
        "closes_at": NOW.replace(day=25),
        "options": (PollOption(1, "Ma"), PollOption(2, "Dinsdag"), PollOption(3, "Wo")),
    }
    base.update(kwargs)
    return Poll(**base)  # type: ignore[arg-type]


def test_bars_are_shares_of_voters_with_aligned_labels() -> None:
    lines = render.chart(poll(), Tally({1: 8, 2: 12}, 20))
    assert lines == [
        "Ma      ████░░░░░░ 8 (40%)",
        "Dinsdag ██████░░░░ 12 (60%)",
        "Wo      ░░░░░░░░░░ 0 (0%)",
    ]


def test_choice_ids_encode_poll_and_option() -> None:
    assert [c.id for c in render.choices(poll())] == ["poll:3:1", "poll:3:2", "poll:3:3"]
    assert render.parse_choice_id("poll:3:2") == (3, 2)
    assert render.parse_choice_id("poll:x:2") is None
    assert render.parse_choice_id("welcome:3:2") is None


def test_open_message_footer_in_english_and_hidden_results() -> None:
    t = Translator("en")
    text = render.open_message(t, poll(max_choices=2, anonymous=True), Tally({}, 0))
    assert text.splitlines()[-1] == (
        "Voters: 0 · pick up to 2 · anonymous · closes Wed 25 Mar 08:00"
    )
    hidden = render.open_message(t, poll(live_results=False), Tally({1: 1}, 1))
    assert "█" not in hidden and "Results are shown when the poll closes." in hidden


def test_final_result_names_the_winner_or_the_tie() -> None:
    t = Translator("en")
    assert "Most votes: Dinsdag" in render.final_message(t, poll(), Tally({2: 2, 1: 1}, 3))
    assert "A tie between: Ma, Wo" in render.final_message(t, poll(), Tally({1: 1, 3: 1}, 2))
    assert "Nobody voted." in render.final_message(t, poll(), Tally({}, 0))


def test_csv_of_an_anonymous_poll_has_counts_only() -> None:
    data = render.csv_export(poll(anonymous=True), Tally({1: 2}, 2), [], {}).decode()
    assert data.splitlines() == [
        "poll,question,option,votes,voters",
        "3,Welke dag?,Ma,2,2",
        "3,Welke dag?,Dinsdag,0,2",
        "3,Welke dag?,Wo,0,2",
    ]
