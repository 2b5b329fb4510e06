"""Clustering: a board with one panel per cluster plus « Unclassified ».

Digits move the selected idea (0 = Unclassified, 1–9 = the clusters in order), M opens a
filterable picker; clusters are created, renamed, merged, dissolved and reordered here.
S opens explained group suggestions, accepted or rejected one by one.
"""

from __future__ import annotations

from typing import Any, Self

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Static

from atelier import clustering, model
from atelier.i18n import N_, _, get_language, plural
from atelier.model import Cluster, Idea
from atelier.tally import IdeaTally
from atelier.widgets.ideas_view import IdeasView
from atelier.widgets.text import shortened, show

from .base import PhaseScreen
from .dialogs import Choice, ConfirmDialog, PickerDialog, TextPrompt
from .vote import round_title

UNCLASSIFIED = "none"
NEW_CLUSTER = "new"


def _common(a: str, b: str) -> int:
    """Length of the common start of ``a`` and ``b``."""
    return next(
        (n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


class BoardHint(Static):
    """The one-line hint over the board. A move changes a count in it: only those cells
    are repainted, because Textual redraws the bounding box of everything that changed,
    and a full-width line above the two columns involved would take in every column."""

    _changed: Region | None = None

    def show(self, content: Content) -> None:
        old = self.content
        if not isinstance(old, Content) or old.spans or content.spans:
            show(self, content, layout=False)
            return
        before, after = old.plain, content.plain
        if before == after:
            return
        start = _common(before, after)
        end = len(after) - _common(before[start:][::-1], after[start:][::-1])
        if len(before) != len(after):  # the tail moved: repaint to the longer end
            end = max(len(before), len(after))
        longer = after if len(after) >= len(before) else before
        self._changed = Region(cell_len(after[:start]), 0, max(1, cell_len(longer[start:end])), 1)
        try:
            self.update(content, layout=False)
        finally:
            self._changed = None

    def refresh(self, *regions: Region, **kwargs: bool) -> Self:
        if self._changed is not None and not regions:
            regions = (self._changed,)
        return super().refresh(*regions, **kwargs)


class ClusterPanel(Vertical):
    """One column of the board: title with count, then its ideas."""

    def __init__(self, cluster: Cluster | None, number: int, author_of, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(classes="cluster-panel", **kwargs)
        self.cluster = cluster
        self.number = number
        self.ideas = IdeasView(author_of, classes="cluster-ideas")

    @property
    def cluster_id(self) -> int | None:
        return self.cluster.id if self.cluster else None

    def compose(self) -> ComposeResult:
        yield Static(classes="cluster-title")
        yield self.ideas

    def fill(self, cluster: Cluster | None, ideas: tuple[Idea, ...]) -> None:
        self.cluster = cluster
        label = cluster.label if cluster else _("Unclassified")
        key = f"{self.number}" if self.number <= 9 else "·"
        show(  # one line (ellipsis): a move repaints two titles without a new layout
            self.query_one(".cluster-title", Static),
            Content.assemble(
                (f"{key} ", "bold reverse"), (f" ({len(ideas)}) ", "dim"), (label, "bold")
            ),
            layout=False,
        )
        self.ideas.sync(ideas)


class ClusteringScreen(PhaseScreen):
    PHASE = "clustering"
    BINDINGS = [
        Binding("m", "move_to", N_("Move to…"), id="clustering_move"),
        Binding("n", "new_cluster", N_("New cluster"), id="clustering_new"),
        Binding("r", "rename", N_("Rename"), id="clustering_rename"),
        Binding("f", "merge", N_("Merge into…"), id="clustering_merge"),
        Binding("d", "dissolve", N_("Dissolve"), id="clustering_dissolve"),
        Binding("less_than_sign", "reorder(-1)", N_("Move left"), id="clustering_left"),
        Binding("greater_than_sign", "reorder(1)", N_("Move right"), id="clustering_right"),
        Binding("s", "suggest", N_("Suggestions"), id="clustering_suggest"),
        Binding("l", "suggest_label", N_("Suggest a name"), id="clustering_label"),
        Binding("left", "panel(-1)", N_("Previous cluster"), show=False, id="clustering_prev"),
        Binding("right", "panel(1)", N_("Next cluster"), show=False, id="clustering_next"),
        *(
            Binding(
                str(d),
                f"move_number({d})",
                N_("Move to cluster N"),
                show=False,
                id=f"clustering_to_{d}",
            )
            for d in range(10)
        ),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tally = IdeaTally()  # the ideas of each column, following each change

    def compose_body(self) -> ComposeResult:
        yield BoardHint(id="board-hint")
        yield Horizontal(id="board")

    def panels(self) -> list[ClusterPanel]:
        return list(self.query(ClusterPanel))

    def refresh_view(self) -> None:
        s = self.session
        self.tally.update(s.ideas)  # a move changes two columns: only they are rebuilt
        wanted: list[Cluster | None] = [None, *s.clusters]
        panels = self.panels()
        if [p.cluster_id for p in panels] != [c.id if c else None for c in wanted]:
            self._rebuild_board(wanted)
        else:
            for panel, cluster in zip(panels, wanted, strict=True):
                panel.fill(cluster, self.tally.column(panel.cluster_id))
        placed = len(s.ideas) - len(self.tally.column(None))
        self.query_one("#board-hint", BoardHint).show(
            Content(
                _(
                    "Ideas placed: {placed} of {total} · clusters: {clusters} · 0–9 move the "
                    "selected idea"
                ).format(placed=placed, total=len(s.ideas), clusters=len(s.clusters))
            )
        )

    def _rebuild_board(self, wanted: list[Cluster | None]) -> None:
        focused = self.current_panel()
        focus_cluster = focused.cluster_id if focused else None
        self.run_worker(self._remount(wanted, focus_cluster), exclusive=True, group="board")

    async def _remount(self, wanted: list[Cluster | None], focus_cluster: int | None) -> None:
        board = self.query_one("#board", Horizontal)
        await board.remove_children()
        panels = [
            ClusterPanel(cluster, number, self.session.author_name)
            for number, cluster in enumerate(wanted)
        ]
        await board.mount_all(panels)
        self.refresh_view()  # fills the new panels from the session as it is now
        target = next((p for p in panels if p.cluster_id == focus_cluster), panels[0])
        target.ideas.focus()
        if target.ideas.option_count and target.ideas.highlighted is None:
            target.ideas.highlighted = 0
        board.scroll_to_widget(target, animate=False)

    # ---- selection
    def current_panel(self) -> ClusterPanel | None:
        focused = self.focused
        if isinstance(focused, IdeasView) and isinstance(focused.parent, ClusterPanel):
            return focused.parent
        return None

    def selected_idea(self) -> int | None:
        panel = self.current_panel()
        return panel.ideas.selected_id if panel else None

    def action_panel(self, delta: int) -> None:
        panels = self.panels()
        current = self.current_panel()
        index = panels.index(current) if current in panels else 0
        target = panels[max(0, min(len(panels) - 1, index + delta))]
        target.ideas.focus()
        self.query_one("#board", Horizontal).scroll_to_widget(target, animate=False)

    # ---- moving ideas
    def _move(self, cluster_id: int | None) -> None:
        idea_id = self.selected_idea()
        if idea_id is None:
            self.notify(_("Select an idea first."))
            return
        panel = self.current_panel()
        position = panel.ideas.highlighted if panel else None
        if self.atelier.apply(model.move_idea, idea_id, cluster_id) and panel is not None:
            if panel.ideas.option_count and position is not None:
                panel.ideas.highlighted = min(position, panel.ideas.option_count - 1)

    def action_move_number(self, number: int) -> None:
        if number == 0:
            self._move(None)
        elif number <= len(self.session.clusters):
            self._move(self.session.clusters[number - 1].id)
        else:
            self.notify(_("No cluster {number}: N creates one.").format(number=number))

    def action_move_to(self) -> None:
        if self.selected_idea() is None:
            self.notify(_("Select an idea first."))
            return
        choices = (
            [Choice(UNCLASSIFIED, _("Unclassified"), "0")]
            + [
                Choice(str(c.id), c.label, str(n) if n <= 9 else "")
                for n, c in enumerate(self.session.clusters, start=1)
            ]
            + [Choice(NEW_CLUSTER, _("New cluster…"))]
        )

        def chosen(key: str | None) -> None:
            if key is None:
                return
            if key == NEW_CLUSTER:
                self._new_cluster(move_selected=True)
            else:
                self._move(None if key == UNCLASSIFIED else int(key))

        self.app.push_screen(PickerDialog(_("Move the idea to…"), choices), chosen)

    # ---- clusters
    def action_new_cluster(self) -> None:
        self._new_cluster(move_selected=False)

    def _new_cluster(self, move_selected: bool) -> None:
        idea_id = self.selected_idea() if move_selected else None

        def named(label: str | None) -> None:
            if label is None or not self.atelier.apply(model.add_cluster, label):
                return
            if idea_id is not None:
                self.atelier.apply(model.move_idea, idea_id, self.session.clusters[-1].id)

        self.app.push_screen(TextPrompt(_("Name of the new cluster")), named)

    def _current_cluster(self) -> Cluster | None:
        panel = self.current_panel()
        if panel is None or panel.cluster is None:
            self.notify(_("Go to a cluster's column first (← →)."))
            return None
        return panel.cluster

    def action_rename(self) -> None:
        cluster = self._current_cluster()
        if cluster is None:
            return

        def named(label: str | None) -> None:
            if label is not None:
                self.atelier.apply(model.rename_cluster, cluster.id, label)

        self.app.push_screen(
            TextPrompt(_("New name of the cluster"), cluster.label),
            named,
        )

    def action_suggest_label(self) -> None:
        cluster = self._current_cluster()
        if cluster is None:
            return
        inside = [i.text for i in self.session.ideas if i.cluster_id == cluster.id]
        others = [i.text for i in self.session.ideas if i.cluster_id != cluster.id]
        proposal = clustering.suggest_label(inside, self.session.lang, others)
        if not proposal:
            self.notify(_("No name to suggest: too few words in common."))
            return

        def named(label: str | None) -> None:
            if label is not None:
                self.atelier.apply(model.rename_cluster, cluster.id, label)

        self.app.push_screen(
            TextPrompt(_("Suggested name (edit, Enter to accept)"), proposal),
            named,
        )

    def action_merge(self) -> None:
        cluster = self._current_cluster()
        if cluster is None:
            return
        choices = [Choice(str(c.id), c.label) for c in self.session.clusters if c.id != cluster.id]
        if not choices:
            self.notify(_("There is no other cluster to merge into."))
            return

        def merge(yes: bool | None, key: str) -> None:
            if yes:
                self.atelier.apply(model.merge_clusters, cluster.id, int(key))

        def chosen(key: str | None) -> None:
            if key is None:
                return
            warning = self._closed_vote_warning(cluster)
            if not warning:
                merge(True, key)
                return
            title = _("Merge “{label}” after the vote?").format(label=shortened(cluster.label, 40))
            self.app.push_screen(ConfirmDialog(title, warning), lambda yes: merge(yes, key))

        self.app.push_screen(
            PickerDialog(
                _("Merge “{label}” into…").format(label=shortened(cluster.label, 40)), choices
            ),
            chosen,
        )

    def action_dissolve(self) -> None:
        cluster = self._current_cluster()
        if cluster is None:
            return
        count = sum(1 for i in self.session.ideas if i.cluster_id == cluster.id)

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.atelier.apply(model.dissolve_cluster, cluster.id)

        detail = plural(
            get_language(),
            count,
            _("“{label}”: its {count} idea goes back to Unclassified."),
            _("“{label}”: its {count} ideas go back to Unclassified."),
            label=cluster.label,
        )
        warning = self._closed_vote_warning(cluster)
        self.app.push_screen(
            ConfirmDialog(
                _("Dissolve this cluster?"), f"{detail}\n{warning}" if warning else detail
            ),
            confirmed,
        )

    def _closed_vote_warning(self, cluster: model.Cluster) -> str:
        """Said before a cluster a closed vote counted disappears ('' when none did)."""
        votes = self.session.closed_votes_on(f"cluster:{cluster.id}")
        if not votes:
            return ""
        titles = ", ".join(round_title(self.session, r) for r in votes)
        return _(
            "A closed vote counted it ({votes}): its result stays under the name “{label}”, "
            "but the cluster can no longer be voted on or linked to an action."
        ).format(votes=titles, label=cluster.label)

    def action_reorder(self, delta: int) -> None:
        cluster = self._current_cluster()
        if cluster is not None:
            self.atelier.apply(model.move_cluster, cluster.id, delta)

    def action_suggest(self) -> None:
        from .suggestions import SuggestionsScreen

        if len(self.session.ideas) < 2:
            self.notify(_("Too few ideas to suggest groups."))
            return
        self.app.push_screen(SuggestionsScreen())

    @on(IdeasView.Selected)
    def idea_selected(self, event: IdeasView.Selected) -> None:
        event.stop()
        self.action_move_to()
