"""User configuration (platformdirs): preferred language and key remapping.

``config.toml`` in the user config folder, for example::

    lang = "fr"
    theme = "light"        # light suits projectors; default dark
    [keymap]
    next_phase = "f8"      # binding id = key(s), see the README's keymap
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from atelier.i18n import _


@dataclass(frozen=True)
class UserConfig:
    lang: str | None = None
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("atelier") / "config.toml"


def load_config(path: Path | None = None) -> UserConfig:
    """The user's settings; a broken file is reported, never fatal."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return UserConfig()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return UserConfig(
            problem=_("{file}: {error}; default settings used.").format(file=path, error=error)
        )
    lang = data.get("lang")
    theme = data.get("theme")
    keymap = data.get("keymap", {})
    return UserConfig(
        lang=lang if isinstance(lang, str) else None,
        theme=theme if theme in ("light", "dark") else None,
        keymap={str(k): str(v) for k, v in keymap.items()} if isinstance(keymap, dict) else {},
    )
