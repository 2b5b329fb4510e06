"""Helpers for driving the real app in Pilot tests: typing, pasting, reading the screen."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from atelier import model
from atelier.store import SessionFolder
from atelier.templates import load_templates
from atelier.widgets.ideas_view import IdeasView

HOSTILE = [
    "[bold]gras[/bold]",
    "[/]",
    "[link=https://x.example]lien[/link]",
    "\x1b[31mrouge\x1b[0m",
    "👩‍👩‍👧‍👦 famille 🇫🇷",
    "مرحبا بالجميع",
    "$var ${x} %s {0}",
    "<script>alert(1)</script>",
]


def make_session(
    folder: SessionFolder,
    title: str = "Atelier test",
    template: str = "bienveillance",
    lang: str = "fr",
    people: Iterable[str] = ("Awa", "Bruno", "Chloé"),
) -> str:
    """A session from a built-in template, with participants, saved in ``folder``."""
    options = load_templates(Path("/nonexistent")).get(template).session_options(lang)
    session_id = folder.create(title, **options)
    with folder.open(session_id) as handle:
        for name in people:
            handle.apply(model.add_participant, name)
    return session_id


async def type_text(pilot: Pilot, text: str) -> None:
    """Type like a person: one key press per character."""
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def paste(pilot: Pilot, text: str) -> None:
    """A paste into the focused widget (emoji, RTL text and long texts arrive this way)."""
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


def screen_text(pilot: Pilot) -> str:
    """Every text shown by the current screen's widgets, as plain text."""
    parts: list[str] = []
    for widget in pilot.app.screen.query("*"):
        if isinstance(widget, OptionList):
            parts.extend(str(getattr(o.prompt, "plain", o.prompt)) for o in widget.options)
        elif isinstance(widget, IdeasView):
            parts.extend(prompt.plain for prompt in widget.prompts)
        elif isinstance(widget, DataTable):
            for row_key in widget.rows:
                parts.extend(str(c) for c in widget.get_row(row_key))
        elif isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, Static):
            rendered = widget.render()
            parts.append(str(getattr(rendered, "plain", rendered)))
    return "\n".join(parts)


def reload(folder: SessionFolder, session_id: str) -> model.Session:
    """The session as it is on disk now."""
    return folder.load(session_id)
