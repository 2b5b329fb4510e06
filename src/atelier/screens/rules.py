"""Rules: « Les règles de l'intelligence collective », edited and adopted by the group."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from atelier import clock, model
from atelier.i18n import N_, _
from atelier.model import Rule

from .base import PhaseScreen
from .dialogs import TextPrompt

INDENT = 4


def rule_prompt(number: int, rule: Rule, width: int = 76) -> Content:
    """A rule as a card: title, then its explanation (literal text) wrapped in ``width``
    cells with a hanging indent, so the title stands out however long the explanation is."""
    head = Content.styled(f" {number}. {rule.title.upper()} ", "bold")
    if not rule.explanation:
        return Content.assemble(head, "\n")
    lines = Content(rule.explanation).wrap(max(10, width - INDENT))
    indent = Content("\n" + " " * INDENT)
    body = indent.join(line.rstrip() for line in lines).stylize("italic")
    return Content.assemble(head, indent, body, "\n")


class RulesScreen(PhaseScreen):
    PHASE = "rules"
    BINDINGS = [
        Binding("a", "adopt", N_("Adopted by the group"), id="rules_adopt"),
        Binding("n", "add", N_("Add a rule"), id="rules_add"),
        Binding("e,enter", "edit", N_("Edit"), id="rules_edit"),
        Binding("delete", "remove", N_("Remove"), id="rules_remove"),
        Binding("less_than_sign", "move(-1)", N_("Move up"), id="rules_up"),
        Binding("greater_than_sign", "move(1)", N_("Move down"), id="rules_down"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(
            Content.styled(_("The rules of collective intelligence"), "bold"), id="rules-title"
        )
        yield OptionList(id="rules")
        yield Static(id="rules-adopted")

    def refresh_view(self) -> None:
        rules = self.query_one("#rules", OptionList)
        highlighted = rules.highlighted
        width = self.app.size.width - 10  # margins, border, padding and scrollbar
        rules.set_options(
            Option(rule_prompt(n, r, width), id=str(r.id))
            for n, r in enumerate(self.session.rules, start=1)
        )
        if self.session.rules:
            rules.highlighted = min(highlighted or 0, len(self.session.rules) - 1)
        adopted = self.session.rules_adopted_at
        text = (
            _("✔ Adopted by the group at {time}.").format(
                time=clock.parse(adopted).strftime("%H:%M")
            )
            if adopted
            else _("Not adopted yet: press A once the group agrees.")
        )
        self.query_one("#rules-adopted", Static).update(
            Content.styled(text, "bold" if adopted else "")
        )
        rules.focus()

    def on_resize(self) -> None:
        if self.is_mounted:
            self.refresh_view()

    def _selected(self) -> int | None:
        rules = self.query_one("#rules", OptionList)
        if rules.highlighted is None or not rules.option_count:
            return None
        return int(rules.get_option_at_index(rules.highlighted).id or 0)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_adopt(self) -> None:
        operation = model.unadopt_rules if self.session.rules_adopted_at else model.adopt_rules
        self.atelier.apply(operation)

    def action_add(self) -> None:
        self._ask_rule(None)

    def action_edit(self) -> None:
        rule_id = self._selected()
        if rule_id is not None:
            self._ask_rule(self.session.rule(rule_id))

    def _ask_rule(self, rule: Rule | None) -> None:
        def with_title(title: str | None) -> None:
            if title is None:
                return

            def with_text(text: str | None) -> None:
                if text is None:
                    return
                if rule is None:
                    self.atelier.apply(model.add_rule, title, text)
                else:
                    self.atelier.apply(model.edit_rule, rule.id, title, text)

            self.app.push_screen(
                TextPrompt(
                    _("One line of explanation"),
                    rule.explanation if rule else "",
                ),
                with_text,
            )

        self.app.push_screen(
            TextPrompt(_("The rule"), rule.title if rule else ""),
            with_title,
        )

    def action_remove(self) -> None:
        rule_id = self._selected()
        if rule_id is not None and self.atelier.apply(model.remove_rule, rule_id):
            self.notify(_("Rule removed. ctrl+z to undo."))

    def action_move(self, delta: int) -> None:
        rule_id = self._selected()
        if rule_id is None:
            return
        if self.atelier.apply(model.move_rule, rule_id, delta):
            rules = self.query_one("#rules", OptionList)
            ids = [r.id for r in self.session.rules]
            rules.highlighted = ids.index(rule_id)
