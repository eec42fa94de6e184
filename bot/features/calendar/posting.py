"""Turn a chosen prompt into a real community moment: a thread, a poll, a stelling, an event,
a survey."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime

from bot.actions import Choice, PostMessage, Style
from bot.features.api import EventPublisher, PollPublisher, StorySource, SurveyPublisher
from bot.features.calendar.hosts import Hosts
from bot.features.calendar.plan import Pick
from bot.features.calendar.text import CalendarText
from bot.gateway import Outbox

log = logging.getLogger("plein.calendar")

RSVP_PREFIX = "calendar"
THREAD_TITLE_MAX = 80
THREADED = {"question", "case", "action", "story"}


@dataclass(frozen=True)
class Published:
    ok: bool
    message_ref: str | None = None
    thread_ref: str | None = None
    reason: str | None = None


def post_key(occurrence_id: int) -> str:
    """The occurrence's post, whichever process makes it (PostMessage.key)."""
    return f"calendar.post:{occurrence_id}"


def rsvp_choice_id(occurrence_id: int) -> str:
    return f"{RSVP_PREFIX}:rsvp:{occurrence_id}"


def thread_title(pick: Pick) -> str:
    title = pick.prompt.title or " ".join(pick.prompt.text.split()) or pick.theme.name
    return title if len(title) <= THREAD_TITLE_MAX else title[: THREAD_TITLE_MAX - 1] + "…"


class Poster:
    def __init__(
        self,
        text: CalendarText,
        outbox: Outbox,
        hosts: Hosts,
        polls: PollPublisher | None,
        stories: StorySource | None,
    ) -> None:
        self.text = text
        self.outbox = outbox
        self.hosts = hosts
        self.polls = polls
        self.stories = stories
        self.events: EventPublisher | None = None
        """Set by the events feature: an event prompt with a time becomes a real event."""
        self.surveys: SurveyPublisher | None = None
        """Set by the surveys feature: a survey prompt opens a real survey."""

    async def publish(
        self, pick: Pick, channel: str, occurrence_id: int, now: datetime, *, takeover: bool = False
    ) -> Published:
        """`takeover`: another process claimed this post and died; if its message is there
        (found by the occurrence's key), that one counts and nothing is posted again."""
        prompt = pick.prompt
        try:
            if prompt.type == "poll" and hasattr(self.polls, "publish_poll"):
                assert self.polls is not None
                ref = await self.polls.publish_poll(
                    channel=channel, question=prompt.text, options=list(prompt.options)
                )
                return Published(ok=ref is not None, message_ref=ref, reason="poll not posted")
            if prompt.type == "stelling" and hasattr(self.polls, "publish_stelling"):
                assert self.polls is not None
                ref = await self.polls.publish_stelling(channel=channel, statement=prompt.text)
                return Published(ok=ref is not None, message_ref=ref, reason="stelling not posted")
            if prompt.type == "event" and self.events is not None:
                when = prompt.date
                if isinstance(when, datetime):
                    ref = await self.events.publish_event(
                        title=thread_title(pick),
                        description=prompt.text.strip(),
                        starts_at=when if when.tzinfo else when.replace(tzinfo=self.text.tz),
                        place=prompt.place,
                        channel=channel,
                        hosts=(await self.hosts.resolve(pick.theme)).members,
                        source_key=f"calendar:{pick.theme.name}:{pick.key}"[:200],
                    )
                    return Published(ok=ref is not None, message_ref=ref, reason="event not posted")
            if prompt.type == "survey" and self.surveys is not None:
                ref = await self.surveys.publish_survey(
                    title=prompt.text,
                    questions=prompt.questions,
                    anonymous=prompt.anonymous,
                    duration=prompt.duration,
                    channel=channel,
                    source_key=f"calendar:{occurrence_id}",
                )
                return Published(ok=ref is not None, message_ref=ref, reason="survey not opened")
            action = await self.message(pick, channel, occurrence_id, now)
        except Exception as exc:  # a publisher failing must not stop the calendar
            log.exception("publishing %s for %s failed", prompt.type, pick.theme.name)
            return Published(ok=False, reason=type(exc).__name__)
        keyed = dataclasses.replace(action, key=post_key(occurrence_id), look_first=takeover)
        delivery = await self.outbox.send(keyed)
        if not delivery.ok:
            return Published(ok=False, reason=delivery.reason or "not delivered")
        return Published(ok=True, message_ref=delivery.ref, thread_ref=delivery.thread_ref)

    async def message(
        self, pick: Pick, channel: str, occurrence_id: int, now: datetime
    ) -> PostMessage:
        t = self.text.t
        prompt = pick.prompt
        label = self.text.type_label(prompt.type)
        lines = [t("calendar.post.header", label=label, theme=pick.theme.name), ""]
        body = prompt.text.strip()
        if prompt.type == "story" and prompt.from_archive and hasattr(self.stories, "pick_story"):
            assert self.stories is not None
            story = await self.stories.pick_story(now)
            if story is not None:
                body = t("calendar.story.archive", title=story.title, text=story.text)
        if not body:
            body = t("calendar.story.invite", theme=pick.theme.name)
        lines.append(body)
        choices: tuple[Choice, ...] = ()
        if prompt.type == "event":
            lines.append("")
            lines.append(t("calendar.event.when", when=self.text.event_when(prompt)))
            if prompt.place:
                lines.append(t("calendar.event.where", place=prompt.place))
            choices = (
                Choice(rsvp_choice_id(occurrence_id), t("calendar.event.coming"), Style.SUCCESS),
            )
        elif prompt.type == "question":
            lines += ["", t("calendar.post.answer_hint")]
        elif prompt.type in THREADED:
            lines += ["", t("calendar.post.discuss_hint")]
        resolved = await self.hosts.resolve(pick.theme)
        if resolved.members:
            mentions = [self.text.mention(m) for m in resolved.members]
            lines.append(t("calendar.post.hosts", hosts=self.text.names(mentions)))
        return PostMessage(
            channel=channel,
            text="\n".join(lines),
            choices=choices,
            open_thread=thread_title(pick) if prompt.type in THREADED else None,
        )
