"""The content plan as the calendar uses it: slots with stable keys, prompts with stable keys, and
the rotation rule (pure functions; the service feeds them what the database remembers).

Rotation is least-recently-used: a prompt never used comes first (in TOML order), otherwise the
one used longest ago. So no prompt repeats before all of its theme's prompts were used, a prompt
added later is posted once and then joins the cycle, and "rotate" slots cycle themes the same way.
State is keyed by theme name + a hash of the prompt's type and text, so editing the TOML keeps it.

Slots never repeat a prompt within `repeat_gap` of its last (or next planned) use: a rotate slot
then takes another theme, a theme's own slot another prompt or, with nothing else, nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import PleinConfig
from bot.config.calendar import ROTATE, Prompt, Slot, Theme
from bot.features.calendar.ports import Usage

MANUAL_PREFIX = "manual:"


@dataclass(frozen=True)
class SlotPlan:
    key: str
    index: int
    cron: str
    channel: str
    theme: str
    """A theme name or "rotate"."""
    types: frozenset[str]


@dataclass(frozen=True)
class Pick:
    theme: Theme
    prompt: Prompt
    key: str


def slot_key(slot: Slot, channel: str) -> str:
    if slot.id:
        return slot.id[:200]
    return f"{slot.when}|{channel}|{slot.theme}"[:200]


def slot_plans(config: PleinConfig) -> list[SlotPlan]:
    plans = []
    for index, slot in enumerate(config.calendar.slots):
        channel = slot.channel or config.community.default_channel
        plans.append(
            SlotPlan(
                key=slot_key(slot, channel),
                index=index,
                cron=slot.when,
                channel=channel,
                theme=slot.theme,
                types=frozenset(slot.types),
            )
        )
    return plans


def prompt_key(prompt: Prompt) -> str:
    raw = f"{prompt.type}\n{' '.join(prompt.text.split())}\n{prompt.from_archive}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def event_moment(prompt: Prompt, tz: ZoneInfo) -> datetime | None:
    """When the event ends being relevant: its time, or the end of its day."""
    when = prompt.date
    if when is None:
        return None
    if isinstance(when, datetime):
        return when if when.tzinfo else when.replace(tzinfo=tz)
    assert isinstance(when, date)
    return datetime.combine(when, time(23, 59), tzinfo=tz)


def eligible(prompt: Prompt, types: frozenset[str], at: datetime, tz: ZoneInfo) -> bool:
    if types and prompt.type not in types:
        return False
    if prompt.type == "event":
        moment = event_moment(prompt, tz)
        return moment is not None and moment > at
    return True


def find_theme(themes: Iterable[Theme], name: str) -> Theme | None:
    lowered = name.strip().lower()
    return next((t for t in themes if t.name.lower() == lowered), None)


def find_prompt(themes: Sequence[Theme], theme_name: str, key: str) -> Pick | None:
    theme = find_theme(themes, theme_name)
    if theme is None:
        return None
    for prompt in theme.prompts:
        if prompt_key(prompt) == key:
            return Pick(theme, prompt, key)
    return None


def _lru(last: datetime | None, index: int) -> tuple[int, float, int]:
    return (0, 0.0, index) if last is None else (1, last.timestamp(), index)


def choose_prompt(
    theme: Theme,
    usage: Usage,
    *,
    types: frozenset[str] = frozenset(),
    at: datetime,
    tz: ZoneInfo,
    rotation: str = "cycle",
    gap: timedelta = timedelta(0),
) -> Pick | None:
    candidates = []
    for index, prompt in enumerate(theme.prompts):
        if not eligible(prompt, types, at, tz):
            continue
        key = prompt_key(prompt)
        last = usage.prompts.get((theme.name, key))
        if rotation == "once" and last is not None:
            continue
        if last is not None and abs(at - last) < gap:
            continue
        candidates.append((_lru(last, index), prompt, key))
    if not candidates:
        return None
    _, prompt, key = min(candidates, key=lambda c: c[0])
    return Pick(theme, prompt, key)


def choose(
    slot: SlotPlan,
    themes: Sequence[Theme],
    usage: Usage,
    at: datetime,
    *,
    tz: ZoneInfo,
    rotation: str = "cycle",
    gap: timedelta = timedelta(0),
) -> Pick | None:
    """The prompt this slot posts at `at`, given what was used before."""
    if slot.theme != ROTATE:
        theme = find_theme(themes, slot.theme)
        if theme is None:
            return None
        return choose_prompt(
            theme, usage, types=slot.types, at=at, tz=tz, rotation=rotation, gap=gap
        )
    options = []
    for index, theme in enumerate(themes):
        pick = choose_prompt(
            theme, usage, types=slot.types, at=at, tz=tz, rotation=rotation, gap=gap
        )
        if pick is not None:
            options.append((_lru(usage.slot_themes.get((slot.key, theme.name)), index), pick))
    if not options:
        return None
    return min(options, key=lambda o: o[0])[1]
