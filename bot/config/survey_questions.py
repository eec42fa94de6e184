"""The survey question syntax, shared by `/survey` and `type = "survey"` calendar prompts:
'poll: Which day? / Saturday / Sunday', 'stelling: ...' (or 'statement:'), 'text: ...' or plain
text (a free-text question). Mistakes are PydanticCustomErrors, told in the community's language
by the config loader and turned into usage errors by `/survey`."""

from __future__ import annotations

from pydantic_core import PydanticCustomError

MIN_QUESTIONS = 2
MAX_QUESTIONS = 8
MIN_OPTIONS = 2
MAX_OPTIONS = 10
KINDS = {
    "poll": "poll",
    "stelling": "stelling",
    "statement": "stelling",
    "text": "text",
    "tekst": "text",
}
ERRORS = frozenset({"survey_empty_question", "survey_options", "survey_count"})


def split_question(raw: str) -> tuple[str, str, tuple[str, ...]]:
    """(kind, text, poll options) of one question; the kind is 'poll', 'stelling' or 'text'."""
    head, sep, rest = raw.partition(":")
    kind = KINDS.get(head.strip().lower()) if sep else None
    body = rest if kind is not None else raw
    kind = kind or "text"
    parts = [p.strip() for p in body.split("/")] if kind == "poll" else [body]
    text = " ".join(parts[0].split())
    if not text:
        raise PydanticCustomError("survey_empty_question", "the question has no text")
    options = tuple(dict.fromkeys(p for p in parts[1:] if p))
    if kind == "poll" and not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise PydanticCustomError(
            "survey_options",
            "a poll question needs 2 to 10 answers after the question, split by '/'",
        )
    return kind, text, options


def checked_question(raw: str) -> str:
    split_question(raw)
    return raw


def check_count(count: int) -> None:
    if not MIN_QUESTIONS <= count <= MAX_QUESTIONS:
        raise PydanticCustomError(
            "survey_count", "a survey needs 2 to 8 questions, not {count}", {"count": count}
        )
