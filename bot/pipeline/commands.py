"""A command event -> its spec, the manager gate, checked options, the feature's handler."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action
from bot.commands import (
    CommandCall,
    CommandCatalogue,
    MemberResolver,
    Vocabulary,
    convert_options,
    unknown_command,
)
from bot.events import CommandInvoked
from bot.pipeline.managers import ManagerGate


class RunCommand:
    def __init__(
        self,
        commands: CommandCatalogue,
        gate: ManagerGate,
        resolve_member: MemberResolver,
        words: Vocabulary | None = None,
    ) -> None:
        self.commands = commands
        self.words = words
        self.gate = gate
        self.resolve_member = resolve_member

    async def __call__(self, event: CommandInvoked) -> Sequence[Action]:
        spec = self.commands.get(event.path)
        if spec is None:
            raise unknown_command(event.path, self.commands)
        self.gate.check(spec, event.actor)
        options = await convert_options(spec, event.options, self.resolve_member, self.words)
        return await spec.handler(CommandCall(event, options))
