"""The spotlight post: who they are, what they did, what others said - in the catalog's words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.features.report.facts import KudosRow
from bot.features.spotlight.ports import Nomination
from bot.i18n import Translator

KIND_ORDER = (
    "reply",
    "prompt_answer",
    "hosted",
    "attended",
    "event_attended",
    "message",
    "vote",
    "reaction_given",
    "questions_completed",
)


@dataclass(frozen=True)
class SpotlightContent:
    member_id: str
    mention: str
    about: Sequence[tuple[str, str]]
    """(question text, answer) of public welcome answers."""
    kinds: Mapping[str, int]
    kudos: Sequence[KudosRow]
    roles: Sequence[str]
    nominations: Sequence[Nomination]
    interview: Sequence[tuple[str, str]]
    """(question, answer) from the interview, when given in time."""


def kinds_line(t: Translator, kinds: Mapping[str, int]) -> str:
    parts = [
        t(f"spotlight.kind.{kind}", count=kinds[kind])
        for kind in KIND_ORDER
        if kinds.get(kind, 0) > 0
    ]
    return ", ".join(parts)


def render(
    t: Translator, content: SpotlightContent, names: Mapping[str, str], mention: object
) -> str:
    """`mention(member_id)` renders a member for the platform."""
    lines = [t("spotlight.post.title", member=content.mention)]
    lines.append(t("spotlight.post.intro", member=content.mention))
    if content.roles:
        lines.append(t("spotlight.post.roles", roles=", ".join(content.roles)))
    if content.about:
        lines.append(t("spotlight.post.about"))
        lines += [f"• {question} {answer}" for question, answer in content.about]
    if content.interview:
        lines.append(t("spotlight.post.interview"))
        for question, answer in content.interview:
            lines.append(f"• {question}")
            lines.append(f"  “{answer}”")
    recent = kinds_line(t, content.kinds)
    if recent:
        lines.append(t("spotlight.post.recent", summary=recent))
    for nomination in content.nominations:
        lines.append(
            t(
                "spotlight.post.nominated",
                by=mention(nomination.nominated_by),  # type: ignore[operator]
                reason=nomination.reason,
            )
        )
    thanks = [k for k in content.kudos if k.reason][-3:]
    if thanks:
        lines.append(t("spotlight.post.kudos"))
        for row in thanks:
            giver = names.get(row.giver_id, row.giver_id.split(":", 1)[-1])
            lines.append(t("spotlight.post.kudos_line", reason=row.reason, giver=giver))
    lines.append(t("spotlight.post.outro"))
    return "\n".join(lines)
