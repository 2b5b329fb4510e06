"""Home: the sessions of the folder; new (blank or from a template), open, duplicate, delete."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Static

from atelier import i18n
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.model import PHASE_LABELS
from atelier.widgets.footer import KeyFooter
from atelier.widgets.tables import fill_table

from .base import AtelierScreen

if TYPE_CHECKING:
    from atelier.store import SessionInfo


def shown_path(path: Path) -> str:
    """The folder as an absolute path: the same wherever atelier was started, so the
    facilitator can find the files again from a file manager or another terminal."""
    return str(path.absolute())


class HomeScreen(AtelierScreen):
    # However many files are damaged, their list never pushes the sessions off the screen.
    DEFAULT_CSS = """
    HomeScreen #home-problems { height: auto; max-height: 6; overflow-y: auto; }
    """
    BINDINGS = [
        Binding("enter", "open", N_("Open"), id="home_open"),
        Binding("n", "new", N_("New session"), id="home_new"),
        Binding("d", "duplicate", N_("Duplicate"), id="home_duplicate"),
        Binding("delete,x", "delete", N_("Delete"), id="home_delete"),
        Binding("r", "open_read_only", N_("Read-only"), id="home_read_only"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sessions: list[SessionInfo] = []
        self._filled_width = -1

    def compose(self) -> ComposeResult:
        yield Static(
            Content.styled(_("atelier — collective-intelligence workshops"), "bold"),
            id="home-title",
        )
        yield Static(id="home-folder")
        yield Static(id="home-problems")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="sessions")
        yield Static(id="home-empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key in (
            (_("Title"), "title"),
            (_("Date"), "date"),
            (_("Phase"), "phase"),
            (_("Ideas"), "ideas"),
            (_("People"), "people"),
        ):
            table.add_column(Text(label), key=key)  # literal: a str label is parsed as markup

    def on_screen_resume(self) -> None:
        """Also sent when the screen is first shown: one scan at start-up, one per return."""
        self.reload()

    def reload(self, select: str | None = None) -> None:
        scan = self.atelier.folder.scan()
        self.sessions = scan.sessions
        self.query_one("#home-folder", Static).update(
            Content(
                _("Sessions folder: {folder}").format(folder=shown_path(self.atelier.folder.root))
            )
        )
        problems = self.query_one("#home-problems", Static)
        problems.update(Content("\n".join(f"⚠ {p}" for p in scan.problems)))
        problems.display = bool(scan.problems)
        table = self._fill()
        empty = self.query_one("#home-empty", Static)
        empty.update(Content(_("No session yet: press N to create one.")))
        empty.display = not self.sessions
        if select:
            ids = [s.id for s in self.sessions]
            if select in ids:
                table.move_cursor(row=ids.index(select))
        table.focus()

    def _fill(self) -> DataTable:  # type: ignore[type-arg]
        """The sessions, titles cut (…) so that the numbers stay on screen."""
        table = self.query_one(DataTable)
        lang = i18n.get_language()
        lines = [
            (
                info.title + (" 🔒" if info.locked else ""),
                i18n.format_date(info.date, lang),
                _(PHASE_LABELS.get(info.phase, info.phase)),
                str(info.ideas),
                str(info.participants),
            )
            for info in self.sessions
        ]
        keys = [info.id for info in self.sessions]
        self._filled_width = self.app.size.width
        fill_table(table, lines, keys, self.app.size.width - 4, {0: 1})  # margin 0 2
        return table

    def on_resize(self) -> None:
        """The titles are cut to the width: fill again when it changed (not on the first
        layout, already filled for this width)."""
        if self.is_mounted and self.sessions and self.app.size.width != self._filled_width:
            row = self.query_one(DataTable).cursor_row
            self._fill().move_cursor(row=row)

    def selected(self) -> SessionInfo | None:
        table = self.query_one(DataTable)
        if not self.sessions or table.cursor_row is None:
            return None
        return self.sessions[min(table.cursor_row, len(self.sessions) - 1)]

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        info = self.selected()
        if info:
            self.atelier.open_session(info.id)

    def action_open_read_only(self) -> None:
        info = self.selected()
        if info:
            self.atelier.open_session(info.id, read_only=True)

    def action_new(self) -> None:
        from atelier.templates import load_templates

        from .dialogs import Choice, PickerDialog, TextPrompt

        found = load_templates(self.atelier.templates_dir)
        for problem in found.problems:
            self.notify(problem, severity="warning", timeout=8)
        lang = i18n.get_language()
        choices = [
            Choice(t.id, t.title(lang), t.text(t.description, lang)) for t in found.templates
        ]

        def with_template(template_id: str | None) -> None:
            if not template_id:
                return
            template = found.get(template_id)
            default = "" if template_id == "blank" else template.title(lang)

            def with_title(title: str | None) -> None:
                if title is None:
                    return
                try:
                    session_id = self.atelier.folder.create(title, **template.session_options(lang))
                except AtelierError as error:
                    self.notify(error.message, severity="warning")
                    return
                self.atelier.open_session(session_id)

            self.app.push_screen(TextPrompt(_("Title of the session"), default), with_title)

        self.app.push_screen(
            PickerDialog(_("New session: choose a template"), choices), with_template
        )

    def action_duplicate(self) -> None:
        info = self.selected()
        if not info:
            return
        try:
            new_id = self.atelier.folder.duplicate(info.id)
        except AtelierError as error:
            self.notify(error.message, severity="warning")
            return
        self.notify(_("Session duplicated."))
        self.reload(select=new_id)

    def action_delete(self) -> None:
        from .dialogs import ConfirmDialog

        info = self.selected()
        if not info:
            return

        def confirmed(answer: bool | None) -> None:
            if not answer:
                return
            try:
                target = self.atelier.folder.trash(info.id)
            except AtelierError as error:
                self.notify(error.message, severity="warning")
                return
            self.notify(_("Moved to the trash: {file}").format(file=target))
            self.reload()

        self.app.push_screen(
            ConfirmDialog(
                _("Delete this session?"),
                _("“{title}” goes to the trash folder; the file is kept.").format(title=info.title),
            ),
            confirmed,
        )
