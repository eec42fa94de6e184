"""How polls and stellingen read: text bar charts, footers, summaries and CSV. Pure functions."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from bot.actions import Choice, Style
from bot.features.polls.ports import NamedVote, Poll, PollKind, Tally
from bot.i18n import Translator

BAR_WIDTH = 10
LABEL_WIDTH = 20
SCALE = 5
"""Stelling positions: 1 helemaal eens .. 5 helemaal oneens."""


def choice_id(poll_id: int, position: int) -> str:
    return f"poll:{poll_id}:{position}"


def parse_choice_id(ident: str) -> tuple[int, int] | None:
    parts = ident.split(":")
    if len(parts) != 3 or parts[0] != "poll":
        return None
    try:
        return int(parts[1]), int(parts[2])
    except ValueError:
        return None


def choices(poll: Poll) -> tuple[Choice, ...]:
    return tuple(
        Choice(choice_id(poll.id, o.position), o.label, Style.PRIMARY) for o in poll.options
    )


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def bar(share: int) -> str:
    filled = min(BAR_WIDTH, max(0, round(share * BAR_WIDTH / 100)))
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _clip(label: str, width: int) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def chart(poll: Poll, tally: Tally) -> list[str]:
    """`Ma   ████░░░░░░ 2 (40%)` per option; percentages are shares of the voters."""
    width = min(LABEL_WIDTH, max((len(o.label) for o in poll.options), default=0))
    lines = []
    for option in poll.options:
        count = tally.count(option.position)
        share = percent(count, tally.voters)
        label = _clip(option.label, width).ljust(width)
        lines.append(f"{label} {bar(share)} {count} ({share}%)")
    return lines


def title(t: Translator, poll: Poll, *, closed: bool = False) -> str:
    kind = "stelling" if poll.kind is PollKind.STELLING else "poll"
    state = "closed" if closed else "open"
    return t(f"polls.title.{kind}.{state}", id=poll.id, question=poll.question)


def footer(t: Translator, poll: Poll, tally: Tally) -> list[str]:
    parts = [t("polls.footer.voters", count=tally.voters)]
    if poll.kind is PollKind.POLL:
        if poll.single_choice:
            parts.append(t("polls.footer.single"))
        else:
            parts.append(t("polls.footer.multi", max=poll.max_choices))
    parts.append(t("polls.footer.anonymous" if poll.anonymous else "polls.footer.named"))
    parts.append(t("polls.footer.closes", when=t.datetime(poll.closes_at)))
    lines = [" · ".join(parts)]
    if poll.allow_add and len(poll.options) < 10:
        lines.append(t("polls.footer.add", id=poll.id))
    return lines


def open_message(t: Translator, poll: Poll, tally: Tally) -> str:
    lines = [title(t, poll)]
    if poll.kind is PollKind.STELLING:
        lines.append(t("polls.stelling.prompt"))
    if poll.live_results:
        lines += chart(poll, tally)
    else:
        lines += [f"{o.position}. {o.label}" for o in poll.options]
        lines.append(t("polls.footer.hidden"))
    lines += footer(t, poll, tally)
    return "\n".join(lines)


def closed_unanswered(t: Translator, poll: Poll) -> str:
    kind = "stelling" if poll.kind is PollKind.STELLING else "poll"
    return t(f"polls.closed_unanswered.{kind}", id=poll.id, question=poll.question)


def winners(poll: Poll, tally: Tally) -> list[str]:
    best = max((tally.count(o.position) for o in poll.options), default=0)
    if best == 0:
        return []
    return [o.label for o in poll.options if tally.count(o.position) == best]


def final_message(t: Translator, poll: Poll, tally: Tally) -> str:
    lines = [title(t, poll, closed=True), *chart(poll, tally)]
    lines.append(t("polls.footer.voters", count=tally.voters))
    top = winners(poll, tally)
    if not top:
        lines.append(t("polls.result.no_votes"))
    elif len(top) == 1:
        lines.append(t("polls.result.winner", option=top[0]))
    else:
        lines.append(t("polls.result.tie", options=", ".join(top)))
    return "\n".join(lines)


def leaning(tally: Tally) -> tuple[int, int, int]:
    """Share agreeing (1-2), neutral (3) and disagreeing (4-5) among the voters, in percent."""
    agree = tally.count(1) + tally.count(2)
    disagree = tally.count(4) + tally.count(5)
    return (
        percent(agree, tally.voters),
        percent(tally.count(3), tally.voters),
        percent(disagree, tally.voters),
    )


def average(tally: Tally) -> float | None:
    if not tally.voters:
        return None
    return sum(p * tally.count(p) for p in range(1, SCALE + 1)) / tally.voters


def stelling_summary(t: Translator, poll: Poll, tally: Tally, earlier: Tally | None = None) -> str:
    agree, neutral, disagree = leaning(tally)
    lines = [title(t, poll, closed=True), *chart(poll, tally)]
    lines.append(t("polls.stelling.leaning", agree=agree, neutral=neutral, disagree=disagree))
    lines.append(t("polls.footer.voters", count=tally.voters))
    lines.append(t("polls.stelling.replies", count=poll.reply_count))
    if earlier is not None:
        before, _, before_dis = leaning(earlier)
        lines.append(
            t(
                "polls.stelling.shift",
                agree_before=before,
                agree_after=agree,
                disagree_before=before_dis,
                disagree_after=disagree,
            )
        )
        then, now = average(earlier), average(tally)
        if then is not None and now is not None:
            moved = round(then - now, 1)
            size = abs(float(moved))
            shift = int(size) if size.is_integer() else size
            if moved:
                direction = "agree" if moved > 0 else "disagree"
                lines.append(
                    t(f"polls.stelling.moved_{direction}", points=t.number(shift), count=shift)
                )
            else:
                lines.append(t("polls.stelling.moved_none"))
    return "\n".join(lines)


def who_voted(poll: Poll, votes: Sequence[NamedVote], mention: Callable[[str], str]) -> list[str]:
    """Named polls only: `Ma: @anna, @bob` per option."""
    if poll.anonymous:
        return []
    lines = []
    for option in poll.options:
        names = [mention(v.member_id) for v in votes if v.position == option.position]
        if names:
            lines.append(f"{option.label}: {', '.join(names)}")
    return lines


def csv_export(
    poll: Poll,
    tally: Tally,
    votes: Sequence[NamedVote],
    names: dict[str, str],
) -> bytes:
    """Named polls: one row per vote with the member. Anonymous polls: only counts per option."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if poll.anonymous:
        writer.writerow(["poll", "question", "option", "votes", "voters"])
        for option in poll.options:
            writer.writerow(
                [poll.id, poll.question, option.label, tally.count(option.position), tally.voters]
            )
    else:
        writer.writerow(["poll", "question", "option", "member_id", "member", "voted_at"])
        for vote in votes:
            writer.writerow(
                [
                    poll.id,
                    poll.question,
                    poll.label(vote.position),
                    vote.member_id,
                    names.get(vote.member_id, ""),
                    vote.cast_at.isoformat(),
                ]
            )
    return buffer.getvalue().encode("utf-8")
