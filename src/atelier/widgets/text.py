"""Participant text on screen: always literal Content, never parsed as markup."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import Static


def literal(text: str) -> Content:
    """Text from the room, shown exactly as stored (``[bold]`` stays ``[bold]``)."""
    return Content(text)


def shortened(text: str, limit: int = 60) -> str:
    """One line of at most ``limit`` characters, for lists and messages."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def labelled(label: str, text: str, style: str = "bold") -> Content:
    """A styled label (our own text) followed by literal participant text."""
    return Content.assemble((label, style), " ", text)


def cell(text: str) -> Text:
    """A DataTable cell: Rich Text, because DataTable parses plain strings as markup."""
    return Text(text)


def show(static: Static, content: Content | str, *, layout: bool = True) -> None:
    """Update a Static only when what it shows changes: each update costs a repaint and a
    layout of the screen, which adds up on every keystroke with thousands of ideas.
    ``layout=False`` for a line of fixed size (its CSS says so): a repaint is enough."""
    old = static.content
    same = (
        old.is_same(content)
        if isinstance(old, Content) and isinstance(content, Content)
        else (isinstance(old, str) and isinstance(content, str) and old == content)
    )
    if not same:
        static.update(content, layout=layout)
