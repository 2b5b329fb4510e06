"""The README stays true: two set-up commands first, every key documented, examples right."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from textual.dom import DOMNode

import atelier.screens
from atelier.app import AtelierApp

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
CI = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")


def test_starts_with_exactly_two_setup_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert first_block is not None and README.index("```sh") < README.index("\n## ")
    commands = first_block.group(1).strip().splitlines()
    assert len(commands) == 2
    assert commands[0].endswith("atelier open demo")
    assert "'.[test]'" in commands[1] and commands[1].endswith("python -m pytest")
    assert "pip install -q -e '.[test]' && python -m pytest" in CI


def binding_ids() -> set[str]:
    ids: set[str] = set()
    classes: list[type[DOMNode]] = [AtelierApp]
    for module in pkgutil.iter_modules(atelier.screens.__path__):
        loaded = importlib.import_module(f"atelier.screens.{module.name}")
        classes += [
            obj
            for obj in vars(loaded).values()
            if isinstance(obj, type) and issubclass(obj, DOMNode)
        ]
    for cls in classes:
        for binding in getattr(cls, "BINDINGS", []):
            if getattr(binding, "id", None):
                ids.add(binding.id)
    return ids


def test_every_binding_id_is_in_the_keymap() -> None:
    ids = binding_ids()
    assert len(ids) > 60
    documented = set(re.findall(r"`([a-z_0-9]+)`", README))
    digits = {f"clustering_to_{d}" for d in range(10)}
    missing = sorted(ids - documented - digits)
    assert not missing, f"binding ids missing from the README keymap: {missing}"


def test_voting_example() -> None:
    from atelier.voting import dot_vote_ranking, majority_judgment_ranking

    assert "majority_judgment_ranking([[0, 1, 2], [1, 0, 2], [0, 1, 2]])  # [1, 3, 1]" in README
    assert majority_judgment_ranking([[0, 1, 2], [1, 0, 2], [0, 1, 2]]) == [1, 3, 1]
    assert "dot_vote_ranking([5, 9, 5, 0])" in README
    assert dot_vote_ranking([5, 9, 5, 0]) == [2, 1, 2, 4]


async def test_screen_capture_is_the_ideation_screen(
    tmp_path: Path, monkeypatch, frozen_clock
) -> None:
    """The README's capture is what the demo's ideation screen draws at 80×24 today."""
    import shutil

    from test_screens_fit import DEMO, drawn
    from test_snapshots import goto

    from atelier.app import create_app
    from atelier.demo import DEMO_ID

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "sessions").mkdir()
    shutil.copy(DEMO, tmp_path / "sessions" / "demo.json")
    capture = re.search(r"```\n( 1  2  3 Idéation.*?)\n```", README, re.DOTALL)
    assert capture is not None
    app = create_app(Path("sessions"), "fr", open_session=DEMO_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await goto("ideation")(pilot)
        screen = drawn(app)
    assert capture.group(1) == screen.rstrip("\n")
