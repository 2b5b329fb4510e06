"""User configuration (platformdirs): preferred language, theme, sessions folder, key
remapping.

``config.toml`` in the user config folder, for example::

    lang = "fr"
    theme = "light"        # light suits projectors; default dark
    sessions_dir = "~/Documents/ateliers"   # relative: to this file's folder
    [keymap]
    next_phase = "f8"      # binding id = key(s), see the README's keymap
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from atelier.i18n import _


@dataclass(frozen=True)
class UserConfig:
    lang: str | None = None
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    sessions_dir: Path | None = None
    problem: str | None = None


def config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("atelier") / "config.toml"


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and settings: FileNotFoundError when there is none, another OSError
    or a ValueError (not UTF-8, not TOML) when it cannot be used."""
    text = path.read_text(encoding="utf-8")
    return text, _parse(text)


def _parse(text: str) -> dict[str, Any]:
    import tomllib  # only when there is a file: most people have none (start-up)

    return tomllib.loads(text)


def load_config(path: Path | None = None) -> UserConfig:
    """The user's settings; a broken file is reported, never fatal."""
    path = path or config_path()
    try:
        _text, data = _read(path)
    except FileNotFoundError:
        return UserConfig()
    except (OSError, ValueError) as error:
        return UserConfig(
            problem=_("{file}: {error}; default settings used.").format(file=path, error=error)
        )
    lang = data.get("lang")
    theme = data.get("theme")
    keymap = data.get("keymap", {})
    folder = data.get("sessions_dir")
    problem = None
    if folder is not None and not isinstance(folder, str):
        problem = _("{file}: sessions_dir must be a text (a folder); ignored.").format(file=path)
    return UserConfig(
        lang=lang if isinstance(lang, str) else None,
        theme=theme if theme in ("light", "dark") else None,
        keymap={str(k): str(v) for k, v in keymap.items()} if isinstance(keymap, dict) else {},
        sessions_dir=path.parent / Path(folder).expanduser()
        if isinstance(folder, str) and folder
        else None,
        problem=problem,
    )


def user_sessions_dir() -> Path:
    """The sessions folder when nothing else is chosen: the user data folder (platformdirs),
    the same wherever atelier is started."""
    from platformdirs import user_data_path

    return user_data_path("atelier") / "sessions"


def sessions_dir(explicit: Path | None, config: UserConfig) -> Path:
    """The one sessions folder, first found of: ``--dir``, ``$ATELIER_DIR``, ``sessions_dir``
    in config.toml, a ``./sessions`` folder that already exists, the user data folder.
    Nothing is created here: a folder is made only when a session is written into it."""
    if explicit is not None:
        return explicit
    if os.environ.get("ATELIER_DIR"):
        return Path(os.environ["ATELIER_DIR"])
    if config.sessions_dir is not None:
        return config.sessions_dir
    local = Path("sessions")
    if local.is_dir():
        return local
    return user_sessions_dir()


_THEME_LINE = re.compile(r"^\s*theme\s*=.*$")
_TABLE_LINE = re.compile(r"^\s*\[")


def save_theme(theme: str, path: Path | None = None) -> str | None:
    """Remember the theme chosen in the app; every other line of the file (settings,
    comments) is kept as it is. Returns a message when it could not be saved."""
    if theme not in ("light", "dark"):
        raise ValueError(theme)
    path = path or config_path()
    try:
        text, settings = _read(path)
    except FileNotFoundError:
        text, settings = "", {}
    except (OSError, ValueError) as error:
        # a file we cannot read is never replaced: the user's settings would be lost
        return _("{file}: {error}; the theme was not saved.").format(file=path, error=error)
    lines = text.splitlines()
    setting = f'theme = "{theme}"'
    top = next((i for i, line in enumerate(lines) if _TABLE_LINE.match(line)), len(lines))
    found = next((i for i in range(top) if _THEME_LINE.match(lines[i])), None)
    if found is not None:
        lines[found] = setting
    else:
        lines.insert(top, setting)
    new_text = "\n".join(lines) + "\n"
    try:
        reread = _parse(new_text)
    except ValueError:
        reread = {}
    if reread != {**settings, "theme": theme}:  # never write what we misread
        return _("{file}: the theme could not be saved.").format(file=path)
    try:
        from atelier.atomicio import atomic_write

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, new_text.encode("utf-8"))
    except OSError as error:
        return _("{file}: {error}; the theme was not saved.").format(file=path, error=error)
    return None
