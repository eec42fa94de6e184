"""The report's health section and charts (merged into the report feature's catalog)."""

from bot.i18n import Message, Plural

EN: dict[str, Message] = {
    "report.failed": "⚠️ The report could not be made: reading {what} failed. Nothing was counted as zero; the log has the details.",
    "report.health.answers": "Fast answers: {within} of {due} questions and newcomers' first posts got a first reply within {limit} ({share}); median first reply {median}",
    "report.health.waiting": Plural(
        "Still waiting for a reply: {count} (older than {limit})",
        "Still waiting for a reply: {count} (older than {limit})",
    ),
    "report.health.no_asks": "Fast answers: no questions or newcomers' first posts to answer yet",
    "report.health.connections": "Connections: {two_way} with a two-way connection; newcomers connected within two weeks: {connected} of {newcomers} ({share})",
    "report.health.members": Plural("{count} member", "{count} members"),
    "report.health.helpers": "Helping newcomers most: {helpers}",
    "report.health.helper": Plural("{member} ({count} newcomer)", "{member} ({count} newcomers)"),
    "report.health.retention": "Newcomers still active: after 1 week {week1}, after 4 weeks {week4}, after 12 weeks {week12}",
    "report.health.moves": "Ladder over 4 weeks: {up} up, {down} down",
    "report.health.ambassador_newcomers": Plural(
        ", helped {count} newcomer", ", helped {count} newcomers"
    ),
    "report.chart.v2.active": "Active members per week",
    "report.chart.v2.goal": "goal",
    "report.chart.v2.members": "members",
    "report.chart.v2.ladder": "Participation ladder",
    "report.chart.v2.cohorts": "Newcomers still active (by join week)",
    "report.chart.v2.after": Plural("after {count} week", "after {count} weeks"),
    "report.chart.v2.heatmap": "When members are active (average per hour, {weeks})",
    "report.chart.v2.weeks": Plural("last {count} week", "last {count} weeks"),
    "report.chart.v2.no_data": "no data yet",
}

NL: dict[str, Message] = {
    "report.failed": "⚠️ Het rapport kon niet gemaakt worden: {what} lezen lukte niet. Er is niets als nul geteld; het logboek heeft de details.",
    "report.health.answers": "Snelle antwoorden: {within} van {due} vragen en eerste berichten van nieuwkomers kregen binnen {limit} een eerste reactie ({share}); mediaan eerste reactie {median}",
    "report.health.waiting": Plural(
        "Wacht nog op een reactie: {count} (ouder dan {limit})",
        "Wachten nog op een reactie: {count} (ouder dan {limit})",
    ),
    "report.health.no_asks": "Snelle antwoorden: nog geen vragen of eerste berichten van nieuwkomers om te beantwoorden",
    "report.health.connections": "Verbindingen: {two_way} met een wederzijdse verbinding; nieuwkomers binnen twee weken verbonden: {connected} van {newcomers} ({share})",
    "report.health.members": Plural("{count} lid", "{count} leden"),
    "report.health.helpers": "Helpen nieuwkomers het meest: {helpers}",
    "report.health.helper": Plural(
        "{member} ({count} nieuwkomer)", "{member} ({count} nieuwkomers)"
    ),
    "report.health.retention": "Nieuwkomers nog actief: na 1 week {week1}, na 4 weken {week4}, na 12 weken {week12}",
    "report.health.moves": "Ladder over 4 weken: {up} omhoog, {down} omlaag",
    "report.health.ambassador_newcomers": Plural(
        ", hielp {count} nieuwkomer", ", hielp {count} nieuwkomers"
    ),
    "report.chart.v2.active": "Actieve leden per week",
    "report.chart.v2.goal": "doel",
    "report.chart.v2.members": "leden",
    "report.chart.v2.ladder": "Participatieladder",
    "report.chart.v2.cohorts": "Nieuwkomers nog actief (per week van binnenkomst)",
    "report.chart.v2.after": Plural("na {count} week", "na {count} weken"),
    "report.chart.v2.heatmap": "Wanneer leden actief zijn (gemiddeld per uur, {weeks})",
    "report.chart.v2.weeks": Plural("laatste {count} week", "laatste {count} weken"),
    "report.chart.v2.no_data": "nog geen gegevens",
}

MESSAGES: dict[str, dict[str, Message]] = {"en": EN, "nl": NL}
