"""Sessions ↔ plain JSON data, schema-versioned; shared by the store and the JSON export.

A session is kept as one ``meta`` record (every scalar setting, phase timings, vote
settings, id counters) plus one table per collection of records keyed by id. The same
split lets the store save and undo record by record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from atelier.errors import AtelierError
from atelier.i18n import _
from atelier.model import (
    Action,
    Ballot,
    Cluster,
    Idea,
    Note,
    Participant,
    PhaseTime,
    Rule,
    Session,
    VoteRound,
    VoteSettings,
)

SCHEMA_VERSION = 1
VERSION_TABLE = "atelier"
META_TABLE = "meta"

#: collection attribute of Session → its record type, in a stable order.
COLLECTIONS: dict[str, type] = {
    "rules": Rule,
    "participants": Participant,
    "ideas": Idea,
    "clusters": Cluster,
    "rounds": VoteRound,
    "ballots": Ballot,
    "actions": Action,
    "notes": Note,
}
_ORDERED = {"rules", "clusters"}  # sorted by their ``order`` field, the rest by id
_META_SKIP = set(COLLECTIONS) | {"id"}
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls))
    for cls in (*COLLECTIONS.values(), PhaseTime, VoteSettings, Session)
}


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def record_to_dict(record: Any) -> dict[str, Any]:
    return {name: _plain(getattr(record, name)) for name in _FIELDS[type(record)]}


def _tupled(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def record_from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Build a record, ignoring unknown keys (forward-compatible within a schema version)."""
    values = {k: v for k, v in data.items() if k in _FIELDS[cls]}
    if cls is Idea:
        values["merged"] = tuple(values.get("merged", ()))
    elif cls is VoteRound:
        values["options"] = tuple(values.get("options", ()))
        values["grades"] = tuple(values.get("grades", ()))
        values["tallies"] = {k: tuple(v) for k, v in values.get("tallies", {}).items()}
    return cls(**values)


def meta_to_dict(session: Session) -> dict[str, Any]:
    meta = {
        name: _plain(getattr(session, name)) for name in _FIELDS[Session] if name not in _META_SKIP
    }
    meta["phases"] = {p: record_to_dict(t) for p, t in session.phases.items()}
    meta["vote"] = record_to_dict(session.vote)
    return meta


def session_from_parts(
    session_id: str, meta: dict[str, Any], tables: dict[str, list[dict[str, Any]]]
) -> Session:
    values = {k: v for k, v in meta.items() if k in _FIELDS[Session] and k not in _META_SKIP}
    values["phases"] = {
        p: record_from_dict(PhaseTime, t) for p, t in meta.get("phases", {}).items()
    }
    vote = dict(meta.get("vote", {}))
    vote["grades"] = tuple(vote.get("grades", ()))
    values["vote"] = record_from_dict(VoteSettings, vote)
    for name, cls in COLLECTIONS.items():
        records = [record_from_dict(cls, row) for row in tables.get(name, [])]
        key = (lambda r: (r.order, r.id)) if name in _ORDERED else (lambda r: r.id)
        values[name] = tuple(sorted(records, key=key))
    return Session(id=session_id, **values)


def to_document(session: Session) -> dict[str, Any]:
    """The complete session in the session file's layout (TinyDB tables keyed by id).

    The JSON export writes exactly this, so an import restores the session exactly and
    one migration path serves both files."""
    return {
        VERSION_TABLE: {"1": {"schema_version": SCHEMA_VERSION}},
        META_TABLE: {"1": meta_to_dict(session)},
        **{
            name: {str(r.id): record_to_dict(r) for r in getattr(session, name)}
            for name in COLLECTIONS
        },
    }


def document_version(document: Any) -> object:
    try:
        return document[VERSION_TABLE]["1"]["schema_version"]
    except (KeyError, TypeError):
        return None


def from_document(document: dict[str, Any], session_id: str) -> Session:
    """Rebuild a session from a session file or JSON export, migrating older versions."""
    if not isinstance(document, dict) or META_TABLE not in document:
        raise AtelierError(_("This is not an atelier session file."))
    document = migrate_document(document)
    try:
        tables = {
            name: [{**row, "id": int(key)} for key, row in (document.get(name) or {}).items()]
            for name in COLLECTIONS
        }
        return session_from_parts(session_id, document[META_TABLE]["1"], tables)
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise AtelierError(
            _("The session data is damaged: {error}.").format(error=str(error)[:200])
        ) from None


#: version → function upgrading a session document to version + 1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def check_version(version: object) -> int:
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise AtelierError(_("The schema version is missing or invalid."))
    if version > SCHEMA_VERSION:
        raise AtelierError(
            _(
                "Made by a newer atelier (schema {found}, this program reads up to "
                "{supported}): update atelier to open it."
            ).format(found=version, supported=SCHEMA_VERSION)
        )
    return version


def migrate_document(document: dict[str, Any]) -> dict[str, Any]:
    version = check_version(document_version(document))
    while version < SCHEMA_VERSION:
        document = MIGRATIONS[version](document)
        version += 1
        document[VERSION_TABLE] = {"1": {"schema_version": version}}
    return document
