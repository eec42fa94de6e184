"""Strings only the Slack adapter shows."""

MESSAGES = {
    "en": {
        "slack.unknown_subcommand": "I don't know `{slash} {subcommand}`. This is what I can do:",
        "slack.help.footer": "Type `{slash} help` to see this list again.",
        "slack.form.submit": "Send",
        "slack.form.cancel": "Cancel",
        "slack.form.open_button": "Fill in",
        "slack.form.fallback": "*{title}* - press the button to fill it in.",
        "slack.form.gone": "That form is no longer available; please start again.",
        "slack.busy": "I'm very busy right now and did not take that in. "
        "Please try again in a minute.",
    },
    "nl": {
        "slack.unknown_subcommand": "`{slash} {subcommand}` ken ik niet. Dit kan ik wel:",
        "slack.help.footer": "Typ `{slash} help` om dit lijstje nog eens te zien.",
        "slack.form.submit": "Versturen",
        "slack.form.cancel": "Annuleren",
        "slack.form.open_button": "Invullen",
        "slack.form.fallback": "*{title}* - druk op de knop om het in te vullen.",
        "slack.form.gone": "Dat formulier is niet meer beschikbaar; begin opnieuw.",
        "slack.busy": "Ik heb het nu erg druk en heb dit niet aangenomen. "
        "Probeer het over een minuutje nog eens.",
    },
}
