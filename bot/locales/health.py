from bot.i18n import Message, Plural

EN: dict[str, Message] = {
    "cmd.questions": "Questions and newcomers' first posts still waiting for a reply",
    "health.nudge": Plural(
        "{count} question is still waiting for an answer:",
        "{count} questions are still waiting for an answer:",
    ),
    "health.open": Plural(
        "{count} question without a reply yet (last 7 days):",
        "{count} questions without a reply yet (last 7 days):",
    ),
    "health.none_waiting": "Every question of the last 7 days has had a reply. 🎉",
    "health.waiting.question": "• {member} asked in {channel} on {when}",
    "health.waiting.first_post": "• {member} (new) posted for the first time in {channel} on {when}",
    "health.waiting.prompt": "• the calendar question of {theme} in {channel} on {when}",
}

NL: dict[str, Message] = {
    "cmd.questions": "Vragen en eerste berichten van nieuwkomers die nog op een reactie wachten",
    "health.nudge": Plural(
        "{count} vraag wacht nog op antwoord:",
        "{count} vragen wachten nog op antwoord:",
    ),
    "health.open": Plural(
        "{count} vraag nog zonder reactie (laatste 7 dagen):",
        "{count} vragen nog zonder reactie (laatste 7 dagen):",
    ),
    "health.none_waiting": "Elke vraag van de laatste 7 dagen heeft een reactie gekregen. 🎉",
    "health.waiting.question": "• {member} vroeg in {channel} op {when}",
    "health.waiting.first_post": "• {member} (nieuw) plaatste een eerste bericht in {channel} op {when}",
    "health.waiting.prompt": "• de vraag van {theme} in {channel} op {when}",
}

MESSAGES: dict[str, dict[str, Message]] = {"en": EN, "nl": NL}
