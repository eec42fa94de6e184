"""Localised bits the calendar writes: local dates and times, type labels, lists of names."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.config.calendar import Prompt
from bot.gateway import Outbox
from bot.i18n import Translator


class CalendarText:
    def __init__(self, t: Translator, tz: ZoneInfo, outbox: Outbox) -> None:
        self.t = t
        self.tz = tz
        self.outbox = outbox

    def when(self, moment: datetime) -> str:
        return self.t.datetime(moment.astimezone(self.tz))

    def day(self, value: date) -> str:
        return self.t.date(value)

    def event_when(self, prompt: Prompt) -> str:
        value = prompt.date
        if isinstance(value, datetime):
            return self.when(value if value.tzinfo else value.replace(tzinfo=self.tz))
        return self.day(value) if value is not None else ""

    def type_label(self, kind: str) -> str:
        return self.t(f"calendar.type.{kind}")

    def channel(self, name: str) -> str:
        return self.outbox.gateway.channel_mention(name)

    def mention(self, member_id: str) -> str:
        return self.outbox.mention(member_id)

    def names(self, items: Sequence[str]) -> str:
        items = list(items)
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.t('calendar.and')} {items[-1]}"

    def preview(self, prompt: Prompt, limit: int = 70) -> str:
        text = " ".join(prompt.text.split()) or self.t("calendar.reminder.archive_story")
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
