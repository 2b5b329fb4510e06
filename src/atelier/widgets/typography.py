"""French typography on screen: a no-break space (U+00A0, U+202F) never breaks a line.

Rich and Textual wrap at any whitespace, and Python's ``\\s`` includes the no-break spaces
French puts inside « » and before : ; ! ?: « À rejeter » could end a line with « rejeter »
and start the next with « ». Their word pattern is swapped for one that keeps them in words.
"""

from __future__ import annotations

import re

import rich._wrap

NO_BREAK = "\u00a0\u202f\u2007\u2060"
BREAKABLE = rf"[^\S{NO_BREAK}]"
WORD = re.compile(rf"{BREAKABLE}*(?:[^\s]|[{NO_BREAK}])+{BREAKABLE}*")


def keep_no_break_spaces() -> None:
    """Wrap text (Content and Rich Text alike) only at breakable spaces."""
    rich._wrap.re_word = WORD
