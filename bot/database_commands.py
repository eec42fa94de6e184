"""The database commands of the CLI (`plein db status|upgrade`, backup, restore, export, and the
doctor's database check): composition-root code, since it opens storage directly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.clock import SystemClock
from bot.config import PleinConfig
from bot.features.dashboard.access import dashboard_address, new_link
from bot.i18n import Translator, load_catalogs
from bot.locales.dashboard import MESSAGES as DASHBOARD_MESSAGES
from storage import Database


async def database_status(config: PleinConfig) -> list[str]:
    """`plein db status`: the database's revision, this Plein's newest, and what a start applies."""
    db = Database.from_url(config.storage.url)
    try:
        status = await db.revision_status()
    finally:
        await db.close()
    lines = [
        f"database: {db.location}",
        f"current revision: {status.current or 'none (empty database)'}",
        f"newest revision this Plein knows: {status.head}",
    ]
    if not status.known:
        lines.append("refused: the database was upgraded by a newer Plein (see 'Upgrading')")
    elif status.pending:
        lines.append(
            f"pending ({len(status.pending)}, applied at the next start or `plein db upgrade`):"
        )
        lines += [f"  {revision}" for revision in status.pending]
    else:
        lines.append("up to date")
    return lines


async def restore_database(config: PleinConfig, backup: Path) -> int:
    from storage.restore import restore

    return await restore(config.storage.url, backup)


async def upgrade_database(config: PleinConfig) -> None:
    db = Database.from_url(config.storage.url)
    try:
        await db.migrate()
    finally:
        await db.close()


async def backup_database(config: PleinConfig, target: Path) -> int:
    from storage.backup import backup

    return await backup(config.storage.url, target)


async def export_tables(config: PleinConfig, directory: Path, fmt: str) -> int:
    from storage.export import export

    return await export(config.storage.url, directory, fmt)


async def database_readiness(config: PleinConfig) -> str | None:
    """`plein doctor`: None when the database is reachable and migrated, else why not."""
    db = Database.from_url(config.storage.url)
    try:
        return await db.readiness()
    finally:
        await db.close()


async def report_command(config: PleinConfig, monday: date, fmt: str) -> bytes:
    """`plein report --week 2026-W14 --format md|csv|json|png`: the report of that (complete)
    local week, or of the week so far when it is the current one, from the database alone."""
    import io
    from datetime import timedelta

    from adapters.console import ConsoleAdapter
    from bot.app import build
    from bot.features.report.charts import chart_labels, render_png
    from bot.features.report.export import to_csv
    from bot.features.report.figures import weekly_series
    from bot.features.report.formats import to_json, to_markdown
    from bot.features.report.service import ReportService
    from bot.features.report.weeks import day_start

    adapter = ConsoleAdapter(config, lines=[], out=io.StringIO())
    plein = await build(config, adapter)
    try:
        service = plein.features.get("report")
        if not isinstance(service, ReportService):
            raise SystemExit("plein: the report is switched off ([report] enabled = false)")
        tz = service.kit.tz
        moment = min(service.kit.clock.now(), day_start(monday + timedelta(days=7), tz))
        last_day = min(monday + timedelta(days=6), service.last_day(moment, complete=False))
        if fmt == "csv":
            series = await weekly_series(service.facts, last_day, 12, tz, moment)
            return to_csv(series, await service.health_series(last_day, 12, moment))
        charts = await service.chart_data(last_day, moment)
        if fmt == "png":
            levels = service.level_names(getattr(config.recognition, "levels", []))
            return render_png(charts, chart_labels(service.kit.t, charts, levels))
        report = await service.build_span("week", last_day, moment)
        if fmt == "json":
            return to_json(report, charts, monday)
        names = await service.facts.names(_mentioned(report))
        service.mention = lambda member: names.get(member, member)
        return to_markdown(await service.text(report)).encode("utf-8")
    finally:
        await plein.close()


def _mentioned(report: object) -> list[str]:
    from bot.features.report.render import Report

    assert isinstance(report, Report)
    ids = [c.member_id for c in report.ambassadors] + list(report.figures.calendar.hosts)
    if report.health is not None:
        ids += [h.member_id for h in report.health.helpers]
    return ids


async def dashboard_link(config: PleinConfig) -> str:
    """`plein dashboard link`: a one-time login link (the console's and emergencies' way in)."""
    from storage.dashboard import SqlDashboardStore

    db = Database.from_url(config.storage.url)
    try:
        await db.migrate()
        token = await new_link(SqlDashboardStore(db), SystemClock().now())
    finally:
        await db.close()
    t = Translator(config.community.language, load_catalogs([("dashboard", DASHBOARD_MESSAGES)]))
    return f"{t('dashboard.link.printed')}\n{dashboard_address(config)}/dashboard/link/{token}"
