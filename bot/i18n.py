"""Message catalogs: every user-visible string comes from here, in Dutch and English.

Each module in `bot.locales` holds `MESSAGES = {"en": {...}, "nl": {...}}` for one feature;
keys are namespaced by feature ("onboarding.welcome"). Templates use str.format fields.

Plurals: an entry is either a template or a `Plural` holding one template per CLDR plural
category (nl and en have "one" and "other"): `Plural("nog {points} punt", "nog {points} punten",
by="points")`. Babel's plural rule of the language picks the form for the number passed as the
parameter named in `by` ("count" unless said otherwise), so callers just pass their fields:
`t("recognition.me.needs_points", points=n)`. A message with two counted nouns renders each
counted phrase from its own plural entry and passes it in as a plain field.

Dates, times, weekdays and numbers go through Babel in the community's language and timezone
(`t.date(d)`, `t.datetime(moment)`, `t.time(moment)`, `t.weekday(d)`, `t.number(n)`): "wo 25 mrt
09:00" / "Wed 25 Mar 09:00", never ISO. ISO stays for logs, exports and storage keys.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from string import Formatter
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal

import bot.locales

LANGUAGES = ("nl", "en")
# The Babel locale behind each catalog; English is written the British way ("Wed 25 Mar").
BABEL_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


@dataclass(frozen=True)
class Plural:
    """One message in the plural forms of a language, chosen by the number in parameter `by`."""

    one: str
    other: str
    by: str = "count"

    def forms(self) -> dict[str, str]:
        """Template by CLDR plural category."""
        return {"one": self.one, "other": self.other}


Message = str | Plural
Catalog = dict[str, Message]
"""One language's messages: key -> template."""
Messages = Mapping[str, Mapping[str, Message]]
"""One module's MESSAGES: language -> key -> template."""


def load_catalogs(
    sources: Iterable[tuple[str, Messages]] | None = None,
) -> dict[str, Catalog]:
    """Merge (name, MESSAGES) catalogs; without `sources`, every module in bot.locales.

    The composition root passes the listed features' catalogs (bot/feature_list.py).
    """
    if sources is None:
        sources = _every_locale_module()
    merged: dict[str, Catalog] = {lang: {} for lang in LANGUAGES}
    for name, messages in sources:
        for lang in LANGUAGES:
            for key, text in messages.get(lang, {}).items():
                if key in merged[lang]:
                    raise ValueError(f"message key {key!r} defined twice ({name})")
                merged[lang][key] = text
    return merged


def _every_locale_module() -> list[tuple[str, Messages]]:
    return [
        (info.name, importlib.import_module(f"bot.locales.{info.name}").MESSAGES)
        for info in pkgutil.iter_modules(bot.locales.__path__)
    ]


def placeholders(template: Message) -> set[str]:
    """The fields a message uses; for a plural entry, those of all its forms together."""
    if isinstance(template, Plural):
        return set().union(*(placeholders(form) for form in template.forms().values()))
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def plural_categories(language: str) -> frozenset[str]:
    """The CLDR plural categories the language distinguishes ("one", "other" for nl and en)."""
    return frozenset(Locale.parse(BABEL_LOCALES[language]).plural_form.tags) | {"other"}


class Translator:
    def __init__(
        self,
        language: str,
        catalogs: dict[str, Catalog] | None = None,
        *,
        timezone: str | dt.tzinfo = "UTC",
    ) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        self.language = language
        self.locale = Locale.parse(BABEL_LOCALES[language])
        self.tz = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
        self._messages = (catalogs or load_catalogs())[language]

    def __call__(self, key: str, /, **params: object) -> str:
        return self.t(key, **params)

    def t(self, key: str, /, **params: object) -> str:
        try:
            entry = self._messages[key]
        except KeyError:
            raise KeyError(f"no message {key!r} in the {self.language} catalog") from None
        template = entry if isinstance(entry, str) else self._plural_form(key, entry, params)
        return (
            template.format(**params) if params else template.replace("{{", "{").replace("}}", "}")
        )

    def has(self, key: str) -> bool:
        return key in self._messages

    def plural_category(self, n: int | float | Decimal) -> str:
        return str(self.locale.plural_form(n))

    def _plural_form(self, key: str, plural: Plural, params: Mapping[str, object]) -> str:
        n = params.get(plural.by)
        if isinstance(n, bool) or not isinstance(n, int | float | Decimal):
            raise TypeError(f"message {key!r} has plural forms: pass a number as {plural.by}=")
        forms = plural.forms()
        return forms.get(self.plural_category(n), plural.other)

    # Dates and numbers, the way people write them in the community's language.

    def _local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.tz) if moment.tzinfo else moment.replace(tzinfo=self.tz)

    def _day(self, value: dt.date) -> dt.date:
        return self._local(value).date() if isinstance(value, dt.datetime) else value

    def date(self, value: dt.date, *, year: bool = False, weekday: bool = True) -> str:
        """'wo 25 mrt' / 'Wed 25 Mar'; with the year 'wo 25 mrt 2026'; without weekday '25 mrt'."""
        skeleton = ("y" if year else "") + "MMM" + ("E" if weekday else "") + "d"
        return format_skeleton(skeleton, self._day(value), locale=self.locale)

    def time(self, moment: dt.datetime) -> str:
        return format_time(self._local(moment), "HH:mm", locale=self.locale)

    def datetime(self, moment: dt.datetime) -> str:
        """'wo 25 mrt 09:00' / 'Wed 25 Mar 09:00' in the community's timezone."""
        return self.t("i18n.datetime", date=self.date(moment), time=self.time(moment))

    def weekday(self, value: dt.date) -> str:
        """The full weekday name: 'vrijdag' / 'Friday'."""
        return format_date(self._day(value), "EEEE", locale=self.locale)

    def number(self, n: int | float | Decimal) -> str:
        return format_decimal(n, locale=self.locale)
