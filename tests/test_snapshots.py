"""SVG snapshots of every screen at 80×24 and 120×40, on the demo session, time frozen.

Update with ``pytest tests/test_snapshots.py --snapshot-update`` and look at the report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from atelier.app import create_app
from atelier.demo import DEMO_FILE, DEMO_ID, demo_session
from atelier.model import LABEL_MAX
from atelier.store import SessionFolder

SIZES = [(80, 24), (120, 40)]
PHASES = ["setup", "rules", "ideation", "clustering", "vote", "results", "actions", "summary"]


def fixed_paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Folders shown on screen stay the same from run to run: the home screen shows the
    absolute path as if under /home/sonia; the export dialog, from « ~ » (the temp folder
    is the home folder here)."""

    def shown(path: Path) -> str:
        return str(path.absolute()).replace(str(tmp_path), "/home/sonia", 1)

    monkeypatch.setattr("atelier.screens.home.shown_path", shown)
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture
def demo_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frozen_clock) -> Path:
    """The demo session in ./sessions of a temp working dir; screens show its absolute path
    as if it were /home/sonia (the real one changes with every run)."""
    monkeypatch.chdir(tmp_path)
    fixed_paths(monkeypatch, tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    folder = SessionFolder(tmp_path / "sessions")
    folder.save_new(demo_session())
    return folder.root


def goto(phase: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        pilot.app.goto_phase(phase)  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("phase", PHASES)
def test_phase_screens(snap_compare, demo_folder: Path, phase: str, size: tuple[int, int]):
    app = create_app(demo_folder, "fr", open_session=DEMO_ID)
    assert snap_compare(app, terminal_size=size, run_before=goto(phase))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home(snap_compare, demo_folder: Path, size: tuple[int, int]):
    assert snap_compare(create_app(demo_folder, "fr"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, demo_folder: Path, size: tuple[int, int]):
    app = create_app(demo_folder, "fr", open_session=DEMO_ID)
    assert snap_compare(app, terminal_size=size, run_before=goto("ideation"), press=["f1"])


def test_english_ideation(snap_compare, demo_folder: Path):
    app = create_app(demo_folder, "en", open_session=DEMO_ID)
    assert snap_compare(app, terminal_size=(120, 40), run_before=goto("ideation"))


def test_suggestions(snap_compare, demo_folder: Path):
    app = create_app(demo_folder, "fr", open_session=DEMO_ID)

    async def run_before(pilot: Pilot) -> None:
        await goto("clustering")(pilot)
        await pilot.press("s")
        for _ in range(60):
            await pilot.pause(0.05)
            if getattr(pilot.app.screen, "proposals", None):
                break

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_demo_file_is_the_bundled_demo(tmp_path: Path):
    """The demo shipped in the package (data/demo.json) is what atelier.demo builds."""
    bundled = DEMO_FILE
    folder = SessionFolder(tmp_path)
    shutil.copy(bundled, tmp_path / "demo.json")
    assert folder.load(DEMO_ID) == demo_session()


@pytest.mark.parametrize("method", ["dot", "mj"])
def test_secret_ballot(snap_compare, demo_folder: Path, method: str):
    """The voter's screen: nothing of the facilitator, nothing of the previous ballot."""
    from dataclasses import replace

    from atelier import model

    folder = SessionFolder(demo_folder)
    session = replace(
        demo_session("ballot"),
        rounds=(),
        phase="vote",
        anonymous=True,
        participant_count=8,
    )
    session = model.configure_vote(session, method=method, mode="ballot")
    folder.save_new(model.start_vote(session))
    app = create_app(demo_folder, "fr", open_session="ballot")
    assert snap_compare(
        app, terminal_size=(80, 24), press=["b", "_", "right", "down", "down", "right"]
    )


# --------------------------------------------------------------------------- dialogs at 80×24
# Every dialog with its longest French text: the whole text must be readable (issue 12).


def press(*keys: str, phase: str | None = None):  # type: ignore[no-untyped-def]
    """Go to ``phase`` (if given), then press ``keys`` one by one, waiting after each."""

    async def run_before(pilot: Pilot) -> None:
        if phase:
            await goto(phase)(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        pilot.app.clear_notifications()  # toasts come and go: not part of the dialog
        await pilot.pause()

    return run_before


DIALOGS = {
    "close-vote": press("o", "x", phase="vote"),
    "cancel-main-vote": press("delete", phase="vote"),
    "start-runoff": press("r", phase="results"),
    "cancel-runoff": press("r", "enter", "delete", phase="results"),
    "tally": press("o", "enter", phase="vote"),
    "export": press("x", phase="summary"),
    "export-written": press("x", "ctrl+s", phase="summary"),
    "action-form": press("e", phase="actions"),
    "delete-action": press("down", "down", "delete", phase="actions"),
    "dissolve-cluster": press("right", "d", phase="clustering"),
    "merge-cluster-picker": press("right", "f", phase="clustering"),
    "phase-picker": press("f9", phase="ideation"),
    "rule-prompt": press("enter", "enter", phase="rules"),
    "palette": press("ctrl+p", phase="ideation"),
}


@pytest.mark.parametrize("scenario", list(DIALOGS))
def test_dialogs(snap_compare, demo_folder: Path, scenario: str):
    app = create_app(Path("sessions"), "fr", open_session=DEMO_ID)
    assert snap_compare(app, terminal_size=(80, 24), run_before=DIALOGS[scenario])


HOME_DIALOGS = {
    "delete-session": press("delete"),
    "template-picker": press("n"),
    "title-prompt": press("n", "down", "enter"),
}


@pytest.mark.parametrize("scenario", list(HOME_DIALOGS))
def test_home_dialogs(snap_compare, demo_folder: Path, scenario: str):
    app = create_app(Path("sessions"), "fr")
    assert snap_compare(app, terminal_size=(80, 24), run_before=HOME_DIALOGS[scenario])


def test_session_locked_dialog(snap_compare, demo_folder: Path, monkeypatch: pytest.MonkeyPatch):
    """« session déjà ouverte »: the process, the host and the offer to read it, whole."""
    from atelier import i18n
    from atelier.store import SessionLocked

    def locked(self, session_id: str, readonly: bool = False):  # type: ignore[no-untyped-def]
        raise SessionLocked(
            i18n._(
                "This session is already open in another atelier (process {pid} on "
                "{host}, since {since}). It can be viewed read-only."
            ).format(pid=5998, host="poste-animation-salle-du-conseil", since="09:12")
        )

    monkeypatch.setattr(SessionFolder, "open", locked)
    app = create_app(Path("sessions"), "fr", open_session=DEMO_ID)
    assert snap_compare(app, terminal_size=(80, 24))


# --------------------------------------------------------------------------- long titles

LONG = (
    "Reconnaître le travail invisible des agents d'accueil et des équipes techniques "
    "du service Population, tous les jours"
)


@pytest.fixture
def long_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frozen_clock) -> Path:
    """The demo with a long title, long cluster labels and a long action."""
    from dataclasses import replace

    monkeypatch.chdir(tmp_path)
    fixed_paths(monkeypatch, tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    demo = demo_session()
    clusters = tuple(replace(c, label=f"{c.label} — {LONG}"[:LABEL_MAX]) for c in demo.clusters)
    actions = (
        replace(demo.actions[0], what=LONG, owner="Marie-Christine Delacroix-Fontaine"),
        *demo.actions[1:],
    )
    session = replace(demo, title=LONG, clusters=clusters, actions=actions)
    SessionFolder(tmp_path / "sessions").save_new(session)
    return Path("sessions")


def test_home_long_title(snap_compare, long_folder: Path):
    """« Idées » and « Personnes » stay on screen; the title is cut with an ellipsis."""
    assert snap_compare(create_app(long_folder, "fr"), terminal_size=(80, 24))


def test_actions_long_texts(snap_compare, long_folder: Path):
    """« Échéance » and « Lien » stay on screen."""
    app = create_app(long_folder, "fr", open_session=DEMO_ID)
    assert snap_compare(app, terminal_size=(80, 24), run_before=goto("actions"))


def test_summary_vote_table_long_labels(snap_compare, long_folder: Path):
    """The vote results fit the screen: long labels wrap inside their list item."""
    app = create_app(long_folder, "fr", open_session=DEMO_ID)

    async def run_before(pilot: Pilot) -> None:
        await goto("summary")(pilot)
        scroll = pilot.app.screen.query_one("#summary-scroll")
        await pilot.pause()
        vote = next(  # the first vote's results: one list item per option, cut to the screen
            h for h in pilot.app.screen.query("MarkdownH3") if str(h.source).startswith("### Vote")
        )
        scroll.scroll_to_widget(vote, top=True, animate=False)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("scenario", ["review", "cancel"])
def test_ballot_dialogs(snap_compare, demo_folder: Path, scenario: str):
    """The voter's review of the ballot and the confirmation before cancelling it."""
    from dataclasses import replace

    from atelier import model

    folder = SessionFolder(demo_folder)
    session = replace(demo_session("ballot"), rounds=(), phase="vote")
    session = model.configure_vote(session, method="dot", mode="ballot")
    folder.save_new(model.start_vote(session))
    app = create_app(demo_folder, "fr", open_session="ballot")
    keys = ["b", "enter", "right", "right", "down", "right"]
    keys += ["enter"] if scenario == "review" else ["escape"]
    assert snap_compare(app, terminal_size=(80, 24), run_before=press(*keys))
