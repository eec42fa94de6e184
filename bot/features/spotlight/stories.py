"""The story archive: the one place Plein keeps text, because someone explicitly asked it to.

`/story add title:... text:...` (a form asks for the text when it is missing); a manager reacting
with `[spotlight].story_emoji` marks a message - Plein never reads message text, so it asks that
manager (by DM, with a form) to write the story down, keeping a link to the message.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from datetime import datetime

from bot.actions import Action, Choice, Form, FormField, OpenForm, Reply, SendDM, Style
from bot.commands import CommandCall, CommandSpec, Option, UsageError
from bot.events import ChoicePicked, FormSubmitted, ReactionAdded
from bot.features.api import ArchivedStory
from bot.features.spotlight.ports import StoryStore
from bot.kit import Kit

TITLE_MAX = 120
TEXT_MAX = 3000


class StoryService:
    def __init__(self, kit: Kit, store: StoryStore) -> None:
        self.kit = kit
        self.store = store

    def install(self) -> None:
        add = self.kit.commands.add
        add(
            CommandSpec(
                path=("story", "add"),
                handler=self.cmd_add,
                options=(
                    Option("title", max_length=TITLE_MAX),
                    Option("text", required=False, max_length=TEXT_MAX),
                ),
            )
        )
        add(CommandSpec(path=("story", "list"), handler=self.cmd_list))
        add(CommandSpec(path=("story", "random"), handler=self.cmd_random))
        self.kit.dispatcher.on(ReactionAdded, self.on_reaction)
        self.kit.dispatcher.on_choice("story", self.on_choice)
        self.kit.dispatcher.on_form("story", self.on_form)

    # ---- commands ----------------------------------------------------------------------------

    async def cmd_add(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        title = str(call.options["title"]).strip()
        if not title:
            raise UsageError("spotlight.story.empty_title")
        now = self.kit.clock.now()
        text = str(call.options.get("text") or "").strip()
        if text:
            story_id = await self.store.add_story(
                title=title, text=text, added_by=call.actor.id, at=now
            )
            return [call.reply(t("spotlight.story.added", id=story_id, title=title))]
        story_id = await self.store.add_story(
            title=title, text="", added_by=call.actor.id, at=now, status="draft"
        )
        return [
            OpenForm(
                interaction=call.interaction,
                member=call.actor.id,
                form=self._form(story_id, ask_title=False),
            )
        ]

    async def cmd_list(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        stories = await self.store.list_stories(10)
        if not stories:
            return [call.reply(t("spotlight.story.none"))]
        total = await self.store.count_stories()
        lines = [t("spotlight.story.list_title", count=total)]
        for story in stories:
            lines.append(
                t(
                    "spotlight.story.list_line",
                    id=story.id,
                    title=story.title,
                    date=t.date(story.added_at, year=True, weekday=False),
                    by=self._by(story),
                )
            )
        return [call.reply("\n".join(lines))]

    async def cmd_random(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        stories = await self.store.list_stories(500)
        if not stories:
            return [call.reply(t("spotlight.story.none"))]
        now = self.kit.clock.now()
        seed = hashlib.sha256(f"{call.actor.id}|{now.isoformat()}".encode()).hexdigest()
        story = random.Random(int(seed[:16], 16)).choice(stories)
        await self.store.mark_shown(story.id, now)
        return [call.reply(self.render(story), ephemeral=call.channel is None)]

    def render(self, story: ArchivedStory, *, from_archive: bool = False) -> str:
        t = self.kit.t
        head = t("spotlight.story.archive_head") if from_archive else ""
        body = t(
            "spotlight.story.show",
            title=story.title,
            text=story.text,
            by=self._by(story),
            date=t.date(story.added_at, year=True, weekday=False),
        )
        return f"{head}\n{body}" if head else body

    def _by(self, story: ArchivedStory) -> str:
        if story.added_by is None:
            return self.kit.t("spotlight.story.someone")
        return self.kit.outbox.mention(story.added_by)

    # ---- marking a message -------------------------------------------------------------------

    async def on_reaction(self, event: ReactionAdded) -> Sequence[Action]:
        emoji = self.kit.config.spotlight.story_emoji
        if event.emoji != emoji or not self.kit.is_manager(event.member.id):
            return []
        if await self.store.story_by_source(event.message_ref) is not None:
            return []
        story_id = await self.store.add_story(
            title="",
            text="",
            added_by=event.member.id,
            at=self.kit.clock.now(),
            source_ref=event.message_ref,
            source_channel=event.channel,
            status="pending",
        )
        t = self.kit.t
        return [
            SendDM(
                member=event.member.id,
                text=t("spotlight.story.marked", ref=event.message_ref),
                choices=(
                    Choice(f"story:write:{story_id}", t("spotlight.story.write"), Style.PRIMARY),
                ),
            )
        ]

    async def on_choice(self, event: ChoicePicked) -> Sequence[Action]:
        parts = event.choice_id.split(":")
        if len(parts) != 3 or parts[1] != "write" or not parts[2].isdigit():
            return []
        story_id = int(parts[2])
        return [
            OpenForm(
                interaction=event.interaction.id,
                member=event.actor.id,
                form=self._form(story_id, ask_title=True),
            )
        ]

    def _form(self, story_id: int, *, ask_title: bool) -> Form:
        t = self.kit.t
        fields = []
        if ask_title:
            fields.append(
                FormField(id="title", label=t("spotlight.story.field_title"), max_length=TITLE_MAX)
            )
        fields.append(
            FormField(
                id="text",
                label=t("spotlight.story.field_text"),
                multiline=True,
                max_length=TEXT_MAX,
            )
        )
        return Form(
            id=f"story:{story_id}", title=t("spotlight.story.form_title"), fields=tuple(fields)
        )

    async def on_form(self, event: FormSubmitted) -> Sequence[Action]:
        t = self.kit.t
        try:
            story_id = int(event.form_id.split(":", 1)[1])
        except (IndexError, ValueError):
            return []
        story = await self.store.story(story_id)
        reply = Reply(interaction=event.interaction.id, text="")
        if story is None or story.added_by != event.actor.id:
            return [Reply(interaction=reply.interaction, text=t("spotlight.story.not_yours"))]
        title = str(event.values.get("title", story.title)).strip()[:TITLE_MAX]
        text = str(event.values.get("text", "")).strip()[:TEXT_MAX]
        if not title or not text:
            return [Reply(interaction=reply.interaction, text=t("spotlight.story.empty"))]
        await self.store.complete_story(story_id, title, text)
        return [
            Reply(
                interaction=reply.interaction,
                text=t("spotlight.story.added", id=story_id, title=title),
            )
        ]

    # ---- StorySource -------------------------------------------------------------------------

    async def pick_story(self, now: datetime) -> ArchivedStory | None:
        candidates = await self.store.least_recently_shown(1)
        if not candidates:
            return None
        await self.store.mark_shown(candidates[0].id, now)
        return candidates[0]
