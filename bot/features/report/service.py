"""The managers' weekly report: posted once a week, on demand with /report, CSV with export.

The text is a list of sections (`ReportService.sections`): the figures of today's report, the
community health lines, and whatever other features add with `add_section`. A section is an
async function of the built report returning its lines.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta

from bot.actions import Action, Attachment, PostMessage
from bot.commands import CommandCall, CommandSpec, Option, OptionKind
from bot.features.report.charts import chart_labels, render_charts
from bot.features.report.export import to_csv
from bot.features.report.facts import ReportDataError, ReportStore
from bot.features.report.figures import (
    PERIODS,
    ambassador_candidates,
    compute,
    weekly_series,
)
from bot.features.report.goal_figures import goal_period_figures, metrics_of
from bot.features.report.goals import (
    PeriodFigures,
    active_goal_line,
    evaluate_goals,
    health_facts_of,
)
from bot.features.report.health_columns import weekly_health
from bot.features.report.health_facts import HealthFacts
from bot.features.report.health_figures import (
    ChartData,
    HealthFigures,
    chart_data,
    compute_health,
)
from bot.features.report.health_text import health_lines
from bot.features.report.render import Report, render_report
from bot.features.report.weeks import Span, local_day, span_ending, week_of
from bot.kit import Kit
from bot.leases import Lease

WEEKLY_CLAIM = "report.weekly"
"""The leased claim on posting the weekly report (bot/leases.py)."""

log = logging.getLogger("plein.report")

ReportSection = Callable[[Report], Awaitable[list[str]]]


class ReportService:
    def __init__(self, kit: Kit, store: ReportStore) -> None:
        self.kit = kit
        self.store = store
        self.facts = store.facts
        self.cfg = kit.config.report
        self.weekly = kit.leases.work(WEEKLY_CLAIM, self._take_over_weekly)
        self.sections: list[ReportSection] = [self.figures_section, self.health_section]
        self.mention: Callable[[str], str] = kit.outbox.mention
        """How members are written in the text (`plein report` writes their names)."""

    def add_section(self, section: ReportSection) -> None:
        """Another feature's lines, appended after the built-in sections."""
        self.sections.append(section)

    @property
    def channel(self) -> str:
        return self.cfg.channel or self.kit.config.community.managers_channel

    @property
    def health_facts(self) -> HealthFacts | None:
        """The health aggregates, when the health feature is part of this Plein."""
        return health_facts_of(self.facts, self.kit.config.health.enabled)

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
        last_day = self.last_day(moment, complete=complete)
        return await self.build_span(period, last_day, moment)

    async def build_span(self, period: str, last_day: date, moment: datetime) -> Report:
        tz = self.kit.tz
        days = PERIODS[period]
        span = span_ending(last_day, days, tz, moment)
        figures = await compute(self.facts, span, tz)
        before = span_ending(last_day - timedelta(days=days), days, tz, moment)
        previous = await compute(self.facts, before, tz)
        health = await self.health_of(span)

        targets = self.kit.config.goals.targets

        async def read(goal_period: str) -> PeriodFigures:
            return await goal_period_figures(
                self.facts,
                self.health_facts,
                span_ending(last_day, PERIODS[goal_period], tz, moment),
                tz,
                metrics_of(targets, goal_period),
                answer_within=self.kit.config.health.answer_within,
                newcomer_days=self.kit.config.health.newcomer_days,
            )

        goals = await evaluate_goals(targets, {period: (figures, health)}, read)
        ambassadors = await ambassador_candidates(
            self.facts,
            span_ending(last_day, 7, tz, moment),
            weeks=self.cfg.ambassador_weeks,
            min_weeks=self.cfg.ambassador_min_weeks,
            limit=self.cfg.ambassador_limit,
            exclude=lambda member_id, _name: self.kit.is_manager(member_id),
            health=self.health_facts,
            newcomer_days=self.kit.config.health.newcomer_days,
        )
        return Report(period, figures, previous, goals, ambassadors, health)

    async def health_of(self, span: Span) -> HealthFigures | None:
        facts = self.health_facts
        if facts is None:
            return None
        health = self.kit.config.health
        return await compute_health(
            facts,
            span,
            self.kit.tz,
            answer_within=health.answer_within,
            newcomer_days=health.newcomer_days,
        )

    async def health_series(
        self, last_day: date, weeks: int, moment: datetime
    ) -> Sequence[HealthFigures | None]:
        """Each week's health figures, as `weekly_series` has the weeks (for the CSV)."""
        health = self.kit.config.health
        return await weekly_health(
            self.health_facts,
            last_day,
            weeks,
            self.kit.tz,
            moment,
            answer_within=health.answer_within,
            newcomer_days=health.newcomer_days,
        )

    def last_day(self, moment: datetime, *, complete: bool) -> date:
        today = local_day(moment, self.kit.tz)
        return today - timedelta(days=1) if complete else today

    # ---- sections ----------------------------------------------------------------------------

    async def figures_section(self, report: Report) -> list[str]:
        levels = getattr(self.kit.config.recognition, "levels", [])
        return [
            render_report(
                self.kit.t,
                report,
                community=self.kit.config.community.name,
                level_names=self.level_names(levels),
                mention=self.mention,
            )
        ]

    async def health_section(self, report: Report) -> list[str]:
        if report.health is None:
            return []
        return health_lines(
            self.kit.t,
            report.health,
            answer_within=self.kit.config.health.answer_within,
            mention=self.mention,
        )

    @staticmethod
    def level_names(levels: Sequence[object]) -> list[str]:
        return [getattr(level, "name", str(level)) for level in levels]

    async def text(self, report: Report) -> str:
        lines: list[str] = []
        for section in self.sections:
            lines.extend(await section(report))
        return "\n".join(lines)

    # ---- charts ------------------------------------------------------------------------------

    async def chart_data(self, last_day: date, moment: datetime) -> ChartData:
        goal_active, goal_share = active_goal_line(self.kit.config.goals.targets)
        return await chart_data(
            self.facts,
            self.health_facts,
            last_day,
            self.kit.tz,
            moment,
            max_weeks=self.cfg.chart_weeks,
            goal_active=goal_active,
            goal_share=goal_share,
            heatmap_weeks=self.kit.config.health.heatmap_weeks,
        )

    async def chart_for(self, last_day: date, moment: datetime) -> Attachment | None:
        if not self.cfg.chart:
            return None
        data = await self.chart_data(last_day, moment)
        levels = self.level_names(getattr(self.kit.config.recognition, "levels", []))
        labels = chart_labels(self.kit.t, data, levels)
        try:
            png = await render_charts(data, labels)
        except Exception:  # a broken font cache must not cost managers their report
            log.exception("report chart failed; sending text only")
            return None
        return Attachment(
            filename=f"plein-report-{last_day.isoformat()}.png",
            data=png,
            description=labels.title,
        )

    async def chart(self, moment: datetime, *, complete: bool) -> Attachment | None:
        return await self.chart_for(self.last_day(moment, complete=complete), moment)

    # ---- the weekly job ----------------------------------------------------------------------

    async def run_weekly(self, fire_time: datetime) -> None:
        key = f"week:{week_of(fire_time, self.kit.tz).isoformat()}"
        try:
            post = await self.weekly_post(fire_time)
        except ReportDataError as err:
            # Not claimed: the next start (catch-up) or week tries again; the managers know now.
            await self.kit.outbox.send(PostMessage(channel=self.channel, text=self.failed(err)))
            return

        async def send(key: str, lease: Lease, now: datetime) -> None:
            await self._send_weekly(key, lease, post)

        await self.weekly.run(key, self.kit.clock.now(), send)

    async def weekly_post(self, moment: datetime) -> PostMessage:
        report = await self.build("week", moment, complete=True)
        text = await self.text(report)
        chart = await self.chart(moment, complete=True)
        return PostMessage(channel=self.channel, text=text, files=(chart,) if chart else ())

    async def _send_weekly(self, key: str, lease: Lease, post: PostMessage) -> None:
        """Once per week: the lease (WEEKLY_CLAIM) across processes, and the week's own row
        (report_runs), which also holds for weeks posted before claims had leases."""
        if not await self.store.claim(key, self.kit.clock.now()) and not lease.taken_over:
            return
        await self.kit.leases.send(self.kit.outbox, [post], lease)  # the build took a while

    async def _take_over_weekly(self, key: str, lease: Lease, now: datetime) -> None:
        await self._send_weekly(key, lease, await self.weekly_post(now))

    def failed(self, err: ReportDataError) -> str:
        log.error("report failed: %s", err)
        return self.kit.t("report.failed", what=err.what)

    # ---- commands ----------------------------------------------------------------------------

    async def cmd_report(self, call: CommandCall) -> Sequence[Action]:
        period = call.options.get("period") or "week"
        now = self.kit.clock.now()
        # The chart (its figures, then the PNG drawn in a thread) while the report's figures
        # are read: the database's thread and the drawing's overlap (issue 16: /report < 2 s).
        built, drawn = await asyncio.gather(
            self.build(period, now, complete=False),
            self.chart(now, complete=False),
            return_exceptions=True,
        )
        try:
            if isinstance(built, BaseException):
                raise built
            if isinstance(drawn, BaseException):
                raise drawn
            text = await self.text(built)
        except ReportDataError as err:
            return [call.reply(self.failed(err))]
        return [call.reply(text, files=(drawn,) if drawn else ())]

    async def cmd_export(self, call: CommandCall) -> Sequence[Action]:
        now = self.kit.clock.now()
        weeks = max(self.cfg.chart_weeks, 12)
        last_day = self.last_day(now, complete=True)  # one row per complete week
        try:
            series = await weekly_series(self.facts, last_day, weeks, self.kit.tz, now)
            health = await self.health_series(last_day, weeks, now)
        except ReportDataError as err:
            return [call.reply(self.failed(err))]
        day = last_day.isoformat()
        attachment = Attachment(filename=f"plein-report-{day}.csv", data=to_csv(series, health))
        return [call.reply(self.kit.t("report.export", weeks=weeks), files=(attachment,))]
