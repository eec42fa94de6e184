"""Level computation: points over the window plus the kinds each rung requires."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config.recognition import DEFAULT_LEVELS, RecognitionConfig, Rung
from bot.features.recognition.ladder import level_for, next_step
from bot.features.recognition.ports import KindStats


def stats(**kinds: tuple[int, int]) -> dict[str, KindStats]:
    return {kind: KindStats(count, points) for kind, (count, points) in kinds.items()}


def test_default_ladder_is_the_methods_five_rungs() -> None:
    assert [r.name for r in RecognitionConfig().levels] == [
        "Informeren",
        "Raadplegen",
        "Betrekken",
        "Samenwerken",
        "Aansturen",
    ]


def test_nothing_is_the_first_rung_and_a_little_is_the_second() -> None:
    assert level_for(DEFAULT_LEVELS, {}) == 0
    assert level_for(DEFAULT_LEVELS, stats(reaction_given=(5, 5))) == 1


def test_messages_alone_never_reach_samenwerken() -> None:
    chatty = stats(message=(900, 500), reply=(10, 20))
    assert level_for(DEFAULT_LEVELS, chatty) == 2  # Betrekken: points plus replies
    step = next_step(DEFAULT_LEVELS, chatty, 2)
    assert step is not None and step.rung.name == "Samenwerken"
    assert step.points_missing == 0 and step.count_missing == 5


def test_answers_and_hosting_climb_to_the_top() -> None:
    leader = stats(reply=(10, 20), prompt_answer=(10, 50), hosted=(3, 60), message=(300, 300))
    assert level_for(DEFAULT_LEVELS, leader) == 4
    assert next_step(DEFAULT_LEVELS, leader, 4) is None


def test_a_rung_counts_only_if_every_rung_below_holds() -> None:
    rungs = [
        Rung(name="a", points=0),
        Rung(name="b", points=10, requires_any=["vote"], requires_count=1),
        Rung(name="c", points=20),
    ]
    assert level_for(rungs, stats(message=(50, 50))) == 0
    assert level_for(rungs, stats(message=(50, 50), vote=(1, 2))) == 2


def test_adjustments_count_towards_points() -> None:
    assert level_for(DEFAULT_LEVELS, stats(adjustment=(1, 4), vote=(1, 2))) == 1


@pytest.mark.parametrize(
    "levels",
    [
        [],
        [{"name": "a", "points": 5}],
        [{"name": "a", "points": 0}, {"name": "b", "points": 0}],
        [{"name": "a", "points": 0}, {"name": "A", "points": 3}],
        [{"name": "a", "points": 0}, {"name": "b", "points": 3, "requires_count": 2}],
        [{"name": "a", "points": 0}, {"name": "b", "points": 3, "requires_any": ["typing"]}],
    ],
)
def test_bad_ladders_are_config_errors(levels: list[dict[str, object]]) -> None:
    with pytest.raises(ValidationError):
        RecognitionConfig(levels=levels)


def test_config_problems_name_the_key() -> None:
    from bot.config import example_text, parse_config
    from bot.features.recognition import config_problems
    from scheduler import CronMath

    # The schema already rejects minute 70 (in plain words); this check is the backstop behind it.
    valid = parse_config(example_text(), "<t>", {})
    config = valid.model_copy(
        update={"recognition": valid.recognition.model_copy(update={"daily_at": "70 3 * * *"})}
    )
    problems = config_problems(config, CronMath("Europe/Amsterdam"))
    assert problems and problems[0].startswith("recognition.daily_at:")
    assert config_problems(parse_config(example_text(), "<t>", {}), CronMath("UTC")) == []
