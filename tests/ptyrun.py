"""Run a command in a pseudo-terminal as a person would: wait for a text, press keys, quit.

Standard library only, so that ``.ci/run`` can drive the atelier installed from the wheel
in a venv without pytest::

    python tests/ptyrun.py --expect Population --keys "f7:Action plan,ctrl+q" -- atelier open demo

(``key:text`` waits, after pressing the key, until ``text`` shows on the screen: on a slow
machine the next key cannot land on the previous screen)

exits with the command's own exit code, and 1 if the text never showed, the command did not
end in time, or a traceback or « unexpected error » reached the screen.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass

KEYS = {"f7": b"\x1b[18~", "f8": b"\x1b[19~", "ctrl+q": b"\x11", "enter": b"\r", "escape": b"\x1b"}
_ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
FAILURES = ("Traceback", "unexpected error", "erreur inattendue")


@dataclass
class Run:
    code: int | None  # None: still running when the time was up (then killed)
    screen: str  # everything written to the terminal, escape sequences removed
    seen: bool  # every expected text showed (before the keys, and after each key that waits)

    @property
    def failure(self) -> str | None:
        return next((word for word in FAILURES if word in self.screen), None)


def run(
    argv: Sequence[str],
    *,
    expect: str,
    keys: Sequence[str | tuple[str, str]] = ("ctrl+q",),
    env: dict[str, str] | None = None,
    cwd: str | None = None,
    size: tuple[int, int] = (80, 24),
    timeout: float = 30.0,
) -> Run:
    """Start ``argv`` on a fresh pty of ``size``, wait until ``expect`` is on screen, then
    send ``keys`` half a second apart (a ``(key, text)`` pair also waits for ``text`` to be
    written after the key) and wait for the command to end."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    child_env = dict(os.environ if env is None else env)
    child_env.setdefault("TERM", "xterm-256color")
    process = subprocess.Popen(
        list(argv), stdin=slave, stdout=slave, stderr=slave, env=child_env, cwd=cwd
    )
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + timeout

    def text(start: int = 0) -> str:
        return _ESCAPES.sub(b"", bytes(output[start:])).decode("utf-8", "replace")

    def read_for(seconds: float) -> None:
        end = min(time.monotonic() + seconds, deadline)
        while time.monotonic() < end:
            ready, _w, _x = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the command ended and closed the terminal
                    return
                if not chunk:
                    return
                output.extend(chunk)
            elif process.poll() is not None:
                return

    def wait_for(wanted: str, start: int = 0) -> bool:
        while wanted not in text(start) and process.poll() is None and time.monotonic() < deadline:
            read_for(0.2)
        return wanted in text(start)

    try:
        seen = wait_for(expect)
        for step in keys if seen else ():
            key, after = step if isinstance(step, tuple) else (step, "")
            read_for(0.5)  # let the screen settle before each key
            start = len(output)
            os.write(master, KEYS.get(key, key.encode()))
            if after and not wait_for(after, start):
                seen = False
                break
        while process.poll() is None and time.monotonic() < deadline:
            read_for(0.2)
        read_for(0.2)
        code = process.poll()
        if code is None:
            process.kill()
            process.wait()
        return Run(code, text(), seen)
    finally:
        os.close(master)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expect", required=True, help="text to wait for before the keys")
    parser.add_argument("--keys", default="ctrl+q", help="comma-separated: f7:text,f8,ctrl+q…")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("argv", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    keys: list[str | tuple[str, str]] = []
    for word in args.keys.split(","):
        key, _colon, after = word.partition(":")
        keys.append((key, after) if after else key)
    result = run(argv, expect=args.expect, keys=keys, timeout=args.timeout)
    if not result.seen or result.code is None or result.failure:
        print(result.screen[-3000:], file=sys.stderr)
        problem = (
            "never showed an expected text"
            if not result.seen
            else "did not end in time"
            if result.code is None
            else f"showed {result.failure!r}"
        )
        print(f"ptyrun: {' '.join(argv)}: {problem}", file=sys.stderr)
        return 1
    return result.code


if __name__ == "__main__":
    sys.exit(main())
