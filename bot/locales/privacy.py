from bot.i18n import Message, Plural

MESSAGES: dict[str, dict[str, Message]] = {
    "en": {
        "cmd.privacy": "What Plein stores about you, and your rights",
        "cmd.privacy.export": "Get everything Plein stores about you as a file",
        "cmd.privacy.forget": "Erase everything Plein stores about you",
        "cmd.privacy.forget.member": "Managers: the member whose data to erase",
        "cmd.privacy.forget.confirm": "yes: erase without asking again",
        "privacy.info.title": "Your data in {community}",
        "privacy.info.stored": (
            "What Plein stores about you: your member id and display name, when you joined and "
            "left, your answers to the welcome questions, counts and kinds of your contributions "
            "(when, where and how long - not what), your votes, kudos you gave or received with "
            "their reason, sign-ups for activities and stories you added."
        ),
        "privacy.info.never": (
            "What Plein never stores: the text of your messages. It only counts that you posted, "
            "where and how long the message was."
        ),
        "privacy.info.features": "Parts of Plein that keep something about you here: {features}.",
        "privacy.info.retention": (
            "When you leave, what Plein stored about you is erased automatically after {period}."
        ),
        "privacy.info.retention_never": (
            "When you leave, your data is kept until you or a manager ask to erase it."
        ),
        "privacy.info.rights": (
            "Type /privacy export to receive all of it as a file, or /privacy forget to erase it."
        ),
        "privacy.period.days": Plural("{days} day", "{days} days", by="days"),
        "privacy.provider.onboarding": "welcome answers",
        "privacy.provider.polls": "votes",
        "privacy.provider.recognition": "contributions and kudos",
        "privacy.provider.calendar": "activity sign-ups",
        "privacy.provider.spotlight": "stories and spotlights",
        "privacy.provider.report": "reports",
        "privacy.export.description": "Everything Plein stores about you (JSON)",
        "privacy.export.dm": "Here is everything Plein stores about you, as a JSON file.",
        "privacy.export.sent": "I sent you a private message with your data.",
        "privacy.export.here": (
            "I couldn't send you a private message, so here is your data (only you can see this)."
        ),
        "privacy.forget.ask": (
            "This erases everything Plein stores about you: your answers, your named votes, "
            "kudos reasons you wrote, stories you added and your contribution history. Totals "
            "that reports need are kept without your name. This cannot be undone. Are you sure?"
        ),
        "privacy.forget.ask_other": (
            "This erases everything Plein stores about {member}. It is recorded in the privacy "
            "log that you did this. This cannot be undone. Are you sure?"
        ),
        "privacy.forget.yes": "Yes, erase",
        "privacy.forget.no": "Cancel",
        "privacy.forget.cancelled": "Nothing was erased.",
        "privacy.forget.done": (
            "Done: everything Plein stored about you is erased. Only anonymous totals remain."
        ),
        "privacy.forget.done_other": "Done: everything Plein stored about {member} is erased.",
        "privacy.forget.partial": (
            "I erased most of it, but these parts failed: {failed}. Please try again in a moment."
        ),
        "privacy.forget.only_managers": "Only managers can erase another member's data.",
    },
    "nl": {
        "cmd.privacy": "Wat Plein over je bewaart, en wat je rechten zijn",
        "cmd.privacy.export": "Ontvang alles wat Plein over je bewaart als bestand",
        "cmd.privacy.forget": "Wis alles wat Plein over je bewaart",
        "cmd.privacy.forget.member": "Beheerders: het lid van wie je de gegevens wist",
        "cmd.privacy.forget.confirm": "ja: wissen zonder nog eens te vragen",
        "privacy.info.title": "Jouw gegevens in {community}",
        "privacy.info.stored": (
            "Wat Plein over je bewaart: je lid-id en weergavenaam, wanneer je lid werd en "
            "vertrok, je antwoorden op de welkomstvragen, aantallen en soorten van je bijdragen "
            "(wanneer, waar en hoe lang - niet wat), je stemmen, kudos die je gaf of kreeg met "
            "de reden, aanmeldingen voor activiteiten en verhalen die je toevoegde."
        ),
        "privacy.info.never": (
            "Wat Plein nooit bewaart: de tekst van je berichten. Plein telt alleen dat je iets "
            "plaatste, waar, en hoe lang het bericht was."
        ),
        "privacy.info.features": "Onderdelen van Plein die hier iets over je bewaren: {features}.",
        "privacy.info.retention": (
            "Als je vertrekt, wist Plein wat het over je bewaarde automatisch na {period}."
        ),
        "privacy.info.retention_never": (
            "Als je vertrekt, blijven je gegevens bewaard tot jij of een beheerder vraagt ze te wissen."
        ),
        "privacy.info.rights": (
            "Typ /privacy export om alles als bestand te krijgen, of /privacy forget om het te wissen."
        ),
        "privacy.period.days": Plural("{days} dag", "{days} dagen", by="days"),
        "privacy.provider.onboarding": "welkomstantwoorden",
        "privacy.provider.polls": "stemmen",
        "privacy.provider.recognition": "bijdragen en kudos",
        "privacy.provider.calendar": "aanmeldingen voor activiteiten",
        "privacy.provider.spotlight": "verhalen en spotlights",
        "privacy.provider.report": "rapporten",
        "privacy.export.description": "Alles wat Plein over je bewaart (JSON)",
        "privacy.export.dm": "Hier is alles wat Plein over je bewaart, als JSON-bestand.",
        "privacy.export.sent": "Ik heb je een privébericht gestuurd met je gegevens.",
        "privacy.export.here": (
            "Ik kon je geen privébericht sturen, dus hier zijn je gegevens (alleen jij ziet dit)."
        ),
        "privacy.forget.ask": (
            "Hiermee wis je alles wat Plein over je bewaart: je antwoorden, je stemmen op naam, "
            "redenen bij kudos die je schreef, verhalen die je toevoegde en je bijdragen. Totalen "
            "die rapporten nodig hebben blijven bewaard zonder je naam. Dit kan niet ongedaan "
            "worden gemaakt. Weet je het zeker?"
        ),
        "privacy.forget.ask_other": (
            "Hiermee wis je alles wat Plein over {member} bewaart. In het privacylogboek wordt "
            "vastgelegd dat jij dit deed. Dit kan niet ongedaan worden gemaakt. Weet je het zeker?"
        ),
        "privacy.forget.yes": "Ja, wissen",
        "privacy.forget.no": "Annuleren",
        "privacy.forget.cancelled": "Er is niets gewist.",
        "privacy.forget.done": (
            "Klaar: alles wat Plein over je bewaarde is gewist. Alleen anonieme totalen blijven."
        ),
        "privacy.forget.done_other": "Klaar: alles wat Plein over {member} bewaarde is gewist.",
        "privacy.forget.partial": (
            "Het meeste is gewist, maar deze onderdelen mislukten: {failed}. Probeer het zo nog eens."
        ),
        "privacy.forget.only_managers": "Alleen beheerders kunnen de gegevens van een ander lid wissen.",
    },
}
