"""A list of ideas that updates incrementally, so it stays fast with thousands of ideas."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from atelier.model import Idea

from .guard import Guarded


def idea_prompt(idea: Idea, author: str = "") -> Content:
    """#12 text — author (+1 merged); the text is literal, never markup."""
    parts: list[tuple[str, str] | str] = [(f"#{idea.id} ", "dim"), idea.text]
    if idea.merged:
        parts.append((f"  (+{len(idea.merged)})", "dim"))
    if author:
        parts.append((f"  — {author}", "italic"))
    return Content.assemble(*parts)


class IdeaList(Guarded, OptionList):
    """OptionList of ideas keyed by id; :meth:`sync` applies only what changed."""

    # A Widget's virtual size is a reactive that lays the whole screen out again when it
    # changes: every idea added or moved re-rendered the whole board. The list's own size
    # is fixed by its CSS; only what it scrolls over changes, and OptionList updates its
    # scrollbars itself (``_scroll_update``) — a repaint of the list is enough.
    virtual_size = Reactive(Size(0, 0), layout=False)

    def __init__(self, author_of: Callable[[Idea], str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._author_of = author_of
        self._shown: list[Idea] = []
        # idea id → (the idea, its author, its prompt): a rebuild reuses the same Content
        # objects, whose wrapped heights Textual caches, instead of measuring every idea
        # again (a move on the clustering board rebuilds a column of hundreds of ideas).
        self._prompts: dict[int, tuple[Idea, str, Content]] = {}

    def sync(self, ideas: Sequence[Idea]) -> None:
        """Show ``ideas``: removals, replacements and additions at the end are applied in
        place; anything else (a reorder, an insertion) rebuilds the list."""
        wanted = {i.id for i in ideas}
        kept = [i for i in self._shown if i.id in wanted]
        if len(kept) > len(ideas) or any(a.id != b.id for a, b in zip(kept, ideas, strict=False)):
            self._rebuild(ideas)
            return
        changed = len(kept) != len(self._shown)
        if changed:
            for index in reversed(range(len(self._shown))):
                if self._shown[index].id not in wanted:
                    self.remove_option_at_index(index)
        for index, (old, new) in enumerate(zip(kept, ideas, strict=False)):
            if old is not new and old != new:
                self.replace_option_prompt_at_index(index, self._prompt(new))
                changed = True
        added = ideas[len(kept) :]
        if added:
            self.add_options(Option(self._prompt(i), id=str(i.id)) for i in added)
        elif changed and self.is_mounted:
            # OptionList measures its lines again only when it next renders, and the new
            # height then asks for a second layout and frame; measured now, it joins the
            # layout this change already needs (add_options does the same itself).
            self._update_lines()
        self._shown = list(ideas)
        self._forget_prompts()

    def _rebuild(self, ideas: Sequence[Idea]) -> None:
        selected = self.selected_id
        self.set_options(Option(self._prompt(i), id=str(i.id)) for i in ideas)
        self._shown = list(ideas)
        self._forget_prompts()
        if selected is not None:
            self.select_id(selected)

    def _forget_prompts(self) -> None:
        if len(self._prompts) > 2 * len(self._shown) + 64:
            shown = {idea.id for idea in self._shown}
            self._prompts = {k: v for k, v in self._prompts.items() if k in shown}

    def refresh_authors(self) -> None:
        """Authors are looked up at display time; redraw after a participant is renamed."""
        self._rebuild(self._shown)

    def _prompt(self, idea: Idea) -> Content:
        author = self._author_of(idea)
        cached = self._prompts.get(idea.id)
        if cached is not None and cached[0] is idea and cached[1] == author:
            return cached[2]  # ideas are immutable: the same object, the same prompt
        prompt = idea_prompt(idea, author)
        self._prompts[idea.id] = (idea, author, prompt)
        return prompt

    @property
    def selected_id(self) -> int | None:
        if self.highlighted is None or not self.option_count:
            return None
        return int(self.get_option_at_index(self.highlighted).id or 0)

    def select_id(self, idea_id: int) -> None:
        for index, idea in enumerate(self._shown):
            if idea.id == idea_id:
                self.highlighted = index
                return
        if self._shown:
            self.highlighted = min(self.highlighted or 0, len(self._shown) - 1)
