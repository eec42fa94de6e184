"""Questions still waiting: sent once to the channel's theme hosts (or the managers), and
listed on demand with /questions.

"Waiting" = no reply from someone else yet. A question counts from `answer_within` after it was
asked; asks older than a week are left alone (a nudge about last month helps nobody).

The nudge is a deadline, not a cron job: the scheduler wakes when the oldest waiting ask passes
`answer_within` (rounded up to the quarter hour, so asks due close together go out as one
message), not every quarter of an hour whether anything waits or not.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.actions import Action, PostMessage, SendDM
from bot.commands import CommandCall, CommandSpec
from bot.features.calendar.hosts import Hosts
from bot.features.health.ports import AskKind, HealthStore, Waiting
from bot.host import MessageLinks
from bot.kit import Kit

log = logging.getLogger("plein.health")

LOOK_BACK = timedelta(days=7)
LIMIT = 20
GRAIN_SECONDS = 15 * 60


def round_up(moment: datetime) -> datetime:
    """The next quarter hour at or after `moment` (quarter hours are the same in every zone)."""
    seconds = moment.timestamp()
    rounded = -(-seconds // GRAIN_SECONDS) * GRAIN_SECONDS
    return moment + timedelta(seconds=rounded - seconds)


def theme_hosts(kit: Kit) -> dict[str, tuple[str, ...]]:
    """Channel -> the hosts of the themes whose calendar slots post there."""
    calendar = kit.config.calendar
    themes = {theme.name: theme for theme in calendar.themes}
    hosts: dict[str, list[str]] = {}
    for slot in calendar.slots:
        theme = themes.get(slot.theme)
        if theme is None:
            continue
        channel = slot.channel or kit.config.community.default_channel
        for host in theme.hosts:
            if host not in hosts.setdefault(channel, []):
                hosts[channel].append(host)
    return {channel: tuple(names) for channel, names in hosts.items()}


class Nudges:
    def __init__(self, kit: Kit, store: HealthStore) -> None:
        self.kit = kit
        self.store = store
        self.cfg = kit.config.health
        self.hosts = Hosts(kit.outbox, kit.members)

    @property
    def managers_channel(self) -> str:
        return self.kit.config.report.channel or self.kit.config.community.managers_channel

    def line(self, ask: Waiting, link: str | None = None) -> str:
        t = self.kit.t
        gateway = self.kit.outbox.gateway
        text = t(
            f"health.waiting.{ask.kind.value}",
            member=self.kit.outbox.mention(ask.author_id),
            theme=ask.theme or "?",
            channel=gateway.channel_mention(ask.channel),
            when=t.datetime(ask.at),
        )
        return f"{text} {link}" if link else text

    async def link(self, ask: Waiting) -> str | None:
        """The platform's link to the message, when the adapter can make one."""
        gateway = self.kit.outbox.gateway
        if not isinstance(gateway, MessageLinks):
            return None
        try:
            return await gateway.message_link(ask.ref)
        except Exception:  # a link is a convenience: the nudge goes out without it
            log.warning("no link to %s", ask.ref, exc_info=True)
            return None

    def target(self, ask: Waiting, by_channel: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        """A calendar prompt's own theme hosts; a question's: the hosts of its channel's themes."""
        if ask.kind is AskKind.PROMPT and ask.theme is not None:
            theme = next((t for t in self.kit.config.calendar.themes if t.name == ask.theme), None)
            return tuple(theme.hosts) if theme is not None else ()
        return by_channel.get(ask.channel, ())

    async def next_due(self) -> datetime | None:
        now = self.kit.clock.now()
        oldest = await self.store.waiting(now, now - LOOK_BACK, self.cfg.newcomer_days, 1)
        if not oldest:
            return None
        return round_up(oldest[0].at + self.cfg.answer_within)

    async def run(self, now: datetime) -> None:
        due = await self.store.waiting(
            now - self.cfg.answer_within, now - LOOK_BACK, self.cfg.newcomer_days, LIMIT
        )
        marked = set(await self.store.mark_nudged([ask.ref for ask in due], now))
        due = [ask for ask in due if ask.ref in marked]  # another process may have sent some
        if not due:
            return
        hosts = theme_hosts(self.kit)
        by_target: dict[tuple[str, ...], list[Waiting]] = {}
        for ask in due:
            by_target.setdefault(self.target(ask, hosts), []).append(ask)
        for target, asks in by_target.items():
            lines = [self.line(a, await self.link(a)) for a in asks]
            text = "\n".join([self.kit.t("health.nudge", count=len(asks)), *lines])
            if not target:
                await self.kit.outbox.send(PostMessage(channel=self.managers_channel, text=text))
                continue
            reached = False
            for handle in target:
                host = await self.hosts.member_id(handle)
                if host is None:
                    continue
                reached = True
                await self.kit.outbox.send(
                    SendDM(member=host, text=text, fallback_channel=self.managers_channel)
                )
            if not reached:  # no host of the theme is in the community: the managers then
                await self.kit.outbox.send(PostMessage(channel=self.managers_channel, text=text))

    async def cmd_questions(self, call: CommandCall) -> Sequence[Action]:
        now = self.kit.clock.now()
        asks = await self.store.waiting(
            now, now - LOOK_BACK, self.cfg.newcomer_days, LIMIT, include_nudged=True
        )
        if not asks:
            return [call.reply(self.kit.t("health.none_waiting"))]
        lines = [
            self.kit.t("health.open", count=len(asks)),
            *[self.line(a, await self.link(a)) for a in asks],
        ]
        return [call.reply("\n".join(lines))]

    def register(self) -> None:
        self.kit.commands.add(
            CommandSpec(path=("questions",), handler=self.cmd_questions, manager_only=True)
        )
