"""A plain install works: the wheel holds every file the package reads, it runs from any
folder with a fresh home, and the demo opens there without touching a shipped file."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from atelier import model
from atelier.demo import DEMO_FILE, DEMO_ID, copy_demo, write_demo
from atelier.store import SessionFolder

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "src" / "atelier"


def package_files() -> set[str]:
    """Every file of the package as the wheel names it (sources, styles, catalogs, data)."""
    return {
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel ``pip install .`` (and pipx) would install, built offline from a clean copy
    of the sources (a stale ``build/`` in the checkout cannot hide a missing file)."""
    project = tmp_path_factory.mktemp("project")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(
        ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
    done = subprocess.run(
        [*pip, "-q", "-w", str(out), str(project)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return next(out.glob("atelier-*.whl"))


def fresh_env(home: Path, **extra: str) -> dict[str, str]:
    """A machine where atelier never ran: empty home, no config, no ATELIER_DIR."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ATELIER_"))}
    env.update(HOME=str(home), LANG="fr_FR.UTF-8", LC_ALL="fr_FR.UTF-8", **extra)
    env.pop("LANGUAGE", None)
    return env


@pytest.mark.wheel
def test_the_wheel_holds_every_file_of_the_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    missing = sorted(package_files() - shipped)
    assert not missing, f"left out of the wheel: {missing}"
    assert {"atelier/data/rules.toml", "atelier/data/demo.json"} <= shipped


@pytest.mark.wheel
def test_the_unpacked_wheel_runs_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    """The commands that read package data, run from the wheel's files alone."""
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = fresh_env(tmp_path / "home", PYTHONPATH=str(installed))

    def atelier(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "atelier", *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0 and done.stderr == "", (args, done.stderr)
        return done.stdout

    where = subprocess.run(
        [sys.executable, "-c", "import atelier; print(atelier.__file__)"],
        env=env,
        cwd=elsewhere,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(installed)), where  # the wheel's files, not the checkout's
    assert "bienveillance\t" in atelier("templates")
    session_id = atelier("new", "--title", "Accueil des usagers", "--template", "conflits").strip()
    assert session_id in atelier("list")
    exported = Path(atelier("export", session_id, "-o", str(tmp_path / "out.md")).strip())
    assert "Accueil des usagers" in exported.read_text(encoding="utf-8")
    assert not (elsewhere / "sessions").exists()
    data = tmp_path / "home" / ".local" / "share" / "atelier" / "sessions"
    assert (data / f"{session_id}.json").is_file()


def test_the_shipped_demo_is_what_atelier_demo_builds(tmp_path: Path) -> None:
    """``python -m atelier.demo`` rewrites data/demo.json byte for byte."""
    assert write_demo(tmp_path).read_bytes() == DEMO_FILE.read_bytes()


def test_the_demo_is_copied_on_first_use_and_then_kept(tmp_path: Path) -> None:
    folder = SessionFolder(tmp_path / "sessions")
    shipped = DEMO_FILE.read_bytes()
    assert not folder.root.exists()
    assert copy_demo(folder) == DEMO_ID
    with folder.open(DEMO_ID) as opened:
        opened.apply(model.set_phase, "actions")
    assert copy_demo(folder) == DEMO_ID  # the facilitator's copy stays as it is
    assert folder.load(DEMO_ID).phase == "actions"
    assert DEMO_FILE.read_bytes() == shipped


def test_no_session_file_is_tracked_in_the_checkout() -> None:
    """Only the README of the checkout's sessions/ is tracked: the demo copy that
    ``atelier open demo`` makes there (an existing ./sessions is used) is ignored by git."""
    if not (shutil.which("git") and (ROOT / ".git").exists()):
        pytest.skip("not a git checkout")
    tracked = subprocess.run(
        ["git", "ls-files", "sessions"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert tracked == ["sessions/README.md"]
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "--no-index", "sessions/demo.json"],
        cwd=ROOT,
        capture_output=True,
    )
    assert ignored.returncode == 0


def test_open_demo_from_any_folder_in_a_terminal(tmp_path: Path) -> None:
    """``atelier open demo`` in a pseudo-terminal, from a folder that is not the checkout,
    on a fresh home: the demo shows, F7/F8 change phases, ctrl+q ends cleanly, and the
    change went to the user's copy, never to the shipped file."""
    ptyrun = pytest.importorskip("ptyrun", reason="pseudo-terminals are POSIX")
    before = hashlib.sha256(DEMO_FILE.read_bytes()).hexdigest()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = ptyrun.run(
        [sys.executable, "-m", "atelier", "open", "demo"],
        expect="bienveillance",
        keys=[("f7", "Plan d’action"), ("f8", "Compte rendu"), ("f7", "Plan d’action"), "ctrl+q"],
        env=fresh_env(tmp_path / "home"),
        cwd=str(elsewhere),
    )
    assert result.seen and result.failure is None, result.screen[-2000:]
    assert result.code == 0
    copy = tmp_path / "home" / ".local" / "share" / "atelier" / "sessions" / "demo.json"
    assert SessionFolder(copy.parent).load(DEMO_ID).phase == "actions"
    assert hashlib.sha256(DEMO_FILE.read_bytes()).hexdigest() == before
    assert list(elsewhere.iterdir()) == []
