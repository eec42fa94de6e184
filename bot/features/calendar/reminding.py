"""Reminding an occurrence's hosts (and its backup, or the managers when nobody can be found)
and the calendar's look ahead."""

from __future__ import annotations

from datetime import datetime

from bot.actions import PostMessage, SendDM
from bot.features.calendar.hosts import Hosts
from bot.features.calendar.plan import Pick, SlotPlan
from bot.features.calendar.text import CalendarText
from bot.kit import Kit
from bot.scheduling import TriggerMath


async def remind_hosts(
    kit: Kit, hosts: Hosts, text: CalendarText, slot: SlotPlan, at: datetime, pick: Pick
) -> None:
    """DM each host of the occurrence (naming the co-hosts), and the backup; no hosts to be
    found: tell the managers' channel."""
    t = kit.t
    resolved = await hosts.resolve(pick.theme)
    params = {
        "when": text.when(at),
        "type": text.type_label(pick.prompt.type).lower(),
        "theme": pick.theme.name,
        "channel": text.channel(slot.channel),
        "text": pick.prompt.text.strip() or t("calendar.reminder.archive_story"),
    }
    fallback = kit.config.community.managers_channel
    if not resolved.members:
        missing = (
            t("calendar.alert.missing", names=", ".join(resolved.missing))
            if resolved.missing
            else ""
        )
        await kit.outbox.send(
            PostMessage(
                channel=fallback, text=t("calendar.alert.no_hosts", missing=missing, **params)
            )
        )
    for member in resolved.members:
        others = [text.mention(m) for m in resolved.members if m != member]
        together = t("calendar.reminder.together", others=text.names(others)) if others else ""
        await kit.outbox.send(
            SendDM(
                member=member,
                text=t("calendar.reminder", together=together, **params),
                fallback_channel=fallback,
            )
        )
    if resolved.backup and resolved.members:
        named = text.names([text.mention(m) for m in resolved.members])
        await kit.outbox.send(
            SendDM(
                member=resolved.backup,
                text=t("calendar.reminder.backup", hosts=named, **params),
                fallback_channel=fallback,
            )
        )


async def alert_nothing(kit: Kit, text: CalendarText, slot: SlotPlan, at: datetime) -> None:
    """Nothing left to post in the slot's theme: tell the managers' channel."""
    await kit.outbox.send(
        PostMessage(
            channel=kit.config.community.managers_channel,
            text=kit.t(
                "calendar.alert.nothing",
                theme=slot.theme,
                channel=text.channel(slot.channel),
                when=text.when(at),
            ),
        )
    )


def next_fires(
    slots: list[SlotPlan], cron: TriggerMath, count: int, after: datetime
) -> list[tuple[datetime, SlotPlan]]:
    """The next `count` occurrences over every slot, in order."""
    merged: list[tuple[datetime, SlotPlan]] = []
    for slot in slots:
        current = after
        for _ in range(count):
            fire = cron.next_fire(slot.cron, current)
            if fire is None:
                break
            merged.append((fire, slot))
            current = fire
    merged.sort(key=lambda item: (item[0], item[1].index))
    return merged[:count]
