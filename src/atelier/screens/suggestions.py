"""Explained group suggestions: each shows its ideas, a proposed name and why (shared
terms); the facilitator accepts, edits or rejects them one by one. Accepting never moves an
idea already placed by hand unless asked (P), and every acceptance can be undone."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from atelier import clustering, model
from atelier.i18n import N_, _, get_language, plural
from atelier.model import Session
from atelier.widgets.text import shortened

from .base import AtelierScreen
from .dialogs import TextPrompt

SHOWN_IDEAS = 6


@dataclass(frozen=True)
class Proposal:
    key: int
    label: str
    terms: tuple[str, ...]
    idea_ids: tuple[int, ...]


def proposals_for(session: Session) -> list[Proposal]:
    """Suggestions over every idea, mapped to idea ids (stable while the board changes)."""
    ideas = session.ideas
    groups = clustering.explain_groups([i.text for i in ideas], session.lang)
    return [
        Proposal(n, g.label, g.shared_terms, tuple(ideas[i].id for i in g.members))
        for n, g in enumerate(groups)
    ]


class SuggestionsScreen(AtelierScreen):
    BINDINGS = [
        Binding("a,enter", "accept(False)", N_("Accept"), id="suggest_accept"),
        Binding("p", "accept(True)", N_("Accept, moving placed ideas too"), id="suggest_all"),
        Binding("e", "edit", N_("Edit the name and accept"), id="suggest_edit"),
        Binding("x,delete", "reject", N_("Reject"), id="suggest_reject"),
        Binding("escape", "close", N_("Back to the board"), id="suggest_close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.proposals: list[Proposal] = []

    def compose(self) -> ComposeResult:
        yield Static(Content.styled(_("Suggested groups"), "bold"), id="suggest-title")
        yield Static(Content(_("Computing suggestions…")), id="suggest-status")
        yield OptionList(id="suggestions")
        yield Footer()

    def on_mount(self) -> None:
        # after the first frame: the thread would otherwise hold the GIL while the screen
        # is drawn, and S would take longer to show anything the more ideas there are
        self.call_after_refresh(self.compute, self.atelier.session)

    @work(thread=True, exclusive=True)
    def compute(self, session: Session) -> None:
        proposals = proposals_for(session)
        self.app.call_from_thread(self.show, proposals)

    def show(self, proposals: list[Proposal]) -> None:
        self.proposals = proposals
        self.redraw()
        self.query_one(OptionList).focus()

    def redraw(self) -> None:
        session = self.atelier.session
        existing = {i.id: i for i in session.ideas}
        labels = {c.id: c.label for c in session.clusters}
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.set_options(
            Option(self._prompt(p, existing, labels), id=str(p.key)) for p in self.proposals
        )
        if self.proposals:
            options.highlighted = min(highlighted or 0, len(self.proposals) - 1)
        status = (
            plural(
                get_language(),
                len(self.proposals),
                _("{count} suggestion. Nothing moves until you accept."),
                _("{count} suggestions. Nothing moves until you accept."),
            )
            if self.proposals
            else _("No more suggestions.")
        )
        self.query_one("#suggest-status", Static).update(Content(status))

    def _prompt(
        self, proposal: Proposal, existing: dict[int, model.Idea], labels: dict[int, str]
    ) -> Content:
        lines = [
            Content.assemble(
                (proposal.label or _("(no name)"), "bold"), (f"  ({len(proposal.idea_ids)})", "dim")
            ),
            Content.assemble((_("why:") + " ", "dim"), ", ".join(proposal.terms)),
        ]
        for idea_id in proposal.idea_ids[:SHOWN_IDEAS]:
            idea = existing.get(idea_id)
            if idea is None:
                continue
            where = labels.get(idea.cluster_id) if idea.cluster_id else None
            lines.append(
                Content.assemble(
                    f"  #{idea.id} ",
                    shortened(idea.text, 70),
                    (
                        ("  [" + _("in “{label}”").format(label=where) + "]") if where else "",
                        "italic dim",
                    ),
                )
            )
        more = len(proposal.idea_ids) - SHOWN_IDEAS
        if more > 0:
            lines.append(Content.styled("  " + _("… and {count} more").format(count=more), "dim"))
        return Content("\n").join([*lines, Content("")])

    def _current(self) -> Proposal | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.proposals:
            return None
        return self.proposals[options.highlighted]

    def _accept(self, proposal: Proposal, label: str, move_placed: bool) -> None:
        existing = {i.id for i in self.atelier.session.ideas}
        ids = [i for i in proposal.idea_ids if i in existing]
        if self.atelier.apply(model.group_ideas, ids, label, move_placed=move_placed):
            self.proposals.remove(proposal)
            self.notify(_("Cluster “{label}” created. ctrl+z to undo.").format(label=label))
            self.redraw()

    def action_accept(self, move_placed: bool) -> None:
        proposal = self._current()
        if proposal is not None:
            self._accept(proposal, proposal.label or _("Group"), move_placed)

    def action_edit(self) -> None:
        proposal = self._current()
        if proposal is None:
            return

        def named(label: str | None) -> None:
            if label is not None:
                self._accept(proposal, label, move_placed=False)

        self.app.push_screen(TextPrompt(_("Name of the cluster"), proposal.label), named)

    def action_reject(self) -> None:
        proposal = self._current()
        if proposal is not None:
            self.proposals.remove(proposal)
            self.redraw()

    def action_close(self) -> None:
        self.app.pop_screen()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_accept(False)

    def session_changed(self) -> None:
        """Undo while here: the ideas shown follow the session."""
        if self.is_mounted:
            self.redraw()
