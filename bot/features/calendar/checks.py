"""Checks of [calendar] the schema cannot express, as 'calendar.key.path: message' lines."""

from __future__ import annotations

from bot.config import PleinConfig
from bot.config.calendar import ROTATE
from bot.features.calendar.plan import find_theme, prompt_key, slot_plans
from bot.scheduling import TriggerMath


def config_problems(config: PleinConfig, cron: TriggerMath) -> list[str]:
    calendar = config.calendar
    problems: list[str] = []
    seen_themes: dict[str, int] = {}
    for i, theme in enumerate(calendar.themes):
        lowered = theme.name.strip().lower()
        if lowered == ROTATE:
            problems.append(
                f'calendar.themes[{i + 1}].name: "{ROTATE}" is reserved for slots; pick another name'
            )
        if lowered in seen_themes:
            problems.append(
                f"calendar.themes[{i + 1}].name: theme {theme.name!r} is already defined "
                f"at calendar.themes[{seen_themes[lowered] + 1}]"
            )
        seen_themes.setdefault(lowered, i)
        seen_prompts: dict[str, int] = {}
        for j, prompt in enumerate(theme.prompts):
            key = prompt_key(prompt)
            if key in seen_prompts:
                problems.append(
                    f"calendar.themes[{i + 1}].prompts[{j + 1}]: same type and text as "
                    f"calendar.themes[{i + 1}].prompts[{seen_prompts[key] + 1}]"
                )
            seen_prompts.setdefault(key, j)
        if theme.backup and theme.backup in theme.hosts:
            problems.append(f"calendar.themes[{i + 1}].backup: {theme.backup!r} is already a host")
    names = ", ".join(repr(t.name) for t in calendar.themes) or "(none defined)"
    seen_slots: dict[str, int] = {}
    for slot, plan in zip(calendar.slots, slot_plans(config), strict=True):
        i = plan.index
        message = cron.validate(slot.when)
        if message is not None:
            problems.append(f"calendar.slots[{i + 1}].when: {message}")
        if plan.key in seen_slots:
            problems.append(
                f"calendar.slots[{i + 1}]: same when, channel and theme as "
                f"calendar.slots[{seen_slots[plan.key] + 1}]; give one of them a distinct id"
            )
        seen_slots.setdefault(plan.key, i)
        if slot.theme == ROTATE:
            themes = list(calendar.themes)
            if not themes:
                problems.append(
                    f'calendar.slots[{i + 1}].theme: "{ROTATE}" needs at least one theme'
                )
                continue
        else:
            found = find_theme(calendar.themes, slot.theme)
            if found is None:
                problems.append(
                    f"calendar.slots[{i + 1}].theme: unknown theme {slot.theme!r}; "
                    f'use one of {names} or "{ROTATE}"'
                )
                continue
            themes = [found]
        if slot.types and not any(p.type in slot.types for t in themes for p in t.prompts):
            problems.append(
                f"calendar.slots[{i + 1}].types: no prompt of type {', '.join(slot.types)} "
                f"in theme(s) {', '.join(t.name for t in themes)}"
            )
    return problems
