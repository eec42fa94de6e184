"""[calendar]: the content plan (themes -> prompts, two hosts each) and when Plein posts it.

Cross-checks that need the cron math or span sections (a slot naming a theme that does not
exist, a cron day 31 in February) live in bot.features.calendar.config_problems.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from bot.config.base import CronSpec, Duration, Section
from bot.config.survey_questions import check_count, checked_question

PromptType = Literal[
    "question", "stelling", "poll", "story", "action", "event", "case", "news", "survey"
]
PROMPT_TYPES: tuple[str, ...] = (
    "question",
    "stelling",
    "poll",
    "story",
    "action",
    "event",
    "case",
    "news",
    "survey",
)
ROTATE = "rotate"


def _event_date(value: object) -> object:
    """TOML dates and date-times pass through; strings like '2026-04-18' or '2026-04-18 10:00'."""
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            return datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"cannot read date {value!r}; use 2026-04-18 or 2026-04-18T10:00"
            ) from None
    return value


EventDate = Annotated[datetime | date, BeforeValidator(_event_date)]
SurveyQuestion = Annotated[str, AfterValidator(checked_question)]


class Prompt(Section):
    """One practical content item: a question, stelling, poll, story, action, event, case or news."""

    type: PromptType
    text: str = ""
    title: str = ""
    """Thread title for the replies; default: the start of the text."""
    options: list[str] = Field(default_factory=list)
    """Poll answers (2 to 10)."""
    date: EventDate | None = None
    """Event date (local date or local date-time in community.timezone)."""
    place: str = ""
    from_archive: bool = False
    """Story: resurface a story from the archive (spotlight) instead of, or else, the text."""
    questions: list[SurveyQuestion] = Field(default_factory=list)
    """Survey: 2 to 8 questions in /survey's syntax; the text is the survey's title."""
    anonymous: bool = False
    """Survey: store no member link with the answers."""
    duration: Duration | None = None
    """Survey: how long it stays open; default: [surveys] default_duration."""

    @model_validator(mode="after")
    def _fits_type(self) -> Prompt:
        if not self.text.strip() and not (self.type == "story" and self.from_archive):
            raise ValueError(f"a {self.type} prompt needs a text")
        if self.type == "poll":
            if not 2 <= len(self.options) <= 10:
                raise ValueError("a poll needs 2 to 10 options")
        elif self.options:
            raise ValueError(f"options only belong to a poll, not to a {self.type}")
        if self.type == "event":
            if self.date is None:
                raise ValueError("an event needs a date, like date = 2026-04-18T10:00")
        elif self.date is not None or self.place:
            raise ValueError(f"date and place only belong to an event, not to a {self.type}")
        if self.type == "survey":
            check_count(len(self.questions))
        elif self.questions or self.anonymous or self.duration is not None:
            raise ValueError(
                f"questions, anonymous and duration only belong to a survey, not to a {self.type}"
            )
        if self.from_archive and self.type != "story":
            raise ValueError("from_archive only belongs to a story")
        return self


class Theme(Section):
    name: str = Field(min_length=1)
    description: str = ""
    hosts: list[str] = Field(default_factory=list, max_length=2)
    """The two members responsible for this theme's items (console names, platform user ids)."""
    backup: str | None = None
    """A third member who gets the same reminders, in case a host cannot make it."""
    prompts: list[Prompt] = Field(min_length=1)


class Slot(Section):
    when: CronSpec
    """'mon 09:00', 'mon,thu 19:30', 'daily 08:00' or a 5-field cron expression (local time);
    day names in Dutch or English, short or full ('wo 19:00', 'woensdag 19:00')."""
    channel: str = ""
    """Where to post; empty = community.default_channel."""
    theme: str = ROTATE
    """A theme name, or "rotate" to cycle through all themes."""
    types: list[PromptType] = Field(default_factory=list)
    """Only prompts of these types; empty = any type."""
    id: str = ""
    """A stable name for this slot (kept in the database); default: built from when/channel/theme."""


class CalendarConfig(Section):
    enabled: bool = True
    reminder_before: Duration = timedelta(hours=24)
    """Hosts get their reminder this long before each post; "0s" = no reminders."""
    misfire_grace: Duration = timedelta(hours=1)
    """After downtime the latest missed post is still made if it is at most this late."""
    rotation: Literal["cycle", "once"] = "cycle"
    """cycle: no prompt repeats before all of its theme's prompts were used, then start over.
    once: every prompt is posted once; a theme with nothing left is skipped (managers alerted)."""
    repeat_gap: Duration = timedelta(days=3)
    """No slot posts a prompt within this long of another post of the same prompt (a rotate slot
    takes another theme instead, a theme's own slot skips); "0s" = only the rotation rule."""
    upcoming: int = Field(default=5, ge=1, le=25)
    """How many posts /calendar shows."""
    themes: list[Theme] = Field(default_factory=list)
    slots: list[Slot] = Field(default_factory=list)
