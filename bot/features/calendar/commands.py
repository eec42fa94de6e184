"""Manager commands: /calendar (show), post, skip, pause, resume, reload."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from bot.actions import Action
from bot.commands import CommandCall, CommandSpec, Option, OptionKind, UsageError
from bot.config import ConfigError, PleinConfig
from bot.features.calendar.checks import config_problems
from bot.features.calendar.plan import SlotPlan, slot_plans
from bot.features.calendar.service import CalendarService, Upcoming
from bot.kit import Kit

log = logging.getLogger("plein.calendar")

Reload = Callable[[], PleinConfig]


class CalendarCommands:
    def __init__(self, kit: Kit, service: CalendarService, reload: Reload | None) -> None:
        self.kit = kit
        self.service = service
        self.reload_source = reload
        self.scheduled_keys = {s.key: s.cron for s in service.slots}

    def register(self) -> None:
        add = self.kit.commands.add
        add(
            CommandSpec(
                path=("calendar",),
                handler=self.show,
                options=(
                    Option("count", OptionKind.INTEGER, required=False, min_value=1, max_value=25),
                ),
                manager_only=True,
                alias="show",
            )
        )
        add(
            CommandSpec(
                path=("calendar", "post"),
                handler=self.post,
                options=(Option("theme", max_length=200),),
                manager_only=True,
            )
        )
        for name, handler in (
            ("skip", self.skip),
            ("pause", self.pause),
            ("resume", self.resume),
            ("reload", self.reload),
        ):
            add(CommandSpec(path=("calendar", name), handler=handler, manager_only=True))

    # ---- handlers ---------------------------------------------------------------------------

    async def show(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        count = call.options.get("count") or self.service.plan.upcoming
        items = await self.service.upcoming(count)
        lines = []
        if await self.service.store.is_paused():
            lines.append(t("calendar.list.paused"))
        if not items:
            lines.append(t("calendar.list.empty"))
            return [call.reply("\n".join(lines))]
        lines.append(t("calendar.list.title"))
        for item in items:
            lines.append(await self._line(item))
        return [call.reply("\n".join(lines))]

    async def _line(self, item: Upcoming) -> str:
        t = self.kit.t
        text = self.service.text
        when = text.when(item.at)
        channel = text.channel(item.slot.channel)
        if item.skipped:
            return t("calendar.list.skipped", when=when, channel=channel)
        if item.pick is None:
            return t("calendar.list.nothing", when=when, channel=channel)
        resolved = await self.service.hosts.resolve(item.pick.theme)
        hosts = [text.mention(m) for m in resolved.members] + list(resolved.missing)
        return t(
            "calendar.list.line",
            when=when,
            channel=channel,
            theme=item.pick.theme.name,
            type=text.type_label(item.pick.prompt.type).lower(),
            hosts=text.names(hosts) if hosts else t("calendar.list.no_hosts"),
            text=text.preview(item.pick.prompt),
        )

    async def post(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        name = str(call.options["theme"])
        result = await self.service.post_now(name)
        if result is None:
            themes = ", ".join(th.name for th in self.service.plan.themes) or "-"
            raise UsageError("calendar.unknown_theme", theme=name, themes=themes)
        if result.pick is None:
            return [call.reply(t("calendar.theme_exhausted", theme=name))]
        params = {
            "type": self.service.text.type_label(result.pick.prompt.type).lower(),
            "theme": result.pick.theme.name,
        }
        if not result.ok:
            return [call.reply(t("calendar.post_failed", reason=result.reason or "?", **params))]
        channel = self.service.text.channel(result.channel)
        return [call.reply(t("calendar.posted", channel=channel, **params))]

    async def skip(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        item = await self.service.skip_next(call.actor.id)
        if item is None:
            return [call.reply(t("calendar.nothing_to_skip"))]
        theme = item.pick.theme.name if item.pick else item.slot.theme
        return [
            call.reply(
                t(
                    "calendar.skipped",
                    when=self.service.text.when(item.at),
                    channel=self.service.text.channel(item.slot.channel),
                    theme=theme,
                )
            )
        ]

    async def pause(self, call: CommandCall) -> Sequence[Action]:
        changed = await self.service.store.set_paused(True, call.actor.id, self.kit.clock.now())
        return [call.reply(self.kit.t("calendar.paused" if changed else "calendar.already_paused"))]

    async def resume(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        changed = await self.service.store.set_paused(False, call.actor.id, self.kit.clock.now())
        if not changed:
            return [call.reply(t("calendar.already_running"))]
        self.kit.jobs.poke("calendar-reminders")
        upcoming = await self.service.upcoming(1)
        if not upcoming:
            return [call.reply(t("calendar.resumed_empty"))]
        return [call.reply(t("calendar.resumed", when=self.service.text.when(upcoming[0].at)))]

    def apply(self, config: PleinConfig) -> tuple[list[SlotPlan], bool]:
        """Put a valid config's calendar in force (also on SIGHUP); returns its slots and
        whether some of them wait for a restart.

        Recurring jobs were registered at start: slots keep their job only with the same key
        and time; anything else waits for a restart (and is said so)."""
        slots = slot_plans(config)
        kept = [s for s in slots if self.scheduled_keys.get(s.key) == s.cron]
        self.service.plan = config.calendar
        self.service.slots = kept
        self.kit.jobs.poke("calendar-reminders")
        waits = len(kept) != len(slots) or len(kept) != len(self.scheduled_keys)
        if waits:
            log.warning("calendar slots changed; new or moved slots start after a restart")
        return list(slots), waits

    async def reload(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        if self.reload_source is None:
            return [call.reply(t("calendar.reload_unavailable"))]
        try:
            config = self.reload_source()
            problems = config_problems(config, self.kit.cron)
        except ConfigError as err:
            problems = err.problems
        if problems:
            return [call.reply(t("calendar.reload_failed", problems="\n".join(problems)))]
        slots, waits = self.apply(config)
        restart = t("calendar.reload_restart") if waits else ""
        return [
            call.reply(
                t(
                    "calendar.reloaded",
                    themes=t("calendar.reloaded.themes", count=len(config.calendar.themes)),
                    slots=t("calendar.reloaded.slots", count=len(slots)),
                    restart=restart,
                )
            )
        ]
