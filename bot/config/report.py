"""[report]: the managers' weekly community report."""

from __future__ import annotations

from pydantic import Field

from bot.config.base import CronSpec, Section


class ReportConfig(Section):
    enabled: bool = True
    when: CronSpec = "0 9 * * mon"
    """When the weekly report is posted ('mon 09:00' or a cron expression); once per week."""
    channel: str = ""
    """Where the report goes; empty = [community].managers_channel."""
    chart: bool = True
    """Attach a PNG chart of the last `chart_weeks` weeks."""
    chart_weeks: int = Field(default=12, ge=2, le=52)
    ambassador_weeks: int = Field(default=4, ge=1, le=26)
    """Ambassador candidates are judged over this many weeks..."""
    ambassador_min_weeks: int = Field(default=3, ge=1, le=26)
    """...and must have been active in at least this many of them."""
    ambassador_limit: int = Field(default=5, ge=0, le=25)
