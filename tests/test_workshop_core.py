"""The workshop without any UI: open, change, undo, refuse, pause timers, close, lock.

atelier.workshop holds the session lifecycle and the one path for changes that the app
wires to its screens; here it is driven directly, messages collected from its callback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier import model
from atelier.store import SessionFolder, SessionLocked
from atelier.workshop import Workshop, phase_of_change


class Messages(list[tuple[str, str]]):
    def __call__(self, message: str, severity: str, timeout: float | None) -> None:
        self.append((severity, message))


@pytest.fixture
def opened(tmp_path: Path) -> tuple[Workshop, Messages, str]:
    session_id = SessionFolder(tmp_path).create("Accueil")
    said = Messages()
    workshop = Workshop(tmp_path, said)
    assert workshop.open(session_id) == "setup"
    return workshop, said, session_id


def test_a_change_is_on_disk_and_undone(opened: tuple[Workshop, Messages, str]) -> None:
    workshop, said, session_id = opened
    assert workshop.apply(model.add_idea, "Un sourire à l'accueil")
    assert [i.text for i in workshop.folder.load(session_id).ideas] == ["Un sourire à l'accueil"]
    assert workshop.replay(undo=True) == ("ideas", 1)
    assert not workshop.folder.load(session_id).ideas
    assert ("information", "Nothing to redo.") not in said
    assert workshop.replay(undo=False) == ("ideas", 1)
    assert phase_of_change("ideas", 1, "setup") == "ideation"


def test_refused_input_is_a_message_not_an_exception(
    opened: tuple[Workshop, Messages, str],
) -> None:
    workshop, said, _session_id = opened
    assert not workshop.apply(model.add_idea, "   ")
    assert said and said[-1][0] == "warning"
    assert not workshop.session.ideas


def test_closing_pauses_the_timer_and_frees_the_session(
    opened: tuple[Workshop, Messages, str], tmp_path: Path
) -> None:
    workshop, _said, session_id = opened
    other = Workshop(tmp_path, Messages())
    with pytest.raises(SessionLocked):
        other.open(session_id)
    assert other.open(session_id, read_only=True) == "setup"
    assert not other.apply(model.add_idea, "vue seulement")  # read-only: refused
    other.close()
    workshop.apply(model.timer_start, "setup")
    workshop.enter_phase("ideation")
    assert workshop.session.phase == "ideation"
    assert not workshop.session.timing("setup").running
    workshop.close()
    assert workshop.handle is None and not workshop.unsaved
    assert other.open(session_id) == "ideation"  # the lock went with the close
    other.close()
