"""Manager-only commands: refused, with a friendly reply, for everyone else."""

from __future__ import annotations

from bot.commands import CommandSpec, UsageError
from bot.events import Actor


class NotManager(UsageError):
    def __init__(self, spec: CommandSpec) -> None:
        super().__init__("core.not_manager", command="/" + spec.name)


class ManagerGate:
    def check(self, spec: CommandSpec, actor: Actor) -> None:
        """Raise NotManager when a non-manager invokes a manager-only command."""
        if spec.manager_only and not actor.is_manager:
            raise NotManager(spec)
