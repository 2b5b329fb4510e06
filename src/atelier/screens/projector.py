"""Projector mode: the current phase as a room display, and the rules recalled full screen.

F3 (an app key) shows :class:`ProjectorScreen` for the current phase and hides it again;
F2 (an app key) does the same with :class:`RulesRecallScreen`; Escape leaves both. Neither
shows a footer or any facilitator control: only what the room reads, black on white and
bold, as large as the terminal allows (block letters from :mod:`atelier.widgets.bigtext`),
with one discreet hint line in a corner.

The high-contrast look is this module's own CSS rather than a switch of the app theme: the
facilitator's theme and the screens underneath stay as they were, there is nothing to
restore on the way back (even after an error), and pure black on pure white is more
contrasted than any theme's palette.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.renderables.digits import Digits as DigitsRenderable
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Digits, Static

from atelier import clock, i18n, model
from atelier.errors import AtelierError
from atelier.i18n import N_, _, plural
from atelier.model import PhaseTime, Session, VoteRound
from atelier.summary import round_results
from atelier.widgets import bigtext
from atelier.widgets.bigtext import BigText, centre
from atelier.widgets.charts import bar_cells, fitted, merit_bar, merit_legend, one_line
from atelier.widgets.guard import Guarded

from .base import AtelierScreen

CARD_HEIGHT = 5  # least rows of a group card: its number (3 at least) and its label (2)
CARD_WIDTH = 26  # least columns of a group card, gutter included

ROOM_CSS = """
RoomScreen {
    background: #ffffff;
    color: #000000;
    text-style: bold;
    layout: vertical;
    overflow: hidden hidden;
    padding: 1 2 0 2;
}
RoomScreen .room-hint {
    dock: bottom;
    height: 1;
    width: 100%;
    text-align: right;
    color: #4d4d4d;
    text-style: none;
}
RoomScreen .room-caption { width: 100%; height: auto; text-align: center; }
RoomScreen .room-explanation { padding: 1 0; }
RoomScreen .room-counters { width: 100%; height: auto; align-horizontal: center; margin-top: 1; }
RoomScreen .room-counter { height: auto; padding: 0 4; }
RoomScreen .room-counter Digits { width: 100%; text-align: center; }
RoomScreen .room-label { width: 100%; text-align: center; }
RoomScreen RoomTimer.-overtime Digits { background: #000000; color: #ffffff; }
RoomScreen ClusterGrid { height: 1fr; grid-gutter: 1 2; }
RoomScreen .room-card { height: 100%; }
RoomScreen .room-card-count { height: 1fr; }
RoomScreen .room-card-label { height: 2; text-align: center; }
RoomScreen .room-card-line { display: none; height: 1; }
RoomScreen ClusterGrid.-compact { grid-gutter: 0 2; }
RoomScreen ClusterGrid.-compact .room-card-count { display: none; }
RoomScreen ClusterGrid.-compact .room-card-label { display: none; }
RoomScreen ClusterGrid.-compact .room-card-line { display: block; }
RoomScreen Board, RoomScreen RoomChart { height: 1fr; }
"""


def key_of(app: Any, action: str) -> str:
    """How the key bound to an app action is shown (it follows the user's keymap)."""
    for _key, binding in app._bindings:
        if binding.action == action:
            return str(app.get_key_display(binding))
    return ""


def hint(parts: Iterable[str]) -> Content:
    return Content(" · ".join(part for part in parts if part) + " ")


# --------------------------------------------------------------------------- widgets


class RoomTimer(Guarded, Vertical):
    """The phase's countdown in large digits; ticks once a second only while running."""

    def __init__(self, timing: Callable[[], PhaseTime], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._timing = timing
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Digits("", classes="room-timer-digits")
        yield Static(classes="room-label")

    def on_mount(self) -> None:
        self._ticker = self.set_interval(1.0, self.tick, pause=True)
        self.sync()

    def sync(self) -> None:
        """Re-read the timing (after start, pause, +1 min…); tick only while running."""
        try:
            running = self._timing().running
        except AtelierError:  # the session was just closed
            return
        if self._ticker is not None:
            if running:
                self._ticker.resume()
            else:
                self._ticker.pause()
        self.tick()

    def tick(self) -> None:
        try:
            timing = self._timing()
        except AtelierError:
            return
        remaining = timing.remaining()
        over = remaining <= 0
        digits = self.query_one(Digits)
        value = i18n.format_duration(remaining)
        if digits.value != value:
            digits.update(value)
        self.set_class(over, "-overtime")
        if over:
            label = _("Time is up!")
        elif timing.running:
            label = _("time left")
        else:
            label = _("timer paused")
        shown = self.query_one(".room-label", Static)
        if shown.visual.plain != label:  # type: ignore[attr-defined]
            shown.update(Content(label))
        fit_counter(self, value, label)


def fit_counter(widget: Widget, value: str, label: str) -> None:
    """Size a counter to its digits or its label, whichever is wider, so both centre
    (an auto width would leave the narrower one on the left)."""
    width = max(DigitsRenderable.get_width(value), Content(label).cell_length) + 8
    if widget.styles.width is None or widget.styles.width.cells != width:
        widget.styles.width = width


def counter(value: int, label: str, **kwargs: Any) -> Vertical:
    """A number in large digits with its label underneath."""
    box = Vertical(Digits(str(value)), Static(Content(label), classes="room-label"), **kwargs)
    fit_counter(box, str(value), label)
    return box


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a :class:`Board`: a title (drawn large if possible) and a detail line."""

    title: str
    detail: str = ""


class Board(Widget):
    """A list drawn as large as the region allows, the same size for every entry.

    Titles are block letters at the largest scale where every entry fits, else bold text
    (capitals when ``capitals``); details are wrapped plain text. Literal text only."""

    def __init__(
        self,
        entries: Sequence[Entry] = (),
        *,
        capitals: bool = False,
        centred: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.entries = tuple(entries)
        self.capitals = capitals
        self.centred = centred

    def _wrap(self, text: str, width: int, style: str = "") -> list[Content]:
        if not text:
            return []
        lines = Content.styled(" ".join(bigtext.words(text)), style).wrap(width)
        return [centre(line, width) if self.centred else line for line in lines]

    def _blocks(self, width: int, height: int) -> list[Content] | None:
        for scale in ("double", "full", "half"):
            lines: list[Content] = []
            for entry in self.entries:
                block = bigtext.draw(entry.title, scale, width)
                if block is None:
                    return None
                if lines:
                    lines.append(Content(""))
                for row in block.lines:
                    lines.append(Content(row.center(width) if self.centred else row))
                lines.extend(self._wrap(entry.detail, width, "not bold"))
            if len(lines) <= height:
                return lines
        return None

    def _plain(self, width: int, height: int) -> list[Content]:
        chunks: list[list[Content]] = []
        for entry in self.entries:
            title = entry.title.upper() if self.capitals else entry.title
            chunks.append(self._wrap(title, width) + self._wrap(entry.detail, width, "not bold"))
        needed = sum(len(chunk) for chunk in chunks)
        spaced = needed + len(chunks) - 1 <= height
        lines: list[Content] = []
        for chunk in chunks:
            if lines and spaced:
                lines.append(Content(""))
            lines.extend(chunk)
        if len(lines) > height > 0:
            lines = lines[: height - 1] + [
                centre(Content("…"), width) if self.centred else Content("…")
            ]
        return lines

    def lines(self, width: int, height: int) -> list[Content]:
        if width <= 0 or height <= 0 or not self.entries:
            return []
        return self._blocks(width, height) or self._plain(width, height)

    def render(self) -> Content:
        width, height = self.size
        lines = self.lines(width, height)
        pad = max(0, (height - len(lines)) // 2)
        return Content("\n").join([*([Content("")] * pad), *lines])


class ClusterGrid(Guarded, Grid):
    """One card per group (its number of ideas as large as the card allows, its label), as
    many columns as fit; one line per group when the cards would not all fit."""

    def __init__(self, cards: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cards = tuple(cards)

    def compose(self) -> ComposeResult:
        for count, label in self.cards:
            with Vertical(classes="room-card"):
                yield BigText(str(count), classes="room-card-count")
                yield Static(Content(label), classes="room-card-label")
                yield Static(
                    Content.assemble((f"{count:>4}  ", "bold"), label), classes="room-card-line"
                )

    def on_resize(self) -> None:
        width, height = self.size
        columns = max(1, min(6, (width + 2) // CARD_WIDTH))
        rows = -(-len(self.cards) // columns)
        compact = rows * CARD_HEIGHT + rows - 1 > height
        if compact:
            columns = max(1, min(4, width // 30))
        self.set_class(compact, "-compact")
        if self.styles.grid_size_columns != columns:
            self.styles.grid_size_columns = columns
        # Cards share the height, but a lone row of cards need not be a wall of digits.
        card = min(max(CARD_HEIGHT, (height - rows + 1) // max(rows, 1)), 3 * CARD_HEIGHT)
        self.styles.grid_rows = "1" if compact else str(card)


class RoomChart(Widget):
    """Vote results for the room: each option's label over a thick bar, best first.

    Bars are as thick as the height allows; when the options do not all fit, the best
    ones are shown and a line says how many more there are."""

    def __init__(self, session: Session, vote_round: VoteRound, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.vote_round = vote_round
        self.result = round_results(session, vote_round)
        self.labels = [session.option_label(key) for key in self.result.options]

    def _rank(self, position: int) -> str:
        ranked = self.result.ranked[position]
        return f"{ranked.rank}{'=' if ranked.tied else ''}"

    def _grade(self, position: int) -> str:
        ranked = self.result.ranked[position]
        grades = self.vote_round.grades
        if ranked.majority_grade is None or not grades:
            return ""
        return grades[len(grades) - 1 - ranked.majority_grade]

    def _item(self, position: int, width: int, thickness: int) -> list[Content]:
        ranked = self.result.ranked[position]
        rank = self._rank(position).rjust(3) + "  "
        mj = self.vote_round.method == "mj"
        value = self._grade(position) if mj else str(self.result.dots[ranked.index])
        right = fitted(value, min(Content(one_line(value)).cell_length, max(1, width // 3)))
        label_width = max(1, width - len(rank) - right.cell_length - 2)
        head = Content.assemble(rank, fitted(self.labels[ranked.index], label_width), "  ", right)
        bar_width = max(1, width - len(rank))
        if mj:
            bar = Content.assemble(
                " " * len(rank), merit_bar(self.result.tallies[ranked.index], bar_width)
            )
        else:
            top = max(self.result.dots, default=0)
            dots = self.result.dots[ranked.index]
            bar = Content(" " * len(rank) + bar_cells(dots, top, bar_width))
        return [head, *([bar] * thickness)]

    def lines(self, width: int, height: int) -> list[Content]:
        count = len(self.result.ranked)
        if not count or width <= 0 or height <= 0:
            return [Content(_("No options to vote on."))]
        legend: list[Content] = []
        if self.vote_round.method == "mj" and self.vote_round.grades:
            legend = [Content(""), *merit_legend(self.vote_round.grades, width).split("\n")]
        room = max(1, height - len(legend))
        for thickness, gap in ((6, 2), (5, 2), (4, 1), (3, 1), (2, 1), (1, 1), (1, 0)):
            if count * (1 + thickness) + (count - 1) * gap <= room:
                return self._stack(range(count), width, thickness, gap) + legend
        shown = max(1, (room - 1) // 2)
        more = count - shown
        lines = self._stack(range(shown), width, 1, 0)
        lines.append(Content.styled(_("… and {count} more").format(count=more), "not bold"))
        return lines + legend

    def _stack(
        self, positions: Iterable[int], width: int, thickness: int, gap: int
    ) -> list[Content]:
        lines: list[Content] = []
        for position in positions:
            if lines and gap:
                lines.extend([Content("")] * gap)
            lines.extend(self._item(position, width, thickness))
        return lines

    def render(self) -> Content:
        width, height = self.size
        lines = self.lines(width, height)
        pad = max(0, (height - len(lines)) // 2)
        return Content("\n").join([*([Content("")] * pad), *lines])


# --------------------------------------------------------------------------- screens


class RoomScreen(AtelierScreen):
    """What both room displays share: the light high-contrast look and the session."""

    DEFAULT_CSS = ROOM_CSS

    @property
    def session(self) -> Session:
        return self.atelier.session

    def action_leave(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()


class RulesRecallScreen(RoomScreen):
    """Every rule, as large as the screen allows, with its explanation (F2 from any phase)."""

    BINDINGS = [Binding("escape", "leave", N_("Back"), id="rules_recall_back")]

    def compose(self) -> ComposeResult:
        yield Static(
            hint([_("{key} or Escape: back").format(key=key_of(self.app, "recall_rules"))]),
            classes="room-hint",
        )
        yield Static(
            Content(_("The rules of collective intelligence").upper()),
            classes="room-caption",
            id="room-rules-title",
        )
        yield Static(classes="room-caption", id="room-rules-adopted")
        yield Board(capitals=True, id="room-rules")

    def on_mount(self) -> None:
        self.session_changed()

    def session_changed(self) -> None:
        session = self.session
        board = self.query_one(Board)
        board.entries = tuple(
            Entry(f"{number}. {one_line(rule.title)}", one_line(rule.explanation))
            for number, rule in enumerate(session.rules, start=1)
        ) or (Entry(_("No rules yet.")),)
        board.refresh()
        adopted = self.query_one("#room-rules-adopted", Static)
        if session.rules_adopted_at:
            time = clock.parse(session.rules_adopted_at).strftime("%H:%M")
            adopted.update(
                Content.styled(_("✔ Adopted by the group at {time}.").format(time=time), "not bold")
            )
        else:
            adopted.update(Content(""))
        adopted.display = bool(session.rules_adopted_at)


class ProjectorScreen(RoomScreen):
    """The room display of one phase; F3 (or Escape) goes back to the facilitator's view."""

    BINDINGS = [
        Binding("escape", "leave", N_("Back to the facilitator's view"), id="projector_back"),
        Binding("right,space,pagedown", "rule(1)", N_("Next rule"), id="projector_next_rule"),
        Binding("left,pageup", "rule(-1)", N_("Previous rule"), id="projector_previous_rule"),
        # The timebox stays in the facilitator's hands, without leaving the room display.
        Binding("f4", "timer_toggle", N_("Timer"), show=False, id="timer_toggle"),
        Binding("f5", "timer_add", N_("+1 min"), show=False, id="timer_add_minute"),
    ]

    def __init__(self, phase: str) -> None:
        super().__init__()
        self.phase = phase if phase in model.PHASES else "setup"
        self.rule_index = 0
        self._shown: tuple[object, ...] = ()

    # ---- what is on screen
    def compose(self) -> ComposeResult:
        self._shown = self._signature()
        yield Static(self._hint(), classes="room-hint")
        views: dict[str, Callable[[], ComposeResult]] = {
            "setup": self._question_view,
            "ideation": self._question_view,
            "rules": self._rule_view,
            "clustering": self._clusters_view,
            "vote": self._vote_view,
            "results": self._vote_view,
            "actions": self._actions_view,
            "summary": self._closing_view,
        }
        yield from views[self.phase]()

    def _hint(self) -> Content:
        parts = [_("{key} or Escape: back").format(key=key_of(self.app, "projector"))]
        if self.phase == "rules" and len(self.session.rules) > 1:
            parts.insert(0, _("← →: previous / next rule"))
        return hint(parts)

    def _timer(self) -> RoomTimer:
        return RoomTimer(lambda: self.session.timing(self.phase), classes="room-counter")

    def _question_view(self) -> ComposeResult:
        session = self.session
        yield BigText(one_line(session.question or session.title), id="room-question")
        with Horizontal(classes="room-counters"):
            yield self._timer()
            if self.phase == "ideation":
                count = len(session.ideas)
                label = plural(i18n.get_language(), count, _("idea captured"), _("ideas captured"))
                yield counter(count, label, classes="room-counter", id="room-idea-count")

    def _rule_view(self) -> ComposeResult:
        rules = self.session.rules
        if not rules:
            yield BigText(_("The rules of collective intelligence"), id="room-rule")
            yield Static(Content(_("No rules yet.")), classes="room-caption")
            return
        self.rule_index = max(0, min(self.rule_index, len(rules) - 1))
        rule = rules[self.rule_index]
        yield Static(
            Content(
                _("Rule {number} of {count}").format(number=self.rule_index + 1, count=len(rules))
            ),
            classes="room-caption",
            id="room-rule-number",
        )
        yield BigText(one_line(rule.title), id="room-rule")
        yield Static(
            Content(one_line(rule.explanation)),
            classes="room-caption room-explanation",
            id="room-rule-text",
        )

    def _clusters_view(self) -> ComposeResult:
        session = self.session
        counts = session.idea_counts("cluster_id")
        loose = counts[None]
        yield Static(
            Content(
                _("Ideas: {ideas} · Groups: {groups}").format(
                    ideas=len(session.ideas), groups=len(session.clusters)
                )
            ),
            classes="room-caption",
            id="room-clusters-title",
        )
        if not session.clusters:
            yield BigText(_("No groups yet."), id="room-no-groups")
            return
        cards = [(counts[c.id], one_line(c.label)) for c in session.clusters]
        if loose:
            cards.append((loose, _("Not grouped yet")))
        yield ClusterGrid(cards, id="room-clusters")

    def _vote_view(self) -> ComposeResult:
        vote_round = self._shown_round()
        if vote_round is None:
            if self.phase == "vote":
                yield from self._question_view()
            else:
                yield BigText(_("No vote yet."), id="room-no-vote")
            return
        if vote_round.closed_at is None:
            yield BigText(_("Vote in progress"), id="room-vote-open")
            with Horizontal(classes="room-counters"):
                if self.phase == "vote":
                    yield self._timer()
                if vote_round.mode == "ballot":
                    count = len(self.session.ballots_of(vote_round.id))
                    label = plural(i18n.get_language(), count, _("ballot cast"), _("ballots cast"))
                    yield counter(count, label, classes="room-counter", id="room-ballots")
            return
        title = _("Run-off") if vote_round.parent_id is not None else _("Results")
        yield Static(Content(title), classes="room-caption", id="room-results-title")
        yield RoomChart(self.session, vote_round, id="room-chart")

    def _shown_round(self) -> VoteRound | None:
        """The latest round: a run-off once there is one, else the main vote."""
        rounds = self.session.rounds
        return max(rounds, key=lambda r: r.id) if rounds else None

    def _actions_view(self) -> ComposeResult:
        yield Static(
            Content(_("Action plan").upper()), classes="room-caption", id="room-actions-title"
        )
        actions = self.session.actions
        if not actions:
            yield BigText(_("No actions yet."), id="room-no-actions")
            return
        lang = i18n.get_language()
        entries = []
        for number, action in enumerate(actions, start=1):
            details = [action.owner, i18n.format_date(action.due, lang) if action.due else ""]
            entries.append(
                Entry(
                    f"{number}. {one_line(action.what)}",
                    one_line(" · ".join(d for d in details if d)),
                )
            )
        yield Board(entries, centred=False, id="room-actions")

    def _closing_view(self) -> ComposeResult:
        session = self.session
        message = session.closing_message or model.DEFAULT_CLOSING.get(
            session.lang, model.DEFAULT_CLOSING["fr"]
        )
        yield BigText(one_line(message), id="room-closing")
        signature = " — ".join(
            part
            for part in (
                one_line(session.title),
                i18n.format_date(session.date, i18n.get_language()),
            )
            if part
        )
        yield Static(
            Content.styled(signature, "not bold"), classes="room-caption", id="room-signature"
        )

    # ---- keeping up with the session
    def _signature(self) -> tuple[object, ...]:
        """What the display shows, apart from the running clock."""
        s = self.session
        return (
            s.title,
            s.question,
            s.date,
            s.lang,
            s.closing_message,
            s.rules,
            s.ideas,
            s.clusters,
            s.rounds,
            len(s.ballots),
            s.actions,
            self.rule_index,
        )

    def session_changed(self) -> None:
        if self._signature() != self._shown:
            self.refresh(recompose=True)
        else:
            for timer in self.query(RoomTimer):
                timer.sync()

    # ---- keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rule":
            return self.phase == "rules"
        return True

    def action_rule(self, delta: int) -> None:
        count = len(self.session.rules)
        if not count:
            return
        index = max(0, min(self.rule_index + delta, count - 1))
        if index != self.rule_index:
            self.rule_index = index
            self.refresh(recompose=True)

    def action_timer_toggle(self) -> None:
        timing = self.session.timing(self.phase)
        if self.atelier.read_only:
            return
        operation = model.timer_pause if timing.running else model.timer_start
        self.atelier.apply(operation, self.phase)

    def action_timer_add(self) -> None:
        if not self.atelier.read_only:
            self.atelier.apply(model.timer_add_minute, self.phase)
