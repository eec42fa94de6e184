"""/privacy (info), /privacy export and /privacy forget, plus the confirmation buttons."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from bot.actions import Action, Attachment, Choice, Reply, SendDM, Style
from bot.commands import CommandCall, CommandSpec, Option, OptionKind, UsageError
from bot.events import ChoicePicked
from bot.features.privacy.service import SELF, PrivacyService
from bot.kit import Kit
from bot.timespec import format_duration

PREFIX = "privacy"


def export_file_name(member_id: str, moment: datetime) -> str:
    """`plein-export-<id>-<YYYYMMDDTHHMMSS>.json`: <id> is the member's platform id (without the
    platform prefix), lowercased, with anything but a-z, 0-9, _ and - turned into "-" and at most
    64 characters, so a hostile id or name can never reach outside a file name."""
    bare = member_id.split(":", 1)[-1].lower()
    slug = re.sub(r"[^a-z0-9_-]+", "-", bare).strip("-")[:64].strip("-") or "member"
    return f"plein-export-{slug}-{moment.strftime('%Y%m%dT%H%M%S')}.json"


class PrivacyCommands:
    def __init__(self, kit: Kit, service: PrivacyService) -> None:
        self.kit = kit
        self.service = service

    def specs(self) -> list[CommandSpec]:
        return [
            CommandSpec(path=("privacy",), handler=self.info, alias="info"),
            CommandSpec(path=("privacy", "export"), handler=self.export),
            CommandSpec(
                path=("privacy", "forget"),
                handler=self.forget,
                options=(
                    Option("member", OptionKind.MEMBER, required=False),
                    Option("confirm", OptionKind.BOOLEAN, required=False),
                ),
            ),
        ]

    # ---- /privacy -----------------------------------------------------------------------------

    async def info(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        window = self.kit.config.privacy.erase_after_leaving
        features = []
        for name in sorted(self.kit.personal_data.providers()):
            key = f"privacy.provider.{name}"
            features.append(t(key) if t.has(key) else name)
        lines = [
            t("privacy.info.title", community=self.kit.config.community.name),
            t("privacy.info.stored"),
            t("privacy.info.never"),
        ]
        if features:
            lines.append(t("privacy.info.features", features=", ".join(features)))
        if window is None:
            lines.append(t("privacy.info.retention_never"))
        else:
            whole_days = window.total_seconds() % 86400 == 0
            period = (
                t("privacy.period.days", days=window.days)
                if whole_days
                else format_duration(window)
            )
            lines.append(t("privacy.info.retention", period=period))
        lines.append(t("privacy.info.rights"))
        return [call.reply("\n".join(lines))]

    # ---- /privacy export ----------------------------------------------------------------------

    async def export(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        member_id = call.actor.id
        export = await self.service.export_member(member_id)
        attachment = Attachment(
            filename=export_file_name(member_id, self.kit.clock.now()),
            data=self.service.export_json(export),
            description=t("privacy.export.description"),
        )
        # Straight to the member's DMs; never a channel fallback for personal data.
        delivery = await self.kit.outbox.send(
            SendDM(member=member_id, text=t("privacy.export.dm"), files=(attachment,))
        )
        if delivery.ok:
            return [call.reply(t("privacy.export.sent"))]
        return [call.reply(t("privacy.export.here"), ephemeral=True, files=(attachment,))]

    # ---- /privacy forget ----------------------------------------------------------------------

    async def forget(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        target = call.options.get("member")
        subject = target.id if target is not None else call.actor.id
        for_other = subject != call.actor.id
        if for_other and not call.actor.is_manager:
            raise UsageError("privacy.forget.only_managers")
        if call.options.get("confirm") is True:
            return [call.reply(await self._erase(subject, call.actor.id, for_other))]
        who = self.kit.outbox.mention(subject)
        question = (
            t("privacy.forget.ask_other", member=who) if for_other else t("privacy.forget.ask")
        )
        return [
            call.reply(
                question,
                choices=(
                    Choice(f"{PREFIX}:forget:{subject}", t("privacy.forget.yes"), Style.DANGER),
                    Choice(f"{PREFIX}:cancel", t("privacy.forget.no")),
                ),
            )
        ]

    async def on_choice(self, event: ChoicePicked) -> Sequence[Action]:
        t = self.kit.t
        _, _, rest = event.choice_id.partition(":")
        verb, _, subject = rest.partition(":")
        if verb == "cancel":
            text = t("privacy.forget.cancelled")
        elif verb == "forget" and subject:
            for_other = subject != event.actor.id
            if for_other and not event.actor.is_manager:
                return [
                    Reply(interaction=event.interaction.id, text=t("privacy.forget.only_managers"))
                ]
            text = await self._erase(subject, event.actor.id, for_other)
        else:
            return []
        return [Reply(interaction=event.interaction.id, text=text)]

    async def _erase(self, subject: str, actor_id: str, for_other: bool) -> str:
        t = self.kit.t
        result = await self.service.forget(subject, actor=actor_id if for_other else SELF)
        if not result.ok:
            return t("privacy.forget.partial", failed=", ".join(result.failed))
        if for_other:
            return t("privacy.forget.done_other", member=self.kit.outbox.mention(subject))
        return t("privacy.forget.done")
