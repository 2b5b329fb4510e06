"""IdeasView, the idea list drawn with the line API: what it shows, how it moves, and that a
change redraws only from the idea that changed (a key costs the same at 2,000 ideas)."""

from __future__ import annotations

import dataclasses

from textual.app import App, ComposeResult
from textual.strip import Strip

from atelier.model import Idea
from atelier.widgets.ideas_view import IdeasView

from uikit import HOSTILE

SIZE = (60, 20)


def ideas(count: int, start: int = 1) -> list[Idea]:
    return [
        Idea(n, f"Idée {n} : des pauses ensemble", "2026-11-25T14:30:00+01:00", author_id=n % 3)
        for n in range(start, start + count)
    ]


class Host(App[None]):
    """The view alone, as the ideation screen and every board column hold it."""

    def __init__(self, shown: list[Idea]) -> None:
        super().__init__()
        self.shown = shown
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield IdeasView(lambda idea: ["", "Awa", "Bruno"][idea.author_id or 0])

    def on_mount(self) -> None:
        view = self.query_one(IdeasView)
        view.sync(self.shown)
        view.focus()

    def on_ideas_view_selected(self, event: IdeasView.Selected) -> None:
        self.selected.append(event.idea_id)


def lines(view: IdeasView) -> list[str]:
    """The text of every visible line, as drawn."""
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


def count_renders(view: IdeasView) -> list[int]:
    """Record which lines the view draws from now on (by line of the list)."""
    drawn: list[int] = []
    original = view.render_line

    def render_line(y: int) -> Strip:
        drawn.append(view.scroll_offset.y + y)
        return original(y)

    view.render_line = render_line  # type: ignore[method-assign]
    return drawn


async def test_keys_move_the_highlight_wrap_and_enter_selects() -> None:
    app = Host(ideas(5))
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(IdeasView)
        assert view.highlighted is None and view.selected_id is None
        await pilot.press("down", "down", "enter")
        assert view.selected_id == 2 and app.selected == [2]
        await pilot.press("end", "down")  # past the last idea: back to the first
        assert view.selected_id == 1
        await pilot.press("up", "home", "pagedown")
        assert view.selected_id == 5
        await pilot.click(IdeasView, offset=(3, 3))  # border + 2 lines down: idea 3
        assert app.selected[-1] == 3 and view.selected_id == 3


async def test_remove_keeps_the_position_and_redraws_from_the_removed_idea_down() -> None:
    shown = ideas(12)
    app = Host(shown)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(IdeasView)
        view.highlighted = 7
        await pilot.pause()
        drawn = count_renders(view)
        view.sync(shown[:6] + shown[7:])  # idea 7 (line 6) goes to another column
        await pilot.pause()
        assert drawn and min(drawn) >= 6  # ideas 1–6 did not move: not drawn again
        assert view.selected_id == 9 and view.option_count == 11
        assert "#8 " in lines(view)[6]
        view.select_id(7)  # gone: the highlight stays where it was
        assert view.selected_id == 9


async def test_an_edit_or_an_added_idea_renders_that_idea_only() -> None:
    shown = ideas(10)
    app = Host(shown)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(IdeasView)
        await pilot.pause()
        before = {
            n: view._strips(entry, view.get_visual_style("ideas-view--idea"))
            for n, entry in enumerate(view._shown)
        }
        edited = dataclasses.replace(shown[4], text="Idée cinq, réécrite")
        view.sync([*shown[:4], edited, *shown[5:], *ideas(1, start=11)])
        await pilot.pause()
        style = view.get_visual_style("ideas-view--idea")
        after = [view._strips(entry, style) for entry in view._shown]
        assert [n for n in range(10) if after[n] is not before[n]] == [4]
        assert "Idée cinq, réécrite" in lines(view)[4] and "#11 " in lines(view)[10]


async def test_2000_ideas_scroll_and_a_removal_draws_only_the_visible_lines() -> None:
    shown = ideas(2000)
    app = Host(shown)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(IdeasView)
        await pilot.press("end")
        assert view.selected_id == 2000
        assert view.scroll_offset.y == view.max_scroll_y > 1900
        assert "#2000 " in "\n".join(lines(view))
        drawn = count_renders(view)
        view.sync(shown[:1000] + shown[1001:])  # far above what is shown
        await pilot.pause()
        assert len(drawn) <= view.scrollable_content_region.height
        assert view.selected_id == 2000 and view.virtual_size.height == 1999 * 1
        await pilot.press("home")
        assert view.scroll_offset.y == 0 and lines(view)[0].startswith("#1 ")
        await pilot.press("pagedown")
        assert 1 < view.highlighted < 40  # type: ignore[operator]


async def test_wrapped_ideas_take_several_lines_and_stay_reachable() -> None:
    long = Idea(2, "mot " * 40, "2026-11-25T14:30:00+01:00")
    app = Host([*ideas(1), long, *ideas(1, start=3)])
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(IdeasView)
        await pilot.pause()
        assert view.virtual_size.height > 4  # the long idea wraps
        await pilot.press("down", "down", "down")
        assert view.selected_id == 3
        assert lines(view)[view.virtual_size.height - 1].startswith("#3 ")


async def test_hostile_text_is_drawn_literally() -> None:
    texts = [*HOSTILE, "x" * 500]
    shown = [Idea(n, text, "2026-11-25T14:30:00+01:00") for n, text in enumerate(texts, 1)]
    app = Host(shown)
    async with app.run_test(size=(200, 60)) as pilot:
        view = app.query_one(IdeasView)
        await pilot.press("down")
        drawn = "\n".join(lines(view))
        for text in ("[bold]gras[/bold]", "[/]", "[link=https://x.example]lien[/link]", "${x}"):
            assert text in drawn
        assert "<script>alert(1)</script>" in drawn
        assert [p.plain.split(" ", 1)[1] for p in view.prompts] == texts
        assert app.return_value is None and not app._exception


async def test_board_with_many_ideas_a_digit_moves_the_highlighted_idea(folder, frozen_clock):
    """Through the app: ↓ far down the Unclassified column (it scrolls), a digit moves the
    idea to cluster 1 — on screen and on disk — and the next idea is highlighted."""
    from atelier import model
    from atelier.app import create_app

    from uikit import make_session, reload

    session_id = make_session(folder)
    with folder.open(session_id) as handle, handle.storage.batch():
        for n in range(1, 301):
            handle.apply(model.add_idea, f"Idée {n} [/] sur le travail", None)
        handle.apply(model.add_cluster, "Groupe [b]un[/b]")
        handle.apply(model.set_phase, "clustering")
    app = create_app(folder.root, "fr", open_session=session_id)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause()
            panels = app.screen.query("ClusterPanel")
            if len(panels) == 2 and panels.first().ideas.option_count == 300:
                break
        unclassified, cluster = (panel.ideas for panel in app.screen.query("ClusterPanel"))
        unclassified.focus()
        await pilot.press("home", *["down"] * 40)
        assert unclassified.selected_id == 41 and unclassified.scroll_offset.y > 0
        assert "#41 Idée 41 [/] sur le" in lines(unclassified)  # wrapped, literal
        await pilot.press("1")
        await pilot.pause()
        assert unclassified.selected_id == 42 and unclassified.option_count == 299
        assert cluster.ideas == [i for i in reload(folder, session_id).ideas if i.cluster_id]
        assert [i.id for i in cluster.ideas] == [41]
        assert app.unexpected_errors == []  # type: ignore[attr-defined]


async def test_a_new_idea_out_of_view_scrolls_half_a_page_then_the_next_ones_appear_in_place():
    """Capture at the end of a long list: the list scrolls by about half a page (the new
    idea in the middle, room under it), not by one idea at every Enter; the next ideas
    appear in that room, the ones on screen stay put and are not drawn again."""
    shown = ideas(100)
    app = Host(shown)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(IdeasView)
        await pilot.press("end")
        height = view.scrollable_content_region.height
        assert view.scroll_offset.y == 100 - height  # the last idea at the bottom
        shown = [*shown, *ideas(1, start=101)]
        view.sync(shown)
        view.show_last()
        await pilot.pause()
        top = view.scroll_offset.y
        assert top == 100 - height // 2 + 1  # #101 in the middle, blank room below it
        assert view.selected_id == 101 and lines(view)[100 - top].startswith("#101 ")
        assert lines(view)[-1] == ""
        for number in range(102, top + height + 1):  # idea #n is on line n - 1
            drawn = count_renders(view)
            shown = [*shown, *ideas(1, start=number)]
            view.sync(shown)
            view.show_last()
            await pilot.pause()
            assert view.scroll_offset.y == top and view.selected_id == number
            assert min(drawn) >= number - 2  # the new idea and the highlight moved off it
            assert lines(view)[number - 1 - top].startswith(f"#{number} ")
        number += 1  # the room is used up: the next one scrolls again
        assert number - 1 == top + height
        view.sync([*shown, *ideas(1, start=number)])
        view.show_last()
        await pilot.pause()
        assert view.scroll_offset.y > top
        assert f"#{number} " in "\n".join(lines(view))
        await pilot.press("home", "end")  # the room stays reachable, the last idea in view
        assert view.selected_id == number and f"#{number} " in "\n".join(lines(view))


async def test_a_layout_of_the_screen_does_not_repaint_the_scrollbar() -> None:
    """The screen lays out after a key in the capture field; the list's scrollbar did not
    change and is not drawn again (it draws through Rich, as costly as the list)."""
    app = Host(ideas(200))
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(IdeasView)
        await pilot.press("end")
        await pilot.pause()
        repainted: list[object] = []
        bar = view.vertical_scrollbar
        original = bar.refresh
        bar.refresh = lambda *a, **k: repainted.append(a) or original(*a, **k)  # type: ignore[method-assign]
        app.screen.refresh(layout=True)
        await pilot.pause()
        assert repainted == []
        assert view.scroll_offset.y == view.max_scroll_y
