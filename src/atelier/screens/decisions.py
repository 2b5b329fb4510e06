"""« Decisions / priorities retained »: what the group keeps from its votes, in order.

By default the winners of the last vote; the facilitator adds options from the ranking or
free text, removes and reorders them. The dialog edits a copy and saves it as one change
(one undo step) through ``model.set_decisions``.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from atelier.i18n import N_, _
from atelier.model import Session
from atelier.summary import default_decisions, final_ranking, last_vote

from .dialogs import Choice, Dialog, PickerDialog, TextPrompt

RESET = "reset"  # what the dialog returns to restore the default (the winners)

Item = tuple[str, str | None]  # (text, option key or None for free text)


def current_decisions(session: Session) -> list[Item]:
    """The decisions as stored, or the default ones (the last vote's winners)."""
    if session.decisions_set:
        return [(d.text, d.link) for d in session.decisions]
    return [(session.option_label(key), key) for key in default_decisions(session)]


def decision_text(session: Session, item: Item) -> str:
    text, key = item
    return (session.option_label(key) if key else "") or text


def candidates(session: Session) -> list[Choice]:
    """Options to retain: the last vote's final ranking, then every cluster."""
    choices: list[Choice] = []
    seen: set[str] = set()
    vote = last_vote(session)
    if vote is not None:
        for key, place, tied, _how in final_ranking(session, vote):
            label = session.option_label(key)
            if label:
                choices.append(Choice(key, label, f"{place}=" if tied else f"{place}."))
                seen.add(key)
    for cluster in session.clusters:
        key = f"cluster:{cluster.id}"
        if key not in seen:
            choices.append(Choice(key, cluster.label))
    return choices


class DecisionsDialog(Dialog):
    """Edit the retained decisions; dismisses with the new list, RESET, or None."""

    DEFAULT_CSS = """
    DecisionsDialog #decisions-list { height: auto; max-height: 14; min-height: 3; }
    """
    BINDINGS = [
        Binding("a", "add_option", N_("Add an option"), id="decisions_add"),
        Binding("t", "add_text", N_("Add a text"), id="decisions_text"),
        Binding("delete,x", "remove", N_("Remove"), id="decisions_remove"),
        Binding("u", "move(-1)", N_("Move up"), id="decisions_up"),
        Binding("d", "move(1)", N_("Move down"), id="decisions_down"),
        Binding("r", "reset", N_("The winners again"), id="decisions_reset"),
        Binding("ctrl+s,s", "save", N_("Save"), id="decisions_save"),
    ]

    def __init__(self, session: Session, items: list[Item] | None = None) -> None:
        super().__init__()
        self.session = session
        self.items: list[Item] = list(items) if items is not None else current_decisions(session)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(_("Decisions / priorities retained")), classes="title")
            yield OptionList(id="decisions-list")
            yield Label(
                Content(
                    _(
                        "A: add an option · T: add a text · X: remove · U/D: move · "
                        "R: the winners again · S: save · Escape: cancel"
                    )
                ),
                classes="hint",
            )

    def on_mount(self) -> None:
        self._show(0)
        self.query_one(OptionList).focus()

    def _show(self, highlighted: int | None = None) -> None:
        options = self.query_one(OptionList)
        options.set_options(
            [
                Option(Content(f"{n}. ") + Content(decision_text(self.session, item)))
                for n, item in enumerate(self.items, start=1)
            ]
            or [Option(Content(_("No decision: A or T to add one.")), disabled=True)]
        )
        if self.items and highlighted is not None:
            options.highlighted = max(0, min(highlighted, len(self.items) - 1))

    def _index(self) -> int | None:
        index = self.query_one(OptionList).highlighted
        return index if self.items and index is not None else None

    def action_add_option(self) -> None:
        def chosen(key: str | None) -> None:
            if key is not None and all(link != key for _t, link in self.items):
                self.items.append((self.session.option_label(key), key))
                self._show(len(self.items) - 1)

        self.app.push_screen(
            PickerDialog(_("Retain which option?"), candidates(self.session)), chosen
        )

    def action_add_text(self) -> None:
        def typed(text: str | None) -> None:
            if text and text.strip():
                self.items.append((text, None))
                self._show(len(self.items) - 1)

        self.app.push_screen(TextPrompt(_("The decision, in words")), typed)

    def action_remove(self) -> None:
        index = self._index()
        if index is not None:
            del self.items[index]
            self._show(index)

    def action_move(self, delta: int) -> None:
        index = self._index()
        if index is None:
            return
        target = max(0, min(len(self.items) - 1, index + delta))
        self.items.insert(target, self.items.pop(index))
        self._show(target)

    def action_reset(self) -> None:
        self.dismiss(RESET)

    def action_save(self) -> None:
        self.dismiss(list(self.items))

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
