"""One damaged file never hides the others (issue 11, item 7).

A sessions folder holds good sessions next to every kind of damaged file. Whatever is wrong
with a file, `atelier list` and the home screen show every good session, name each damaged
file with its reason, set it aside byte-identical in ``damaged/`` (a file from a newer
atelier stays where it is), and every good session still opens.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import import_cases
import pytest
from textual.widgets import DataTable, Static

from atelier import cli, codec, model
from atelier.app import create_app
from atelier.errors import AtelierError
from atelier.screens.home import HomeScreen
from atelier.store import FolderScan, SessionFolder
from atelier.templates import parse_template

Change = Callable[[dict[str, Any]], object]


def _document(change: Change) -> bytes:
    document = import_cases.demo_document()
    change(document)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _nested(levels: int) -> bytes:
    return (
        b'{"atelier": {"1": {"schema_version": 1}}, "meta": ' + b"[" * levels + b"]" * levels + b"}"
    )


#: file id → (its bytes, a piece of the reason given for it)
DAMAGED: dict[str, tuple[bytes, str]] = {
    "bad-date": (
        _document(lambda d: d["meta"]["1"].update(date="2026-13-45")),
        "date is not a date",
    ),
    "bad-phase": (
        _document(lambda d: d["meta"]["1"].update(phase="lunch")),
        "phase: unknown value",
    ),
    "deep-nesting": (_nested(100_000), "does not parse"),
    "deep-meta": (_nested(200), "nested too deeply"),
    "truncated": (_document(lambda d: None)[:-40], "does not parse"),
    "empty": (b"", "is empty"),
    "binary": (b"\xff\xfe\x00\x01garbage", "does not parse"),
    "not-atelier": (b'{"_default": {}}', "is not an atelier session"),
    "a-list": (b"[1, 2, 3]", "is not an atelier session"),
    "schema-zero": (
        _document(lambda d: d["atelier"]["1"].update(schema_version=0)),
        "schema version is missing or invalid",
    ),
    "no-schema": (_document(lambda d: d.pop("atelier")), "schema version is missing or invalid"),
    "huge-number": (
        _document(lambda d: None).replace(
            b'"participant_count":0', b'"participant_count":' + b"9" * 5000
        ),
        "does not parse",
    ),
    "title-list": (_document(lambda d: d["meta"]["1"].update(title=["a"])), "title must be a text"),
    "idea-number": (_document(lambda d: d["ideas"]["3"].update(text=3)), "ideas #3: text must be"),
    "surrogate": (
        _document(lambda d: None).replace(b"La bienveillance", b"\\ud800"),
        "invalid character",
    ),
    "nan-timer": (
        _document(lambda d: d["meta"]["1"]["phases"]["vote"].update(timer_seconds=float("nan"))),
        "timer_seconds must be between",
    ),
    "negative-dots": (
        _document(lambda d: d["rounds"]["1"]["tallies"].update({"cluster:1": [-3]})),
        "must be between 0",
    ),
    "bad-journal-seq": (
        _document(lambda d: d["atelier"]["1"].update(journal_seq="x")),
        "journal_seq must be a whole number",
    ),
    "unknown-coauthor": (
        _document(lambda d: d["ideas"]["3"].update(coauthors=[999])),
        "ideas #3: coauthors",
    ),
    "meta-missing-title": (_document(lambda d: d["meta"]["1"].pop("title")), "title is missing"),
}
TOO_NEW = _document(lambda d: d["atelier"]["1"].update(schema_version=codec.SCHEMA_VERSION + 1))


@pytest.fixture
def crowded(folder: SessionFolder) -> tuple[SessionFolder, list[str]]:
    """Three good sessions (one with a UTF-8 byte order mark) among every damaged file."""
    good = [folder.create("Première"), folder.create("Deuxième")]
    bom = folder.root / "with-bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + _document(lambda d: None))
    good.append("with-bom")
    for name, (content, _reason) in DAMAGED.items():
        (folder.root / f"{name}.json").write_bytes(content)
    (folder.root / "too-new.json").write_bytes(TOO_NEW)
    return folder, good


def _check_folder(folder: SessionFolder, good: list[str], problems: list[str]) -> None:
    assert len(problems) == len(DAMAGED) + 1
    for name, (content, reason) in DAMAGED.items():
        line = next(p for p in problems if p.startswith(f"{name}.json"))
        assert reason in line and f"set aside as damaged/{name}.json" in line, line
        assert (folder.root / "damaged" / f"{name}.json").read_bytes() == content
        assert not (folder.root / f"{name}.json").exists()
    assert any(p.startswith("too-new.json: Made by a newer atelier") for p in problems)
    assert (folder.root / "too-new.json").read_bytes() == TOO_NEW
    for session_id in good:  # every good session still opens and takes an idea
        with folder.open(session_id) as handle:
            handle.apply(model.add_idea, "toujours là")
        assert folder.load(session_id).ideas[-1].text == "toujours là"


def test_atelier_list_shows_every_good_session_and_names_every_damaged_file(
    crowded: tuple[SessionFolder, list[str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    folder, good = crowded
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert cli.main(["--dir", str(folder.root), "list"]) == 0
    out, err = capsys.readouterr()
    heading, *lines = out.splitlines()
    assert heading == f"{len(good)} sessions in {folder.root}:"
    listed = [line.split("\t")[0] for line in lines]
    assert sorted(listed) == sorted(good)
    assert "Traceback" not in err and "unexpected" not in err
    problems = [line.removeprefix("atelier: ") for line in err.splitlines()]
    _check_folder(folder, good, problems)
    assert cli.main(["--dir", str(folder.root), "list"]) == 0  # once set aside, all is quiet
    out, err = capsys.readouterr()
    assert sorted(line.split("\t")[0] for line in out.splitlines()[1:]) == sorted(good)
    assert err.splitlines() == [f"atelier: {p}" for p in problems if p.startswith("too-new")]


async def test_home_screen_shows_every_good_session_and_every_damaged_file(
    crowded: tuple[SessionFolder, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, good = crowded
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = create_app(folder.root, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(DataTable)
        assert sorted(str(key.value) for key in table.rows) == sorted(good)
        # 19 reasons never push the sessions off a small screen: every row is in view
        assert table.region.y >= 0 and table.region.bottom <= 23
        assert table.region.height >= len(good) + 1
        shown = str(app.screen.query_one("#home-problems", Static).render())
        problems = [line.removeprefix("⚠ ") for line in shown.splitlines()]
        assert app.unexpected_errors == []
        await pilot.press("enter")  # the first good session opens
        await pilot.pause()
        assert app.session is not None and app.session.id in good
    _check_folder(folder, good, problems)


def test_a_damaged_file_in_use_elsewhere_is_reported_not_moved(folder: SessionFolder) -> None:
    session_id = folder.create("En cours")
    path = folder.path_for(session_id)
    with folder.open(session_id):
        data = path.read_bytes()
        path.write_bytes(data.replace(b'"phase":"setup"', b'"phase":"lunch"'))
        scan = folder.scan()
        assert scan.sessions == [] and "phase: unknown value" in scan.problems[0]
        assert path.exists() and not (folder.root / "damaged").exists()


def test_a_damaged_journal_line_sets_the_session_aside_with_its_journal(
    folder: SessionFolder,
) -> None:
    good = folder.create("Bonne")
    bad = folder.create("Mauvaise")
    journal = folder.path_for(bad).with_suffix(".journal")
    journal.write_bytes(b'{"seq": 1, "do": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n")
    scan = folder.scan()
    assert [s.id for s in scan.sessions] == [good]
    assert f"set aside as damaged/{bad}.json" in scan.problems[0]
    assert (folder.root / "damaged" / f"{bad}.journal").exists() and not journal.exists()


def test_a_folder_that_refuses_the_damaged_subfolder_still_lists(
    folder: SessionFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = folder.create("Bonne")
    (folder.root / "broken-1.json").write_bytes(b"{")

    def no_room(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", no_room)
    scan = folder.scan()
    assert [s.id for s in scan.sessions] == [good]
    assert scan.problems == [
        "broken-1.json does not parse (line 1). The file was left where it is."
    ]


def test_a_listed_session_damaged_later_is_caught_at_the_next_listing(
    folder: SessionFolder,
) -> None:
    """The list remembers what it checked only while the bytes stay the same."""
    session_id = folder.create("Bientôt abîmée")
    path = folder.path_for(session_id)
    assert [s.id for s in folder.scan().sessions] == [session_id]
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"phase":"setup"', b'"phase":"lunch"'))  # same size
    scan = folder.scan()
    assert scan.sessions == [] and "phase: unknown value “lunch”" in scan.problems[0]
    assert (folder.root / "damaged" / path.name).read_bytes() != data


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[vote]\ndots_per_voter = 0\n", "between 1 and 100"),
        ("[vote]\nmax_per_option = 500\n", "between 1 and 100"),
        ('[vote]\ngrades = ["bien", "mal"]\n', "Number of grades"),
        ('closing = "' + "x" * 400 + '"\n', "The closing message is too long"),
    ],
)
def test_a_template_never_makes_a_session_the_checks_would_refuse(
    folder: SessionFolder, extra: str, message: str
) -> None:
    """Whatever a session is created with is checked on creation, not found damaged later."""
    template = parse_template('id = "mine"\nname = "Mine"\n' + extra)
    with pytest.raises(AtelierError, match=message):
        folder.create("Atelier", **template.session_options("fr"))
    assert folder.scan() == FolderScan([], [])
