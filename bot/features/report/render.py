"""The report as localised text (managers' channel, /report)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.config.goals import Goal
from bot.features.report.figures import Candidate, Figures
from bot.i18n import Translator


@dataclass(frozen=True)
class GoalResult:
    goal: Goal
    actual: float | None

    @property
    def on_track(self) -> bool:
        return self.actual is not None and self.actual >= self.goal.target


@dataclass(frozen=True)
class Report:
    period: str
    figures: Figures
    previous: Figures
    goals: Sequence[GoalResult]
    ambassadors: Sequence[Candidate]
    sections: Sequence[str] = ()
    """Lines other features add (ReportService.add_section), after the kudos."""


PERCENT_METRICS = {
    "active_share",
    "welcome_completion",
    "rules_acceptance",
    "newcomer_activation",
    "creators_share",
    "poll_participation",
}


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def signed(value: float) -> str:
    return f"{value:+.0f}"


def render_report(
    t: Translator,
    report: Report,
    *,
    community: str,
    level_names: Sequence[str],
    mention: Callable[[str], str],
) -> str:
    f, p = report.figures, report.previous

    def day(moment: date | datetime) -> str:
        return t.date(moment, weekday=False)

    lines = [
        t(
            f"report.title.{report.period}",
            community=community,
            since=day(f.first_day or f.since),
            until=day(f.last_day or f.until),
        ),
        t("report.members", total=f.members_total, new=f.new_members),
        t(
            "report.newcomers",
            welcome=percent(f.welcome_completion),
            rules=percent(f.rules_acceptance),
            activation=percent(f.newcomer_activation),
        ),
        t("report.active", active=f.active_members, share=percent(f.active_share)),
    ]
    now_shares, before = f.split.shares(), p.split.shares()
    lines.append(
        t(
            "report.split",
            consumers=number(now_shares[0]),
            reactors=number(now_shares[1]),
            creators=number(now_shares[2]),
            d_consumers=signed(now_shares[0] - before[0]),
            d_reactors=signed(now_shares[1] - before[1]),
            d_creators=signed(now_shares[2] - before[2]),
        )
    )
    if f.levels:
        ladder = " · ".join(
            f"{level_names[i] if i < len(level_names) else i + 1} {count}"
            for i, count in f.levels.items()
        )
        lines.append(t("report.ladder", ladder=ladder, promotions=f.promotions))
    if f.top_kinds:
        kinds = ", ".join(f"{t(f'report.kind.{kind}')} {count}" for kind, count in f.top_kinds)
        lines.append(t("report.kinds", kinds=kinds))
    lines.append(
        t(
            "report.polls",
            opened=f.polls.opened,
            voters=f.polls.voters,
            share=percent(f.poll_participation),
        )
    )
    hosts = ", ".join(mention(h) for h in f.calendar.hosts) or "-"
    lines.append(
        t(
            "report.calendar",
            posted=t("report.calendar.posted", count=f.calendar.posted),
            answered=f.calendar.answered,
            replies=t("report.calendar.replies", count=f.calendar.replies),
            hosts=hosts,
        )
    )
    lines.append(t("report.kudos", count=f.kudos_given))
    lines.extend(report.sections)
    if report.goals:
        lines.append(t("report.goals"))
        for result in report.goals:
            goal = result.goal
            fmt = percent if goal.metric in PERCENT_METRICS else _plain
            if result.actual is None:
                key = "report.goal_no_data"
            else:
                key = "report.goal_on_track" if result.on_track else "report.goal_behind"
            lines.append(
                t(
                    key,
                    name=goal.name,
                    actual=fmt(result.actual),
                    target=fmt(goal.target),
                    period=t(f"report.period.{goal.period}"),
                )
            )
    if report.ambassadors:
        lines.append(t("report.ambassadors"))
        for c in report.ambassadors:
            lines.append(
                t(
                    "report.ambassador",
                    member=mention(c.member_id),
                    active=c.active_weeks,
                    weeks=t("report.ambassador.weeks", count=c.weeks),
                    replies=t("report.ambassador.replies", count=c.replies),
                    reactions=t("report.ambassador.reactions", count=c.reactions_received),
                    kudos=c.kudos_received,
                    answers=t("report.ambassador.answers", count=c.prompt_answers),
                    hosted=c.hosted,
                )
            )
    return "\n".join(lines)


def _plain(value: float | None) -> str:
    return "-" if value is None else number(value)
