"""[rules]: groundrules made together (/rules). How long a vote runs and whether members re-accept
a new version are onboarding's keys (`rules_vote_duration`, `require_reacceptance`): the rules
are the groundrules newcomers accept."""

from __future__ import annotations

from pydantic import Field

from bot.config.base import Section


class RulesConfig(Section):
    enabled: bool = True
    channel: str | None = Field(
        default=None,
        description="Where proposals are put to the vote and adoptions announced "
        "(default: the community's default channel).",
    )
