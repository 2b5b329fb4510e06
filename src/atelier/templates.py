"""Workshop templates: built-in ones from the Saint-Ouen method and the facilitator's own.

A template is a TOML file carrying, in French and English, a name, the question, the rules
(default: the five rules of collective intelligence), suggested minutes per phase, vote
settings and clusters prepared in advance. User templates live in the user config folder
(platformdirs) or a folder given with ``--templates``; a malformed file is reported with
its name and line and the others still load.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from atelier import model, voting
from atelier.errors import AtelierError
from atelier.i18n import N_, _

DATA = Path(__file__).parent / "data"
BUILTIN_DIR = DATA / "templates"
TemplateText = dict[str, str]  # language → text


@dataclass(frozen=True)
class Template:
    id: str
    name: TemplateText
    description: TemplateText = field(default_factory=dict)
    question: TemplateText = field(default_factory=dict)
    closing: TemplateText = field(default_factory=dict)
    rules: tuple[tuple[TemplateText, TemplateText], ...] = ()
    clusters: tuple[TemplateText, ...] = ()
    minutes: dict[str, int] = field(default_factory=dict)
    vote: model.VoteSettings = model.VoteSettings()
    source: Path | None = None
    builtin: bool = False

    def text(self, value: TemplateText, lang: str) -> str:
        """The text in ``lang``, else in the other language, else ''."""
        return value.get(lang) or next(iter(value.values()), "")

    def title(self, lang: str) -> str:
        return self.text(self.name, lang)

    def session_options(self, lang: str) -> dict[str, Any]:
        """Keyword arguments for :func:`atelier.model.new_session`."""
        return {
            "lang": lang,
            "question": self.text(self.question, lang),
            "template": self.id,
            "rules": [(self.text(t, lang), self.text(e, lang)) for t, e in self.rules],
            "clusters": [self.text(c, lang) for c in self.clusters],
            "minutes": self.minutes,
            "vote": self.vote,
            "closing_message": self.text(self.closing, lang) or None,
        }


@dataclass(frozen=True)
class TemplateSet:
    templates: list[Template]
    problems: list[str]

    def get(self, template_id: str) -> Template:
        for template in self.templates:
            if template.id == template_id:
                return template
        raise AtelierError(
            _("Unknown template “{name}”. Known templates: {names}.").format(
                name=template_id, names=", ".join(t.id for t in self.templates)
            )
        )


@cache
def default_rules() -> tuple[tuple[TemplateText, TemplateText], ...]:
    data = tomllib.loads((DATA / "rules.toml").read_text(encoding="utf-8"))
    return tuple((r["title"], r.get("explanation", {})) for r in data["rules"])


def _texts(value: Any, what: str) -> TemplateText:
    if isinstance(value, str):
        return {"fr": value, "en": value}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {k: v for k, v in value.items() if k in ("fr", "en")}
    raise ValueError(_("{what} must be a text or a table of texts per language").format(what=what))


def _line_of(source: str, key: str) -> int | None:
    """The line where ``key`` (or its table) is written; line 1 when it is missing."""
    match = re.search(rf"^[ \t]*\[*{re.escape(key)}\b", source, re.MULTILINE)
    return source.count("\n", 0, match.start()) + 1 if match else 1


def parse_template(source: str, path: Path | None = None, builtin: bool = False) -> Template:
    """Read one template; AtelierError names the file and the line of the problem."""
    name = path.name if path else "template"
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        if "end of document" in str(error):
            error = tomllib.TOMLDecodeError(
                str(error).replace("end of document", f"line {len(source.splitlines())}")
            )
        raise AtelierError(
            _("{file}: invalid TOML: {error}.").format(file=name, error=error)
        ) from None
    key = "id"
    try:
        template_id = str(data.get("id") or (path.stem if path else ""))
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", template_id):
            raise ValueError(_("the id must be lowercase letters, digits and dashes"))
        key = "name"
        if "name" not in data:
            raise ValueError(_("the template has no name"))
        names = _texts(data["name"], "name")
        key = "rules"
        rules = (
            tuple(
                (_texts(r["title"], "title"), _texts(r.get("explanation", ""), "explanation"))
                for r in data.get("rules", [])
            )
            or default_rules()
        )
        key = "clusters"
        clusters = tuple(_texts(c, "clusters") for c in data.get("clusters", []))
        key = "minutes"
        minutes = {
            phase: int(value)
            for phase, value in data.get("minutes", {}).items()
            if phase in model.PHASES
        }
        if any(not 0 <= m <= model.MAX_MINUTES for m in minutes.values()):
            raise ValueError(
                _("minutes must be between 0 and {limit}").format(limit=model.MAX_MINUTES)
            )
        key = "vote"
        vote = _vote_settings(data.get("vote", {}))
        return Template(
            id=template_id,
            name=names,
            description=_texts(data.get("description", ""), "description"),
            question=_texts(data.get("question", ""), "question"),
            closing=_texts(data.get("closing", {}), "closing") if "closing" in data else {},
            rules=rules,
            clusters=clusters,
            minutes=minutes,
            vote=vote,
            source=path,
            builtin=builtin,
        )
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        line = _line_of(source, key)
        where = _(" (line {line})").format(line=line) if line else ""
        raise AtelierError(
            _("{file}{where}: {problem}.").format(file=name, where=where, problem=error)
        ) from None


def _vote_settings(data: dict[str, Any]) -> model.VoteSettings:
    settings = model.VoteSettings(
        method=str(data.get("method", "dot")),
        target=str(data.get("target", "clusters")),
        mode=str(data.get("mode", "tally")),
        dots_per_voter=data.get("dots_per_voter"),
        max_per_option=int(data.get("max_per_option", voting.DEFAULT_MAX_PER_OPTION)),
        grades=tuple(str(g) for g in data.get("grades", ())),
    )
    if settings.method not in model.VOTE_METHODS:
        raise ValueError(_("unknown vote method {value}").format(value=settings.method))
    if settings.target not in model.VOTE_TARGETS:
        raise ValueError(_("unknown vote target {value}").format(value=settings.target))
    if settings.mode not in model.VOTE_MODES:
        raise ValueError(_("unknown vote mode {value}").format(value=settings.mode))
    return settings


def builtin_templates() -> list[Template]:
    return [_builtin(path) for path in sorted(BUILTIN_DIR.glob("*.toml"))]


@cache
def _builtin(path: Path) -> Template:
    return parse_template(path.read_text(encoding="utf-8"), path, builtin=True)


def user_template_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path("atelier") / "templates"


def load_templates(folder: Path | None = None) -> TemplateSet:
    """Built-in templates (blank first) then the user's; broken files become messages."""
    templates = builtin_templates()
    templates.sort(key=lambda t: (t.id != "blank", t.id))
    problems: list[str] = []
    folder = folder if folder is not None else user_template_dir()
    if folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            try:
                template = parse_template(path.read_text(encoding="utf-8"), path)
            except (AtelierError, OSError, UnicodeDecodeError) as error:
                problems.append(
                    str(error) if isinstance(error, AtelierError) else f"{path.name}: {error}"
                )
                continue
            templates = [t for t in templates if t.id != template.id or t.builtin]
            if any(t.id == template.id for t in templates):
                template = _with_id(template, f"{template.id}-user")
            templates.append(template)
    return TemplateSet(templates, problems)


def _with_id(template: Template, template_id: str) -> Template:
    from dataclasses import replace

    return replace(template, id=template_id)


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def template_toml(session: model.Session, template_id: str, name: str) -> str:
    """The setup of a session as a user template (its rules, clusters, minutes, vote)."""
    lang = session.lang

    def line(key: str, text: str) -> str:
        return f"{key}.{lang} = {_toml_string(text)}"

    out = [
        f"id = {_toml_string(template_id)}",
        line("name", name),
        line("question", session.question),
        line("closing", session.closing_message),
        "",
        "[minutes]",
        *(f"{phase} = {session.timing(phase).planned_minutes}" for phase in model.PHASES),
        "",
        "[vote]",
        f"method = {_toml_string(session.vote.method)}",
        f"target = {_toml_string(session.vote.target)}",
        f"mode = {_toml_string(session.vote.mode)}",
        f"max_per_option = {session.vote.max_per_option}",
    ]
    if session.vote.dots_per_voter:
        out.append(f"dots_per_voter = {session.vote.dots_per_voter}")
    if session.vote.grades:
        out.append("grades = [" + ", ".join(_toml_string(g) for g in session.vote.grades) + "]")
    for rule in session.rules:
        out += ["", "[[rules]]", line("title", rule.title), line("explanation", rule.explanation)]
    for cluster in session.clusters:
        out += ["", "[[clusters]]", f"{lang} = {_toml_string(cluster.label)}"]
    return "\n".join(out) + "\n"


def save_user_template(session: model.Session, name: str, folder: Path | None = None) -> Path:
    """Write the session's setup as a new template file; never overwrites another one."""
    from atelier.atomicio import atomic_write
    from atelier.store import slugify

    clean = model.clean_text(name, N_("The template name"), max_len=model.LABEL_MAX)
    folder = folder if folder is not None else user_template_dir()
    folder.mkdir(parents=True, exist_ok=True)
    base = slugify(clean) or "template"
    path, number = folder / f"{base}.toml", 1
    while path.exists():
        number += 1
        path = folder / f"{base}-{number}.toml"
    text = template_toml(session, path.stem, clean)
    parse_template(text, path)  # what we write must load back
    atomic_write(path, text.encode("utf-8"))
    return path
