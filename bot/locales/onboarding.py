MESSAGES = {
    "en": {
        "onboarding.welcome.default": "Welcome to {community}, {member}! You are member number {member_count}. What we stand for: {mission}",
    },
    "nl": {
        "onboarding.welcome.default": "Welkom bij {community}, {member}! Je bent lid nummer {member_count}. Waar we voor staan: {mission}",
    },
}
