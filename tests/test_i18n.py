"""Translations: every msgid of the source is in the French catalogs and no entry is stale;
French typography (non-breaking spaces) in catalogs and built-in data; language detection
and French formats."""

from __future__ import annotations

import ast
import json
import re
import string
import tomllib
from collections import Counter
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from atelier import i18n

SRC = Path(i18n.__file__).resolve().parent
CATALOGS = SRC / "locales" / "fr"
DATA = SRC / "data"
SOURCES = sorted(SRC.rglob("*.py"))
MARKERS = {"_", "N_"}

# A plain space before ; : ! ? » or after «: French wants U+00A0 there.
BAD_SPACE = re.compile(r" [;:!?»]|« ")


def _marker(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in MARKERS
    return isinstance(func, ast.Attribute) and func.attr in MARKERS


@cache
def msgids_of(path: Path) -> dict[str, int]:
    """msgid → first line, for every ``_("…")`` / ``N_("…")`` with a literal first argument."""
    found: dict[str, int] = {}
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and _marker(node.func)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.setdefault(node.args[0].value, node.lineno)
    return found


@cache
def all_msgids() -> frozenset[str]:
    return frozenset(m for path in SOURCES for m in msgids_of(path))


@cache
def catalogs() -> dict[str, dict[str, Any]]:
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(CATALOGS.glob("*.json"))
    }


def merged() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for entries in catalogs().values():
        out.update(entries)
    return out


def placeholders(text: str) -> Counter[str]:
    return Counter(
        name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None
    )


def rel(path: Path) -> str:
    return str(path.relative_to(SRC.parent))


# --------------------------------------------------------------------------- catalogs


def test_sources_have_msgids() -> None:
    assert len(all_msgids()) > 100  # the extraction works


def test_extraction_finds_literal_calls_only(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'from atelier.i18n import _, N_\nA = N_("one")\n'
        'def f(x):\n    return _("two {x}").format(x=x) + _(x) + i18n._("three")\n',
        encoding="utf-8",
    )
    assert set(msgids_of(sample)) == {"one", "two {x}", "three"}


@pytest.mark.parametrize("path", SOURCES, ids=[rel(p) for p in SOURCES])
def test_every_msgid_is_translated(path: Path) -> None:
    known = merged()
    missing = [
        f"{rel(path)}:{line}: {msgid!r}"
        for msgid, line in msgids_of(path).items()
        if msgid not in known
    ]
    assert not missing, "msgids missing from locales/fr/*.json:\n" + "\n".join(missing)


def test_no_stale_catalog_entries() -> None:
    used = all_msgids()
    stale = [
        f"{name}: {msgid!r}"
        for name, entries in catalogs().items()
        for msgid in entries
        if msgid not in used
    ]
    assert not stale, "catalog entries no source uses any more:\n" + "\n".join(stale)


def test_catalogs_are_objects_of_non_empty_strings() -> None:
    for name, entries in catalogs().items():
        assert isinstance(entries, dict), name
        for msgid, text in entries.items():
            assert isinstance(text, str) and text.strip(), f"{name}: {msgid!r}"


def test_a_msgid_has_one_translation() -> None:
    """Catalogs are merged in file order: the same msgid translated two ways is a bug."""
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for name, entries in catalogs().items():
        for msgid, text in entries.items():
            if msgid in seen and seen[msgid][1] != text:
                clashes.append(f"{msgid!r}: {seen[msgid][0]} {seen[msgid][1]!r} ≠ {name} {text!r}")
            seen.setdefault(msgid, (name, text))
    assert not clashes, "\n".join(clashes)


def test_placeholders_are_kept() -> None:
    wrong = [
        f"{name}: {msgid!r} → {text!r}"
        for name, entries in catalogs().items()
        for msgid, text in entries.items()
        if placeholders(msgid) != placeholders(text)
    ]
    assert not wrong, "translations that change the {placeholders}:\n" + "\n".join(wrong)


def test_french_typography_in_catalogs() -> None:
    wrong = [
        f"{name}: {text!r}"
        for name, entries in catalogs().items()
        for text in entries.values()
        if BAD_SPACE.search(text)
    ]
    assert not wrong, "use U+00A0 before ; : ! ? » and after «:\n" + "\n".join(wrong)


def french_texts(value: Any) -> Iterator[str]:
    """Every French text of a template: values of "fr" keys, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "fr" and isinstance(item, str):
                yield item
            else:
                yield from french_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from french_texts(item)


DATA_FILES = sorted(DATA.rglob("*.toml"))


@pytest.mark.parametrize("path", DATA_FILES, ids=[p.name for p in DATA_FILES])
def test_french_typography_in_data(path: Path) -> None:
    texts = list(french_texts(tomllib.loads(path.read_text(encoding="utf-8"))))
    assert texts, "no French text found"
    wrong = [text for text in texts if BAD_SPACE.search(text)]
    assert not wrong, f"{path.name}: use U+00A0 before ; : ! ? » and after «: {wrong}"


def test_typography_check_itself() -> None:
    assert BAD_SPACE.search("Bonjour : ça va ?")
    assert BAD_SPACE.search("« citation\u00a0»")
    assert not BAD_SPACE.search("Bonjour\u00a0: ça va\u00a0? «\u00a0oui\u00a0»")
    assert not BAD_SPACE.search("http://x.org 2:30")


def test_french_messages_reach_the_user() -> None:
    i18n.set_language("fr")
    assert i18n._("Not found: {what} {id}.") == "Introuvable\u00a0: {what} {id}."
    assert i18n.translator("fr")("Setup") == "Préparation"
    assert i18n.translator("en")("Setup") == "Setup"
    assert i18n._("no such msgid") == "no such msgid"
    i18n.set_language("en")
    assert i18n._("Setup") == "Setup"


# --------------------------------------------------------------------------- language


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(i18n.locale, "getlocale", lambda *_a: (None, None))
    return monkeypatch


def test_detect_language_order(clean_env: pytest.MonkeyPatch) -> None:
    assert i18n.detect_language() == "en"
    clean_env.setenv("LANG", "fr_FR.UTF-8")
    assert i18n.detect_language() == "fr"
    assert i18n.detect_language(config="en") == "en"  # the config beats the locale
    assert i18n.detect_language(cli="fr", config="en") == "fr"  # --lang beats the config
    assert i18n.detect_language(cli="de", config="en") == "en"  # unknown --lang: next one
    clean_env.setenv("LANG", "de_DE.UTF-8")
    assert i18n.detect_language() == "en"
    clean_env.setenv("LC_ALL", "fr_CA.UTF-8")
    assert i18n.detect_language() == "fr"


def test_detect_language_from_the_system_locale(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setattr(i18n.locale, "getlocale", lambda *_a: ("fr_FR", "UTF-8"))
    assert i18n.detect_language() == "fr"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("fr", "fr"), ("FR", "fr"), ("fr_FR.UTF-8", "fr"), ("en-GB", "en"), ("de", None), ("", None)],
)
def test_normalise_language(given: str, expected: str | None) -> None:
    assert i18n.normalise_language(given) == expected


def test_format_date() -> None:
    assert i18n.format_date("2026-11-25", "fr") == "25/11/2026"
    assert i18n.format_date(date(2026, 11, 25), "fr") == "25/11/2026"
    assert i18n.format_date("2026-11-25T14:30:00+01:00", "fr") == "25/11/2026"
    assert i18n.format_date("2026-11-25", "en") == "2026-11-25"
    assert i18n.format_date(None, "fr") == "" and i18n.format_date("", "en") == ""


def test_format_number() -> None:
    assert i18n.format_number(2.5, "fr") == "2,5"
    assert i18n.format_number(2.5, "en") == "2.5"
    assert i18n.format_number(3.0, "fr") == "3"
    assert i18n.format_number(1 / 3, "fr", digits=2) == "0,33"


def test_format_duration() -> None:
    assert i18n.format_duration(65) == "1:05"
    assert i18n.format_duration(3725) == "1:02:05"
    assert i18n.format_duration(-30) == "-0:30"
