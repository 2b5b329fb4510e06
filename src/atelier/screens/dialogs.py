"""Small modal dialogs shared by every screen: confirm, ask for a text, pick from a list."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from atelier.i18n import N_, _
from atelier.widgets.fields import TextField
from atelier.widgets.guard import Guarded
from atelier.widgets.text import literal

from .bindings import translate_bindings


class Dialog(Guarded, ModalScreen):  # type: ignore[type-arg]
    """Base for dialogs: Escape cancels, bindings translated."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 90%; max-width: 90; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 2;
        overflow-y: auto; scrollbar-size-vertical: 1;
    }
    Dialog Label { width: 100%; }  /* long messages wrap instead of being cut */
    Dialog .title { text-style: bold; margin-bottom: 1; }
    Dialog .hint { color: $text-muted; margin-top: 1; }
    Dialog OptionList { height: auto; max-height: 12; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog_cancel")]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(Dialog):
    """Yes / no; Enter or y confirms (o in French), Escape or n cancels."""

    BINDINGS = [
        Binding("enter,y,o", "confirm", N_("Confirm"), id="dialog_confirm"),
        Binding("n", "cancel", N_("Cancel"), show=False, id="dialog_no"),
    ]

    def __init__(self, title: str, detail: str | Content = "") -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.title_text), classes="title")
            if self.detail:
                yield Label(
                    self.detail if isinstance(self.detail, Content) else literal(self.detail)
                )
            yield Label(Content(_("Enter: confirm · Escape: cancel")), classes="hint")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class TextPrompt(Dialog):
    """Ask for one line of text (a name, a label…); Enter validates."""

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.title_text), classes="title")
            yield TextField(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label(Content(_("Enter: validate · Escape: cancel")), classes="hint")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    detail: str = ""


class PickerDialog(Dialog):
    """Pick one choice from a list filtered as you type; with ``by_number``, a digit typed
    first picks the choice of that number at once (F9 then 6: the sixth phase)."""

    def __init__(self, title: str, choices: list[Choice], *, by_number: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.by_number = by_number

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.title_text), classes="title")
            yield Input(placeholder=_("Type to filter…"), id="picker-filter")
            yield OptionList(*self._options(""), id="picker-list")
            yield Label(Content(_("↑↓: choose · Enter: validate · Escape: cancel")), classes="hint")

    def _options(self, needle: str) -> list[Option]:
        folded = needle.casefold().strip()
        return [
            Option(
                Content.assemble(c.label, (f"  {c.detail}" if c.detail else "", "dim")), id=c.key
            )
            for c in self.choices
            if not folded or folded in c.label.casefold() or folded in c.detail.casefold()
        ]

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#picker-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        number = event.value.strip()
        if self.by_number and number.isdigit() and 1 <= int(number) <= len(self.choices):
            self.dismiss(self.choices[int(number) - 1].key)
            return
        options = self.query_one(OptionList)
        options.set_options(self._options(event.value))
        if options.option_count:
            options.highlighted = 0

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        """Arrows move in the list while typing in the filter."""
        options = self.query_one(OptionList)
        if event.key in ("down", "up") and self.focused is self.query_one(Input):
            event.stop()
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()

    @on(Input.Submitted, "#picker-filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)


class MessageDialog(Dialog):
    """A readable message that needs acknowledging (errors on opening, paths written…)."""

    BINDINGS = [Binding("enter", "cancel", N_("Close"), id="dialog_close")]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.title_text), classes="title")
            for line in self.lines:
                yield Label(literal(line))
            yield Label(Content(_("Enter: close")), classes="hint")
