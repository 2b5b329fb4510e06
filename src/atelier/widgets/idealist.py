"""A list of ideas that updates incrementally, so it stays fast with thousands of ideas."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.content import Content
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

    def __init__(self, author_of: Callable[[Idea], str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._author_of = author_of
        self._shown: list[Idea] = []

    def sync(self, ideas: Sequence[Idea]) -> None:
        """Show ``ideas``: removals, replacements and additions at the end are applied in
        place; anything else (a reorder, an insertion) rebuilds the list."""
        wanted = {i.id for i in ideas}
        kept = [i for i in self._shown if i.id in wanted]
        if len(kept) > len(ideas) or any(a.id != b.id for a, b in zip(kept, ideas, strict=False)):
            self._rebuild(ideas)
            return
        if len(kept) != len(self._shown):
            for index in reversed(range(len(self._shown))):
                if self._shown[index].id not in wanted:
                    self.remove_option_at_index(index)
        for index, (old, new) in enumerate(zip(kept, ideas, strict=False)):
            if old is not new and old != new:
                self.replace_option_prompt_at_index(index, self._prompt(new))
        added = ideas[len(kept) :]
        if added:
            self.add_options(Option(self._prompt(i), id=str(i.id)) for i in added)
        self._shown = list(ideas)

    def _rebuild(self, ideas: Sequence[Idea]) -> None:
        selected = self.selected_id
        self.set_options(Option(self._prompt(i), id=str(i.id)) for i in ideas)
        self._shown = list(ideas)
        if selected is not None:
            self.select_id(selected)

    def refresh_authors(self) -> None:
        """Authors are looked up at display time; redraw after a participant is renamed."""
        self._rebuild(self._shown)

    def _prompt(self, idea: Idea) -> Content:
        return idea_prompt(idea, self._author_of(idea))

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
