"""Command line: plain commands call the core; no command opens the TUI.

Every error ends with one readable line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from atelier import __version__, i18n
from atelier.config import load_config
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.store import SessionFolder, default_folder

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


def translate_argparse() -> None:
    """argparse looks its messages up through its module-level ``_``: give it ours."""
    argparse._ = _  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
        help=_("sessions folder (default: $ATELIER_DIR or ./sessions)"),
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
        folder = SessionFolder(args.dir or default_folder())
        if config.problem:
            print(f"atelier: {config.problem}", file=sys.stderr)
        handler = HANDLERS.get(args.command or "", run_tui)
        return handler(args, folder)
    except AtelierError as error:
        print(f"atelier: {error.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the last net: one line, never a traceback
        print(
            "atelier: "
            + _("unexpected error ({kind}: {error}); everything saved so far is on disk.").format(
                kind=type(error).__name__, error=error
            ),
            file=sys.stderr,
        )
        return 1


def run_tui(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.app import create_app

    session_id = folder.resolve_id(args.id) if getattr(args, "id", None) else None
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


def cmd_list(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.model import PHASE_LABELS

    scan = folder.scan()
    for problem in scan.problems:
        print(f"atelier: {problem}", file=sys.stderr)
    if not scan.sessions:
        print(_("No session in {folder}.").format(folder=folder.root))
        return 0
    lang = i18n.get_language()
    for info in scan.sessions:
        lock = _(" (open elsewhere)") if info.locked else ""
        print(
            f"{info.id}\t{i18n.format_date(info.date, lang)}\t{_(PHASE_LABELS[info.phase])}\t"
            + i18n.plural(lang, info.ideas, _("{count} idea"), _("{count} ideas"))
            + ", "
            + i18n.plural(
                lang, info.participants, _("{count} participant"), _("{count} participants")
            )
            + f"\t{info.title}{lock}"
        )
    return 0


def cmd_new(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.templates import load_templates

    template = load_templates(args.templates).get(args.template)
    options = template.session_options(i18n.get_language())
    if args.question is not None:
        options["question"] = args.question
    session_id = folder.create(args.title, **options)
    print(session_id)
    return 0


def cmd_show(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.summary import overview_text

    session = folder.load(folder.resolve_id(args.id))
    print(overview_text(session))
    return 0


def cmd_templates(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.templates import load_templates

    found = load_templates(args.templates)
    for problem in found.problems:
        print(f"atelier: {problem}", file=sys.stderr)
    lang = i18n.get_language()
    for template in found.templates:
        origin = _("built-in") if template.builtin else str(template.source)
        print(f"{template.id}\t{template.title(lang)}\t{origin}")
    return 0


def cmd_export(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.export import export_all, export_session

    session = folder.load(folder.resolve_id(args.id))
    if args.all:
        paths = export_all(session, args.output or Path.cwd(), bom=args.bom)
    else:
        paths = [export_session(session, args.format, args.output, bom=args.bom)]
    for path in paths:
        print(path)
    return 0


def cmd_synthesis(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.export import export_synthesis

    sessions = [folder.load(folder.resolve_id(i)) for i in args.ids]
    print(
        export_synthesis(
            sessions, args.format, args.output, title=args.title, lang=i18n.get_language()
        )
    )
    return 0


def cmd_import(args: argparse.Namespace, folder: SessionFolder) -> int:
    from atelier.export import read_json_export

    session = read_json_export(args.file)
    print(folder.import_session(session))
    return 0


HANDLERS: dict[str, Handler] = {
    "open": run_tui,
    "list": cmd_list,
    "new": cmd_new,
    "show": cmd_show,
    "templates": cmd_templates,
    "export": cmd_export,
    "synthesis": cmd_synthesis,
    "import": cmd_import,
}
