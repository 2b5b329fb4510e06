"""What atelier imports to show its sessions list: only what that screen needs.

A fresh interpreter runs what ``atelier`` does at start (``atelier.cli.main``: the command
line, the app, the home screen listing a folder holding the demo; Textual's test driver
instead of a terminal) and reports every module then loaded, at a first start and at the
next one (what the list showed is then remembered: no session code at all). Clustering,
exports, voting screens, phones, Markdown: loaded when a session opens or a feature is
used, never at start-up (bench/startup.py times it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from atelier.demo import write_demo

PROBE = """
import asyncio, json, sys

import atelier.cli  # what `python -m atelier` imports first


def headless(app):
    # the command line's own path to the app, with Textual's test driver instead of a terminal
    async def show_home():
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            report["listed"] = len(app.screen.sessions)
            report["screen"] = type(app.screen).__name__

    asyncio.run(show_home())


report = {}
import atelier.app  # noqa: E402 (what run_tui imports)

atelier.app.AtelierApp.run = headless
code = atelier.cli.main(["--dir", sys.argv[1], "--lang", "fr"])
print(json.dumps({**report, "code": code, "modules": sorted(sys.modules)}))
"""

#: loaded when a session opens or a feature is used, never to show the sessions list
NOT_AT_START = [
    "snowballstemmer",  # clustering suggestions
    "odfdo",  # ODT export, paper
    "lxml",
    "markdown_it",
    "aiohttp",  # phones
    "segno",
    "ifaddr",
    "atelier.clustering",
    "atelier.summary",
    "atelier.export",
    "atelier.lan",
    "atelier.templates",  # read when N (new session) is pressed
    "atelier.demo",
    "atelier.screens.dialogs",
    "atelier.screens.setup",
    "atelier.screens.rules",
    "atelier.screens.ideation",
    "atelier.screens.clustering",
    "atelier.screens.vote",
    "atelier.screens.ballot",
    "atelier.screens.results",
    "atelier.screens.actions",
    "atelier.screens.summary",
    "atelier.screens.projector",
    "atelier.screens.join",
    "atelier.screens.palette",  # the command palette, when opened
]

#: the third-party packages start-up may load
ALLOWED_PACKAGES = {
    "textual",
    "rich",
    "typing_extensions",
    "platformdirs",
    "_distutils_hack",  # setuptools' hook in some virtual environments
}

#: what reads, checks and writes a session: loaded when one opens, or when a file of the
#: folder is new or changed since the last listing (the listing remembers the others)
SESSION_MODULES = [
    "tinydb",
    "filelock",  # the session lock: the list only probes it (fcntl on POSIX)
    "atelier.model.records",
    "atelier.model.registry",
    "atelier.voting",
    "atelier.codec",
    "atelier.validate",
    "atelier.store.journal",
    "atelier.store.handle",
]


def loaded_at_start(folder: Path, home: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 0 and report["screen"] == "HomeScreen", report
    return report


def loaded(names: list[str], modules: list[str]) -> list[str]:
    return [name for name in names if any(m == name or m.startswith(name + ".") for m in modules)]


@pytest.fixture(scope="module")
def starts(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first start on a folder, then the next one (same user, same folder)."""
    root = tmp_path_factory.mktemp("start")
    write_demo(root / "sessions")
    first = loaded_at_start(root / "sessions", root / "home")
    return first, loaded_at_start(root / "sessions", root / "home")


def test_the_probe_lists_the_folder(starts: tuple[dict[str, Any], ...]) -> None:
    for report in starts:
        assert report["listed"] == 1
        assert {"atelier.app", "atelier.screens.home", "textual"} <= set(report["modules"])


def test_features_load_when_used_not_at_start(starts: tuple[dict[str, Any], ...]) -> None:
    for report in starts:
        assert not loaded(NOT_AT_START, report["modules"]), "imported at start-up"


def test_no_other_library_at_start(starts: tuple[dict[str, Any], ...]) -> None:
    for report in starts:
        packages = {m.split(".")[0] for m in report["modules"]} - set(sys.stdlib_module_names)
        packages -= {"__main__", "atelier"}
        assert packages <= ALLOWED_PACKAGES | {"tinydb"}, sorted(packages - ALLOWED_PACKAGES)


def test_the_next_start_loads_no_session_code(starts: tuple[dict[str, Any], ...]) -> None:
    """The first start checks the demo in full (store, records, validation); the next one
    lists it from what it remembered and loads none of that."""
    first, second = starts
    assert "atelier.validate" in first["modules"]
    assert not loaded(SESSION_MODULES, second["modules"])


def test_a_session_opened_before_needs_no_lock_library(tmp_path: Path) -> None:
    """A session once opened leaves its lock file; listing it probes the lock with fcntl."""
    if os.name != "posix":
        pytest.skip("filelock itself probes the lock off POSIX")
    folder = tmp_path / "sessions"
    write_demo(folder)
    from atelier.store import SessionFolder

    SessionFolder(folder).open("demo").close()
    assert (folder / "demo.lock").exists()
    loaded_at_start(folder, tmp_path / "home")
    report = loaded_at_start(folder, tmp_path / "home")
    assert report["listed"] == 1
    assert not loaded(SESSION_MODULES, report["modules"])
