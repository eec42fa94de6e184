"""Privacy: members' data rights (/privacy, export, forget) and retention for members who left.

Every feature registers a PersonalDataProvider with `kit.personal_data`; this feature walks them.
"""

from __future__ import annotations

from bot.config.privacy import PrivacyConfig
from bot.features.manifest import FeatureManifest, Peers
from bot.features.privacy.commands import PREFIX, PrivacyCommands
from bot.features.privacy.ports import PrivacyStore
from bot.features.privacy.service import PrivacyService
from bot.kit import Kit
from bot.locales.privacy import MESSAGES
from bot.scheduling import Deadlines

__all__ = ["MANIFEST", "PrivacyService", "install"]


def install(kit: Kit, store: PrivacyStore, peers: Peers) -> PrivacyService | None:
    if not kit.config.privacy.enabled:
        return None
    service = PrivacyService(kit, store)
    commands = PrivacyCommands(kit, service)
    for spec in commands.specs():
        kit.commands.add(spec)
    kit.dispatcher.on_choice(PREFIX, commands.on_choice)
    if kit.config.privacy.erase_after_leaving is not None:
        kit.jobs.add_deadlines(
            Deadlines(
                name="privacy.retention",
                next_due=service.next_retention_due,
                run_due=service.run_retention,
            )
        )
    return service


MANIFEST: FeatureManifest[PrivacyStore] = FeatureManifest(
    name="privacy",
    section="privacy",
    config_model=PrivacyConfig,
    messages=MESSAGES,
    install=install,
)
