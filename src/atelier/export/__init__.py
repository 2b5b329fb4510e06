"""Session summaries as files: Markdown, HTML, ODT, CSV, JSON, and a cross-workshop synthesis.

Every document format renders the one report laid out by :mod:`atelier.summary`; JSON is
the session file's own layout. Files are written with :func:`atomicio.write_new`, so an
existing file is never overwritten: the next free name (``name-2.md``…) is used and the
path actually written is returned, for the CLI and the summary screen to show.
An anonymous export renders :func:`atelier.summary.anonymized` (session) in every format,
JSON included, and says so in its file name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from atelier.atomicio import write_new
from atelier.errors import AtelierError
from atelier.export import csvfile, html, jsonfile, markdown, odt, synthesis
from atelier.i18n import _
from atelier.model import Session
from atelier.summary import Report, Summary, anonymized, build_summary, summary_report

FORMATS = ("md", "html", "odt", "csv", "json")
SYNTHESIS_FORMATS = ("md", "html", "odt")
MAX_NUMBERED = 999  # name-2 … name-999, then give up with a message

_DOCUMENTS: dict[str, Callable[[Report], bytes]] = {
    "md": markdown.render_report,
    "html": html.render_report,
    "odt": odt.render_report,
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check(fmt: str, allowed: Sequence[str]) -> None:
    if fmt not in allowed:
        raise AtelierError(
            _("Unknown export format “{format}”: use one of {formats}.").format(
                format=str(fmt)[:20], formats=", ".join(allowed)
            )
        )


def _render(session: Session, summary: Summary | None, fmt: str, bom: bool) -> bytes:
    if fmt == "json":
        return jsonfile.render(session)
    summary = summary or build_summary(session)
    if fmt == "csv":
        return csvfile.render(summary, bom=bom)
    return _DOCUMENTS[fmt](summary_report(summary))


def render(session: Session, fmt: str, *, bom: bool = False, anonymous: bool = False) -> bytes:
    """The bytes of one export; ``bom`` only matters for CSV (Excel wants one);
    ``anonymous``: no participant name anywhere."""
    _check(fmt, FORMATS)
    return _render(anonymized(session) if anonymous else session, None, fmt, bom)


def _file_name(title: str, day: str, fmt: str, fallback: str) -> str:
    from atelier.store import slugify

    slug = slugify(title) or fallback
    stamp = f"-{day}" if _ISO_DATE.match(day or "") else ""
    return f"{slug}{stamp}.{fmt}"


ANONYMOUS_SUFFIX = {"fr": "anonyme", "en": "anonymous"}


def default_filename(session: Session, fmt: str, *, anonymous: bool = False) -> str:
    """A safe ASCII name: slug of the title, the session's date, « anonyme », the extension."""
    _check(fmt, FORMATS)
    name = _file_name(session.title, session.date, fmt, "atelier")
    if anonymous:
        stem, _dot, ext = name.rpartition(".")
        name = f"{stem}-{ANONYMOUS_SUFFIX.get(session.lang, 'anonymous')}.{ext}"
    return name


def _target(output: Path | None, folder: Path | None, name: str) -> Path:
    """Where to write: ``output`` (a file, or a folder to put ``name`` in), else ``folder``,
    else the current folder."""
    if output is None:
        return (folder or Path.cwd()) / name
    output = Path(output).expanduser()
    if output.is_dir():
        return output / name
    if not output.parent.is_dir():
        raise AtelierError(_("The folder {folder} does not exist.").format(folder=output.parent))
    return output


def _numbered(path: Path, number: int) -> Path:
    return path if number == 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")


def write_free(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` or, if taken, to the first free ``name-N.ext``."""
    for number in range(1, MAX_NUMBERED + 1):
        candidate = _numbered(path, number)
        try:
            return write_new(candidate, data)
        except FileExistsError:
            continue
        except OSError as error:
            raise AtelierError(
                _("Cannot write {file}: {reason}.").format(
                    file=candidate, reason=error.strerror or error
                )
            ) from None
    raise AtelierError(_("Too many files named like {file}.").format(file=path))


def export_session(
    session: Session,
    fmt: str,
    output: Path | None = None,
    *,
    bom: bool = False,
    folder: Path | None = None,
    anonymous: bool = False,
) -> Path:
    """Write one export and return the path actually written (never an existing file)."""
    data = render(session, fmt, bom=bom, anonymous=anonymous)
    name = default_filename(session, fmt, anonymous=anonymous)
    return write_free(_target(output, folder, name), data)


def export_all(
    session: Session, folder: Path, *, bom: bool = False, anonymous: bool = False
) -> list[Path]:
    """Every format into ``folder`` (created if needed), the summary built once."""
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise AtelierError(_("{file} is not a folder.").format(file=folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AtelierError(
            _("Cannot write {file}: {reason}.").format(file=folder, reason=error.strerror or error)
        ) from None
    shown = anonymized(session) if anonymous else session
    summary = build_summary(shown)
    return [
        write_free(
            folder / default_filename(session, fmt, anonymous=anonymous),
            _render(shown, summary, fmt, bom),
        )
        for fmt in FORMATS
    ]


def export_synthesis(
    sessions: list[Session],
    fmt: str,
    output: Path | None,
    *,
    title: str | None,
    lang: str,
) -> Path:
    """One report across ``sessions`` (in the given order), in ``lang``."""
    _check(fmt, SYNTHESIS_FORMATS)
    if not sessions:
        raise AtelierError(_("A synthesis needs at least one session."))
    report = synthesis.synthesis_report(sessions, title=title, lang=lang)
    days = sorted(s.date for s in sessions if _ISO_DATE.match(s.date or ""))
    name = _file_name(report.title, days[-1] if days else "", fmt, "synthesis")
    return write_free(_target(output, None, name), _DOCUMENTS[fmt](report))


def read_json_export(path: Path) -> Session:
    """The session in a JSON export, with a placeholder id (the store gives a fresh one)."""
    path = Path(path).expanduser()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise AtelierError(
            _("Cannot read {file}: {reason}.").format(file=path, reason=error.strerror or error)
        ) from None
    try:
        return jsonfile.parse(data, str(path))
    except AtelierError as error:
        if str(path) in error.message:
            raise
        raise AtelierError(f"{path}: {error.message}") from None


__all__ = [
    "FORMATS",
    "SYNTHESIS_FORMATS",
    "default_filename",
    "export_all",
    "export_session",
    "export_synthesis",
    "read_json_export",
    "render",
    "write_free",
]
