"""`plein doctor`: one line per check of a configured community, OK or what to do.

The platform checks live in the adapters (adapters/discord/doctor.py, adapters/slack/doctor.py);
this module holds what they share: the result of one check, the channels a config names, and
the printing and exit code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.config import PleinConfig
from bot.i18n import Translator

EXIT_ALL_PASS = 0
EXIT_SOMETHING_TO_DO = 1


@dataclass(frozen=True)
class CheckResult:
    """`label` says what was checked; `fix` is None when it passed, else what to do."""

    label: str
    fix: str | None = None

    @property
    def ok(self) -> bool:
        return self.fix is None


def configured_channels(config: PleinConfig) -> list[str]:
    """Every channel the config names, community channels first, each once."""
    names = [
        config.community.default_channel,
        config.community.welcome_channel,
        config.community.managers_channel,
        config.onboarding.intro_channel,
        config.report.channel,
        config.spotlight.channel,
        config.recognition.announce_channel or "",
        *(slot.channel for slot in config.calendar.slots),
    ]
    seen: list[str] = []
    for name in names:
        name = name.strip().lstrip("#")
        if name and name not in seen:
            seen.append(name)
    return seen


def configured_roles(config: PleinConfig) -> list[str]:
    """The platform roles Plein hands out to newcomers and members."""
    roles = [config.onboarding.member_role, config.onboarding.newcomer_role]
    return [role for role in dict.fromkeys(roles) if role]


def database_check(t: Translator, problem: str | None) -> CheckResult:
    """`problem` is Database.readiness(): None when reachable and migrated."""
    label = t("doctor.database")
    return CheckResult(
        label, None if problem is None else t("doctor.fix.database", problem=problem)
    )


def report(results: list[CheckResult], t: Translator, out: Callable[[str], None]) -> int:
    for result in results:
        if result.ok:
            out(t("doctor.line.ok", label=result.label))
        else:
            out(t("doctor.line.fix", label=result.label, fix=result.fix))
    failed = sum(1 for result in results if not result.ok)
    out(t("doctor.summary.ok") if not failed else t("doctor.summary.fix", count=failed))
    return EXIT_SOMETHING_TO_DO if failed else EXIT_ALL_PASS
