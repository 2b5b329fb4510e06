"""What the sessions list shows of each file, remembered between runs.

The home screen lists the folder at every start, and a session is listed only once it has
been checked in full (a session listed also opens). Checking a 2,000-idea session costs
tens of milliseconds: the result is remembered, keyed by a digest of the file and of its
journal (sizes and CRC-32s), in ``listing.json`` of the user's cache folder (platformdirs).
A file is checked again as soon as one byte of it changes, or when atelier's version does.

The memory is only a shortcut: when it is missing, damaged, hand-edited, from another
version or cannot be written, the files are checked in full as before, silently. A damaged
or too-new file is never remembered (it is reported at every listing)."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

from atelier import __version__
from atelier.atomicio import atomic_write
from atelier.model.phases import PHASES
from atelier.store.files import journal_path

#: bump when what is remembered changes; with atelier's version, the memory's key
_FORMAT = 1
#: entries kept at most, the latest (the folders of one person hold a few hundred sessions)
_LIMIT = 500

_INT_FIELDS = ("ideas", "participants")
_TEXT_FIELDS = ("title", "date", "phase")


def default_listing_file() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("atelier") / "listing.json"


def digest_of(path: Path) -> str:
    """A digest of a session file and its journal (OSError when they cannot be read): their
    sizes and CRC-32s, which change with any byte changed, added or removed by accident
    (zlib: hashlib would load OpenSSL at every start). It only decides whether to check a
    file again; opening a session always checks it in full."""
    parts = []
    for file in (path, journal_path(path)):
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            if file == path:
                raise
            continue  # no journal: the file was saved whole
        parts.append(f"{len(data)}:{zlib.crc32(data):08x}")
    return "/".join(parts)


class ListingMemory:
    """``path → (digest, what the list shows)``, read on first use, written when changed."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self._entries: dict[str, dict[str, Any]] | None = None
        self._changed = False

    @property
    def entries(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def recall(self, path: Path, digest: str) -> dict[str, Any] | None:
        """What was listed for this file when its bytes had this digest, or None."""
        entry = self.entries.get(str(path))
        if entry is None or entry.get("digest") != digest:
            return None
        return {name: entry[name] for name in (*_TEXT_FIELDS, *_INT_FIELDS)}

    def remember(self, path: Path, digest: str, shown: dict[str, Any]) -> None:
        entry = {"digest": digest, **shown}
        if _usable(entry) and self.entries.get(str(path)) != entry:
            self.entries[str(path)] = entry
            self._changed = True

    def forget(self, folder: Path, kept: set[Path]) -> None:
        """Drop the files of ``folder`` that were not listed this time (gone, damaged)."""
        for key in [k for k in self.entries if Path(k).parent == folder]:
            if Path(key) not in kept:
                del self.entries[key]
                self._changed = True

    def save(self) -> None:
        """Write the memory if it changed; a failure only means checking again next time."""
        if not self._changed:
            return
        self._changed = False
        kept = [(key, entry) for key, entry in self.entries.items() if os.path.exists(key)]
        entries = dict(kept[-_LIMIT:])  # files moved or deleted outside atelier go
        data = {"format": _FORMAT, "version": __version__, "entries": entries}
        try:
            file = self.file or default_listing_file()
            file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(file, json.dumps(data, ensure_ascii=False).encode(), durable=False)
        except OSError:
            pass

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads((self.file or default_listing_file()).read_bytes())
            if data["format"] != _FORMAT or data["version"] != __version__:
                return {}
            entries = data["entries"]
            return {
                key: entry
                for key, entry in entries.items()
                if isinstance(key, str) and os.path.isabs(key) and _usable(entry)
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return {}


def _usable(entry: Any) -> bool:
    """An entry as this module writes it (a hand-edited one is checked again)."""
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("digest"), str)
        and all(isinstance(entry.get(name), str) for name in _TEXT_FIELDS)
        and all(
            type(entry.get(name)) is int and entry[name] >= 0  # noqa: E721 (no bool)
            for name in _INT_FIELDS
        )
        and entry["phase"] in PHASES
    )
