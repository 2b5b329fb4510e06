"""The summary structure: counting rounds, translating, formatting, the terminal overview.

The two workshops built here with model operations (clock frozen) are also the fixtures
of test_export.py and test_cli_export.py, which import them from this module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from atelier import clock, i18n, model
from atelier.model import Session, VoteRound
from atelier.summary import (
    Fields,
    Heading,
    build_summary,
    overview_text,
    percent,
    round_results,
    summary_report,
)
from atelier.templates import builtin_templates

GOLDEN = Path(__file__).parent / "golden"
TZ = timezone(timedelta(hours=1))
NBSP = "\u00a0"


def at(hour: int, minute: int, second: int = 0) -> None:
    clock.freeze(datetime(2026, 11, 25, hour, minute, second, tzinfo=TZ))


def check_golden(name: str, content: str | bytes) -> None:
    """Compare with tests/golden/<name> byte for byte; UPDATE_GOLDEN=1 rewrites it (then
    read the diff before committing)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert path.read_bytes() == data, f"{name} differs from its golden file"


def french_workshop() -> Session:
    """A Saint-Ouen style workshop in French: named participants, dot vote on paper with a
    tie and its run-off, merged ideas, an unclassified hostile idea, three actions."""
    at(14, 0)
    template = next(t for t in builtin_templates() if t.id == "bienveillance")
    s = model.new_session(
        "bienveillance-test", template.title("fr"), **template.session_options("fr")
    )
    s = model.update_setup(
        s,
        facilitator="Camille Martin",
        place="Salle des fêtes, 1er étage",
        start_time="14h",
        end_time="16:30",
        next_meeting="Bilan le 15/01/2027",
    )
    for name in ("Awa Diallo", "Bruno Lefèvre", "Chloé Nguyen", "Dominique Roux"):
        s = model.add_participant(s, name)
    s = model.timer_start(s, "rules")
    at(14, 6, 30)
    s = model.adopt_rules(s)
    s = model.timer_pause(s, "rules")
    s = model.timer_start(s, "ideation")
    ideas = (
        ("Dire bonjour à chaque collègue le matin", 1),
        ("Prendre des nouvelles des collègues qui reviennent d'un arrêt", 2),
        ("Des managers formés à l'écoute active", 3),
        ("Une charte de la bienveillance, écrite ensemble !", None),
        ("=HYPERLINK(\"http://x\") <script>alert('x')</script> [bold]oups[/]", 4),
        ("Former à l'écoute active", 1),
        ("Un « café d'accueil » pour les nouveaux arrivants", 2),
    )
    for text, author in ideas:
        s = model.add_idea(s, text, author)
    at(14, 30)
    s = model.timer_pause(s, "ideation")
    s = model.merge_ideas(s, 3, 6)
    for label in ("Se saluer, accueillir", "Écouter", "Règles communes"):
        s = model.add_cluster(s, label)
    for idea_id, cluster_id in ((1, 1), (2, 1), (7, 1), (3, 2), (4, 3)):
        s = model.move_idea(s, idea_id, cluster_id)
    s = model.configure_vote(s, dots_per_voter=3, max_per_option=2)
    s = model.start_vote(s)
    for option, dots in (("cluster:1", 5), ("cluster:2", 5), ("cluster:3", 2)):
        s = model.set_tally(s, 1, option, [dots])
    s = model.close_round(s, 1)
    s = model.start_runoff(s, 1, ["cluster:1", "cluster:2"])
    s = model.set_tally(s, 2, "cluster:1", [3])
    s = model.set_tally(s, 2, "cluster:2", [1])
    s = model.close_round(s, 2)
    s = model.add_action(
        s, "Organiser un café d'accueil mensuel", "Awa Diallo", "15/01/2027", "cluster:1"
    )
    s = model.add_action(
        s, "Former les encadrants à l'écoute active", "Service RH", "2027-03-31", "idea:3"
    )
    s = model.add_action(s, "-Rédiger la charte", "", None, None)
    s = model.add_note(s, "Le parking des agents | # trop petit")
    s = model.add_note(s, "Reparler du télétravail avec Bruno", "note")
    return model.add_note(s, "« On se sent enfin écoutés » — Chloé", "quote")


def english_workshop() -> Session:
    """An anonymous English session: majority judgment by secret ballot on ideas, some
    grades left blank, the vote still open and its timer still running."""
    at(9, 0)
    s = model.new_session("kindness-en", "Kindness at work", lang="en", question="How?")
    s = model.update_setup(s, facilitator="Sam Lee", anonymous=True, participant_count=5)
    s = model.add_cluster(s, "Prepared but empty")
    for text in ("Say hello 👋", "Thank people", "Quiet room", "Say hello to everyone"):
        s = model.add_idea(s, text)
    s = model.merge_ideas(s, 1, 4)
    s = model.configure_vote(s, method="mj", target="ideas", mode="ballot")
    s = model.timer_start(s, "vote")
    s = model.start_vote(s)
    ballots = (
        {"idea:1": 6, "idea:2": 4, "idea:3": 1},
        {"idea:1": 5, "idea:2": 5},
        {"idea:1": 6, "idea:2": 3, "idea:3": 2},
        {"idea:2": 6, "idea:3": 0},
    )
    for marks in ballots:
        s = model.cast_ballot(s, 1, marks)
    at(9, 12, 5)
    s = model.add_action(s, "Quiet room on Fridays", "Facilities", "2026-12-04", "idea:3")
    return s


@pytest.fixture(autouse=True)
def _restore_clock_and_language() -> Iterator[None]:
    yield
    clock.freeze(None)
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def french() -> Session:
    return french_workshop()


@pytest.fixture
def english() -> Session:
    return english_workshop()


# --------------------------------------------------------------------------- round_results


def _round(method: str, mode: str, **changes: object) -> VoteRound:
    grades = ("Good", "Fair", "Poor") if method == "mj" else ()
    base = VoteRound(1, method, mode, ("idea:1", "idea:2", "idea:3"), 3, 2, grades)
    return replace(base, **changes)


def test_paper_dot_tally_counts_a_missing_tally_as_zero() -> None:
    vote_round = _round("dot", "tally", voters=4, tallies={"idea:1": (5,), "idea:3": (5,)})
    result = round_results(model.new_session("x", "X"), vote_round)
    assert result.dots == (5, 0, 5)
    assert [(r.index, r.rank, r.tied) for r in result.ranked] == [
        (0, 1, True),
        (2, 1, True),
        (1, 3, False),
    ]
    assert result.tied_groups() == (("idea:1", "idea:3"),)
    assert result.voters == 4 and result.ballots == 0


def test_paper_majority_judgment_pads_missing_grades_as_the_lowest() -> None:
    tallies = {"idea:1": (0, 1, 2), "idea:2": (1, 1, 1)}  # worst → best
    vote_round = _round("mj", "tally", voters=4, tallies=tallies)
    result = round_results(model.new_session("x", "X"), vote_round)
    assert result.tallies == ((1, 1, 2), (2, 1, 1), (4, 0, 0))
    assert result.missing == (1, 1, 4)
    assert [r.index for r in result.ranked] == [0, 1, 2]


def test_secret_ballots_count_a_missing_mark_as_zero_or_the_lowest_grade() -> None:
    session = model.new_session("x", "X", vote=model.VoteSettings(target="ideas"))
    for text in ("a", "b", "c"):
        session = model.add_idea(session, text)
    dots = replace(session, vote=replace(session.vote, mode="ballot", dots_per_voter=3))
    dots = model.start_vote(dots)
    dots = model.cast_ballot(dots, 1, {"idea:1": 2, "idea:3": 1})
    dots = model.cast_ballot(dots, 1, {"idea:2": 1})
    result = round_results(dots, dots.rounds[0])
    assert result.dots == (2, 1, 1) and result.ballots == 2 and result.voters == 2

    graded = replace(session, vote=replace(session.vote, method="mj", mode="ballot"))
    graded = model.start_vote(graded)
    graded = model.cast_ballot(graded, 1, {"idea:1": 6, "idea:2": 3})
    graded = model.cast_ballot(graded, 1, {"idea:1": 5})
    result = round_results(graded, graded.rounds[0])
    assert result.missing == (0, 1, 2)
    assert result.tallies[1] == (1, 0, 0, 1, 0, 0, 0)
    assert result.tallies[2] == (2, 0, 0, 0, 0, 0, 0)
    assert result.ranked[0].index == 0


def test_a_round_without_ballots_or_options_still_counts() -> None:
    session = model.new_session("x", "X")
    assert round_results(session, _round("mj", "ballot")).tallies == ((0, 0, 0),) * 3
    empty = round_results(session, _round("dot", "tally", options=()))
    assert empty.ranked == () and empty.dots == ()


# --------------------------------------------------------------------------- build_summary


def test_header_participants_and_rules_are_formatted_in_french(french: Session) -> None:
    summary = build_summary(french)
    assert summary.lang == "fr"
    assert summary.header.date == "25/11/2026" and summary.header.iso_date == "2026-11-25"
    assert summary.header.facilitator == "Camille Martin"
    assert summary.header.template == "La bienveillance au travail"
    assert summary.header.language == "Français"
    assert summary.participants.names[:2] == ("Awa Diallo", "Bruno Lefèvre")
    assert summary.rules.adopted and summary.rules.adopted_at == "14:06"
    assert [r.number for r in summary.rules.items] == [1, 2, 3, 4, 5]
    assert summary.rules.items[0].title == "Écouter avec attention"


def test_clusters_keep_their_order_then_unclassified(french: Session) -> None:
    summary = build_summary(french)
    assert [g.label for g in summary.clusters] == [
        "Se saluer, accueillir",
        "Écouter",
        "Règles communes",
        "Non classées",
    ]
    listen = summary.clusters[1].ideas[0]
    assert listen.merged == ("Former à l'écoute active",)
    assert listen.author == "Chloé Nguyen, Awa Diallo" and listen.cluster == "Écouter"
    # tied first with « Se saluer », it lost the run-off: second, and said so
    assert (listen.rank, listen.result) == (2, "5 gommettes")
    assert listen.tie == "égalité départagée par un second tour"
    assert summary.clusters[3].ideas[0].rank is None


def test_rounds_rank_ties_and_run_offs(french: Session) -> None:
    main, runoff = build_summary(french).rounds
    assert (main.title, runoff.title) == ("Vote principal", "Vote de départage 1")
    assert main.method_name == "Vote par gommettes" and main.mode_name == "Décompte papier"
    assert dict(main.parameters) == {"Gommettes par votant": "3", "Maximum par option": "2"}
    assert [(o.rank, o.tied, o.dots) for o in main.options] == [
        (1, True, 5),
        (1, True, 5),
        (3, False, 2),
    ]
    assert main.notes == (f"Ex aequo au rang 1{NBSP}: Se saluer, accueillir, Écouter.",)
    assert runoff.runoff and runoff.options[0].label == "Se saluer, accueillir"


def test_majority_judgment_gives_grade_profile_and_missing_note(english: Session) -> None:
    (vote,) = build_summary(english).rounds
    assert vote.method_name == "Majority judgment" and vote.voters == 4 == vote.ballots
    assert vote.grades[0] == "Excellent" and vote.grades[-1] == "To reject"
    first = vote.options[0]
    assert first.label == "Say hello 👋" and first.grade == "Very good"  # lower median
    assert first.counts == (2, 1, 0, 0, 0, 0, 1)  # best first; the blank counted lowest
    assert abs(sum(first.shares) - 1) < 1e-9 and first.missing == 1
    assert "2 missing grades were counted as the lowest grade, “To reject”." in vote.notes
    assert "The vote is still open: the result is provisional." in vote.notes


def test_actions_phases_and_totals(french: Session) -> None:
    summary = build_summary(french)
    first, second, third = summary.actions
    assert (first.due, first.iso_due, first.link) == (
        "15/01/2027",
        "2027-01-15",
        "Se saluer, accueillir",
    )
    assert second.link == "Des managers formés à l'écoute active"
    assert (third.owner, third.due, third.link) == ("", "", "")
    phases = {p.key: p for p in summary.phases}
    assert (phases["rules"].spent, phases["rules"].difference) == ("6:30", "+1:30")
    assert (phases["ideation"].planned, phases["ideation"].spent) == ("25:00", "23:30")
    assert (phases["vote"].spent, phases["vote"].difference, phases["vote"].timed) == (
        "—",
        "",
        False,
    )
    assert summary.totals.spent_seconds == 30 * 60 and summary.totals.merged == 1


def test_a_running_timer_counts_up_to_now(english: Session) -> None:
    at(9, 20)
    phases = {p.key: p for p in build_summary(english).phases}
    assert phases["vote"].spent == "20:00"


def test_anonymous_sessions_give_a_count_not_names(english: Session) -> None:
    people = build_summary(english).participants
    assert people.anonymous and people.count == 5 and people.names == ()


def test_control_characters_never_reach_an_output() -> None:
    session = model.new_session("x", "X")
    idea = model.Idea(1, "red\x1b[31m alert\x07\ttab\r\nnext \ud800", "2026-11-25T09:00:00")
    summary = build_summary(replace(session, ideas=(idea,)))
    assert summary.clusters[0].ideas[0].text == "red[31m alert tab\nnext \ufffd"


def test_the_session_language_wins_over_the_interface_language(french: Session) -> None:
    i18n.set_language("en")
    in_english_ui = build_summary(french)
    i18n.set_language("fr")
    assert build_summary(french) == in_english_ui
    assert build_summary(french, lang="en").clusters[-1].label == "Unclassified"


def test_french_labels_use_no_break_spaces(french: Session) -> None:
    report = summary_report(build_summary(french))
    labels = [
        label for block in report.blocks if isinstance(block, Fields) for label, _v in block.items
    ]
    assert labels and all(label.endswith(f"{NBSP}:") for label in labels)
    assert percent(0.455, "fr") == f"46{NBSP}%" and percent(0.5, "en") == "50%"


def test_report_sections_follow_the_compte_rendu_order(french: Session) -> None:
    report = summary_report(build_summary(french))
    sections = [b.text for b in report.blocks if isinstance(b, Heading) and b.level == 2]
    assert sections == [
        "Décisions / priorités retenues",
        "En bref",
        "Règles",
        "Idées par regroupement",
        "Vote",
        "Plan d’action",
        f"Parking{NBSP}: points hors sujet mis de côté",
        "Notes et verbatims",
        "Temps par phase",
    ]
    assert report.created_at == "2026-11-25T14:00:00+01:00"


def test_overview_text_golden(french: Session, english: Session) -> None:
    check_golden("overview-fr.txt", overview_text(french))
    check_golden("overview-en.txt", overview_text(english))
    assert "\x1b" not in overview_text(french)
