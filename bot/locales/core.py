from bot.i18n import Message, Plural

MESSAGES: dict[str, dict[str, Message]] = {
    "en": {
        "cmd.help": "Show what Plein can do for you here",
        "core.help.title": "Commands in {community}:",
        "core.not_manager": "Only community managers can use {command}.",
        "core.error": "Sorry, something went wrong on my side. Nothing was changed; please try again in a moment.",
        "core.storage_failed": "Sorry, I can't save anything right now, so this was not recorded. Please try again later.",
        "core.usage.unknown_command": "I don't know the command {command}. Type /help to see what I can do.",
        "core.usage.quotes": 'A quote is not closed. Put text with spaces between "double quotes".',
        "core.usage.too_many": "That is more than I expected. Use it like this: {usage}",
        "core.usage.unknown_option": "There is no option '{option}'. Use it like this: {usage}",
        "core.usage.missing": "Please add {the_option}. Use it like this: {usage}",
        "core.usage.question": (
            "Where does the question end? End it with a question mark or put it between "
            "quotes. Use it like this: {usage}\n"
            "For example: /poll Which day shall we walk? Saturday Sunday"
        ),
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
        "core.not_manager": "Alleen communitybeheerders kunnen {command} gebruiken.",
        "core.error": "Sorry, er ging bij mij iets mis. Er is niets veranderd; probeer het zo nog eens.",
        "core.storage_failed": "Sorry, ik kan nu niets opslaan, dus dit is niet vastgelegd. Probeer het later nog eens.",
        "core.usage.unknown_command": "Het commando {command} ken ik niet. Typ /help om te zien wat ik kan.",
        "core.usage.quotes": 'Er staat een aanhalingsteken open. Zet tekst met spaties tussen "dubbele aanhalingstekens".',
        "core.usage.too_many": "Dat is meer dan ik verwachtte. Gebruik het zo: {usage}",
        "core.usage.unknown_option": "De optie '{option}' bestaat niet. Gebruik het zo: {usage}",
        "core.usage.missing": "Vul {the_option} nog in. Gebruik het zo: {usage}",
        "core.usage.question": (
            "Waar houdt de vraag op? Eindig hem met een vraagteken of zet hem tussen "
            "aanhalingstekens. Gebruik het zo: {usage}\n"
            "Bijvoorbeeld: /poll Welke dag wandelen we? zaterdag zondag"
        ),
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


# The words members type for options and choices (bot/command_words.py): `opt.<name>` is the
# option's name (also its Discord name: lowercase, no spaces), `opt.<name>.the` names it in a
# sentence, `choice.<value>` is a choice word. English names are accepted in every community.
_OPTIONS = {
    # name: (English phrase, Dutch name, Dutch phrase)
    "allow_add": ("adding options", "toevoegen", "of leden opties mogen toevoegen"),
    "amount": ("the amount", "punten", "het aantal punten"),
    "anonymous": ("whether it is anonymous", "anoniem", "of het anoniem is"),
    "closes": ("the closing time", "sluit", "het sluitmoment"),
    "command": ("the command", "commando", "het commando"),
    "confirm": ("the confirmation", "bevestig", "de bevestiging"),
    "count": ("the number", "aantal", "het aantal"),
    "duration": ("the duration", "duur", "de duur"),
    "max_choices": ("the maximum number of choices", "max_keuzes", "het maximum aantal keuzes"),
    "member": ("the member", "lid", "het lid"),
    "option": ("the options", "optie", "de opties"),
    "period": ("the period", "periode", "de periode"),
    "question": ("the question", "vraag", "de vraag"),
    "reason": ("the reason", "reden", "de reden"),
    "ref": ("the number", "nummer", "het nummer"),
    "results": ("the results", "uitslag", "de uitslag"),
    "role": ("the role", "rol", "de rol"),
    "statement": ("the statement", "stelling", "de stelling"),
    "text": ("the text", "tekst", "de tekst"),
    "theme": ("the theme", "thema", "het thema"),
    "title": ("the title", "titel", "de titel"),
    "vote": ("your vote", "stem", "je stem"),
}
_CHOICES = {
    "week": "week",
    "month": "maand",
    "all": "alles",
    "live": "live",
    "hidden": "verborgen",
    "season": "seizoen",
    "agree": "eens",
    "disagree": "oneens",
}
for _name, (_en_phrase, _nl_name, _nl_phrase) in _OPTIONS.items():
    MESSAGES["en"][f"opt.{_name}"] = _name
    MESSAGES["en"][f"opt.{_name}.the"] = _en_phrase
    MESSAGES["nl"][f"opt.{_name}"] = _nl_name
    MESSAGES["nl"][f"opt.{_name}.the"] = _nl_phrase
for _value, _nl_word in _CHOICES.items():
    MESSAGES["en"][f"choice.{_value}"] = _value
    MESSAGES["nl"][f"choice.{_value}"] = _nl_word

MESSAGES["en"].update(
    {
        "cmd.help.command": "One command to explain, e.g. poll",
        "core.help.managers": "For managers:",
        "core.help.more": "Type /help poll (or any command) for an explanation with an example.",
        "core.help.example": "For example: {example}",
        "core.usage.did_you_mean": "I don't know the command {command}. Did you mean {suggestion}?",
        "core.dm_help": (
            "Hi! I'm Plein, the bot of {community}. I welcome new members, run polls and "
            "statements, keep the calendar and thank people for their help. Type /help in the "
            "community to see what you can do."
        ),
        "cmd.poll.example": "/poll Which day shall we walk? Saturday Sunday",
        "cmd.stelling.example": "/stelling Dogs belong on a lead duration:2d",
        "cmd.kudos.example": "/kudos @anna thanks for leading the walk",
        "cmd.top.example": "/top period:month",
        "cmd.poll.close.example": "/poll close 3",
        "cmd.poll.add.example": "/poll add 3 The beach",
        "cmd.spotlight.nominate.example": "/spotlight nominate @bob always helps newcomers",
        "cmd.story.add.example": '/story add "Our first walk" In 1998 five of us walked the ring.',
    }
)
MESSAGES["nl"].update(
    {
        "cmd.help.command": "Eén commando om uit te leggen, bijvoorbeeld poll",
        "core.help.managers": "Voor beheerders:",
        "core.help.more": "Typ /help poll (of een ander commando) voor uitleg met een voorbeeld.",
        "core.help.example": "Bijvoorbeeld: {example}",
        "core.usage.did_you_mean": "Het commando {command} ken ik niet. Bedoel je {suggestion}?",
        "core.dm_help": (
            "Hoi! Ik ben Plein, de bot van {community}. Ik heet nieuwe leden welkom, zet polls "
            "en stellingen uit, houd de kalender bij en bedank mensen voor hun hulp. Typ /help "
            "in de community om te zien wat je kunt doen."
        ),
        "cmd.poll.example": "/poll Welke dag wandelen we? zaterdag zondag",
        "cmd.stelling.example": "/stelling Honden horen aan de lijn duur:2d",
        "cmd.kudos.example": "/kudos @anna bedankt voor het leiden van de wandeling",
        "cmd.top.example": "/top periode:maand",
        "cmd.poll.close.example": "/poll close 3",
        "cmd.poll.add.example": "/poll add 3 Het strand",
        "cmd.spotlight.nominate.example": "/spotlight nominate @bob helpt altijd nieuwkomers",
        "cmd.story.add.example": '/story add "Onze eerste wandeling" In 1998 liepen we met vijf mensen de ring.',
    }
)
