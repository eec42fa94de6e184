"""Forms as a DM question sequence (Matrix has no modals): one field at a time, in memory.

A form half-answered when Plein restarts is gone; the member starts it again (the command or
button that opened it still works)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.actions import Form, FormField


@dataclass
class OpenFormState:
    form: Form
    channel: str | None
    answers: dict[str, str] = field(default_factory=dict)

    def next_field(self) -> FormField | None:
        return next((f for f in self.form.fields if f.id not in self.answers), None)


class DmForms:
    def __init__(self) -> None:
        self._open: dict[str, OpenFormState] = {}

    def start(self, user_id: str, form: Form, channel: str | None) -> FormField | None:
        state = OpenFormState(form, channel)
        self._open[user_id] = state
        return state.next_field()

    def is_open(self, user_id: str) -> bool:
        return user_id in self._open

    def answer(self, user_id: str, text: str, skip_word: str) -> tuple[FormField | None, str]:
        """Record the answer; returns the next field (None when done) and an error key ('' when
        the answer was taken)."""
        state = self._open[user_id]
        current = state.next_field()
        assert current is not None
        value = text.strip()
        if value.lower() == skip_word.lower() and not current.required:
            value = ""
        elif not value:
            return current, "matrix.form.empty"
        elif len(value) > current.max_length:
            return current, "matrix.form.too_long"
        state.answers[current.id] = value
        return state.next_field(), ""

    def finish(self, user_id: str) -> OpenFormState:
        return self._open.pop(user_id)

    def field_prompt(self, spec: FormField, optional_hint: str) -> str:
        text = spec.label
        if spec.options:
            text += f" ({', '.join(spec.options)})"
        if not spec.required:
            text += f"\n{optional_hint}"
        return text
