"""SVG snapshots of every screen at 80×24 and 120×40, on the demo session, time frozen.

Update with ``pytest tests/test_snapshots.py --snapshot-update`` and look at the report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from atelier.app import create_app
from atelier.demo import DEMO_ID, demo_session
from atelier.store import SessionFolder

SIZES = [(80, 24), (120, 40)]
PHASES = ["setup", "rules", "ideation", "clustering", "vote", "results", "actions", "summary"]


@pytest.fixture
def demo_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frozen_clock) -> Path:
    """The demo session in ./sessions of a temp working dir (paths shown are stable)."""
    monkeypatch.chdir(tmp_path)
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
    """sessions/demo.json in the repository is what atelier.demo builds."""
    bundled = Path(__file__).parent.parent / "sessions" / "demo.json"
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
