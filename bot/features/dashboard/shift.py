"""The opinion shift between a stelling and its second round, for the polls page.

Always the aggregate Plein already posts in the channel when the second round closes (agree and
disagree shares before and after, the average move on the 5-point scale). When neither round is
anonymous, also how the members who answered both rounds moved: the share towards agreeing,
towards disagreeing and unchanged - counts only, never who. Anonymous rounds key their ballots with
a per-poll secret, so nobody can be followed from one round to the next.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.features.dashboard.ports import RoundsRow
from bot.features.polls.ports import Tally
from bot.features.polls.render import average, leaning, percent


@dataclass(frozen=True)
class Movement:
    both_rounds: int
    """Members who answered both rounds."""
    towards_agree: int
    towards_disagree: int
    unchanged: int
    """Shares of `both_rounds`, in percent."""


@dataclass(frozen=True)
class OpinionShift:
    first_round: int
    voters_before: int
    voters_after: int
    agree_before: int
    agree_after: int
    disagree_before: int
    disagree_after: int
    average_move: float | None
    """Scale points towards agreeing (negative: towards disagreeing); None without voters."""
    movement: Movement | None
    """None when a round is anonymous."""


def opinion_shift(rounds: RoundsRow) -> OpinionShift:
    before = Tally(dict(rounds.before), rounds.voters_before)
    after = Tally(dict(rounds.after), rounds.voters_after)
    agree_before, _, disagree_before = leaning(before)
    agree_after, _, disagree_after = leaning(after)
    then, now = average(before), average(after)
    move = round(then - now, 1) if then is not None and now is not None else None
    return OpinionShift(
        first_round=rounds.first_round,
        voters_before=rounds.voters_before,
        voters_after=rounds.voters_after,
        agree_before=agree_before,
        agree_after=agree_after,
        disagree_before=disagree_before,
        disagree_after=disagree_after,
        average_move=move,
        movement=_movement(rounds.moves) if rounds.moves is not None else None,
    )


def _movement(moves: dict[tuple[int, int], int]) -> Movement:
    """Position 1 is "strongly agree": a lower position in the second round is towards agreeing."""
    total = sum(moves.values())
    agree = sum(n for (first, second), n in moves.items() if second < first)
    disagree = sum(n for (first, second), n in moves.items() if second > first)
    return Movement(
        both_rounds=total,
        towards_agree=percent(agree, total),
        towards_disagree=percent(disagree, total),
        unchanged=percent(total - agree - disagree, total),
    )
