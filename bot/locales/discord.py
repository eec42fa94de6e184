"""Strings only the Discord adapter shows (keys "discord.*")."""

MESSAGES = {
    "en": {
        "discord.done": "Done.",
        "discord.open_form": "Open the form",
        "discord.form_prompt": "Tap the button to fill in: {title}",
        "discord.form_gone": "This form has expired; run the command again.",
        "discord.group": "{group} commands",
        "discord.restarted": "Sorry, I restarted before I could answer; please try again.",
    },
    "nl": {
        "discord.done": "Klaar.",
        "discord.open_form": "Open het formulier",
        "discord.form_prompt": "Tik op de knop om in te vullen: {title}",
        "discord.form_gone": "Dit formulier is verlopen; voer het commando opnieuw uit.",
        "discord.group": "{group}-commando's",
        "discord.restarted": "Sorry, ik ben opnieuw gestart voordat ik kon antwoorden; probeer het nog eens.",
    },
}
