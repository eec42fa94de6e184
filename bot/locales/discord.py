"""Strings only the Discord adapter shows (keys "discord.*")."""

MESSAGES = {
    "en": {
        "discord.done": "Done.",
        "discord.open_form": "Open the form",
        "discord.form_prompt": "Tap the button to fill in: {title}",
        "discord.form_gone": "This form has expired; run the command again.",
        "discord.group": "{group} commands",
        "discord.restarted": "Sorry, I restarted before I could answer; please try again.",
        "check.discord.shard_count_missing": "needs discord.shard_count as well: the number of shards over all processes together",
        "check.discord.shard_ids_empty": "lists no shard; name this process's shards, or leave shard_ids out for all of them",
        "check.discord.shard_out_of_range": "shard {shard} does not exist: with shard_count = {count} the shards are 0 to {last}",
        "check.discord.shard_twice": "shard {shard} is listed twice",
        "check.discord.shards_on_sqlite": "on SQLite Plein runs as one process, which must hold every shard (0 to {last}); leave shard_ids out, or use PostgreSQL to run several processes",
        "check.discord.shards_need_guild": "needed when this process holds only some shards: it tells which shard carries the community",
    },
    "nl": {
        "discord.done": "Klaar.",
        "discord.open_form": "Open het formulier",
        "discord.form_prompt": "Tik op de knop om in te vullen: {title}",
        "discord.form_gone": "Dit formulier is verlopen; voer het commando opnieuw uit.",
        "discord.group": "{group}-commando's",
        "discord.restarted": "Sorry, ik ben opnieuw gestart voordat ik kon antwoorden; probeer het nog eens.",
        "check.discord.shard_count_missing": "heeft ook discord.shard_count nodig: het aantal shards van alle processen samen",
        "check.discord.shard_ids_empty": "noemt geen enkele shard; noem de shards van dit proces, of laat shard_ids weg voor allemaal",
        "check.discord.shard_out_of_range": "shard {shard} bestaat niet: met shard_count = {count} lopen de shards van 0 tot en met {last}",
        "check.discord.shard_twice": "shard {shard} staat er twee keer in",
        "check.discord.shards_on_sqlite": "op SQLite draait Plein als één proces, dat dan alle shards moet hebben (0 tot en met {last}); laat shard_ids weg, of gebruik PostgreSQL om meerdere processen te draaien",
        "check.discord.shards_need_guild": "nodig als dit proces maar een deel van de shards heeft: het zegt op welke shard de community zit",
    },
}
