"""/kudos, /me, /top, /participation and /points give|revoke."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.actions import Action, SendDM
from bot.commands import CommandCall, CommandSpec, Option, OptionKind, UsageError
from bot.events import Member
from bot.features.recognition.ladder import next_step, window_points
from bot.features.recognition.levels import Ladder
from bot.features.recognition.periods import ALL, LocalDays, month_key, period_key, week_key
from bot.features.recognition.ports import KudosRefused, Ranked, RecognitionStore
from bot.features.recognition.seasons import Seasons
from bot.features.recognition.tracking import Tracker
from bot.features.recognition.writer import BatchedWriter
from bot.kit import Kit
from bot.signals import ContributionKind
from bot.timespec import format_duration

CREATE = {"message", "reply", "prompt_answer", "hosted", "questions_completed"}
REACT = {"reaction_given", "vote", "attended", "event_attended"}
PERIODS = ("week", "month", "all")


class RecognitionCommands:
    def __init__(
        self,
        kit: Kit,
        store: RecognitionStore,
        ladder: Ladder,
        tracker: Tracker,
        writer: BatchedWriter,  # type: ignore[type-arg]
        days: LocalDays,
        seasons: Seasons,
    ) -> None:
        self.kit = kit
        self.seasons = seasons
        self.t = kit.t
        self.config = kit.config.recognition
        self.store = store
        self.ladder = ladder
        self.tracker = tracker
        self.writer = writer
        self.days = days

    def register(self) -> None:
        add = self.kit.commands.add
        reason = Option("reason", max_length=self.config.kudos_reason_max)
        add(
            CommandSpec(
                path=("kudos",),
                handler=self.kudos,
                options=(Option("member", OptionKind.MEMBER), reason),
            )
        )
        add(CommandSpec(path=("me",), handler=self.me))
        periods = ("season", *PERIODS) if self.seasons.on else PERIODS
        period = Option("period", OptionKind.CHOICE, required=False, choices=periods)
        add(CommandSpec(path=("top",), handler=self.top, options=(period,)))
        add(
            CommandSpec(
                path=("participation",),
                handler=self.participation,
                options=(Option("period", OptionKind.CHOICE, required=False, choices=PERIODS[:2]),),
                manager_only=True,
            )
        )
        adjust_options = (
            Option("member", OptionKind.MEMBER),
            Option("amount", OptionKind.INTEGER, min_value=1, max_value=10_000),
            Option("reason", max_length=300),
        )
        for verb, handler in (("give", self.give), ("revoke", self.revoke)):
            add(
                CommandSpec(
                    path=("points", verb),
                    handler=handler,
                    options=adjust_options,
                    manager_only=True,
                )
            )

    # ---- kudos -----------------------------------------------------------------------------

    async def kudos(self, call: CommandCall) -> Sequence[Action]:
        receiver: Member = call.options["member"]
        reason = str(call.options["reason"]).strip()
        giver = call.actor
        if receiver.id == giver.id:
            raise UsageError("recognition.kudos.self")
        if receiver.is_bot:
            raise UsageError("recognition.kudos.bot")
        if not reason:
            raise UsageError("recognition.kudos.no_reason")
        now = self.kit.clock.now()
        today = self.days.of(now)
        kind = ContributionKind.KUDOS_RECEIVED
        row = (
            receiver.id,
            kind.value,
            call.channel,
            now,
            0,
            None,
            self.config.weights.of(kind),
            today,
        )
        try:
            await self.store.add_kudos(
                giver_id=giver.id,
                receiver_id=receiver.id,
                reason=reason,
                channel=call.channel,
                row=row,
                quota_since=self.days.start_of(today),
                quota=self.config.kudos_per_day,
                pair_since=now - self.config.kudos_pair_cooldown,
            )
        except KudosRefused as refused:
            if refused.why == "quota":
                raise UsageError(
                    "recognition.kudos.quota", quota=self.config.kudos_per_day
                ) from None
            raise UsageError(
                "recognition.kudos.pair",
                member=self.kit.outbox.mention(receiver.id),
                wait=format_duration(self.config.kudos_pair_cooldown),
            ) from None
        await self.ladder.check([receiver.id])
        mention = self.kit.outbox.mention
        return [
            call.reply(self.t("recognition.kudos.sent", member=mention(receiver.id))),
            SendDM(
                member=receiver.id,
                text=self.t("recognition.kudos.received", giver=mention(giver.id), reason=reason),
                fallback_channel=call.channel or self.kit.config.community.default_channel,
            ),
        ]

    # ---- /me -------------------------------------------------------------------------------

    async def me(self, call: CommandCall) -> Sequence[Action]:
        member = call.actor.id
        await self.writer.flush_where(lambda row: row[0] == member)  # not the whole backlog
        now = self.kit.clock.now()
        today = self.days.of(now)
        t = self.t
        stats = await self.ladder.stats(member)
        level = await self.ladder.current(member)
        rungs = self.ladder.rungs
        week, month = week_key(today), month_key(today)
        points = await self.store.period_points(member, [week, month, ALL])
        lines = [
            t("recognition.me.level", level=rungs[level].name, rung=level + 1, rungs=len(rungs)),
            t(
                "recognition.me.points",
                week=points[week],
                month=points[month],
                window=window_points(stats),
                days=self.config.window.days,
            ),
        ]
        step = next_step(rungs, stats, level)
        if step is None:
            lines.append(t("recognition.me.top_rung"))
        else:
            needs = []
            if step.points_missing:
                needs.append(t("recognition.me.needs_points", points=step.points_missing))
            if step.count_missing:
                kinds = ", ".join(t(f"recognition.kind.{k.value}") for k in step.rung.requires_any)
                needs.append(t("recognition.me.needs_kinds", count=step.count_missing, kinds=kinds))
            if not needs:
                needs.append(t("recognition.me.needs_nothing"))
            lines.append(t("recognition.me.next", level=step.rung.name, needs=", ".join(needs)))
        total, latest = await self.store.kudos_received(member, 3)
        lines.append(t("recognition.me.kudos", count=total))
        for item in latest:
            giver = self.kit.outbox.mention(item.giver_id)
            if item.reason is None:  # thanks in plain words: the text was never stored
                lines.append(t("recognition.me.kudos_item_thanks", giver=giver))
            else:
                lines.append(t("recognition.me.kudos_item", giver=giver, reason=item.reason))
        wait = self.tracker.messages.remaining(member, now)
        if wait is not None:
            lines.append(t("recognition.me.cooldown", wait=format_duration(wait)))
        return [call.reply("\n".join(lines))]

    # ---- /top ------------------------------------------------------------------------------

    async def top(self, call: CommandCall) -> Sequence[Action]:
        if not self.config.leaderboard and not call.actor.is_manager:
            return [call.reply(self.t("recognition.top.hidden"))]
        await self.writer.flush()
        name = call.options.get("period", "season" if self.seasons.on else "week")
        t = self.t
        season = self.seasons.current() if name == "season" else None
        ranked: list[Ranked]
        if season is not None:
            ranked = await self.store.season_top(season.start, season.end, 10)
            mine = await self.store.season_rank(call.actor.id, season.start, season.end)
            title = t(
                "recognition.top.title.season",
                start=t.date(season.start, weekday=False),
                end=t.date(season.last_day, weekday=False),
            )
        else:
            name = "week" if name == "season" else name
            key = period_key(name, self.days.of(self.kit.clock.now()))
            ranked = await self.store.top(key, 10)
            mine = await self.store.rank(call.actor.id, key)
            title = t(f"recognition.top.title.{name}")
        lines = [title]
        if not ranked:
            lines.append(t("recognition.top.empty"))
        for place, entry in enumerate(ranked, 1):
            who = entry.name or self.kit.outbox.mention(entry.member_id)
            lines.append(t("recognition.top.line", place=place, member=who, points=entry.points))
        if mine is None:
            lines.append(t("recognition.top.you_none"))
        else:
            lines.append(t("recognition.top.you", place=mine[0], points=mine[1]))
        if not self.config.leaderboard:
            lines.append(t("recognition.top.hidden_note"))
        return [call.reply("\n".join(lines))]

    # ---- /participation --------------------------------------------------------------------

    async def participation(self, call: CommandCall) -> Sequence[Action]:
        await self.writer.flush()
        name = call.options.get("period", "week")
        days = 7 if name == "week" else 30
        since = self.days.of(self.kit.clock.now()) - timedelta(days - 1)
        active = await self.store.active_kinds(since)
        present = await self.kit.members.count_present()
        creators = sum(1 for kinds in active.values() if kinds & CREATE)
        reactors = sum(1 for kinds in active.values() if not kinds & CREATE and kinds & REACT)
        total = max(present, creators + reactors)
        consumers = total - creators - reactors

        def share(n: int) -> int:
            return round(100 * n / total) if total else 0

        text = self.t(
            "recognition.participation",
            days=self.t("recognition.participation.days", count=days),
            members=self.t("recognition.participation.members", count=total),
            consume=share(consumers),
            consumers=consumers,
            react=share(reactors),
            reactors=reactors,
            create=share(creators),
            creators=creators,
        )
        return [call.reply(text)]

    # ---- /points ---------------------------------------------------------------------------

    async def give(self, call: CommandCall) -> Sequence[Action]:
        return await self._adjust(call, +1)

    async def revoke(self, call: CommandCall) -> Sequence[Action]:
        return await self._adjust(call, -1)

    async def _adjust(self, call: CommandCall, sign: int) -> Sequence[Action]:
        member: Member = call.options["member"]
        amount = int(call.options["amount"]) * sign
        reason = str(call.options["reason"]).strip()
        if not reason:
            raise UsageError("recognition.points.no_reason")
        now = self.kit.clock.now()
        await self.store.adjust(
            member_id=member.id,
            amount=amount,
            reason=reason,
            by=call.actor.id,
            at=now,
            day=self.days.of(now),
        )
        mention = self.kit.outbox.mention(member.id)
        if sign > 0:
            await self.ladder.check([member.id])
            return [
                call.reply(self.t("recognition.points.given", member=mention, amount=amount)),
                SendDM(
                    member=member.id,
                    text=self.t("recognition.points.notify", amount=amount, reason=reason),
                ),
            ]
        return [call.reply(self.t("recognition.points.revoked", member=mention, amount=-amount))]

    async def profile_line(self, member_id: str) -> str | None:
        level = await self.ladder.current(member_id)
        rungs = self.ladder.rungs
        return self.t(
            "recognition.profile", level=rungs[level].name, rung=level + 1, rungs=len(rungs)
        )
