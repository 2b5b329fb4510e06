"""Ideas sent from phones, waiting for the facilitator: accept (maybe edited), reject, or
accept all. Shown literally (``[/]``, ``<b>``, emoji, right-to-left text) with their author.

Accepting is the ordinary ``add_idea`` (journaled, undoable); a rejected or waiting idea
never reaches the session file. Hidden while phones are off.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.model import IDEA_MAX
from atelier.widgets.text import shortened


def _removed_at(shown: list[str | None], wanted: list[str]) -> int | None:
    """The index whose removal turns ``shown`` into ``wanted``, if one removal does."""
    if len(shown) != len(wanted) + 1:
        return None
    index = next((i for i, (a, b) in enumerate(zip(shown, wanted, strict=False)) if a != b), -1)
    index = len(wanted) if index < 0 else index
    return index if shown[:index] + shown[index + 1 :] == wanted else None


class QueueList(OptionList):
    """The waiting ideas; keys act on the highlighted one."""

    BINDINGS = [
        Binding("enter,a", "accept", N_("Accept"), id="moderation_accept"),
        Binding("e", "edit", N_("Edit then accept"), id="moderation_edit"),
        Binding("delete,x", "reject", N_("Reject"), id="moderation_reject"),
        Binding("t", "accept_all", N_("Accept all"), id="moderation_accept_all"),
        Binding("v", "show_accepted", N_("Phones see ideas"), id="moderation_show"),
    ]

    def action_accept(self) -> None:
        self.parent_queue.accept()

    def action_edit(self) -> None:
        self.parent_queue.edit()

    def action_reject(self) -> None:
        self.parent_queue.reject()

    def action_accept_all(self) -> None:
        self.parent_queue.toggle_accept_all()

    def action_show_accepted(self) -> None:
        self.parent_queue.toggle_show_accepted()

    @property
    def parent_queue(self) -> ModerationQueue:
        return self.query_ancestor(ModerationQueue)


class ModerationQueue(Vertical):
    """The moderation queue of the ideation screen (needs ``app.phones``, else hidden)."""

    DEFAULT_CSS = """
    ModerationQueue { width: 40%; height: 1fr; border-left: solid $panel-lighten-2; padding: 0 1; }
    ModerationQueue #moderation-head { height: auto; text-style: bold; }
    ModerationQueue QueueList { height: 1fr; }
    ModerationQueue #moderation-edit { display: none; }
    """

    class Accepted(Message):
        """An idea from a phone is now on the board (for the duplicate hint)."""

        def __init__(self, idea_id: int) -> None:
            super().__init__()
            self.idea_id = idea_id

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(classes="phone-aware", **kwargs)
        self.editing: int | None = None
        self.display = False  # until phones are on: the ideation screen looks as before

    def compose(self) -> ComposeResult:
        yield Static(id="moderation-head")
        yield QueueList(id="moderation-list")
        yield Input(max_length=IDEA_MAX, select_on_focus=False, id="moderation-edit")

    @property
    def room(self) -> Any:
        link = getattr(self.app, "phones", None)
        return link.room if link is not None else None

    def on_mount(self) -> None:
        self.phones_changed()

    def phones_changed(self) -> None:
        room = self.room
        self.display = room is not None
        if room is None:
            return
        waiting = len(room.pending)
        head = _("From phones: {count} waiting").format(count=waiting)
        flags = [_("accept all: on") if room.accept_all else _("accept all: off")]
        flags.append(_("phones see ideas") if room.show_accepted else _("phones don't see ideas"))
        self.query_one("#moderation-head", Static).update(
            Content.assemble(head, ("  (" + ", ".join(flags) + ")", "dim"))
        )
        options = self.query_one(QueueList)
        shown = [o.id for o in options.options]
        wanted = [str(p.id) for p in room.pending]
        if shown == wanted:
            return
        if wanted[: len(shown)] == shown:  # new ideas arrived: append only those (600 phones…)
            options.add_options(self._option(p) for p in room.pending[len(shown) :])
        elif (gone := _removed_at(shown, wanted)) is not None:  # one accepted or rejected
            options.remove_option_at_index(gone)
        else:
            highlighted = options.highlighted
            options.clear_options()
            options.add_options(self._option(p) for p in room.pending)
            if room.pending:
                options.highlighted = min(highlighted or 0, len(room.pending) - 1)
        if room.pending and options.highlighted is None:
            options.highlighted = 0

    @staticmethod
    def _option(item: Any) -> Option:
        author = item.name or _("anonymous")
        return Option(
            Content.assemble((f"{author}: ", "bold"), shortened(item.text, 300)), id=str(item.id)
        )

    def _selected(self) -> int | None:
        options = self.query_one(QueueList)
        if options.highlighted is None or not options.option_count:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        return int(option_id) if option_id else None

    def accept(self, text: str | None = None, pending_id: int | None = None) -> None:
        room = self.room
        target = pending_id if pending_id is not None else self._selected()
        if room is None or target is None:
            return
        try:
            idea_id = room.accept(target, text)
        except AtelierError as error:
            self.notify(error.message, severity="warning")
            return
        self.post_message(self.Accepted(idea_id))
        self.phones_changed()

    def reject(self) -> None:
        room, target = self.room, self._selected()
        if room is not None and target is not None:
            room.reject(target)
            self.phones_changed()

    def edit(self) -> None:
        room, target = self.room, self._selected()
        if room is None or target is None:
            return
        item = next(p for p in room.pending if p.id == target)
        self.editing = target
        field = self.query_one("#moderation-edit", Input)
        field.display = True
        field.value = item.text
        field.cursor_position = len(item.text)
        field.focus()

    @on(Input.Submitted, "#moderation-edit")
    def edited(self, event: Input.Submitted) -> None:
        event.stop()
        target, self.editing = self.editing, None
        event.input.display = False
        self.query_one(QueueList).focus()
        if target is not None:
            self.accept(event.value, target)

    def key_escape(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.query_one("#moderation-edit", Input).display = False
            self.query_one(QueueList).focus()

    def toggle_accept_all(self) -> None:
        room = self.room
        if room is None:
            return
        before = {i.id for i in self.app.session.ideas}  # type: ignore[attr-defined]
        count = room.set_accept_all(not room.accept_all)
        if count:
            self.notify(_("{count} ideas accepted.").format(count=count))
        for idea in self.app.session.ideas:  # type: ignore[attr-defined]
            if idea.id not in before:
                self.post_message(self.Accepted(idea.id))
        self.phones_changed()

    def toggle_show_accepted(self) -> None:
        room = self.room
        if room is not None:
            room.show_accepted = not room.show_accepted
            self.phones_changed()

    def focus_queue(self) -> None:
        self.query_one(QueueList).focus()
