"""Configuration reload (SIGHUP): re-read the file, refuse it whole if it is invalid, else hand
each changed section to the part that can apply it live.

Sections nobody applies live (the database URL, tokens, the web port, ...) are logged as waiting
for a restart, so an operator knows exactly what took effect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.config import ConfigError, PleinConfig

log = logging.getLogger("plein.reload")

Apply = Callable[[PleinConfig], object]
Source = Callable[[], PleinConfig]


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    applied: tuple[str, ...] = ()
    restart_needed: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


class Reloads:
    def __init__(self, config: PleinConfig) -> None:
        self.current = config
        """The configuration in force for the sections applied live."""
        self._appliers: dict[str, list[Apply]] = {}

    def on(self, section: str, apply: Apply) -> None:
        """`apply(new_config)` runs when `section` changed in a valid reloaded file."""
        if section not in PleinConfig.model_fields:
            raise ValueError(f"no config section {section!r}")
        self._appliers.setdefault(section, []).append(apply)

    def reload(self, source: Source | None) -> ReloadResult:
        if source is None:
            log.warning("config reload asked, but Plein runs without a config file")
            return ReloadResult(ok=False, problems=("no config file to reload",))
        try:
            new = source()
        except ConfigError as err:
            lines = tuple(err.lines())
            log.error(
                "config reload refused; the running configuration stays in force",
                extra={"problems": list(lines)},
            )
            for line in lines:
                log.error(line)
            return ReloadResult(ok=False, problems=lines)
        changed = [
            name
            for name in PleinConfig.model_fields
            if getattr(new, name) != getattr(self.current, name)
        ]
        applied, restart = [], []
        for name in changed:
            appliers = self._appliers.get(name)
            if not appliers:
                restart.append(name)
                continue
            for apply in appliers:
                apply(new)
            applied.append(name)
        self.current = self.current.model_copy(update={n: getattr(new, n) for n in applied})
        log.warning(
            "config reloaded",
            extra={"applied": applied, "restart_needed": restart},
        )
        return ReloadResult(ok=True, applied=tuple(applied), restart_needed=tuple(restart))
