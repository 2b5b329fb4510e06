"""Text from the room, cleaned before it is stored: controls stripped, NFC, lengths
checked; dates and times parsed from the ways people write them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from atelier.errors import AtelierError
from atelier.i18n import _, get_language

_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_SPACES = re.compile(r"[ \t]+")


def strip_controls(text: str, multiline: bool = False) -> str:
    """Remove ANSI escape sequences and control characters; tabs and, unless ``multiline``,
    line breaks become spaces. Shared by the model and the input fields, so a paste from a
    terminal can never restyle the screen."""
    text = _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")


def clean_text(
    value: object,
    what: str,
    *,
    max_len: int,
    min_len: int = 1,
    multiline: bool = False,
) -> str:
    """Trim, NFC-normalise and strip control characters; refuse what cannot be stored.

    Control characters (ANSI escape sequences included) are removed rather than refused so
    that a paste from a terminal still lands; tabs and, unless ``multiline``, line breaks
    become spaces. Lone surrogates cannot be saved as UTF-8 and are refused.
    """
    if not isinstance(value, str):
        raise AtelierError(_("{what}: text expected.").format(what=_(what)))
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise AtelierError(
            _("{what} contains an invalid character (a lone surrogate).").format(what=_(what))
        )
    text = unicodedata.normalize("NFC", strip_controls(value, multiline))
    if multiline:
        text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    else:
        text = _SPACES.sub(" ", text)
    text = text.strip()
    if len(text) < min_len:
        raise AtelierError(_("{what} is empty.").format(what=_(what)))
    if len(text) > max_len:
        raise AtelierError(
            _("{what} is too long ({count} characters; at most {limit}).").format(
                what=_(what), count=_count(len(text)), limit=_count(max_len)
            )
        )
    return text


def _count(number: int) -> str:
    """1,000 in English, 1 000 in French (non-breaking space)."""
    text = f"{number:,}"
    return text.replace(",", "\u00a0") if get_language() == "fr" else text


DATE_FORMATS = (
    re.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)


def parse_date(value: str | None) -> str | None:
    """25/11/2026, 25/11/26, 25.11.2026 or 2026-11-25 → '2026-11-25'; '' → None."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    for pattern in DATE_FORMATS:
        match = pattern.match(text)
        if match:
            year = int(match["y"])
            year += 2000 if year < 100 else 0
            try:
                return date(year, int(match["m"]), int(match["d"])).isoformat()
            except ValueError:
                break
    raise AtelierError(_("Unknown date “{text}”: write it as 25/11/2026.").format(text=text[:40]))


TIME_FORMAT = re.compile(r"^(?P<h>\d{1,2})\s*(?:[:hH.]\s*(?P<m>\d{2})?)?$")


def parse_time(value: str | None) -> str:
    """9:30, 9h30, 09.30, 9h or 9 → '09:30' / '09:00'; '' → ''."""
    text = str(value or "").strip()
    if not text:
        return ""
    match = TIME_FORMAT.match(text)
    if match:
        hours, minutes = int(match["h"]), int(match["m"] or 0)
        if hours < 24 and minutes < 60:
            return f"{hours:02d}:{minutes:02d}"
    raise AtelierError(_("Unknown time “{text}”: write it as 14:30.").format(text=text[:40]))
