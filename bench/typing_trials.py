"""Fast-typing trials: the real app in a pseudo-terminal (80×24), keys written with no delay.

Each run opens a fresh session on its ideation screen and writes, each chunk in one write:
two ideas with their Enters, an 8-line list as a terminal without bracketed paste sends it
(Enter after each line), a bracketed paste carrying colour codes, an emoji with zero-width
joiners, an unknown ``@Zoé`` idea, then Escape immediately followed by the next idea.
It counts the ideas that did not come out exactly as typed (merged, garbled or lost).

    python bench/typing_trials.py --runs 30
    python bench/typing_trials.py --runs 5 --pythonpath OLD/src   # another version, for a before

Not a speed figure and not part of ``run_all.py``: about 5 s per run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_typing import run_in_pty  # noqa: E402

from atelier import model  # noqa: E402
from atelier.store import SessionFolder  # noqa: E402

from uikit import make_session  # noqa: E402

LINES = [f"ligne {n} du tableau" for n in range(1, 9)]
FAMILY = "👩\u200d👩\u200d👧"
TYPED = [
    "idée un\ridée deux\r".encode(),
    "".join(line + "\r" for line in LINES).encode(),
    b"\x1b[200~Pause caf\xc3\xa9 ensemble le \x1b[31mvendredi\x1b[0m\x1b[201~\r",
    f"Pour la {FAMILY}\r".encode(),
    "@Zoé de Zoé\r\x1bAprès Échap\r".encode(),
]
WANTED = [
    "idée un",
    "idée deux",
    *LINES,
    "Pause café ensemble le vendredi",
    f"Pour la {FAMILY}",
    "de Zoé",
    "Après Échap",
]


def trial(pythonpath: str | None) -> list[str]:
    tmp = Path(tempfile.mkdtemp(prefix="atelier-typing-"))
    folder = SessionFolder(tmp / "sessions")
    session_id = make_session(folder)
    with folder.open(session_id) as handle:
        handle.apply(model.set_phase, "ideation")
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "HOME": str(tmp),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "XDG_STATE_HOME": str(tmp / "state"),
    }
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    args = ["--dir", str(folder.root), "--lang", "fr", "open", session_id]
    run_in_pty(args, env, TYPED)
    return [idea.text for idea in folder.load(session_id).ideas]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pythonpath", help="run another atelier (its src folder)")
    options = parser.parse_args()
    wrong = 0
    for run in range(1, options.runs + 1):
        got = trial(options.pythonpath)
        missing = [text for text in WANTED if text not in got]
        wrong += len(missing)
        print(f"run {run}: {'ok' if not missing else f'{len(missing)} wrong: {got}'}", flush=True)
    typed = options.runs * len(WANTED)
    print(f"{options.runs} runs, {typed} ideas typed, {wrong} merged, garbled or lost")


if __name__ == "__main__":
    main()
