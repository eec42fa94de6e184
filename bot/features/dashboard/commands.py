"""`/dashboard` (managers): a one-time login link, answered only to the asker; and the daily
clean-up of spent and expired links."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.actions import Action
from bot.commands import CommandCall, CommandSpec
from bot.features.dashboard.access import LINK_VALID, Access, dashboard_address
from bot.features.dashboard.ports import DashboardStore
from bot.kit import Kit
from bot.scheduling import RecurringJob

PRUNE_CRON = "40 4 * * *"


class DashboardCommands:
    def __init__(self, kit: Kit, access: Access, store: DashboardStore) -> None:
        self.kit = kit
        self.access = access
        self.store = store

    def install(self) -> None:
        self.kit.commands.add(
            CommandSpec(path=("dashboard",), handler=self.cmd_dashboard, manager_only=True)
        )
        self.kit.jobs.add_recurring(RecurringJob("dashboard.prune_links", PRUNE_CRON, self.prune))

    async def cmd_dashboard(self, call: CommandCall) -> Sequence[Action]:
        token = await self.access.new_link(self.kit.clock.now())
        link = f"{dashboard_address(self.kit.config)}/dashboard/link/{token}"
        return [call.reply(self.kit.t("dashboard.link.reply", link=link), ephemeral=True)]

    async def prune(self, fire_time: datetime) -> None:
        await self.store.prune_links(self.kit.clock.now() - LINK_VALID)
