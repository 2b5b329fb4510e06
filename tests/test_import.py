"""`atelier import` and session files: an outside file is checked as if every record had
been typed again; a refusal names the field, in the user's language, and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import import_cases
import pytest

from atelier import cli, codec, i18n, model, store
from atelier.errors import AtelierError
from atelier.export import jsonfile, read_json_export
from atelier.store import SessionFolder


def export_with(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    session = model.new_session("x", "Import")
    session = model.add_participant(session, "Awa")
    session = model.add_idea(session, "Une idée", 1)
    document = codec.to_document(session)
    change(document)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_clean_export_imports(tmp_path: Path, frozen_clock) -> None:
    session = read_json_export(export_with(tmp_path, lambda d: None))
    assert [i.text for i in session.ideas] == ["Une idée"]


def test_control_characters_are_removed_on_import(tmp_path: Path, frozen_clock) -> None:
    def dirty(document):  # type: ignore[no-untyped-def]
        document["ideas"]["1"]["text"] = "Une\x00 idée\x1b[31m"

    assert read_json_export(export_with(tmp_path, dirty)).ideas[0].text == "Une idée"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["ideas"]["1"].update(text="x" * 5000), "too long"),
        (lambda d: d["ideas"]["1"].update(text="   "), "empty"),
        (lambda d: d["ideas"]["1"].update(author_id=99), "participant 99"),
        (lambda d: d["ideas"]["1"].update(cluster_id=7), "cluster 7"),
        (lambda d: d["meta"]["1"].update(title=""), "title"),
    ],
)
def test_invalid_records_are_refused_with_the_file_named(
    tmp_path: Path,
    frozen_clock,
    change,
    message,  # type: ignore[no-untyped-def]
) -> None:
    path = export_with(tmp_path, change)
    with pytest.raises(AtelierError) as error:
        read_json_export(path)
    assert message in error.value.message and str(path) in error.value.message


# --------------------------------------------------------------------------- issue 11, item 6


def _set(path: str, value: object):  # type: ignore[no-untyped-def]
    """A change to one value of a document, by a path of keys ('meta.1.title')."""

    def change(document: dict) -> None:  # type: ignore[type-arg]
        *parents, leaf = path.split("/")
        for key in parents:
            document = document[key]
        document[leaf] = value

    return change


def _drop(path: str):  # type: ignore[no-untyped-def]
    def change(document: dict) -> None:  # type: ignore[type-arg]
        *parents, leaf = path.split("/")
        for key in parents:
            document = document[key]
        del document[leaf]

    return change


NESTED: object = 1
for _level in range(40):
    NESTED = [NESTED]

REFUSED = [
    ("rounds/1/tallies/cluster:1", [-1], "rounds #1: tallies.cluster:1[0] must be between 0"),
    ("rounds/1/tallies/cluster:1", ["3"], "rounds #1: tallies.cluster:1[0] must be a whole number"),
    ("rounds/1/tallies/cluster:1", [4.5], "rounds #1: tallies.cluster:1[0] must be a whole number"),
    ("rounds/1/tallies/cluster:1", [1000], "A total of 1000 dots is above the limit of 24"),
    ("rounds/1/tallies/cluster:1", [23], "The options received 67 dots in all, more than"),
    ("rounds/1/tallies/cluster:99", [1], "rounds #1: tallies: unknown value “cluster:99”"),
    ("rounds/1/options", ["cluster:1", "vote:2"], "rounds #1: options: unknown value “vote:2”"),
    ("rounds/1/method", "borda", "rounds #1: method: unknown value “borda”"),
    ("rounds/1/parent_id", 7, "rounds #1: parent_id refers to vote round 7, which does not"),
    ("rounds/1/max_per_option", 9, "rounds #1: max_per_option must be between 1 and 6"),
    ("rounds/1/dots_per_voter", 0, "rounds #1: dots_per_voter must be between 1 and 100"),
    ("rounds/1/voters", 10**30, "rounds #1: voters must be between 0 and 1000000000"),
    ("rounds/1/closed_at", "", "rounds #1: closed_at is not a date and time: “”"),
    ("meta/1/vote/method", "borda", "meta: vote.method: unknown value “borda”"),
    ("meta/1/date", "2026-13-45", "meta: date is not a date: “2026-13-45”"),
    ("meta/1/phase", "lunch", "meta: phase: unknown value “lunch”"),
    ("meta/1/phases/lunch", {"planned_minutes": 5}, "meta: phases: unknown value “lunch”"),
    ("meta/1/phases/vote/timer_seconds", float("nan"), "phases.vote.timer_seconds must be"),
    ("meta/1/phases/vote/planned_minutes", -5, "phases.vote.planned_minutes must be between"),
    ("meta/1/title", ["a", "list"], "meta: title must be a text"),
    ("meta/1/title", "\ud800", "meta: title contains an invalid character"),
    ("meta/1/anonymous", "no", "meta: anonymous must be true or false"),
    ("meta/1/lang", "de", "meta: lang: unknown value “de”"),
    ("meta/1/participant_count", 501, "meta: participant_count must be between 0 and 500"),
    ("meta/1/seq/ideas", -1, "meta: seq.ideas must be between 0"),
    ("meta/1/seq", [1, 2], "meta: seq must be a JSON object"),
    ("meta/1/deep", NESTED, "nested too deeply (more than 32 levels)"),
    ("ideas/3/text", 3, "ideas #3: text must be a text"),
    ("ideas/3/text", "", "ideas #3: The idea is empty"),
    ("ideas/3/created_at", "yesterday", "ideas #3: created_at is not a date and time"),
    ("ideas/3/created_at", "2026-11-24T09:40:00", "ideas #3: created_at is not a date and time"),
    ("ideas/3/author_id", 99, "ideas #3: author_id refers to participant 99, which does not"),
    ("ideas/3/author_id", True, "ideas #3: author_id must be a whole number"),
    ("ideas/3/merged", "abc", "ideas #3: merged must be a list"),
    ("ideas/3/id", 4, "ideas #3: id: unknown value “4”"),
    ("ideas/03", {"text": "x", "created_at": "2026-11-24T09:40:00+01:00"}, "unknown value “03”"),
    ("ideas/-1", {"text": "x", "created_at": "2026-11-24T09:40:00+01:00"}, "unknown value “-1”"),
    ("ideas/3", "text", "ideas #3: ideas #3 must be a JSON object"),
    ("ideas", [], "ideas: ideas must be a JSON object"),
    ("actions/1/due", "2026-13-45", "actions #1: due is not a date: “2026-13-45”"),
    ("actions/1/link", "cluster:42", "actions #1: link refers to cluster 42, which does not"),
    ("actions/1/link", "phone:1", "actions #1: link: unknown value “phone:1”"),
    ("atelier/1/schema_version", 0, "The schema version is missing or invalid"),
    ("atelier/1/schema_version", "1", "The schema version is missing or invalid"),
]


@pytest.mark.parametrize(("path", "value", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_every_field_is_checked_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str, value: object, message: str
) -> None:
    document = import_cases.demo_document()
    _set(path, value)(document)
    source = tmp_path / "export.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(AtelierError) as error:
        read_json_export(source)
    assert message in error.value.message and str(source) in error.value.message
    sessions = tmp_path / "sessions"  # the command line writes nothing either
    assert cli.main(["--dir", str(sessions), "import", str(source)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("atelier: ") and message in err
    assert "unexpected" not in err and "Traceback" not in err
    assert not list(sessions.glob("*"))


def _set_in(path: str, value: object):  # type: ignore[no-untyped-def]
    """Like :func:`_set`, where a key made of digits inside a list is an index."""

    def change(document: Any) -> None:
        *parents, leaf = path.split("/")
        for key in parents:
            document = document[int(key)] if isinstance(document, list) else document[key]
        if isinstance(document, list):
            document[int(leaf)] = value
        else:
            document[leaf] = value

    return change


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            "ballots/0/idea:4",
            3,
            "rounds #1 ballots[0]: Option 4: 3 is more than the 2 dots allowed on one option",
        ),
        ("ballots/0/idea:4", -1, "rounds #1: ballots[0].idea:4 must be between 0"),
        ("ballots/0/idea:4", "2", "rounds #1: ballots[0].idea:4 must be a whole number"),
        ("ballots/0/idea:99", 1, "rounds #1 ballots[0]: marks: unknown value “idea:99”"),
        ("ballots/0", [1], "rounds #1: ballots[0] must be"),
        ("voted/0", 9, "rounds #1: voted refers to participant 9, which does not exist"),
        ("voted", [1, 1], "This participant has already voted"),
        ("kept_ties", ["idea:9"], "rounds #1: kept_ties: unknown value “idea:9”"),
        ("source_id", 1, "rounds #1: source_id: unknown value"),
        ("source_id", 7, "rounds #1: source_id refers to vote round 7, which does not exist"),
    ],
)
def test_ballots_are_checked_against_their_round(
    tmp_path: Path, path: str, value: object, message: str
) -> None:
    session = model.new_session("x", "Vote")
    for text in ("a", "b", "c", "d"):
        session = model.add_idea(session, text)
    session = model.add_participant(session, "Awa")
    session = model.configure_vote(
        session, target="ideas", mode="ballot", dots_per_voter=3, max_per_option=2
    )
    session = model.start_vote(session)
    session = model.cast_ballot(session, 1, {"idea:1": 2, "idea:4": 1}, 1)
    document = codec.to_document(session)
    _set_in(f"rounds/1/{path}", value)(document)
    source = tmp_path / "export.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(AtelierError) as error:
        read_json_export(source)
    assert message in error.value.message


def test_ballots_in_any_order_are_read_in_the_canonical_one(tmp_path: Path) -> None:
    """A pile of ballots tells nothing of who voted when, whatever order a file lists them."""
    session = model.new_session("x", "Vote")
    for text in ("a", "b", "c"):
        session = model.add_idea(session, text)
    session = model.configure_vote(session, target="ideas", mode="ballot", dots_per_voter=2)
    session = model.start_vote(session)
    document = codec.to_document(session)
    piles = [{"idea:3": 2}, {"idea:1": 1, "idea:2": 1}, {"idea:1": 2}]
    document["rounds"]["1"]["ballots"] = piles
    read = jsonfile.parse(json.dumps(document).encode(), "x.json")
    assert read.round(1).ballots == tuple(sorted(piles, key=model.ballot_key))


def test_dots_over_budget_on_a_ballot_are_refused(tmp_path: Path) -> None:
    session = model.new_session("x", "Vote")
    for text in ("a", "b", "c"):
        session = model.add_idea(session, text)
    session = model.configure_vote(session, target="ideas", mode="ballot", dots_per_voter=2)
    session = model.start_vote(session)
    document = codec.to_document(session)
    document["rounds"]["1"]["ballots"] = [{"idea:1": 1, "idea:2": 1, "idea:3": 1}]
    with pytest.raises(AtelierError, match=r"rounds #1 ballots\[0\]: This ballot places 3 dots"):
        jsonfile.parse(json.dumps(document).encode(), "x.json")


def test_a_refusal_is_in_the_users_language(tmp_path: Path) -> None:
    document = import_cases.demo_document()
    document["ideas"]["3"]["text"] = 3
    source = tmp_path / "export.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    i18n.set_language("fr")
    with pytest.raises(AtelierError) as error:
        read_json_export(source)
    assert error.value.message == f"{source}\u00a0: ideas #3\u00a0: text doit être un texte."


def test_a_missing_run_off_parent_is_refused(tmp_path: Path) -> None:
    document = import_cases.big_document()
    assert document["rounds"]["2"]["parent_id"] == 1
    del document["rounds"]["1"]
    with pytest.raises(AtelierError, match="rounds #2: parent_id refers to vote round 1"):
        jsonfile.parse(json.dumps(document).encode(), "x.json")


@pytest.mark.parametrize("counters", ["missing", "zero", "low"])
def test_counters_below_the_ids_are_raised_never_reused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], counters: str
) -> None:
    """Counters are repaired: missing or lower than the highest id, they are raised to it
    (the issue's case: a new idea took id 1 and replaced « Se dire bonjour le matin… »)."""
    document = import_cases.demo_document()
    seq = document["meta"]["1"]["seq"]
    if counters == "missing":
        del document["meta"]["1"]["seq"]
    else:
        document["meta"]["1"]["seq"] = {
            k: 0 if counters == "zero" else max(0, v - 3) for k, v in seq.items()
        }
    source = tmp_path / "export.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    sessions = tmp_path / "sessions"
    assert cli.main(["--dir", str(sessions), "import", str(source)]) == 0
    session_id = capsys.readouterr().out.strip()
    folder = SessionFolder(sessions)
    with folder.open(session_id) as handle:
        assert handle.session.seq == seq
        handle.apply(model.add_idea, "Une nouvelle idée")
        handle.apply(model.add_cluster, "Nouveau")
    session = folder.load(session_id)
    assert session.idea(1).text.startswith("Se dire bonjour le matin")
    assert session.ideas[-1].id == seq["ideas"] + 1 and len(session.ideas) == seq["ideas"] + 1
    assert session.clusters[-1].id == seq["clusters"] + 1


def test_counters_also_cover_ids_only_the_undo_log_and_votes_remember(
    folder: SessionFolder,
) -> None:
    session_id = folder.create("Atelier")
    with folder.open(session_id) as handle:
        for text in ("un", "deux", "trois"):
            handle.apply(model.add_idea, text)
        handle.apply(model.configure_vote, target="ideas")
        handle.apply(model.start_vote)
        handle.apply(model.delete_idea, 3)  # only the vote and the undo log know id 3
    path = folder.path_for(session_id)
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["meta"]["1"]["seq"]
    path.write_text(json.dumps(document), encoding="utf-8")
    with folder.open(session_id) as handle:
        handle.apply(model.add_idea, "quatre")
        assert [i.id for i in handle.session.ideas] == [1, 2, 4]
        assert handle.undo() == "add an idea"
        assert handle.undo() == "delete an idea"
        assert handle.session.idea(3).text == "trois"


def test_a_byte_order_mark_is_accepted(tmp_path: Path, folder: SessionFolder) -> None:
    data = b"\xef\xbb\xbf" + json.dumps(import_cases.demo_document()).encode()
    source = tmp_path / "export.json"
    source.write_bytes(data)
    assert read_json_export(source).title.startswith("La bienveillance")
    (folder.root / "bom-1.json").write_bytes(data)
    assert [s.id for s in folder.scan().sessions] == ["bom-1"]
    with folder.open("bom-1") as handle:
        handle.apply(model.add_idea, "encore une")
    assert folder.load("bom-1").ideas[-1].text == "encore une"


def test_both_sample_documents_are_accepted_and_usable() -> None:
    for document in (import_cases.demo_document(), import_cases.big_document()):
        import_cases.usable(codec.from_document(document, "x"))


def test_the_undo_log_is_checked_too(folder: SessionFolder) -> None:
    session_id = folder.create("Atelier")
    with folder.open(session_id) as handle:
        handle.apply(model.add_idea, "un")
    path = folder.path_for(session_id)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["undo"]["1"]["changes"][0][3]["text"] = ["not", "text"]
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(AtelierError, match="undo #1: changes.0..text must be a text"):
        folder.open(session_id)
    assert store.UNDO_TABLE in codec.LOG_TABLES and store.REDO_TABLE in codec.LOG_TABLES


def test_an_id_only_the_undo_log_remembers_is_never_handed_out_again(
    folder: SessionFolder,
) -> None:
    session_id = folder.create("Atelier")
    with folder.open(session_id) as handle:
        for text in ("un", "deux", "trois"):
            handle.apply(model.add_idea, text)
        handle.apply(model.delete_idea, 3)
    path = folder.path_for(session_id)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["meta"]["1"]["seq"]["ideas"] = 2  # hand-edited: as if 3 had never been given
    path.write_text(json.dumps(document), encoding="utf-8")
    with folder.open(session_id) as handle:
        assert handle.session.seq["ideas"] == 3
        handle.apply(model.add_idea, "quatre")
        assert handle.undo() == "add an idea"
        assert handle.undo() == "delete an idea"  # « trois » comes back as idea 3, alone
        assert [(i.id, i.text) for i in handle.session.ideas] == [
            (1, "un"),
            (2, "deux"),
            (3, "trois"),
        ]
        assert handle.redo() == "delete an idea" and handle.redo() == "add an idea"
        assert [i.id for i in handle.session.ideas] == [1, 2, 4]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("facilitator", ["x"], "undo #1: changes[0].facilitator must be a text"),
        ("phase", "lunch", "undo #1: changes[0].phase: unknown value “lunch”"),
        ("phases.vote.planned_minutes", -1, "changes[0].phases.vote.planned_minutes must be"),
        ("seq.ideas", "3", "undo #1: changes[0].seq.ideas must be a whole number"),
        ("vote.method", "borda", "undo #1: changes[0].vote.method: unknown value “borda”"),
    ],
)
def test_settings_the_undo_log_would_restore_are_checked(
    folder: SessionFolder, key: str, value: object, message: str
) -> None:
    session_id = folder.create("Atelier")
    with folder.open(session_id) as handle:
        handle.apply(model.update_setup, facilitator="Sonia")
    path = folder.path_for(session_id)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["undo"]["1"]["changes"] = [["meta", key, value, value]]
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(AtelierError) as error:
        folder.open(session_id)
    assert message in error.value.message
