"""The complete session as JSON, in the session file's own schema-versioned layout.

Writing :func:`atelier.codec.to_document` unchanged means one migration path serves
session files and exports, and ``atelier import`` restores a session exactly.
"""

from __future__ import annotations

import json

from atelier import codec
from atelier.errors import AtelierError
from atelier.i18n import _
from atelier.model import Session

IMPORTED_ID = "imported"  # placeholder: the sessions folder gives the import a fresh id


def render(session: Session) -> bytes:
    document = codec.to_document(session)
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def parse(data: bytes, name: str) -> Session:
    """A session from an export's bytes, checked in full (:mod:`atelier.validate`) like a
    session file; every refusal names the file ``name`` and the record and field."""
    try:  # a UTF-8 byte order mark is accepted
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:  # ValueError: also a 5,000-digit number
        raise AtelierError(
            _("{file} is not a JSON file ({error}).").format(file=name, error=str(error)[:120])
        ) from None
    except RecursionError:
        raise AtelierError(
            _("{file} is not a JSON file ({error}).").format(
                file=name, error=_("nested too deeply")
            )
        ) from None
    if not isinstance(document, dict) or codec.VERSION_TABLE not in document:
        raise AtelierError(_("{file} is not an atelier export.").format(file=name))
    try:
        return codec.from_document(document, IMPORTED_ID)
    except AtelierError as error:
        raise AtelierError(
            _("{file}: {problem}").format(file=name, problem=error.message)
        ) from None
