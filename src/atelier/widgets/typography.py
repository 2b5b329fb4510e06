"""French typography on screen: a no-break space (U+00A0, U+202F) never breaks a line.

Rich and Textual wrap at any whitespace, and Python's ``\\s`` includes the no-break spaces
French puts inside « » and before : ; ! ?: « À rejeter » could end a line with « rejeter »
and start the next with « ». Their word pattern is swapped for one that keeps them in words.
"""

from __future__ import annotations

import re
from typing import Any

import rich._wrap
from textual.content import Content

NO_BREAK = "\u00a0\u202f\u2007\u2060"
BREAKABLE = rf"[^\S{NO_BREAK}]"
WORD = re.compile(rf"{BREAKABLE}*(?:[^\s]|[{NO_BREAK}])+{BREAKABLE}*")


#: stands for a no-break space while Textual's Markdown collapses whitespace (``\s+`` → " ",
#: which would turn « bienveillant ? » into a line ending « bienveillant » and one « ? »)
_HELD = {ch: chr(0xE000 + n) for n, ch in enumerate(NO_BREAK)}
_GIVEN_BACK = str.maketrans({v: k for k, v in _HELD.items()})
_HOLD = str.maketrans(_HELD)


def _markdown_keeping_no_break_spaces(original: Any) -> Any:
    def token_to_content(self: Any, token: Any) -> Content:
        for child in token.children or ():
            child.content = child.content.translate(_HOLD)
        content = original(self, token)
        return Content(content.plain.translate(_GIVEN_BACK), content.spans)

    return token_to_content


def keep_no_break_spaces() -> None:
    """Wrap text (Content and Rich Text alike) only at breakable spaces."""
    rich._wrap.re_word = WORD


def keep_no_break_spaces_in_markdown() -> None:
    """The same for Textual's Markdown widget (loaded with the summary screen only)."""
    from textual.widgets._markdown import MarkdownBlock

    if not getattr(MarkdownBlock._token_to_content, "keeps_no_break_spaces", False):
        patched = _markdown_keeping_no_break_spaces(MarkdownBlock._token_to_content)
        patched.keeps_no_break_spaces = True
        MarkdownBlock._token_to_content = patched  # type: ignore[method-assign]
