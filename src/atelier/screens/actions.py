"""Actions: the action plan — what, who, by when (25/11/2026), linked to a result item."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Label, Select, Static

from atelier import i18n, model
from atelier.i18n import N_, _
from atelier.model import Action, Session
from atelier.summary import final_ranking, last_vote
from atelier.widgets.fields import TextField
from atelier.widgets.tables import fill_table
from atelier.widgets.text import shortened

from .base import PhaseScreen
from .dialogs import ConfirmDialog, Dialog

NO_LINK = "-"


def link_choices(session: Session) -> list[tuple[str, str]]:
    """(label, key) of what an action can answer: the decisions, the last vote's final
    ranking (run-offs carried: « 1. », « 2. », « 3= » when the group left a tie), then
    the other clusters. Options that no longer exist cannot be linked."""
    choices: list[tuple[str, str]] = []
    seen: set[str] = set()
    for decision in session.decisions if session.decisions_set else ():
        key = decision.link
        if key and key not in seen and session.option_label(key) and _exists(session, key):
            choices.append((f"★ {shortened(session.option_label(key), 50)}", key))
            seen.add(key)
    vote = last_vote(session)
    if vote is not None:
        for key, place, tied, _how in final_ranking(session, vote):
            if key not in seen and _exists(session, key):
                mark = f"{place}=" if tied else f"{place}."
                choices.append((f"{mark} {shortened(session.option_label(key), 50)}", key))
                seen.add(key)
    for cluster in session.clusters:
        key = f"cluster:{cluster.id}"
        if key not in seen:
            choices.append((shortened(cluster.label, 50), key))
    return choices


def _exists(session: Session, key: str) -> bool:
    """The option is still a cluster or an idea (not only a label kept by a vote)."""
    kind, _sep, raw = key.partition(":")
    items = session.clusters if kind == "cluster" else session.ideas
    return raw.isdigit() and any(item.id == int(raw) for item in items)


class ActionDialog(Dialog):
    """The fields of one action: Enter goes to the next field, ctrl+s saves. A refused
    value keeps the form open with the focus on its field."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), id="action_save")]

    def __init__(
        self, session: Session, action: Action | None, draft: dict[str, str | None] | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.action = action
        self.draft = draft or {
            "what": action.what if action else "",
            "owner": action.owner if action else "",
            "due": i18n.format_date(action.due, "fr") if action else "",
            "link": action.link if action else None,
        }

    def compose(self) -> ComposeResult:
        a, draft = self.action, self.draft
        title = _("New action") if a is None else _("Action {number}").format(number=a.id)
        options = [(Content(label), key) for label, key in link_choices(self.session)]
        link = draft["link"] if draft["link"] in {k for _l, k in options} else NO_LINK
        with Vertical():
            yield Label(Content(title), classes="title")
            yield Label(_("What"))
            yield TextField(draft["what"] or "", id="a-what")
            with Horizontal(classes="pair"):
                with Vertical():
                    yield Label(_("Owner"))
                    yield TextField(draft["owner"] or "", id="a-owner")
                with Vertical():
                    yield Label(_("Due date (25/11/2026)"))
                    yield TextField(draft["due"] or "", id="a-due", max_length=10)
            yield Label(_("Linked to"))
            yield Select(
                [(Content(_("— nothing —")), NO_LINK), *options],
                value=link,
                allow_blank=False,
                id="a-link",
            )
            yield Label(
                Content(_("Enter: next field · ctrl+s: save · Escape: cancel")), classes="hint"
            )

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        link = self.query_one("#a-link", Select).value
        values: dict[str, str | None] = {
            "what": self.query_one("#a-what", Input).value,
            "owner": self.query_one("#a-owner", Input).value,
            "due": self.query_one("#a-due", Input).value,
            "link": None if link in (NO_LINK, Select.NULL) else str(link),
        }
        try:  # the operation is pure: try it here, so a refusal keeps the form and its focus
            model.add_action(self.session, **values)  # type: ignore[arg-type]
        except model.FieldError as error:
            self.notify(error.message, severity="warning", timeout=6)
            self.query_one(f"#a-{error.field}").focus()
            return
        except model.AtelierError:
            pass  # the screen's apply() reports it
        self.dismiss(values)


class ActionsScreen(PhaseScreen):
    PHASE = "actions"
    BINDINGS = [
        Binding("n", "add", N_("New action"), id="actions_add"),
        Binding("e,enter", "edit", N_("Edit"), id="actions_edit"),
        Binding("delete", "delete", N_("Delete"), id="actions_delete"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(Content.styled(_("Action plan"), "bold"), id="actions-title")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="actions")
        yield Static(id="actions-empty")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in ("#", _("What"), _("Owner"), _("Due"), _("Linked to")):
            table.add_column(Text(label))  # literal, never markup
        super().on_mount()
        table.focus()

    def refresh_view(self) -> None:
        s = self.session
        table = self.query_one(DataTable)
        row = table.cursor_row
        lang = i18n.get_language()
        lines = [
            (
                str(action.id),
                action.what,
                action.owner,
                i18n.format_date(action.due, lang),
                s.option_label(action.link) if action.link else "",
            )
            for action in s.actions
        ]
        keys = [str(action.id) for action in s.actions]
        # what, owner and link share the room (margin 0 2); number and due date stay whole
        fill_table(table, lines, keys, self.app.size.width - 4, {1: 5, 2: 2, 4: 3})
        if s.actions and row is not None:
            table.move_cursor(row=min(row, len(s.actions) - 1))
        empty = self.query_one("#actions-empty", Static)
        empty.update(Content(_("No action yet: N adds one (what, who, by when).")))
        empty.display = not s.actions

    def on_resize(self) -> None:
        if self.is_mounted:
            self.refresh_view()

    def _selected(self) -> Action | None:
        table = self.query_one(DataTable)
        if not self.session.actions or table.cursor_row is None:
            return None
        return self.session.actions[min(table.cursor_row, len(self.session.actions) - 1)]

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _open_form(self, action: Action | None) -> None:
        def saved(values: dict[str, str | None] | None) -> None:
            if values is None:
                return
            if action is None:
                ok = self.atelier.apply(model.add_action, **values)  # type: ignore[arg-type]
            else:
                ok = self.atelier.apply(model.edit_action, action.id, **values)  # type: ignore[arg-type]
            if not ok:  # refused: reopen with what was typed, nothing lost
                self.app.push_screen(ActionDialog(self.session, action, dict(values)), saved)

        self.app.push_screen(ActionDialog(self.session, action), saved)

    def action_add(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        action = self._selected()
        if action is not None:
            self._open_form(action)

    def show_replayed(self, table: str | None, key: int | None) -> None:
        """After ctrl+z / ctrl+y: the action restored or changed is selected, in view."""
        if table != "actions" or key is None:
            return
        table_widget = self.query_one(DataTable)
        for row, action in enumerate(self.session.actions):
            if action.id == key:
                table_widget.move_cursor(row=row, scroll=True)
                return

    def action_delete(self) -> None:
        action = self._selected()
        if action is None:
            return

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.atelier.apply(model.delete_action, action.id)

        self.app.push_screen(
            ConfirmDialog(_("Delete this action?"), shortened(action.what, 80)), confirmed
        )
