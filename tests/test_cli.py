"""The command line: plain commands, one readable line on error, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from atelier import __version__, cli, model
from atelier.config import config_path, user_sessions_dir
from atelier.store import SessionFolder


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No user config or templates from the machine, English unless --lang, no ATELIER_DIR."""
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.delenv("ATELIER_DIR", raising=False)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    return config


@pytest.fixture
def sessions(tmp_path: Path) -> Path:
    return tmp_path / "sessions"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("atelier: ") and "Traceback" not in err
    return lines[0]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--version")
    assert code == 0 and out == f"atelier {__version__}\n"


def test_new_prints_the_id_and_writes_the_file(
    capsys: pytest.CaptureFixture[str], sessions: Path, frozen_clock: Any
) -> None:
    code, out, err = run(
        capsys, "--dir", str(sessions), "new", "--title", "Réunion d’équipe", "--question", "Why?"
    )
    assert code == 0 and err == ""
    session_id = out.strip()
    assert session_id.startswith("reunion-dequipe-")
    session = SessionFolder(sessions).load(session_id)
    assert (session.title, session.question, session.template) == (
        "Réunion d’équipe",
        "Why?",
        "blank",
    )
    assert session.lang == "en" and len(session.rules) == 5  # the five rules by default


def test_new_from_a_template(capsys: pytest.CaptureFixture[str], sessions: Path) -> None:
    code, out, _err = run(
        capsys, "--dir", str(sessions), "new", "--title", "Kindness", "--template", "bienveillance"
    )
    assert code == 0
    session = SessionFolder(sessions).load(out.strip())
    assert session.template == "bienveillance"
    assert session.question == "How can we make our everyday work kinder?"
    assert session.timing("ideation").planned_minutes == 25
    code, out, _err = run(
        capsys,
        *("--lang", "fr", "--dir", str(sessions), "new", "--title", "Bienveillance"),
        *("--template", "bienveillance"),
    )
    french = SessionFolder(sessions).load(out.strip())
    assert french.lang == "fr"
    assert french.question == "Comment rendre notre quotidien de travail plus bienveillant\u00a0?"
    assert french.rules[0].title == "Écouter avec attention"


def test_unknown_template(capsys: pytest.CaptureFixture[str], sessions: Path) -> None:
    code, out, err = run(capsys, "--dir", str(sessions), "new", "--title", "T", "--template", "x")
    assert code == 1 and out == ""
    line = one_error_line(err)
    assert line.startswith("atelier: Unknown template “x”. Known templates: blank, ")
    assert "bienveillance" in line
    assert not sessions.exists() or list(sessions.iterdir()) == []


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "The title is empty."),
        ("\x1b[31m\x07", "The title is empty."),
        ("x" * 300, "The title is too long (300 characters; at most 200)."),
    ],
    ids=["empty", "controls", "300-chars"],
)
def test_new_refuses_bad_titles(
    capsys: pytest.CaptureFixture[str], sessions: Path, title: str, message: str
) -> None:
    code, out, err = run(capsys, "--dir", str(sessions), "new", "--title", title)
    assert code == 1 and out == ""
    assert one_error_line(err) == f"atelier: {message}"


def test_new_needs_a_title(capsys: pytest.CaptureFixture[str], sessions: Path) -> None:
    code, _out, err = run(capsys, "--dir", str(sessions), "new")
    assert code == 2 and "--title" in err and "Traceback" not in err


def test_list(capsys: pytest.CaptureFixture[str], sessions: Path, frozen_clock: Any) -> None:
    code, out, err = run(capsys, "--dir", str(sessions), "list")
    assert code == 0 and err == ""
    assert out == f"No session in {sessions.resolve()}.\n"

    folder = SessionFolder(sessions)
    session_id = folder.create("Bienveillance", lang="fr")
    with folder.open(session_id) as opened:
        opened.apply(model.add_idea, "Dire bonjour")
        opened.apply(model.add_participant, "Alice")
        opened.apply(model.set_phase, "ideation")
    code, out, err = run(capsys, "--dir", str(sessions), "list")
    assert code == 0 and err == ""
    assert out == (
        f"1 session in {sessions.resolve()}:\n"
        f"{session_id}\t2026-11-25\tIdeation\t1 idea, 1 participant\tBienveillance\n"
    )

    with folder.open(session_id):  # held by another atelier
        code, out, _err = run(capsys, "--lang", "fr", "--dir", str(sessions), "list")
    assert out == (
        f"1 session dans {sessions.resolve()}\u00a0:\n"
        f"{session_id}\t25/11/2026\tIdéation\t1 idée, 1 participant\t"
        "Bienveillance (ouverte ailleurs)\n"
    )


def test_list_reports_damaged_files_and_lists_the_rest(
    capsys: pytest.CaptureFixture[str], sessions: Path
) -> None:
    folder = SessionFolder(sessions)
    good = folder.create("Good", lang="en")
    (sessions / "broken-1.json").write_bytes(b'{"meta": ')
    code, out, err = run(capsys, "--dir", str(sessions), "list")
    assert code == 0
    assert one_error_line(err) == (
        "atelier: broken-1.json does not parse (line 1). "
        "It was set aside as damaged/broken-1.json; the other sessions are usable."
    )
    assert out.splitlines()[1].startswith(good)
    assert (sessions / "damaged" / "broken-1.json").read_bytes() == b'{"meta": '


@pytest.mark.parametrize("bad", ["nope", "../x", "/etc/passwd", "a/b", "CON"])
def test_bad_id_is_one_line(capsys: pytest.CaptureFixture[str], sessions: Path, bad: str) -> None:
    SessionFolder(sessions).create("Some session")
    code, out, err = run(capsys, "--dir", str(sessions), "open", bad)
    assert code == 1 and out == ""
    assert one_error_line(err) == f"atelier: No session “{bad}” in {sessions.resolve()}."


def test_ambiguous_prefix(capsys: pytest.CaptureFixture[str], sessions: Path) -> None:
    folder = SessionFolder(sessions)
    folder.save_new(model.new_session("abc-1", "A"))
    folder.save_new(model.new_session("abd-2", "B"))
    code, _out, err = run(capsys, "--dir", str(sessions), "open", "ab")
    assert code == 1
    assert one_error_line(err) == "atelier: “ab” matches several sessions: abc-1, abd-2."


def test_templates(capsys: pytest.CaptureFixture[str], sessions: Path) -> None:
    code, out, err = run(capsys, "--dir", str(sessions), "templates")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "blank\t" + lines[0].split("\t")[1] + "\tbuilt-in"
    assert any(line.startswith("bienveillance\tKindness at work\t") for line in lines)


def test_broken_user_template_is_reported(
    capsys: pytest.CaptureFixture[str], sessions: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "bad.toml").write_text("name = ", encoding="utf-8")
    code, out, err = run(capsys, "--dir", str(sessions), "--templates", str(mine), "templates")
    assert code == 0 and "blank" in out
    assert one_error_line(err).startswith("atelier: bad.toml: invalid TOML: ")


def test_unusable_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _out, err = run(capsys, "--dir", str(blocker / "sessions"), "list")
    assert code == 1
    assert one_error_line(err).startswith("atelier: Cannot use the sessions folder ")


def test_unexpected_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], sessions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args: Any) -> int:
        raise RuntimeError("boom")

    monkeypatch.setitem(cli.HANDLERS, "list", boom)
    code, _out, err = run(capsys, "--dir", str(sessions), "list")
    assert code == 1
    assert one_error_line(err) == (
        "atelier: unexpected error (RuntimeError: boom); everything saved so far is on disk."
    )


def test_broken_config_is_reported_not_fatal(
    capsys: pytest.CaptureFixture[str], sessions: Path, isolated: Path
) -> None:
    (isolated / "atelier").mkdir(parents=True)
    (isolated / "atelier" / "config.toml").write_text("lang = [", encoding="utf-8")
    code, out, err = run(capsys, "--dir", str(sessions), "list")
    assert code == 0 and out.startswith("No session")
    assert "default settings used." in one_error_line(err)


def test_config_language(
    capsys: pytest.CaptureFixture[str], sessions: Path, isolated: Path
) -> None:
    (isolated / "atelier").mkdir(parents=True)
    (isolated / "atelier" / "config.toml").write_text('lang = "fr"\n', encoding="utf-8")
    code, out, _err = run(capsys, "--dir", str(sessions), "list")
    assert out == f"Aucune session dans {sessions.resolve()}.\n"
    code, out, _err = run(capsys, "--lang", "en", "--dir", str(sessions), "list")
    assert code == 0 and out.startswith("No session in")


def test_french_errors(capsys: pytest.CaptureFixture[str], sessions: Path) -> None:
    code, _out, err = run(capsys, "--lang", "fr", "--dir", str(sessions), "new", "--title", "")
    assert code == 1 and one_error_line(err) == "atelier: Le titre est vide."


def test_atelier_dir_environment(
    capsys: pytest.CaptureFixture[str], sessions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATELIER_DIR", str(sessions))
    code, out, _err = run(capsys, "new", "--title", "From env")
    assert code == 0
    assert json.loads((sessions / f"{out.strip()}.json").read_text(encoding="utf-8"))


def test_list_prints_no_escape_sequence_from_a_title(
    capsys: pytest.CaptureFixture[str], sessions: Path, tmp_path: Path
) -> None:
    """A hand-edited title cannot retitle the terminal window, ring its bell or colour it."""
    folder = SessionFolder(sessions)
    session_id = folder.create("Placeholder")
    path = sessions / f"{session_id}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    hostile = "Café\x1b]0;pwned\x07 \x1b[31mrouge\x1b[0m\tet\nfin\x9b2J\x00"
    document["meta"]["1"]["title"] = hostile
    path.write_text(json.dumps(document), encoding="utf-8")
    for args in (
        ("list",),
        ("show", session_id),
        ("export", session_id, "-o", str(tmp_path / "x.md")),
    ):
        code, out, err = run(capsys, "--dir", str(sessions), *args)
        assert code == 0, err
        assert not any(ord(ch) < 32 and ch not in "\t\n" or 0x7F <= ord(ch) <= 0x9F for ch in out)
    code, out, _err = run(capsys, "--dir", str(sessions), "list")
    row = out.splitlines()[1].split("\t")
    assert len(row) == 5 and row[4] == "Café rouge et fin2J"


def test_argument_errors_print_no_escape_sequence(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "\x1b]0;pwned\x07\x1b[31mrouge")
    assert code == 2 and out == ""
    assert "unrecognized arguments: rouge" in err and "\x1b" not in err and "\x07" not in err


def test_output_into_a_closed_pipe_ends_quietly(sessions: Path, tmp_path: Path) -> None:
    """``atelier show X | head``: the reader stops early; no BrokenPipeError message."""
    folder = SessionFolder(sessions)
    session_id = folder.create("Long")
    for command in (["show", session_id], ["list"], ["templates"]):
        read, write = os.pipe()
        os.close(read)  # the reader is gone before atelier writes a byte
        done = subprocess.run(
            [sys.executable, "-m", "atelier", "--dir", str(sessions), *command],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        os.close(write)
        assert done.stderr == "" and done.returncode == 0, (command, done.stderr)


def test_dir_help_names_every_place(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["--help"])
    out = "".join(capsys.readouterr().out.split())  # argparse wraps, even inside a path
    assert "$ATELIER_DIR" in out and "sessions_dir" in out and "./sessionsifitexists" in out
    assert str(user_sessions_dir()) in out and str(config_path()) in out
