"""Summary: the whole session at a glance, exported to the formats the group takes away."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Static

from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.summary import overview_text
from atelier.templates import save_user_template
from atelier.widgets.fields import TextField
from atelier.widgets.tickbox import TickBox

from .base import PhaseScreen
from .dialogs import Dialog, MessageDialog, TextPrompt
from .home import shown_path

FORMAT_LABELS = {
    "md": N_("Markdown (.md)"),
    "html": N_("Web page to print (.html)"),
    "odt": N_("OpenDocument text (.odt)"),
    "csv": N_("Spreadsheet (.csv)"),
    "json": N_("Complete data (.json)"),
}


def export_folder(sessions_root: Path) -> Path:
    return sessions_root / "exports"


def written_lines(folder: Path, files: list[Path]) -> list[str]:
    """The folder once, then each file by its whole name: five paths cut at the same place
    would all look alike."""
    return [
        _("In {folder}:").format(folder=shown_path(folder)),
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
            yield Label(_("Folder"), classes="folder-label")
            yield TextField(shown_path(self.folder), id="export-folder")
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
                "folder": self.query_one("#export-folder", Input).value.strip(),
            }
        )


class SummaryScreen(PhaseScreen):
    PHASE = "summary"
    BINDINGS = [
        Binding("x", "export", N_("Export"), id="summary_export"),
        Binding("t", "save_template", N_("Save as template"), id="summary_template"),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="summary-keys"):
            yield Static(
                Content(_("X: export · T: save as template · F3: closing screen")),
                id="summary-hint",
            )
        with VerticalScroll(id="summary-scroll"):
            yield Static(id="overview")

    def refresh_view(self) -> None:
        # tables fit the screen (padding 2 + 2, scrollbar 2): cut, never wrapped
        width = max(40, self.app.size.width - 6)
        self.query_one("#overview", Static).update(Content(overview_text(self.session, width)))
        self.query_one("#summary-scroll").focus()

    def action_export(self) -> None:
        from atelier.export import export_session

        def chosen(options: dict | None) -> None:  # type: ignore[type-arg]
            if not options:
                return
            if not options["formats"]:
                self.notify(_("Tick at least one format."), severity="warning")
                return
            folder = Path(options["folder"] or export_folder(self.atelier.folder.root))
            written: list[Path] = []
            try:
                folder.mkdir(parents=True, exist_ok=True)
                for fmt in options["formats"]:
                    written.append(export_session(self.session, fmt, folder, bom=options["bom"]))
            except (AtelierError, OSError) as error:
                message = error.message if isinstance(error, AtelierError) else str(error)
                lines = [message, *written_lines(folder, written)] if written else [message]
                self.app.push_screen(MessageDialog(_("Export failed"), lines))
                return
            self.app.push_screen(MessageDialog(_("Report written"), written_lines(folder, written)))

        self.app.push_screen(ExportDialog(export_folder(self.atelier.folder.root)), chosen)

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
