from bot.i18n import Message, Plural

MESSAGES: dict[str, dict[str, Message]] = {
    "en": {
        "cmd.help": "Show what Plein can do for you here",
        "core.help.title": "Commands in {community}:",
        "core.help.manager_marker": " (managers)",
        "core.not_manager": "Only community managers can use {command}.",
        "core.error": "Sorry, something went wrong on my side. Nothing was changed; please try again in a moment.",
        "core.storage_failed": "Sorry, I can't save anything right now, so this was not recorded. Please try again later.",
        "core.usage.unknown_command": "I don't know the command {command}. Type /help to see what I can do.",
        "core.usage.quotes": 'A quote is not closed. Put text with spaces between "double quotes".',
        "core.usage.too_many": "That is more than I expected. Use it like this: {usage}",
        "core.usage.unknown_option": "There is no option '{option}'. Use it like this: {usage}",
        "core.usage.missing": "Please add '{option}'. Use it like this: {usage}",
        "core.usage.count": Plural(
            "'{option}' takes between {min} and {max} value. Use it like this: {usage}",
            "'{option}' takes between {min} and {max} values. Use it like this: {usage}",
            by="max",
        ),
        "core.usage.no_member": "I can't find a member called {value}.",
        "core.usage.not_integer": "'{option}' should be a whole number, not '{value}'.",
        "core.usage.range": "'{option}' should be between {min} and {max}.",
        "core.usage.duration": "I can't read '{value}' as a duration for '{option}'. Try 30m, 2h or 3d.",
        "core.usage.boolean": "'{option}' should be yes or no, not '{value}'.",
        "core.usage.choice": "'{value}' is not a choice for '{option}'. Pick one of: {allowed}.",
        "core.usage.too_long": Plural(
            "'{option}' can be at most {max} character.",
            "'{option}' can be at most {max} characters.",
            by="max",
        ),
        "i18n.datetime": "{date} {time}",
        "core.dm_fallback_note": "(I couldn't send you a private message, so I'm posting here.)",
    },
    "nl": {
        "cmd.help": "Laat zien wat Plein hier voor je kan doen",
        "core.help.title": "Commando's in {community}:",
        "core.help.manager_marker": " (beheerders)",
        "core.not_manager": "Alleen communitybeheerders kunnen {command} gebruiken.",
        "core.error": "Sorry, er ging bij mij iets mis. Er is niets veranderd; probeer het zo nog eens.",
        "core.storage_failed": "Sorry, ik kan nu niets opslaan, dus dit is niet vastgelegd. Probeer het later nog eens.",
        "core.usage.unknown_command": "Het commando {command} ken ik niet. Typ /help om te zien wat ik kan.",
        "core.usage.quotes": 'Er staat een aanhalingsteken open. Zet tekst met spaties tussen "dubbele aanhalingstekens".',
        "core.usage.too_many": "Dat is meer dan ik verwachtte. Gebruik het zo: {usage}",
        "core.usage.unknown_option": "De optie '{option}' bestaat niet. Gebruik het zo: {usage}",
        "core.usage.missing": "Vul '{option}' nog in. Gebruik het zo: {usage}",
        "core.usage.count": Plural(
            "'{option}' heeft tussen {min} en {max} waarde nodig. Gebruik het zo: {usage}",
            "'{option}' heeft tussen {min} en {max} waarden nodig. Gebruik het zo: {usage}",
            by="max",
        ),
        "core.usage.no_member": "Ik kan geen lid vinden met de naam {value}.",
        "core.usage.not_integer": "'{option}' moet een heel getal zijn, niet '{value}'.",
        "core.usage.range": "'{option}' moet tussen {min} en {max} liggen.",
        "core.usage.duration": "Ik kan '{value}' niet lezen als duur voor '{option}'. Probeer 30m, 2h of 3d.",
        "core.usage.boolean": "'{option}' moet ja of nee zijn, niet '{value}'.",
        "core.usage.choice": "'{value}' is geen keuze voor '{option}'. Kies uit: {allowed}.",
        "core.usage.too_long": Plural(
            "'{option}' mag hoogstens {max} teken lang zijn.",
            "'{option}' mag hoogstens {max} tekens lang zijn.",
            by="max",
        ),
        "i18n.datetime": "{date} {time}",
        "core.dm_fallback_note": "(Ik kon je geen privébericht sturen, dus ik zet het hier.)",
    },
}

MESSAGES["en"]["console.banner"] = (
    "Plein console community for {community}. Type 'join anna', then 'anna: /help'. "
    "Lines: join/leave NAME, NAME: TEXT, NAME dm: TEXT, NAME replies REF: TEXT, NAME reacts REF EMOJI, "
    "NAME picks REF CHOICE. Ctrl-D quits."
)
MESSAGES["nl"]["console.banner"] = (
    "Plein-consolecommunity voor {community}. Typ 'join anna' en daarna 'anna: /help'. "
    "Regels: join/leave NAAM, NAAM: TEKST, NAAM dm: TEKST, NAAM replies REF: TEKST, NAAM reacts REF EMOJI, "
    "NAAM picks REF KEUZE. Ctrl-D stopt."
)
