"""The managers' weekly report: posted once a week, on demand with /report, CSV with export."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta

from bot.actions import Action, Attachment, PostMessage
from bot.commands import CommandCall, CommandSpec, Option, OptionKind
from bot.features.report.chart import render_chart
from bot.features.report.export import to_csv
from bot.features.report.facts import ReportStore
from bot.features.report.figures import (
    PERIODS,
    Figures,
    ambassador_candidates,
    chart_series,
    compute,
    weekly_series,
)
from bot.features.report.render import GoalResult, Report, render_report
from bot.features.report.weeks import local_day, span_ending, week_of
from bot.kit import Kit

log = logging.getLogger("plein.report")


LineSource = Callable[[datetime, datetime], Awaitable[list[str]]]


class ReportService:
    def __init__(self, kit: Kit, store: ReportStore) -> None:
        self.kit = kit
        self.store = store
        self.facts = store.facts
        self.cfg = kit.config.report
        self._line_sources: list[LineSource] = []

    def add_lines(self, source: LineSource) -> None:
        """Another feature's lines for the report over [since, until) (surveys closed in it)."""
        self._line_sources.append(source)

    async def full_text(self, report: Report) -> str:
        since, until = report.figures.since, report.figures.until
        extra = [line for source in self._line_sources for line in await source(since, until)]
        return "\n".join([self.text(report), *extra])

    @property
    def channel(self) -> str:
        return self.cfg.channel or self.kit.config.community.managers_channel

    def install(self) -> None:
        add = self.kit.commands.add
        add(
            CommandSpec(
                path=("report",),
                handler=self.cmd_report,
                options=(
                    Option("period", OptionKind.CHOICE, required=False, choices=("week", "month")),
                ),
                manager_only=True,
                alias="show",
            )
        )
        add(CommandSpec(path=("report", "export"), handler=self.cmd_export, manager_only=True))

    # ---- building ----------------------------------------------------------------------------

    async def build(self, period: str, moment: datetime, *, complete: bool) -> Report:
        """The report at `moment`: over the complete days before it (the weekly job), or the
        days up to and including today so far (`/report`)."""
        tz = self.kit.tz
        last_day = self.last_day(moment, complete=complete)
        days = PERIODS[period]
        span = span_ending(last_day, days, tz, moment)
        figures = await compute(self.facts, span, tz)
        before = span_ending(last_day - timedelta(days=days), days, tz, moment)
        previous = await compute(self.facts, before, tz)
        by_period: dict[str, Figures] = {period: figures}
        goals = []
        for goal in self.kit.config.goals.targets:
            if goal.period not in by_period:
                goal_span = span_ending(last_day, PERIODS[goal.period], tz, moment)
                by_period[goal.period] = await compute(self.facts, goal_span, tz)
            goals.append(GoalResult(goal, by_period[goal.period].metric(goal.metric)))
        ambassadors = await ambassador_candidates(
            self.facts,
            span_ending(last_day, 7, tz, moment),
            weeks=self.cfg.ambassador_weeks,
            min_weeks=self.cfg.ambassador_min_weeks,
            limit=self.cfg.ambassador_limit,
            exclude=self.kit.is_manager,
        )
        return Report(period, figures, previous, goals, ambassadors)

    def last_day(self, moment: datetime, *, complete: bool) -> date:
        today = local_day(moment, self.kit.tz)
        return today - timedelta(days=1) if complete else today

    def text(self, report: Report) -> str:
        levels = getattr(self.kit.config.recognition, "levels", [])
        return render_report(
            self.kit.t,
            report,
            community=self.kit.config.community.name,
            level_names=[getattr(level, "name", str(level)) for level in levels],
            mention=self.kit.outbox.mention,
        )

    async def chart(self, moment: datetime, *, complete: bool) -> Attachment | None:
        if not self.cfg.chart:
            return None
        t = self.kit.t
        last_day = self.last_day(moment, complete=complete)
        series = await chart_series(self.facts, last_day, self.cfg.chart_weeks, self.kit.tz, moment)
        labels = {
            key: t(f"report.chart.{key}")
            for key in ("title", "active", "consumers", "reactors", "creators", "share")
        }
        try:
            weeks = [t.date(f.since, weekday=False) for f in series]
            data = await render_chart(series, labels, weeks)
        except Exception:  # a broken font cache must not cost managers their report
            log.exception("report chart failed; sending text only")
            return None
        day = last_day.isoformat()
        return Attachment(
            filename=f"plein-report-{day}.png", data=data, description=labels["title"]
        )

    # ---- the weekly job ----------------------------------------------------------------------

    async def run_weekly(self, fire_time: datetime) -> None:
        key = f"week:{week_of(fire_time, self.kit.tz).isoformat()}"
        if not await self.store.claim(key, self.kit.clock.now()):
            return
        report = await self.build("week", fire_time, complete=True)
        chart = await self.chart(fire_time, complete=True)
        await self.kit.outbox.send(
            PostMessage(
                channel=self.channel,
                text=await self.full_text(report),
                files=(chart,) if chart else (),
            )
        )

    # ---- commands ----------------------------------------------------------------------------

    async def cmd_report(self, call: CommandCall) -> Sequence[Action]:
        period = call.options.get("period") or "week"
        now = self.kit.clock.now()
        report = await self.build(period, now, complete=False)
        chart = await self.chart(now, complete=False)
        return [call.reply(await self.full_text(report), files=(chart,) if chart else ())]

    async def cmd_export(self, call: CommandCall) -> Sequence[Action]:
        now = self.kit.clock.now()
        weeks = max(self.cfg.chart_weeks, 12)
        last_day = self.last_day(now, complete=True)  # one row per complete week
        series = await weekly_series(self.facts, last_day, weeks, self.kit.tz, now)
        day = last_day.isoformat()
        attachment = Attachment(filename=f"plein-report-{day}.csv", data=to_csv(series))
        return [call.reply(self.kit.t("report.export", weeks=weeks), files=(attachment,))]
