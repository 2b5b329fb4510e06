"""Sessions ↔ plain JSON data, schema-versioned; shared by the store and the JSON export.

A session is kept as one ``meta`` record (every scalar setting, phase timings, vote
settings, id counters) plus one table per collection of records keyed by id. The same
split lets the store save and undo record by record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from atelier import validate
from atelier.errors import AtelierError
from atelier.i18n import _
from atelier.model import (
    Action,
    Cluster,
    Decision,
    Idea,
    Note,
    Participant,
    PhaseTime,
    Rule,
    Session,
    VoteRound,
    VoteSettings,
)

SCHEMA_VERSION = 2
VERSION_TABLE = "atelier"
META_TABLE = "meta"
#: the store's undo and redo logs: checked on reading, never exported.
LOG_TABLES = ("undo", "redo")
#: the log whose records hold ids the counters must not hand out again (a redo log only
#: holds ids undone since, which a new edit may reuse: it clears that log)
KEPT_LOG = "undo"

#: collection attribute of Session → its record type, in a stable order.
COLLECTIONS: dict[str, type] = {
    "rules": Rule,
    "participants": Participant,
    "ideas": Idea,
    "clusters": Cluster,
    "rounds": VoteRound,
    "actions": Action,
    "decisions": Decision,
    "notes": Note,
}
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


def meta_to_dict(session: Session) -> dict[str, Any]:
    meta = {
        name: _plain(getattr(session, name)) for name in _FIELDS[Session] if name not in _META_SKIP
    }
    meta["phases"] = {p: record_to_dict(t) for p, t in session.phases.items()}
    meta["vote"] = record_to_dict(session.vote)
    return meta


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


def from_document(document: Any, session_id: str) -> Session:
    """Rebuild a session from a session file or JSON export, migrating older versions.

    Everything is checked first (:mod:`atelier.validate`): a refusal is an AtelierError
    naming the record and the field, and nothing is built from a document it refuses."""
    validate.check_depth(document)
    if not isinstance(document, dict) or META_TABLE not in document:
        raise AtelierError(_("This is not an atelier session file."))
    document = migrate_document(document)
    return validate.session_from_document(
        document, session_id, COLLECTIONS, META_TABLE, LOG_TABLES, KEPT_LOG
    )


def _secret_ballots_into_rounds(document: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 → 2: several votes side by side, decisions, secret ballots unlinkable.

    Ballots were records with a voter id, a time and a sequential id; each round now holds
    its ballots' marks in a canonical order and, apart, the sorted ids of who voted. The
    undo and redo logs, which held schema-1 records (and voters beside ballots), are
    dropped. Closed rounds keep the labels their options have now (see ``close_round``).
    """
    rounds = document.get("rounds") or {}
    boxes: dict[str, tuple[list[dict[str, Any]], set[int]]] = {}
    for ballot in (document.get("ballots") or {}).values():
        marks, voters = boxes.setdefault(str(ballot.get("round_id")), ([], set()))
        marks.append(dict(ballot.get("marks") or {}))
        if ballot.get("voter_id") is not None:
            voters.add(ballot["voter_id"])
    labels = {
        f"cluster:{k}": c.get("label", "") for k, c in (document.get("clusters") or {}).items()
    }
    labels.update(
        {f"idea:{k}": i.get("text", "") for k, i in (document.get("ideas") or {}).items()}
    )
    for key, row in rounds.items():
        marks, voters = boxes.get(key, ([], set()))
        order = {o: n for n, o in enumerate(row.get("options") or ())}
        row["ballots"] = sorted(
            (dict(sorted(m.items(), key=lambda kv: order.get(kv[0], len(order)))) for m in marks),
            key=lambda m: sorted(m.items()),
        )
        row["voted"] = sorted(voters)
        row["kept_ties"] = []
        row["source_id"] = None
        row["labels"] = (
            {o: labels[o] for o in row.get("options") or () if labels.get(o)}
            if row.get("closed_at")
            else {}
        )
    document.pop("ballots", None)
    document.pop("undo", None)
    document.pop("redo", None)
    meta = (document.get(META_TABLE) or {}).get("1")
    if isinstance(meta, dict):
        if isinstance(meta.get("seq"), dict):
            meta["seq"].pop("ballots", None)
        meta.setdefault("decisions_set", False)
    document.setdefault("decisions", {})
    return document


#: version → function upgrading a session document to version + 1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _secret_ballots_into_rounds,
}


def check_version(version: object) -> int:
    """A version this program reads: the current one or one it can migrate from."""
    oldest = min(MIGRATIONS, default=SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < oldest:
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
        try:
            document = MIGRATIONS[version](document)
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            raise AtelierError(
                _("The session data is damaged: {error}.").format(error=str(error)[:200])
            ) from None
        version += 1
        document[VERSION_TABLE] = {"1": {"schema_version": version}}
    return document
