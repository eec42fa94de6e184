"""What each deadline source last said it is due, so the loop does not ask after every run.

A source's `next_due()` is a database query; the loop looks for the earliest work after each
piece of work it runs, and a busy day is hundreds of runs. An answer is kept until the source
runs (the loop forgets it before `run_due`), is poked (feature code pokes after adding earlier
work, by contract), or the recheck interval passes: then every source is asked again at once,
for work another process added (its pokes do not reach this one). With no recheck interval
(virtual time) answers are kept until a run or a poke; ManualScheduler pokes every source at
each advance instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Ticket:
    """Taken before asking a source: an answer to a question asked before a poke is not kept."""

    name: str
    generation: int


@dataclass(frozen=True)
class Answer:
    due: datetime | None
    generation: int


class DueCache:
    def __init__(self, recheck: timedelta | None) -> None:
        self.recheck = recheck
        self._answers: dict[str, Answer] = {}
        self._generation: dict[str, int] = {}
        self._all_generation = 0
        self._swept_at: datetime | None = None

    def sweep(self, now: datetime) -> datetime | None:
        """Forget every answer once the recheck interval has passed (or the clock moved back,
        as a system clock can); returns when the next sweep is due (None: never)."""
        if self.recheck is None:
            return None
        if self._swept_at is None or not self._swept_at <= now < self._swept_at + self.recheck:
            self.forget()
            self._swept_at = now
        return self._swept_at + self.recheck

    def get(self, name: str) -> Answer | None:
        """The kept answer, or None when the source must be asked."""
        answer = self._answers.get(name)
        if answer is None or answer.generation != self._current(name):
            return None
        return answer

    def ticket(self, name: str) -> Ticket:
        return Ticket(name, self._current(name))

    def keep(self, ticket: Ticket, due: datetime | None) -> None:
        if ticket.generation != self._current(ticket.name):
            return  # poked while it was being asked: the answer may predate the new work
        self._answers[ticket.name] = Answer(due, ticket.generation)

    def forget(self, name: str | None = None) -> None:
        """Ask `name` (None: every source) again, even if an answer is on its way."""
        if name is None:
            self._all_generation += 1
            self._answers.clear()
            return
        self._generation[name] = self._generation.get(name, 0) + 1
        self._answers.pop(name, None)

    def _current(self, name: str) -> int:
        return self._generation.get(name, 0) + self._all_generation
