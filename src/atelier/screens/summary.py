"""Summary: the report as the participants will read it, exported to the formats the group
takes away, and the paper (ballots, idea cards) for rooms without screens.

The report is the Markdown export shown by Textual's Markdown widget: every text from the
room is escaped by the exporter, so ``[/]``, ``<b>`` or ``# `` show as typed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Markdown, Static

from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.summary import build_summary, overview_report, summary_report
from atelier.templates import save_user_template
from atelier.widgets.fields import TextField
from atelier.widgets.tickbox import TickBox
from atelier.widgets.typography import keep_no_break_spaces_in_markdown

from .base import PhaseScreen
from .dialogs import Choice, Dialog, MessageDialog, PickerDialog, TextPrompt

if TYPE_CHECKING:
    from atelier.screens.host import AppHost

SCREEN_IDEAS_MAX = 1000  # beyond, ideas counted per cluster (bench/summary_screen.py)

keep_no_break_spaces_in_markdown()  # « bienveillant ? » never ends a line with « ? »

FORMAT_LABELS = {
    "md": N_("Markdown (.md)"),
    "html": N_("Web page to print (.html)"),
    "odt": N_("OpenDocument text (.odt)"),
    "csv": N_("Spreadsheet (.csv)"),
    "json": N_("Complete data (.json)"),
}


def export_folder(sessions_root: Path) -> Path:
    return sessions_root / "exports"


def short_path(path: Path) -> str:
    """A folder for a field or a message at 80 columns: the home folder written « ~ », as a
    shell does (the field reads it back the same way)."""
    path = path.absolute()
    try:
        inside = path.relative_to(Path.home())
    except (ValueError, RuntimeError):  # elsewhere, or no home folder known
        return str(path)
    return "~" if inside == Path() else f"~{os.sep}{inside}"


def written_lines(folder: Path, files: list[Path]) -> list[str]:
    """The folder once, then each file by its whole name: five paths cut at the same place
    would all look alike."""
    return [
        _("In {folder}:").format(folder=short_path(folder)),
        *(f"  {path.name}" for path in files),
    ]


class ExportDialog(Dialog):
    """Choose formats and folder; the writing happens in the headless exporters."""

    DEFAULT_CSS = """
    ExportDialog Checkbox { width: 100%; }
    ExportDialog .folder-label { margin-top: 1; }
    """
    BINDINGS = [Binding("ctrl+s", "export", N_("Export"), id="export_go")]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(_("Export the report")), classes="title")
            for fmt, label in FORMAT_LABELS.items():
                yield TickBox(
                    _(label), value=fmt in ("md", "html", "odt"), id=f"fmt-{fmt}", compact=True
                )
            yield TickBox(_("CSV with a BOM (for Excel)"), value=False, id="bom", compact=True)
            yield TickBox(
                _("Anonymous: no participant name"), value=False, id="anonymous", compact=True
            )
            yield Label(_("Folder"), classes="folder-label")
            yield TextField(short_path(self.folder), id="export-folder")
            yield Label(
                Content(_("Space: tick · Enter in the folder or ctrl+s: export · Escape: cancel")),
                classes="hint",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def action_export(self) -> None:
        formats = [f for f in FORMAT_LABELS if self.query_one(f"#fmt-{f}", Checkbox).value]
        self.dismiss(
            {
                "formats": formats,
                "bom": self.query_one("#bom", Checkbox).value,
                "anonymous": self.query_one("#anonymous", Checkbox).value,
                "folder": self.query_one("#export-folder", Input).value.strip(),
            }
        )


def print_paper(app: AppHost) -> None:
    """Ask ballots or cards, write them into the export folder, say where (any phase)."""
    from atelier.export.paper import print_ballots, print_cards

    choices = [
        Choice("ballots", _("Ballot sheets for the current vote, one per participant")),
        Choice("cards", _("Idea cards for a wall, 8 per A4 page")),
    ]

    def chosen(what: str | None) -> None:
        if not what or app.handle is None:
            return
        folder = export_folder(app.folder.root)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write = print_cards if what == "cards" else print_ballots
            path = write(app.session, folder)
        except (AtelierError, OSError) as error:
            message = error.message if isinstance(error, AtelierError) else str(error)
            app.push_screen(MessageDialog(_("Printing failed"), [message]))
            return
        app.push_screen(MessageDialog(_("Paper written, to print"), [str(path)]))

    app.push_screen(PickerDialog(_("Print for a room without screens"), choices), chosen)


class SummaryScreen(PhaseScreen):
    PHASE = "summary"
    BINDINGS = [
        Binding("x", "export", N_("Export"), id="summary_export"),
        Binding("t", "save_template", N_("Save as template"), id="summary_template"),
        Binding("p", "print_paper", N_("Print"), id="summary_print"),
        Binding("n", "edit_notes", N_("Parking and notes"), id="summary_notes"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._shown = ""

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="summary-keys"):
            yield Static(
                Content(_("X: export · P: print · N: parking and notes · T: save as template")),
                id="summary-hint",
            )
        with VerticalScroll(id="summary-scroll"):
            yield Markdown(id="overview", open_links=False)

    def report_markdown(self) -> str:
        """The Markdown export of the session (counted ideas for a very large session)."""
        from atelier.export.markdown import render_report

        summary = build_summary(self.session)
        big = len(self.session.ideas) > SCREEN_IDEAS_MAX
        report = overview_report(summary) if big else summary_report(summary)
        return render_report(report, compact=True).decode("utf-8")

    def refresh_view(self) -> None:
        text = self.report_markdown()
        if text != self._shown:  # the widget rebuilds every block: only when it changed
            self._shown = text
            self.query_one("#overview", Markdown).update(text)
        self.query_one("#summary-scroll").focus()

    def action_export(self) -> None:
        from atelier.export import export_session

        def chosen(options: dict | None) -> None:  # type: ignore[type-arg]
            if not options:
                return
            if not options["formats"]:
                self.notify(_("Tick at least one format."), severity="warning")
                return
            typed = options["folder"]  # shown from « ~ »: the home folder, as in a shell
            folder = Path(typed).expanduser() if typed else export_folder(self.atelier.folder.root)
            written: list[Path] = []
            try:
                folder.mkdir(parents=True, exist_ok=True)
                for fmt in options["formats"]:
                    written.append(
                        export_session(
                            self.session,
                            fmt,
                            folder=folder,
                            bom=options["bom"],
                            anonymous=options.get("anonymous", False),
                        )
                    )
            except (AtelierError, OSError) as error:
                message = error.message if isinstance(error, AtelierError) else str(error)
                lines = [message, *written_lines(folder, written)] if written else [message]
                self.app.push_screen(MessageDialog(_("Export failed"), lines))
                return
            self.app.push_screen(MessageDialog(_("Report written"), written_lines(folder, written)))

        self.app.push_screen(ExportDialog(export_folder(self.atelier.folder.root)), chosen)

    def action_print_paper(self) -> None:
        print_paper(self.atelier)

    def action_edit_notes(self) -> None:
        """Pick a parked point, note or quote; edit it, or empty it to delete it."""
        from atelier import model

        from .notes import NOTE_KIND_LABELS

        notes = self.session.notes
        if not notes:
            self.notify(_("Nothing parked yet: F10 puts a point aside, from any phase."))
            return
        choices = [
            Choice(str(n.id), n.text.replace("\n", " "), _(NOTE_KIND_LABELS[n.kind])) for n in notes
        ]

        def edited(note_id: int, text: str | None) -> None:
            if text is None:
                return
            if not text.strip():
                if self.atelier.apply(model.delete_note, note_id):
                    self.notify(_("Note deleted. ctrl+z to undo."))
            elif text != self.session.note(note_id).text:
                self.atelier.apply(model.edit_note, note_id, text)

        def chosen(key: str | None) -> None:
            if key:
                note = self.session.note(int(key))
                prompt = TextPrompt(_("Edit the note (empty it to delete it)"), note.text)
                self.app.push_screen(prompt, lambda text: edited(note.id, text))

        self.app.push_screen(PickerDialog(_("Parking and notes"), choices), chosen)

    def action_save_template(self) -> None:
        def named(name: str | None) -> None:
            if not name:
                return
            try:
                path = save_user_template(self.session, name, self.atelier.templates_dir)
            except (AtelierError, OSError) as error:
                self.notify(str(error), severity="warning")
                return
            self.notify(_("Template saved: {file}").format(file=path), timeout=8)

        self.app.push_screen(TextPrompt(_("Name of the new template"), self.session.title), named)
