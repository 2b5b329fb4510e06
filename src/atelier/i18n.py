"""French and English through gettext-style catalogs.

Source strings are English msgids written as ``_("...")`` (or ``N_("...")`` to mark a
string translated later). The French catalogs live in ``locales/fr/*.json``; a test checks
that every msgid in the source has a translation and no catalog entry is stale.
Formatting helpers keep French typography: dates as 25/11/2026, decimal comma.
"""

from __future__ import annotations

import json
import locale
import os
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "en"
_LOCALES = Path(__file__).parent / "locales"

_current = DEFAULT_LANGUAGE


@cache
def catalog(lang: str) -> dict[str, str]:
    """All msgid → translation pairs of one language (English needs none)."""
    merged: dict[str, str] = {}
    folder = _LOCALES / lang
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def normalise_language(lang: str | None) -> str | None:
    """'fr_FR.UTF-8' → 'fr'; unknown languages → None."""
    if not lang:
        return None
    code = lang.strip().lower().replace("-", "_").split("_")[0].split(".")[0]
    return code if code in LANGUAGES else None


def detect_language(cli: str | None = None, config: str | None = None) -> str:
    """--lang, else the user config, else the locale (fr_* → French), else English."""
    for candidate in (cli, config):
        found = normalise_language(candidate)
        if found:
            return found
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "fr" if value.lower().startswith("fr") else DEFAULT_LANGUAGE
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "fr" if loc.lower().startswith("fr") else DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    global _current
    _current = normalise_language(lang) or DEFAULT_LANGUAGE


def get_language() -> str:
    return _current


def translate(msgid: str, lang: str) -> str:
    if lang == "en":
        return msgid
    return catalog(lang).get(msgid, msgid)


def _(msgid: str) -> str:
    """Translate into the current interface language."""
    return translate(msgid, _current)


def N_(msgid: str) -> str:
    """Mark a msgid for extraction; translate it later with ``_()``."""
    return msgid


def translator(lang: str) -> Callable[[str], str]:
    """A ``_`` bound to one language, for exports that follow the session's language."""
    lang = normalise_language(lang) or DEFAULT_LANGUAGE
    return lambda msgid: translate(msgid, lang)


def plural(lang: str, count: int, one: str, many: str, **values: object) -> str:
    """Pick the singular or plural form (French treats 0 as singular) and fill it in."""
    singular = count == 1 or (lang == "fr" and count == 0)
    return (one if singular else many).format(count=count, **values)


def format_date(value: date | str | None, lang: str) -> str:
    """25/11/2026 in French, 2026-11-25 in English; '' for no date."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def format_number(value: float, lang: str, digits: int = 1) -> str:
    """Decimal comma in French: 2,5."""
    text = f"{value:.{digits}f}" if not float(value).is_integer() else str(int(value))
    return text.replace(".", ",") if lang == "fr" else text


def format_duration(seconds: float) -> str:
    """Whole seconds as m:ss or h:mm:ss, negative for overtime."""
    sign = "-" if seconds < 0 else ""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"
