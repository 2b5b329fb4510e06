"""Command line: plain commands call the core; no command opens the TUI.

Every error ends with one readable line on stderr and a non-zero exit, never a traceback.
Everything printed goes through :func:`out` (argparse's messages through :class:`PlainParser`):
a title or a file name can never send an escape sequence to the terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from atelier import __version__, i18n
from atelier.config import config_path, load_config, sessions_dir, user_sessions_dir
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.model import strip_controls
from atelier.store import SessionFolder

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

Handler = Callable[[argparse.Namespace, SessionFolder], int]

#: argparse's own messages (usage, errors), translated through our catalogs.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def out(*fields: object, error: bool = False) -> None:
    """Print tab-separated fields as plain text (stderr when ``error``): escape sequences and
    control characters from the room or from a file never reach the terminal. Line breaks are
    kept in a lone text (``show``) and become spaces in a row of fields (one line per row)."""
    multiline = len(fields) == 1
    line = "\t".join(strip_controls(str(field), multiline) for field in fields)
    print(line, file=sys.stderr if error else sys.stdout)


def _quiet_stdout() -> None:
    """The reader stopped reading (``atelier show X | head``): drop what is left, quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind stdout (tests)
        pass


class PlainParser(argparse.ArgumentParser):
    """argparse repeats what was typed (« unrecognized arguments: … »): plain text too."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        super()._print_message(strip_controls(message, multiline=True), file)


def translate_argparse() -> None:
    """argparse looks its messages up through its module-level ``_``: give it ours."""
    argparse._ = _  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    parser = PlainParser(
        prog="atelier",
        description=_("A terminal companion for collective-intelligence workshops."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"atelier {__version__}",
        help=_("show the version and exit"),
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help=_(
            "sessions folder (default: $ATELIER_DIR, else sessions_dir in {config}, "
            "else ./sessions if it exists, else {folder})"
        ).format(config=config_path(), folder=user_sessions_dir()),
    )
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("interface language"))
    parser.add_argument("--templates", type=Path, default=None, help=_("folder of user templates"))
    commands = parser.add_subparsers(dest="command", metavar=_("command"))

    opener = commands.add_parser("open", help=_("open a session in the TUI"))
    opener.add_argument("id", help=_("session id (or a unique prefix)"))
    opener.add_argument("--read-only", action="store_true", help=_("view without changing"))
    opener.add_argument(
        "--phones", action="store_true", help=_("let the room take part from its phones")
    )
    opener.add_argument("--bind", default=None, help=_("address phones connect to"))
    opener.add_argument("--port", type=int, default=None, help=_("port for phones (default 8765)"))

    commands.add_parser("list", help=_("list the sessions of the folder"))

    new = commands.add_parser("new", help=_("create a session"))
    new.add_argument("--title", required=True, help=_("title of the session"))
    new.add_argument("--question", default=None, help=_("the question the group works on"))
    new.add_argument("--template", default="blank", help=_("template id (see: atelier templates)"))

    show = commands.add_parser("show", help=_("print a plain-text overview of a session"))
    show.add_argument("id", help=_("session id (or a unique prefix)"))

    commands.add_parser("templates", help=_("list the workshop templates"))

    export = commands.add_parser("export", help=_("export a session summary"))
    export.add_argument("id", help=_("session id (or a unique prefix)"))
    export.add_argument("--format", choices=("md", "html", "odt", "csv", "json"), default="md")
    export.add_argument("--all", action="store_true", help=_("every format"))
    export.add_argument(
        "-o", "--output", type=Path, default=None, help=_("output file (or folder with --all)")
    )
    export.add_argument("--bom", action="store_true", help=_("CSV with a BOM, for Excel"))
    export.add_argument(
        "--anonymous", action="store_true", help=_("no participant name anywhere in the report")
    )

    printer = commands.add_parser("print", help=_("printable sheets for rooms without screens"))
    printer.add_argument("id", help=_("session id (or a unique prefix)"))
    printer.add_argument(
        "what",
        choices=("ballots", "cards"),
        help=_("ballots: vote sheets for the current vote; cards: the ideas, for a wall"),
    )
    printer.add_argument(
        "-o", "--output", type=Path, default=None, help=_("output folder (default: here)")
    )
    printer.add_argument(
        "--count", type=int, default=None, help=_("ballots: this many blank sheets, unnamed")
    )

    synthesis = commands.add_parser("synthesis", help=_("one report across several sessions"))
    synthesis.add_argument("ids", nargs="+", help=_("session ids"))
    synthesis.add_argument("--format", choices=("md", "html", "odt"), default="md")
    synthesis.add_argument("-o", "--output", type=Path, default=None, help=_("output file"))
    synthesis.add_argument("--title", default=None, help=_("title of the synthesis"))

    importer = commands.add_parser("import", help=_("restore a JSON export as a new session"))
    importer.add_argument("file", type=Path, help=_("a JSON file written by atelier export"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    config = load_config()
    args_list = list(sys.argv[1:] if argv is None else argv)
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang", default=None)
    known, _rest = pre.parse_known_args(args_list)
    i18n.set_language(i18n.detect_language(known.lang, config.lang))
    translate_argparse()
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as stop:
        return int(stop.code or 0)
    try:
        folder = SessionFolder(sessions_dir(args.dir, config))
        if config.problem:
            out(f"atelier: {config.problem}", error=True)
        handler = HANDLERS.get(args.command or "", run_tui)
        code = handler(args, folder)
        sys.stdout.flush()  # a closed pipe shows here, not as a message at exit
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except AtelierError as error:
        out(f"atelier: {error.message}", error=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the last net: one line, never a traceback
        out(
            "atelier: "
            + _("unexpected error ({kind}: {error}); everything saved so far is on disk.").format(
                kind=type(error).__name__, error=error
            ),
            error=True,
        )
        return 1


def run_tui(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.app import create_app

    wanted = getattr(args, "id", None)
    session_id = _session_to_open(folder, wanted) if wanted else None
    app = create_app(
        folder.root,
        lang=i18n.get_language(),
        open_session=session_id,
        read_only=getattr(args, "read_only", False),
        templates_dir=args.templates,
        phones=(args.bind, args.port) if getattr(args, "phones", False) else None,
    )
    app.run()
    return int(app.return_code or 0)


def _session_to_open(folder: SessionFolder, wanted: str) -> str:
    """The id of the session named on the command line; the demo shipped in the package is
    copied into the folder the first time (only then is its module loaded)."""
    from atelier.demo import DEMO_ID, copy_demo

    return copy_demo(folder) if wanted == DEMO_ID else folder.resolve_id(wanted)


def cmd_list(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.model import PHASE_LABELS

    scan = folder.scan()
    for problem in scan.problems:
        out(f"atelier: {problem}", error=True)
    if not scan.sessions:
        out(_("No session in {folder}.").format(folder=folder.root))
        return 0
    lang = i18n.get_language()
    out(
        i18n.plural(
            lang,
            len(scan.sessions),
            _("{count} session in {folder}:"),
            _("{count} sessions in {folder}:"),
            folder=folder.root,
        )
    )
    for info in scan.sessions:
        lock = _(" (open elsewhere)") if info.locked else ""
        out(
            info.id,
            i18n.format_date(info.date, lang),
            _(PHASE_LABELS[info.phase]),
            i18n.plural(lang, info.ideas, _("{count} idea"), _("{count} ideas"))
            + ", "
            + i18n.plural(
                lang, info.participants, _("{count} participant"), _("{count} participants")
            ),
            info.title + lock,
        )
    return 0


def cmd_new(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.templates import load_templates

    template = load_templates(args.templates).get(args.template)
    options = template.session_options(i18n.get_language())
    if args.question is not None:
        options["question"] = args.question
    session_id = folder.create(args.title, **options)
    out(session_id)
    return 0


def cmd_show(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.summary import overview_text

    session = folder.load(folder.resolve_id(args.id))
    out(overview_text(session))
    return 0


def cmd_templates(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.templates import load_templates

    found = load_templates(args.templates)
    for problem in found.problems:
        out(f"atelier: {problem}", error=True)
    lang = i18n.get_language()
    for template in found.templates:
        origin = _("built-in") if template.builtin else str(template.source)
        out(template.id, template.title(lang), origin)
    return 0


def cmd_export(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.export import export_all, export_session

    session = folder.load(folder.resolve_id(args.id))
    if args.all:
        paths = export_all(
            session, args.output or Path.cwd(), bom=args.bom, anonymous=args.anonymous
        )
    else:
        paths = [
            export_session(
                session, args.format, args.output, bom=args.bom, anonymous=args.anonymous
            )
        ]
    for path in paths:
        out(path)
    return 0


def cmd_print(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.export.paper import print_ballots, print_cards

    session = folder.load(folder.resolve_id(args.id))
    where = args.output or Path.cwd()
    if args.what == "cards":
        print(print_cards(session, where))
    else:
        print(print_ballots(session, where, count=args.count))
    return 0


def cmd_synthesis(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.export import export_synthesis

    sessions = [folder.load(folder.resolve_id(i)) for i in args.ids]
    out(
        export_synthesis(
            sessions, args.format, args.output, title=args.title, lang=i18n.get_language()
        )
    )
    return 0


def cmd_import(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.export import read_json_export

    session = read_json_export(args.file)
    out(folder.import_session(session))
    return 0


HANDLERS: dict[str, Handler] = {
    "open": run_tui,
    "list": cmd_list,
    "new": cmd_new,
    "show": cmd_show,
    "templates": cmd_templates,
    "export": cmd_export,
    "print": cmd_print,
    "synthesis": cmd_synthesis,
    "import": cmd_import,
}
