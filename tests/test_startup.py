"""What atelier imports to show its sessions list: only what that screen needs.

A fresh interpreter runs what ``atelier`` does at start (the command line, the app, the
home screen listing a folder holding the demo) and reports every
module then loaded. Clustering, exports, voting screens, phones, Markdown: loaded when a
session opens or a feature is used, never at start-up (bench/startup.py times it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from atelier.demo import write_demo

PROBE = """
import asyncio, json, sys
from pathlib import Path

import atelier.cli  # what `python -m atelier` imports first
from atelier.app import create_app
from atelier.screens.home import HomeScreen


async def main():
    app = create_app(Path(sys.argv[1]), "fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        listed = len(app.screen.sessions)
    print(json.dumps({"listed": listed, "modules": sorted(sys.modules)}))


asyncio.run(main())
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

#: the third-party packages start-up may load (the session store and its lock included,
#: since the home screen reads every session of the folder through it)
ALLOWED_PACKAGES = {
    "textual",
    "rich",
    "typing_extensions",
    "platformdirs",
    "tinydb",
    "filelock",
    "_distutils_hack",  # setuptools' hook in some virtual environments
}


def loaded_at_start(folder: Path) -> tuple[int, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report["listed"], report["modules"]


@pytest.fixture(scope="module")
def demo_start(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[str]]:
    folder = tmp_path_factory.mktemp("start")
    write_demo(folder)
    return loaded_at_start(folder)


def test_the_probe_lists_the_folder(demo_start: tuple[int, list[str]]) -> None:
    listed, modules = demo_start
    assert listed == 1
    assert {"atelier.app", "atelier.screens.home", "textual"} <= set(modules)


def test_features_load_when_used_not_at_start(demo_start: tuple[int, list[str]]) -> None:
    _listed, modules = demo_start
    loaded = [
        name for name in NOT_AT_START if any(m == name or m.startswith(name + ".") for m in modules)
    ]
    assert not loaded, f"imported at start-up: {loaded}"


def test_no_other_library_at_start(demo_start: tuple[int, list[str]]) -> None:
    _listed, modules = demo_start
    packages = {m.split(".")[0] for m in modules} - set(sys.stdlib_module_names)
    packages -= {"__main__", "atelier"}
    assert packages <= ALLOWED_PACKAGES, sorted(packages - ALLOWED_PACKAGES)
