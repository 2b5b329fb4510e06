"""Ideation: capture at speaking speed — type, Enter, saved, ready for the next idea.

``@Name`` at the start of an idea (or ctrl+a) attributes it to a participant; the author
stays selected for the following ideas. A close idea already on the board is pointed out
(« proche de #12 ») with an offer to merge; capture is never blocked.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.widgets import Input, Static

from atelier import model
from atelier.clustering import SimilarityIndex
from atelier.i18n import N_, _, get_language, plural
from atelier.model import Idea, Session
from atelier.tally import IdeaTally, follow_texts
from atelier.widgets.fields import CaptureField
from atelier.widgets.ideas_view import IdeasView
from atelier.widgets.moderation import ModerationQueue
from atelier.widgets.text import shortened, show

from .base import PhaseScreen
from .dialogs import Choice, PickerDialog

NO_AUTHOR = "none"
NEW_AUTHOR = "new"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _consume(field: Input, submitted: str) -> None:
    """Empty the field of what was submitted, keeping anything typed after the Enter."""
    if field.value.startswith(submitted):
        field.value = field.value[len(submitted) :]


def split_author(session: Session, text: str) -> tuple[int | None, str]:
    """``@awa Idea`` → (Awa's id, "Idea") when the prefix names exactly one participant."""
    stripped = text.lstrip()
    if not stripped.startswith("@") or session.anonymous:
        return None, text
    word, _sep, rest = stripped[1:].partition(" ")
    folded = _fold(word)
    if not folded:
        return None, text
    exact = [p for p in session.participants if _fold(p.name.replace(" ", "")) == folded]
    prefix = [p for p in session.participants if _fold(p.name).startswith(folded)]
    found = exact or prefix
    if len(found) != 1:
        return None, text
    return found[0].id, rest


def unknown_author(session: Session, text: str) -> str | None:
    """The name after a leading ``@`` when it names no participant (or several)."""
    stripped = text.lstrip()
    if not stripped.startswith("@") or session.anonymous:
        return None
    word = stripped[1:].partition(" ")[0]
    if not word.strip() or split_author(session, text)[0] is not None:
        return None
    return word


def participation(session: Session, per_author: Counter[int | None] | None = None) -> Content:
    """Ideas per participant, most first, then who has not contributed yet.

    ``per_author``: the session's :meth:`~Session.author_counts`, when kept up to date."""
    if session.anonymous or not session.participants:
        count = len(session.ideas)
        return Content(plural(get_language(), count, _("{count} idea"), _("{count} ideas")))
    if per_author is None:
        per_author = session.author_counts()
    counts = {p.id: per_author[p.id] for p in session.participants}
    unattributed = per_author[None]
    by_id = {p.id: p.name for p in session.participants}
    lines: list[Content] = [Content.styled(_("Participation"), "bold")]
    for person_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], by_id[kv[0]])):
        if count:
            lines.append(Content.assemble((f"{count:>4} ", "bold"), by_id[person_id]))
    if unattributed:
        lines.append(Content.assemble((f"{unattributed:>4} ", "bold"), (_("no author"), "dim")))
    silent = [by_id[i] for i, c in counts.items() if c == 0]
    if silent:
        lines.append(Content.styled(_("Not contributed yet:"), "bold"))
        lines.extend(Content("  " + name) for name in silent)
    return Content("\n").join(lines)


class IdeationScreen(PhaseScreen):
    PHASE = "ideation"
    BINDINGS = [
        Binding("ctrl+n", "choose_author", N_("Author"), id="ideation_author"),
        Binding("ctrl+f", "merge_similar", N_("Merge with similar"), id="ideation_merge"),
        Binding("ctrl+r", "edit", N_("Edit idea"), id="ideation_edit"),
        Binding("delete", "delete", N_("Delete idea"), id="ideation_delete"),
        Binding("ctrl+t", "toggle_participation", N_("Participation"), id="ideation_participation"),
        Binding("ctrl+g", "moderation", N_("Phone ideas"), id="ideation_moderation"),
        Binding("down", "focus_list", N_("Go to the list"), show=False, id="ideation_list"),
        Binding("escape", "back_to_input", N_("Back to capture"), show=False, id="ideation_back"),
    ]
    unsaved_hint: int | None = None  # the idea the hint shows NOT SAVED, until a retry saves it

    def __init__(self) -> None:
        super().__init__()
        self.author_id: int | None = None
        self.editing: int | None = None
        self.similar_to: tuple[int, int] | None = None  # (new idea, older similar idea)
        self.new_author: tuple[str, int | None] | None = None  # unknown @name, its idea
        self.index: SimilarityIndex | None = None
        self._indexed: tuple[Idea, ...] = ()  # the ideas whose texts ``index`` holds
        self.tally = IdeaTally()  # participation counts, following each change

    def compose_body(self) -> ComposeResult:
        yield Static(id="question")
        with Horizontal(id="capture"):
            yield CaptureField(
                placeholder=_("An idea, then Enter (@name to attribute it)"), id="idea-input"
            )
            yield Static(id="author")
        yield Static(id="capture-hint")
        with Horizontal(id="ideation-main"):
            yield IdeasView(self.session.author_name, id="ideas")
            with Vertical(id="participation-panel"):
                yield Static(id="participation")
            yield ModerationQueue(id="moderation")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#participation-panel").display = self.app.size.width >= 100
        self.query_one("#idea-input", Input).focus()
        self.build_index()
        ideas = self.query_one(IdeasView)
        if ideas.option_count:
            ideas.highlighted = ideas.option_count - 1
            ideas.scroll_end(animate=False)

    @work(thread=True, exclusive=True)
    def build_index(self) -> None:
        """Index the ideas for « proche de #12 » off the UI thread (2,000 ideas); the
        changes made meanwhile are caught up with on the next refresh."""
        session = self.session
        index = SimilarityIndex(session.lang)
        for idea in session.ideas:
            index.add(idea.id, idea.text)
        self._indexed = session.ideas
        self.index = index

    def _follow_index(self) -> None:
        """Keep the « proche de #12 » index in step with the session, whatever changed it
        (an idea added, edited, merged, deleted, from a phone, an undo)."""
        ideas = self.session.ideas
        if self.index is not None and self._indexed is not ideas:
            follow_texts(self.index, self._indexed, ideas)
            self._indexed = ideas

    def refresh_view(self) -> None:
        s = self.session
        question = s.question or _("(no question set: F7 to go back to the setup)")
        show(self.query_one("#question", Static), Content.styled(question, "bold"))
        self.query_one(IdeasView).sync(s.ideas)
        self._follow_index()
        self.tally.update(s.ideas)
        self._show_participation(participation(s, self.tally.authors))
        self._show_author()
        if self.unsaved_hint is not None and not self.atelier.unsaved:  # the retry saved it
            self._hint(Content(_("Saved: #{id}.").format(id=self.unsaved_hint)))
            self.unsaved_hint = None

    def _show_participation(self, content: Content) -> None:
        """A count going up keeps the panel's height: repaint it without a layout of the
        whole screen (which redraws every widget on each idea added); a hidden panel (a
        narrow terminal) is laid out when shown again."""
        panel = self.query_one("#participation", Static)
        old, width, rules = panel.content, panel.content_size.width, cast(RulesMap, panel.styles)
        kept = not self.query_one("#participation-panel").display or (
            isinstance(old, Content)
            and width > 0
            and old.get_height(rules, width) == content.get_height(rules, width)
        )
        show(panel, content, layout=not kept)

    def _show_author(self) -> None:
        name = ""
        if self.author_id is not None:
            try:
                name = self.session.participant(self.author_id).name
            except model.AtelierError:
                self.author_id = None
        label = name or (_("anonymous") if self.session.anonymous else _("no author"))
        show(
            self.query_one("#author", Static), Content.assemble((_("Author:") + " ", "dim"), label)
        )

    def _hint(self, content: Content | str) -> None:
        show(self.query_one("#capture-hint", Static), content, layout=False)

    # ---- capture
    @on(Input.Submitted, "#idea-input")
    def submitted(self, event: Input.Submitted) -> None:
        """Save what was submitted (not what the field holds by now)."""
        event.stop()
        if self.atelier.read_only:
            self.notify(_("This session is open read-only: nothing can be changed."))
            return
        field, value = event.input, event.value
        if self.editing is not None:
            if self.atelier.apply(model.edit_idea, self.editing, value):
                self.editing = None
                _consume(field, value)
                self._hint("")
            return
        if not value.strip():
            return
        _consume(field, value)
        name = unknown_author(self.session, value)
        if name is not None:
            self._unattributed(name, value.lstrip()[len(name) + 1 :].strip(), value)
            return
        author, text = split_author(self.session, value)
        if author is not None:
            self.author_id = author
        self._add(text, self.author_id, value)

    def _add(self, text: str, author_id: int | None, typed: str) -> bool:
        """Save one idea; refused (too long…), what was typed goes back into the field."""
        if not self.atelier.apply(model.add_idea, text, author_id):
            field = self.query_one("#idea-input", Input)
            field.value = typed + field.value
            return False
        idea = self.session.ideas[-1]
        self.query_one(IdeasView).show_last()
        self._point_out_similar(idea)
        return True

    def _unattributed(self, name: str, text: str, typed: str) -> None:
        """``@Zoé …`` for someone not in the list: the idea is saved at once without author
        (capture is never blocked, never credited to the author selected before) and ctrl+n
        offers to add Zoé and credit it."""
        self.author_id = None
        self._show_author()
        if not text.strip():  # « @Zoé » alone: only the offer
            self.new_author = (name, None)
        elif self._add(text, None, typed):
            self.new_author = (name, self.session.ideas[-1].id)
        else:
            return
        self._hint(
            Content(
                _("“{name}” is not in the list (no author) — ctrl+n to add them.").format(name=name)
            )
        )

    @on(CaptureField.Lines)
    def pasted_lines(self, event: CaptureField.Lines) -> None:
        """A pasted list (notes, a chat): one idea per line, none lost."""
        if self.atelier.read_only:
            self.notify(_("This session is open read-only: nothing can be changed."))
            return
        added = 0
        for line in event.lines:
            author, text = split_author(self.session, line)
            if author is None and unknown_author(self.session, line) is None:
                author = self.author_id  # an unknown @name is never credited to someone else
            if self.atelier.apply(model.add_idea, text, author):
                added += 1
        self._hint(
            Content(
                plural(
                    get_language(),
                    added,
                    _("{count} idea added from the paste."),
                    _("{count} ideas added from the paste."),
                )
            )
        )
        self.query_one(IdeasView).show_last()

    def _point_out_similar(self, idea: Idea) -> None:
        self.similar_to = None
        self._follow_index()
        matches = self.index.similar_to(idea.id, limit=3) if self.index else []
        others = [key for key, _score in matches]
        if not others:
            self.unsaved_hint = idea.id if self.atelier.unsaved else None
            saved = _("NOT SAVED: #{id}.") if self.unsaved_hint else _("Saved: #{id}.")
            self._hint(Content(saved.format(id=idea.id)))
            return
        older = self.session.idea(others[0])
        self.similar_to = (idea.id, older.id)
        head = _("Close to #{id}").format(id=older.id)
        action = _("— ctrl+f to merge")
        quote = _("“{text}”")
        # the whole action stays readable: the idea's text is what gets cut (…)
        room = self.query_one("#capture-hint").content_size.width
        room -= len(head) + len(action) + len(quote.format(text="")) + 2
        self._hint(
            Content.assemble(
                (head, "bold"),
                " ",
                quote.format(text=shortened(older.text, max(8, min(room, 50)))),
                " ",
                (action, "dim"),
            )
        )

    # ---- actions
    def action_choose_author(self) -> None:
        if self.session.anonymous:
            self.notify(_("Anonymous session: ideas have no author."))
            return
        target = self._list_target()
        choices = [Choice(NO_AUTHOR, _("no author"))] + [
            Choice(str(p.id), p.name) for p in self.session.participants
        ]
        if self.new_author is not None and target is None:
            name = self.new_author[0]
            choices.insert(
                0, Choice(NEW_AUTHOR, _("Add “{name}” to the participants").format(name=name))
            )

        def chosen(key: str | None) -> None:
            if key is None:
                return
            if key == NEW_AUTHOR:
                self._add_new_author()
                return
            author = None if key == NO_AUTHOR else int(key)
            if target is not None:
                self.atelier.apply(model.set_idea_author, target, author)
            else:
                self.author_id = author
                self._show_author()
            self.query_one("#idea-input", Input).focus()

        title = _("Author of #{id}").format(id=target) if target else _("Author of the next ideas")
        self.app.push_screen(PickerDialog(title, choices), chosen)

    def _add_new_author(self) -> None:
        """Add the unknown @name as a participant, credit its idea, keep them selected."""
        if self.new_author is None:
            return
        name, idea_id = self.new_author
        self.new_author = None
        if not self.atelier.apply(model.add_participant, name):
            return
        self.author_id = self.session.participants[-1].id
        if idea_id is not None and idea_id in {i.id for i in self.session.ideas}:
            self.atelier.apply(model.set_idea_author, idea_id, self.author_id)
        self._show_author()
        self._hint("")
        self.query_one("#idea-input", Input).focus()

    def _list_target(self) -> int | None:
        """The idea selected in the list when the list has focus, else None (capture)."""
        ideas = self.query_one(IdeasView)
        return ideas.selected_id if ideas.has_focus else None

    def action_merge_similar(self) -> None:
        if self.similar_to is None:
            self.notify(_("No similar idea pointed out."))
            return
        new_id, older_id = self.similar_to
        self.similar_to = None
        if self.atelier.apply(model.merge_ideas, older_id, new_id):
            self._hint(Content(_("Merged into #{id}.").format(id=older_id)))

    def action_edit(self) -> None:
        idea_id = self.query_one(IdeasView).selected_id
        if idea_id is None:
            return
        self.editing = idea_id
        field = self.query_one("#idea-input", Input)
        field.value = self.session.idea(idea_id).text
        field.focus()
        self._hint(Content(_("Editing #{id}: Enter to save, Escape to cancel.").format(id=idea_id)))

    def action_back_to_input(self) -> None:
        """Escape: cancel an edit in progress, or come back from the list to capture."""
        field = self.query_one("#idea-input", Input)
        if self.editing is not None:
            self.editing = None
            field.value = ""
            self._hint("")
        field.focus()

    def action_focus_list(self) -> None:
        self.query_one(IdeasView).focus()

    @on(IdeasView.Selected)
    def idea_chosen(self, event: IdeasView.Selected) -> None:
        event.stop()
        self.action_edit()

    def action_delete(self) -> None:
        if not self.query_one(IdeasView).has_focus:
            return
        idea_id = self.query_one(IdeasView).selected_id
        if idea_id is None:
            return
        if self.atelier.apply(model.delete_idea, idea_id):
            self._hint(Content(_("#{id} deleted — ctrl+z to undo.").format(id=idea_id)))

    def show_replayed(self, table: str | None, key: int | None) -> None:
        """After ctrl+z / ctrl+y: no stale hint (« merged into #4 »); the idea restored or
        changed is selected and scrolled into view."""
        self.similar_to = None
        self._hint("")
        if table == "ideas" and key is not None:
            ideas = self.query_one(IdeasView)
            ideas.select_id(key)
            if ideas.highlighted is not None:
                ideas.scroll_to_highlight()

    # ---- ideas from phones (issue 13): the queue is its own widget
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "moderation" or getattr(self.app, "phones", None) is not None

    def action_moderation(self) -> None:
        self.query_one(ModerationQueue).focus_queue()

    @on(ModerationQueue.Accepted)
    def phone_idea_accepted(self, event: ModerationQueue.Accepted) -> None:
        self._point_out_similar(self.session.idea(event.idea_id))

    def action_toggle_participation(self) -> None:
        panel = self.query_one("#participation-panel")
        panel.display = not panel.display
