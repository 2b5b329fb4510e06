"""One sessions folder a user can find: a fixed order of choices, shown as an absolute path,
and never created by a command that only reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from atelier import cli
from atelier.app import create_app
from atelier.config import UserConfig, load_config, sessions_dir, user_sessions_dir


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh machine: empty home and XDG folders, no ATELIER_DIR, started from ``work/``."""
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ATELIER_DIR", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


def write_config(home: Path, text: str) -> Path:
    path = home / ".config" / "atelier" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_order_of_choices(machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = machine / "home" / ".local" / "share" / "atelier" / "sessions"
    assert user_sessions_dir() == data
    assert sessions_dir(None, load_config()) == data  # nothing chosen: the user data folder
    (machine / "work" / "sessions").mkdir()
    assert sessions_dir(None, load_config()) == Path("sessions")  # an existing ./sessions
    config = write_config(machine / "home", 'sessions_dir = "ateliers"\n')
    assert sessions_dir(None, load_config()) == config.parent / "ateliers"
    monkeypatch.setenv("ATELIER_DIR", str(machine / "env"))
    assert sessions_dir(None, load_config()) == machine / "env"
    assert sessions_dir(Path("given"), load_config()) == Path("given")


def test_config_sessions_dir(machine: Path) -> None:
    home = machine / "home"
    write_config(home, 'sessions_dir = "~/Documents/ateliers"\n')
    assert load_config().sessions_dir == home / "Documents" / "ateliers"
    write_config(home, "sessions_dir = 3\n")
    config = load_config()
    assert config.sessions_dir is None
    assert config.problem is not None and "sessions_dir" in config.problem
    write_config(home, 'sessions_dir = ""\n')
    assert load_config() == UserConfig()


def test_reading_creates_no_folder(machine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``atelier list``, ``show``, ``export`` on a fresh machine leave nothing behind."""
    before = sorted(machine.rglob("*"))
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert out == f"No session in {user_sessions_dir()}.\n"
    for command in (["show", "x"], ["export", "x"], ["open", "x"]):
        assert cli.main(command) == 1
        assert "No session “x”" in capsys.readouterr().err
    assert sorted(machine.rglob("*")) == before


def test_writing_creates_the_folder(machine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["new", "--title", "Premier atelier"]) == 0
    session_id = capsys.readouterr().out.strip()
    assert (user_sessions_dir() / f"{session_id}.json").is_file()
    assert not (machine / "work" / "sessions").exists()
    assert cli.main(["list"]) == 0
    assert capsys.readouterr().out.startswith(f"1 session in {user_sessions_dir()}:\n")


def test_an_existing_local_folder_is_used(
    machine: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = machine / "work" / "sessions"
    local.mkdir()
    assert cli.main(["new", "--title", "Ici"]) == 0
    assert (local / f"{capsys.readouterr().out.strip()}.json").is_file()
    assert not user_sessions_dir().exists()


async def test_home_shows_the_absolute_folder_and_creates_it_on_new(machine: Path) -> None:
    folder = machine / "work" / "sessions"
    app = create_app(Path("sessions"), "en")  # relative, as --dir sessions would give
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one("#home-folder", Static).render())
        assert shown == f"Sessions folder: {folder}"
        assert not folder.exists()  # listing an empty folder does not make it
        await pilot.press("n", "enter")  # the blank template
        await pilot.pause()
        await pilot.press(*"Atelier", "enter")
        await pilot.pause()
        assert app.handle is not None and app.unexpected_errors == []
    assert sorted(p.suffix for p in folder.iterdir()) == [".json", ".lock"]


def test_the_export_dialog_writes_the_home_folder_as_tilde(machine: Path) -> None:
    """Shorter at 80 columns; the home screen and `atelier list` keep the absolute path."""
    from atelier.screens.summary import short_path

    assert short_path(user_sessions_dir()) == "~/.local/share/atelier/sessions"
    assert short_path(machine / "home") == "~"
    assert short_path(machine / "work" / "sessions") == str(machine / "work" / "sessions")
    assert Path(short_path(user_sessions_dir())).expanduser() == user_sessions_dir()
