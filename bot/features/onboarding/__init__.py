"""Onboarding: the first contact moment (welcome). Grown by the onboarding issue."""

from __future__ import annotations

from bot.features.onboarding.service import OnboardingService
from bot.kit import Kit
from bot.signals import MemberArrived


def install(kit: Kit, store: object | None = None) -> OnboardingService:
    service = OnboardingService(kit)
    if kit.config.onboarding.enabled:
        kit.signals.subscribe(MemberArrived, service.on_arrived)
    return service
