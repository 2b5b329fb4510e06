"""A list of ideas drawn with Textual's line API, so a key costs the same at 2,000 ideas.

Textual's OptionList forgets every rendered line when an option is removed (its render
cache is keyed by position) and measures every option again. Here each idea's lines are
cached by idea id and checked against the idea itself, and the list only keeps a table of
where each idea starts: removing, adding or editing one idea re-renders that idea alone,
and a repaint draws the few dozen visible lines from the cache (as Textualize/toolong's
log view does).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate
from math import ceil
from typing import ClassVar, cast

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

from atelier.model import Idea
from atelier.tally import changed_span

from .guard import Guarded


def idea_prompt(idea: Idea, author: str = "") -> Content:
    """#12 text — author (+1 merged); the text is literal, never markup."""
    parts: list[tuple[str, str] | str] = [(f"#{idea.id} ", "dim"), idea.text]
    if idea.merged:
        parts.append((f"  (+{len(idea.merged)})", "dim"))
    if author:
        parts.append((f"  — {author}", "italic"))
    return Content.assemble(*parts)


class _Entry:
    """One idea as shown: its author, prompt and height at the list's width."""

    __slots__ = ("author", "height", "idea", "prompt")

    def __init__(self, idea: Idea, author: str, prompt: Content, height: int) -> None:
        self.idea, self.author, self.prompt, self.height = idea, author, prompt, height


class IdeasView(Guarded, ScrollView, can_focus=True):
    """Ideas keyed by id, one highlighted; :meth:`sync` applies only what changed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page(1)", "Page Down", show=False),
        Binding("pageup", "page(-1)", "Page Up", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    # The look of Textual's OptionList, which this widget replaces.
    DEFAULT_CSS = """
    IdeasView {
        height: 1fr;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .ideas-view--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .ideas-view--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"ideas-view--idea", "ideas-view--highlighted"}

    # The list's own size is fixed by its CSS: what it scrolls over growing or shrinking
    # needs its scrollbars updated (``_scroll_update``), not a layout of the whole screen,
    # nor a repaint of every line (sync repaints from the first idea that changed).
    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)
    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """Position of the highlighted idea, or None when the list is empty (a change repaints
    the two ideas concerned, not the whole list)."""

    class Selected(Message):
        """Enter (or a click) on an idea."""

        def __init__(self, view: IdeasView, idea_id: int) -> None:
            super().__init__()
            self.view = view
            self.idea_id = idea_id

        @property
        def control(self) -> IdeasView:
            return self.view

    def __init__(
        self,
        author_of: Callable[[Idea], str],
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._author_of = author_of
        self._shown: list[_Entry] = []
        self._ideas: tuple[Idea, ...] = ()  # what the last sync showed
        self._starts: list[int] = [0]  # first line of each idea, then the total
        self._room_to = 0  # lines scrolled over at least: blank room left by show_last
        self._width = 0  # the width heights were measured at (0: not yet laid out)
        self._styles: tuple[Style, Style] | None = None  # (idea, highlighted idea)
        # (idea id, width, style) → (the entry rendered, its lines)
        self._renders: LRUCache[tuple[int, int, Style], tuple[_Entry, list[Strip]]] = LRUCache(1024)

    # ---- content
    @property
    def option_count(self) -> int:
        return len(self._shown)

    @property
    def ideas(self) -> list[Idea]:
        return [entry.idea for entry in self._shown]

    @property
    def prompts(self) -> list[Content]:
        """What each idea shows (number, literal text, author), in order."""
        return [entry.prompt for entry in self._shown]

    def sync(self, ideas: Sequence[Idea]) -> None:
        """Show ``ideas``: an idea unchanged since the last call keeps its entry (prompt,
        height, rendered lines); only the lines from the first change down are redrawn."""
        ideas = ideas if isinstance(ideas, tuple) else tuple(ideas)
        # the usual change is one idea added, removed or edited: the ideas before and
        # after it are the same objects, skipped without Python code per idea
        start, old_stop, new_stop = changed_span(self._ideas, ideas)
        self._ideas = ideas
        if start == old_stop == new_stop:
            return
        before = self._shown[start:old_stop]
        by_id = {entry.idea.id: entry for entry in before}
        middle: list[_Entry] = []
        for idea in ideas[start:new_stop]:
            entry = by_id.get(idea.id)
            if entry is None or (entry.idea is not idea and entry.idea != idea):
                entry = self._entry(idea)
            middle.append(entry)
        self._shown[start:old_stop] = middle
        first = start  # equal ideas in new objects keep their entry: nothing to redraw
        while first - start < min(len(before), len(middle)) and (
            before[first - start] is middle[first - start]
        ):
            first += 1
        if first - start == len(before) == len(middle):
            return
        self._layout_lines(first)
        if self.highlighted is not None:
            self.highlighted = self.validate_highlighted(self.highlighted)
        self._refresh_from(first)

    def refresh_authors(self) -> None:
        """Authors are looked up at display time; redraw after a participant is renamed."""
        self._shown = [self._entry(entry.idea) for entry in self._shown]
        self._renders.clear()
        self._layout_lines()
        self.refresh()

    def _entry(self, idea: Idea) -> _Entry:
        author = self._author_of(idea)
        prompt = idea_prompt(idea, author)
        return _Entry(idea, author, prompt, self._height(prompt))

    def _height(self, prompt: Content) -> int:
        if not self._width:
            return 1
        return max(1, prompt.get_height(cast(RulesMap, self.styles), self._width))

    def _layout_lines(self, first: int = 0) -> None:
        """Where each idea starts from idea ``first`` down (those above did not move): a
        sum over the heights, without measuring any idea."""
        self._starts[first:] = accumulate(
            (entry.height for entry in self._shown[first:]), initial=self._starts[first]
        )
        if self._starts[-1] >= self._room_to:  # the new ideas filled the room
            self._room_to = 0
        size = Size(self._width, max(self._starts[-1], self._room_to))
        if size == self.virtual_size:
            return
        same_bar = self._same_scrollbar(self.virtual_size.height, size.height)
        self.virtual_size = size
        if same_bar:  # an idea more or less among thousands: the thumb does not move
            self.vertical_scrollbar.set_reactive(ScrollBar.window_virtual_size, size.height)
        else:
            self._scroll_update(size)

    def _same_scrollbar(
        self, before: int, after: int, position: float | None = None, moved: float | None = None
    ) -> bool:
        """Whether the scrollbar would be drawn the same for a virtual height going from
        ``before`` to ``after`` and the scroll from ``position`` to ``moved`` (it draws
        through Rich: repainting it costs as much as the list's lines), the scroll valid."""
        if not self.is_mounted or not self.show_vertical_scrollbar:
            return False
        bar = self.vertical_scrollbar
        window, track = bar.window_size, bar.size.height
        position = self.scroll_y if position is None else position
        moved = position if moved is None else moved
        if not (0 < window < min(before, after)) or max(position, moved) > after - window:
            return False

        def thumb(virtual: int, at: float) -> tuple[int, int]:  # ScrollBarRender's 8ths
            size = max(1.0, window * track / virtual)
            start = int((track - size) * at / (virtual - window) * 8)
            return start, start + ceil(size * 8)

        return thumb(before, position) == thumb(after, moved)

    def _measure(self) -> bool:
        """Measure every idea again when the width changed (a resize, the first layout)."""
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._width:
            return False
        self._width = width
        self._room_to = 0
        for entry in self._shown:
            entry.height = self._height(entry.prompt)
        self._renders.clear()
        self._layout_lines()
        return True

    def _refresh_from(self, index: int) -> None:
        """Redraw the visible lines from idea ``index`` down (those above did not move)."""
        if not self.is_mounted:
            return
        top = self._starts[min(index, len(self._shown))] - self.scroll_offset.y
        height = self.scrollable_content_region.height
        if top < height:
            self.refresh(Region(0, max(0, top), self.scrollable_content_region.width, height))

    def _refresh_idea(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self._shown) or not self.is_mounted:
            return
        self.refresh_lines(self._starts[index], self._shown[index].height)

    # ---- drawing
    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """A layout of the screen passes the list the size of its box as what it scrolls
        over: given that, Textual would update (and repaint) the scrollbar after every
        layout — after each key typed in the capture field. What it scrolls over is its
        own ``virtual_size``."""
        return super()._size_updated(size, self.virtual_size, container_size, layout)

    def watch_scroll_y(self, old: float, new: float) -> None:
        height = self.virtual_size.height
        if not self._same_scrollbar(height, height, old, new):
            super().watch_scroll_y(old, new)
            return
        self.vertical_scrollbar.set_reactive(ScrollBar.position, new)
        if round(old) != round(new):
            self.refresh(self.size.region)

    def on_resize(self, _event: events.Resize) -> None:
        if self._measure():
            self.scroll_to_highlight()

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._measure():
            self.call_after_refresh(self.scroll_to_highlight)
        # looked up once per repaint, not once per line
        try:
            self._styles = (
                self.get_visual_style("ideas-view--idea"),
                self.get_visual_style("ideas-view--idea", "ideas-view--highlighted"),
            )
        except KeyError:  # asked to draw before its styles are applied (just mounted)
            self.call_after_refresh(self.refresh)
            return [Strip.blank(crop.width)] * crop.height
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        index = bisect_right(self._starts, line) - 1
        plain, highlighted = self._styles or (
            self.get_visual_style("ideas-view--idea"),
            self.get_visual_style("ideas-view--idea", "ideas-view--highlighted"),
        )
        if not 0 <= index < len(self._shown):
            return Strip.blank(self.scrollable_content_region.width, plain.rich_style)
        style = highlighted if index == self.highlighted else plain
        strips = self._strips(self._shown[index], style)
        offset = line - self._starts[index]
        if offset >= len(strips):
            return Strip.blank(self.scrollable_content_region.width, style.rich_style)
        return strips[offset]

    def _strips(self, entry: _Entry, style: Style) -> list[Strip]:
        width = self.scrollable_content_region.width
        key = (entry.idea.id, width, style)
        cached = self._renders.get(key)
        if cached is not None and cached[0] is entry:
            return cached[1]
        strips = [
            strip.extend_cell_length(width, style.rich_style)
            for strip in Visual.to_strips(self, entry.prompt, width, None, style)
        ]
        self._renders[key] = (entry, strips)
        return strips

    # ---- highlight
    @property
    def selected_id(self) -> int | None:
        if self.highlighted is None or not self._shown:
            return None
        return self._shown[self.highlighted].idea.id

    def select_id(self, idea_id: int) -> None:
        for index, entry in enumerate(self._shown):
            if entry.idea.id == idea_id:
                self.highlighted = index
                return
        if self._shown:
            self.highlighted = min(self.highlighted or 0, len(self._shown) - 1)

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self._shown:
            return None
        return max(0, min(highlighted, len(self._shown) - 1))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        self._refresh_idea(old)
        self._refresh_idea(new)
        self.scroll_to_highlight()

    def scroll_to_highlight(self, top: bool = False) -> None:
        """Bring the highlighted idea into view: a highlight leaving the view brings it to
        the middle, so the next few ↓ / ↑ need no scroll (a scroll redraws every line)."""
        index = self.highlighted
        if index is None or not self.is_mounted or not self._width:
            return
        idea = Region(0, self._starts[index], self._width, self._shown[index].height)
        view = Region(0, self.scroll_offset.y, self._width, self.scrollable_content_region.height)
        if not top and view.contains_region(idea):
            return
        self.scroll_to_region(
            idea, force=True, animate=False, top=top, center=not top, immediate=True
        )

    def show_last(self) -> None:
        """Highlight the last idea (just added) and show it. When it is out of view, the
        list scrolls by about half a page, the idea in the middle with blank room under it,
        rather than by one idea at each Enter: the next ideas appear in that room without
        moving those on screen (easier to read on a wall), and a key redraws the new lines
        only — a scroll redraws every line of the list."""
        if not self._shown:
            return
        last = len(self._shown) - 1
        start, height = self._starts[last], self._shown[last].height
        view = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if self.is_mounted and self._width and not top <= start <= start + height <= top + view:
            top = max(0, start - max(0, (view - height) // 2))
            self._room_to = top + view
            self._layout_lines(len(self._shown))
            self.scroll_to(y=top, animate=False, force=True, immediate=True)
        self.highlighted = last

    # ---- keys and mouse
    def action_cursor(self, delta: int) -> None:
        """↓ / ↑, wrapping round at either end as OptionList did."""
        if self._shown:
            start = -1 if self.highlighted is None and delta > 0 else (self.highlighted or 0)
            self.highlighted = (start + delta) % len(self._shown)

    def action_first(self) -> None:
        if self._shown:
            self.highlighted = 0

    def action_last(self) -> None:
        if self._shown:
            self.highlighted = len(self._shown) - 1

    def action_page(self, direction: int) -> None:
        """Move by about one screen of lines."""
        if not self._shown:
            return
        if self.highlighted is None:
            self.highlighted = 0
            return
        line = self._starts[self.highlighted] + direction * self.scrollable_content_region.height
        self.highlighted = max(0, bisect_right(self._starts, max(0, line)) - 1)

    def action_select(self) -> None:
        idea_id = self.selected_id
        if idea_id is not None:
            self.post_message(self.Selected(self, idea_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = bisect_right(self._starts, offset.y + self.scroll_offset.y) - 1
        if 0 <= index < len(self._shown):
            self.highlighted = index
            self.action_select()
