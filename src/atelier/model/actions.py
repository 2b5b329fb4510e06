"""Operations of the action plan and of the notes taken in any phase (parking, quotes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from atelier import clock
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.model.records import (
    ACTION_MAX,
    NAME_MAX,
    NOTE_KINDS,
    NOTE_MAX,
    Action,
    Note,
    Session,
)
from atelier.model.registry import (
    _check_link,
    _next_id,
    _replace_item,
    operation,
)
from atelier.model.text import (
    clean_text,
    parse_date,
)

# ---- actions


class FieldError(AtelierError):
    """A refused value, naming the field it came from (the form keeps focus there)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _action_fields(
    session: Session, what: str, owner: str, due: str | None, link: str | None
) -> dict[str, Any]:
    checks: dict[str, Callable[[], Any]] = {
        "what": lambda: clean_text(what, N_("The action"), max_len=ACTION_MAX),
        "owner": lambda: clean_text(owner, N_("The owner"), max_len=NAME_MAX, min_len=0),
        "due": lambda: parse_date(due),
        "link": lambda: _check_link(session, link),
    }
    values: dict[str, Any] = {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except AtelierError as error:
            raise FieldError(error.message, name) from None
    return values


@operation(N_("add an action"))
def add_action(
    session: Session, what: str, owner: str = "", due: str | None = None, link: str | None = None
) -> Session:
    values = _action_fields(session, what, owner, due, link)
    number, seq = _next_id(session, "actions")
    return replace(session, actions=(*session.actions, Action(number, **values)), seq=seq)


@operation(N_("edit an action"))
def edit_action(
    session: Session,
    action_id: int,
    what: str,
    owner: str = "",
    due: str | None = None,
    link: str | None = None,
) -> Session:
    action = session.action(action_id)
    new = replace(action, **_action_fields(session, what, owner, due, link))
    return replace(session, actions=_replace_item(session.actions, action_id, new))


@operation(N_("delete an action"))
def delete_action(session: Session, action_id: int) -> Session:
    session.action(action_id)
    return replace(session, actions=_replace_item(session.actions, action_id, None))


# ---- parking and notes


def _note_text(text: object) -> str:
    return clean_text(text, N_("The note"), max_len=NOTE_MAX, multiline=True)


@operation(N_("add a note"))
def add_note(session: Session, text: str, kind: str = "parking") -> Session:
    """Park an off-topic point (or take a note, a quote) from whatever phase is on."""
    if kind not in NOTE_KINDS:
        raise AtelierError(_("Unknown kind of note: {kind}.").format(kind=str(kind)[:20]))
    number, seq = _next_id(session, "notes")
    note = Note(number, _note_text(text), kind, session.phase, clock.now_iso())
    return replace(session, notes=(*session.notes, note), seq=seq)


@operation(N_("edit a note"))
def edit_note(session: Session, note_id: int, text: str) -> Session:
    new = replace(session.note(note_id), text=_note_text(text))
    return replace(session, notes=_replace_item(session.notes, note_id, new))


@operation(N_("delete a note"))
def delete_note(session: Session, note_id: int) -> Session:
    session.note(note_id)
    return replace(session, notes=_replace_item(session.notes, note_id, None))
