"""The bundled demo: a realistic French workshop on « La bienveillance au travail ».

It ships as package data (``data/demo.json``); ``atelier open demo`` copies it into the
user's sessions folder on first use, so the facilitator plays with a copy and the shipped
file is never written. ``python -m atelier.demo`` rebuilds the shipped file and
``python -m atelier.demo FOLDER`` writes ``FOLDER/demo.json``; tests and benchmarks build it
in memory with :func:`demo_session`.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from atelier import clock, codec, model
from atelier.model import Session
from atelier.store import SessionFolder
from atelier.templates import load_templates

DEMO_ID = "demo"
DEMO_FILE = Path(__file__).parent / "data" / "demo.json"
PEOPLE = ["Awa", "Bruno", "Chloé", "Djamel", "Élise", "François", "Gaëlle", "Hugo"]
IDEAS = [
    ("Awa", "Se dire bonjour le matin, dans tous les services", "Relations au quotidien"),
    ("Bruno", "Remercier les collègues quand un dossier aboutit", "Reconnaissance"),
    ("Chloé", "Un temps d'accueil pour chaque nouvel agent", "Accueil des nouveaux"),
    ("Djamel", "Parrainage des nouveaux arrivants par un agent volontaire", "Accueil des nouveaux"),
    ("Élise", "Des réunions qui commencent et finissent à l'heure", "Organisation du travail"),
    ("François", "Ne pas envoyer de courriels après 19 h", "Organisation du travail"),
    ("Gaëlle", "Un livret d'accueil à jour, avec l'organigramme", "Accueil des nouveaux"),
    ("Hugo", "Valoriser les réussites des équipes dans la lettre interne", "Reconnaissance"),
    ("Awa", "Former les encadrants à l'écoute active", "Management bienveillant"),
    ("Bruno", "Des entretiens annuels qui parlent aussi de ce qui va bien", "Reconnaissance"),
    ("Chloé", "Un espace de pause partagé et agréable", "Relations au quotidien"),
    ("Djamel", "Oser dire quand quelque chose ne va pas, sans crainte", "Management bienveillant"),
    ("Élise", "Des points d'équipe courts chaque semaine", "Organisation du travail"),
    ("François", "Fêter les départs et les arrivées ensemble", "Relations au quotidien"),
    ("Hugo", "Que les chefs de service passent dans les bureaux", "Management bienveillant"),
    (
        "Awa",
        "Dire merci aux agents d'accueil qui gèrent les situations difficiles",
        "Reconnaissance",
    ),
    ("Bruno", "Clarifier qui fait quoi entre les services", "Organisation du travail"),
]
ACTIONS = [
    (
        "Rédiger et diffuser un livret d'accueil des nouveaux agents",
        "Chloé",
        21,
        "Accueil des nouveaux",
    ),
    ("Lancer un appel à parrains volontaires", "Djamel", 30, "Accueil des nouveaux"),
    (
        "Inscrire une rubrique « réussites d'équipe » dans la lettre interne",
        "Hugo",
        45,
        "Reconnaissance",
    ),
    (
        "Proposer une charte des réunions au comité de direction",
        "Élise",
        60,
        "Organisation du travail",
    ),
]
DOTS = {
    "Accueil des nouveaux": 14,
    "Reconnaissance": 14,
    "Organisation du travail": 9,
    "Management bienveillant": 7,
    "Relations au quotidien": 4,
}
RUNOFF = {"Accueil des nouveaux": 5, "Reconnaissance": 3}  # the tie for first place
GRADES = {  # majority judgment on the shortlist: votes per grade, worst → best (8 voters)
    "Accueil des nouveaux": [0, 0, 1, 1, 2, 2, 2],
    "Reconnaissance": [0, 1, 1, 2, 2, 1, 1],
    "Organisation du travail": [1, 1, 2, 2, 1, 1, 0],
}
START = datetime(2026, 11, 24, 9, 30, tzinfo=timezone(timedelta(hours=1)))


def demo_session(session_id: str = DEMO_ID) -> Session:
    """The demo workshop, built through the named operations with a fixed clock."""
    previous = clock._frozen
    try:
        return _build(session_id)
    finally:
        clock.freeze(previous)


def _at(minutes: float) -> None:
    clock.freeze(START + timedelta(minutes=minutes))


def _build(session_id: str) -> Session:
    _at(0)
    template = load_templates(Path("/nonexistent")).get("bienveillance")
    s = model.new_session(
        session_id,
        "La bienveillance au travail – service Population",
        **template.session_options("fr"),
    )
    s = model.update_setup(s, facilitator="Sonia Hasni", date="24/11/2026")
    s = model.update_setup(
        s,
        place="Mairie annexe, salle du conseil",
        start_time="9:30",
        end_time="11:00",
        next_meeting="Point d'étape le 12/01/2027 à 9 h 30, même salle",
    )
    for name in PEOPLE:
        s = model.add_participant(s, name)
    _at(4)
    s = model.timer_start(s, "rules")
    _at(9)
    s = model.adopt_rules(s)
    s = model.timer_pause(s, "rules")
    s = model.timer_start(s, "ideation")
    names = {p.name: p.id for p in s.participants}
    for number, (author, text, _theme) in enumerate(IDEAS):
        _at(10 + number * 1.3)
        s = model.add_idea(s, text, names[author])
    s = model.add_note(
        s, "Le parking du personnel est trop petit : à voir avec les services techniques"
    )
    _at(36)
    s = model.timer_pause(s, "ideation")
    s = model.timer_start(s, "clustering")
    labels = list(dict.fromkeys(theme for _a, _t, theme in IDEAS))
    for label in labels:
        s = model.add_cluster(s, label)
    cluster_ids = {c.label: c.id for c in s.clusters}
    for idea, (_a, _t, theme) in zip(s.ideas, IDEAS, strict=True):
        s = model.move_idea(s, idea.id, cluster_ids[theme])
    _at(52)
    s = model.timer_pause(s, "clustering")
    s = model.timer_start(s, "vote")
    s = model.configure_vote(s, dots_per_voter=6, max_per_option=3)
    s = model.start_vote(s)
    main = s.main_round
    assert main is not None
    for label, dots in DOTS.items():
        s = model.set_tally(s, main.id, f"cluster:{cluster_ids[label]}", [dots])
    _at(58)
    s = model.close_round(s, main.id)
    # the tie at the top goes to a run-off, one dot each
    tied = [f"cluster:{cluster_ids[label]}" for label in RUNOFF]
    s = model.start_runoff(s, main.id, tied)
    runoff = s.rounds[-1]
    s = model.set_voters(s, runoff.id, len(PEOPLE))
    for key, dots in zip(tied, RUNOFF.values(), strict=True):
        s = model.set_tally(s, runoff.id, key, [dots])
    _at(61)
    s = model.close_round(s, runoff.id)
    # then majority judgment on the first three places, beside the dot vote
    shortlist = [f"cluster:{cluster_ids[label]}" for label in GRADES]
    s = model.start_vote(s, shortlist, method="mj", mode="tally", source_id=main.id)
    second = s.rounds[-1]
    for key, counts in zip(shortlist, GRADES.values(), strict=True):
        s = model.set_tally(s, second.id, key, counts)
    _at(66)
    s = model.close_round(s, second.id)
    s = model.set_decisions(
        s,
        [
            ("", f"cluster:{cluster_ids['Accueil des nouveaux']}"),
            ("", f"cluster:{cluster_ids['Reconnaissance']}"),
            ("Faire un point d’étape en mars avec la direction", None),
        ],
    )
    s = model.timer_pause(s, "vote")
    s = model.timer_start(s, "actions")
    for what, owner, days, label in ACTIONS:
        due = (START + timedelta(days=days)).strftime("%d/%m/%Y")
        s = model.add_action(s, what, owner, due, f"cluster:{cluster_ids[label]}")
    s = model.add_note(
        s, "« Quand on me dit merci, j'ai envie de continuer. » (un agent d'accueil)", "quote"
    )
    _at(82)
    s = model.timer_pause(s, "actions")
    return replace(s, phase="summary")  # a past workshop: no phase clock running


def write_demo(folder: Path) -> Path:
    """(Re)write ``demo.json`` in ``folder`` (refuses to replace a session being used)."""
    sessions = SessionFolder(folder)
    path = sessions.path_for(DEMO_ID)
    if path.exists():
        sessions.trash(DEMO_ID)
    sessions.save_new(demo_session())
    return path


def copy_demo(folder: SessionFolder) -> str:
    """The demo's id in ``folder``, copied there from the package if it is not there yet
    (a demo the facilitator changed or finished stays as it is; delete it to start over)."""
    if not folder.path_for(DEMO_ID).exists():
        document = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        folder.save_new(codec.from_document(document, DEMO_ID))
    return DEMO_ID


def rebuild_shipped_demo() -> Path:
    """Rewrite ``data/demo.json`` byte for byte as a session file (for maintainers)."""
    with tempfile.TemporaryDirectory() as temp:
        shutil.copyfile(write_demo(Path(temp)), DEMO_FILE)
    return DEMO_FILE


if __name__ == "__main__":
    print(write_demo(Path(sys.argv[1])) if len(sys.argv) > 1 else rebuild_shipped_demo())
