"""Seeded synthetic workshops of any size, built through the model's named operations.

A session of N ideas and P participants looks like a real room's: French ideas made of
fragments (an opening, an object of one theme, sometimes a complement), authors drawn
from the participants, about four ideas in five grouped into one cluster per theme, a
closed dot vote over the clusters and an action plan. The same arguments always give the
same session (fixed clock, seeded random generator), so every benchmark run measures the
same data.

Fast path: the session is built in memory with the model functions (what the screens call
through the store, minus one fsync'd save per operation), then written once with
:meth:`SessionFolder.save_new`.

    python bench/synth.py FOLDER --ideas 2000 --participants 60   # writes one session
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from atelier import clock, model
from atelier.model import Session
from atelier.store import SessionFolder
from atelier.templates import load_templates

START = datetime(2026, 11, 24, 9, 0, tzinfo=timezone(timedelta(hours=1)))

FIRST_NAMES = [
    "Awa",
    "Bruno",
    "Chloé",
    "Djamel",
    "Élise",
    "François",
    "Gaëlle",
    "Hugo",
    "Inès",
    "Jules",
    "Karima",
    "Louis",
    "Maëlys",
    "Nadir",
    "Océane",
    "Pascal",
    "Quentin",
    "Rania",
    "Sébastien",
    "Thérèse",
    "Ugo",
    "Valérie",
    "William",
    "Yasmine",
    "Zoé",
    "Amadou",
    "Béatrice",
    "Cédric",
    "Dominique",
    "Fatou",
]
INITIALS = "BCDFGLMNPRST"

OPENINGS = [
    "",
    "",
    "",
    "Mettre en place ",
    "Proposer ",
    "Organiser ",
    "Créer ",
    "Instaurer ",
    "Prévoir ",
    "Généraliser ",
    "Expérimenter ",
    "Développer ",
    "Il faudrait ",
    "Pourquoi pas ",
    "Relancer ",
    "Systématiser ",
]

# theme → (cluster label, objects of ideas on that theme)
THEMES: list[tuple[str, list[str]]] = [
    (
        "Accueil des nouveaux",
        [
            "un temps d'accueil pour chaque nouvel agent",
            "un livret d'accueil à jour",
            "le parrainage des nouveaux arrivants",
            "une visite des services à l'arrivée",
            "un petit-déjeuner d'accueil des nouveaux",
            "un référent pour les premières semaines",
        ],
    ),
    (
        "Reconnaissance",
        [
            "des remerciements quand un dossier aboutit",
            "la valorisation des réussites d'équipe",
            "des entretiens annuels qui parlent de ce qui va bien",
            "un mot de la direction pour les projets réussis",
            "la reconnaissance du travail des agents d'accueil",
            "une cérémonie annuelle des équipes",
        ],
    ),
    (
        "Organisation du travail",
        [
            "des réunions qui commencent et finissent à l'heure",
            "des points d'équipe courts",
            "un ordre du jour envoyé avant chaque réunion",
            "une répartition claire de qui fait quoi",
            "des plannings partagés entre services",
            "moins de courriels internes",
        ],
    ),
    (
        "Management bienveillant",
        [
            "la formation des encadrants à l'écoute active",
            "des chefs de service présents dans les bureaux",
            "des entretiens individuels réguliers",
            "le droit à l'erreur dans les équipes",
            "un management qui fait confiance",
            "des retours constructifs sur le travail",
        ],
    ),
    (
        "Relations au quotidien",
        [
            "un espace de pause partagé et agréable",
            "un bonjour le matin dans tous les services",
            "des moments conviviaux entre collègues",
            "la fête des départs et des arrivées",
            "un café mensuel entre services",
            "des repas partagés une fois par mois",
        ],
    ),
    (
        "Conflits et médiation",
        [
            "une médiation rapide en cas de conflit",
            "un lieu neutre pour régler les tensions",
            "la formation à la communication non violente",
            "un référent pour les situations difficiles",
            "une procédure claire en cas d'agression",
            "le soutien aux agents après un incident",
        ],
    ),
    (
        "Accueil des usagers",
        [
            "une signalétique claire à l'accueil",
            "des horaires d'ouverture adaptés aux usagers",
            "la prise de rendez-vous en ligne",
            "un accueil unique pour toutes les démarches",
            "des guichets mieux aménagés",
            "un questionnaire de satisfaction des usagers",
        ],
    ),
    (
        "Télétravail et équilibre",
        [
            "le télétravail deux jours par semaine",
            "le droit à la déconnexion après 19 h",
            "des horaires variables",
            "des outils pour travailler à distance",
            "une charte du télétravail",
            "le respect des temps de repos",
        ],
    ),
    (
        "Formation et compétences",
        [
            "des formations courtes sur le temps de travail",
            "le partage de savoir-faire entre collègues",
            "un catalogue de formations à jour",
            "des tutoriels pour les nouveaux logiciels",
            "le tutorat entre anciens et nouveaux agents",
            "des journées d'immersion dans un autre service",
        ],
    ),
    (
        "Moyens et locaux",
        [
            "des bureaux mieux insonorisés",
            "du matériel informatique récent",
            "des salles de réunion réservables en ligne",
            "un parking à vélos couvert",
            "des fauteuils ergonomiques",
            "une imprimante qui fonctionne à chaque étage",
        ],
    ),
    (
        "Communication interne",
        [
            "une lettre interne mensuelle",
            "un intranet facile à consulter",
            "l'affichage des décisions de la direction",
            "des réunions de service trimestrielles",
            "un annuaire des agents avec photo",
            "la transparence sur les projets en cours",
        ],
    ),
    (
        "Finances et économies",
        [
            "la mutualisation des achats entre services",
            "la chasse au gaspillage de papier",
            "des économies d'énergie dans les bâtiments",
            "un budget participatif pour les agents",
            "la dématérialisation des factures",
            "le partage des véhicules de service",
        ],
    ),
]

COMPLEMENTS = [
    "",
    "",
    "",
    "",
    " chaque semaine",
    " dans tous les services",
    " pour tous les agents",
    " dès la rentrée",
    " avec les élus",
    " une fois par trimestre",
    ", sans crainte",
    " et le faire savoir",
    " pour gagner du temps",
    " avec l'appui des ressources humaines",
    " dès le premier jour",
    " en lien avec les usagers",
]


def participant_names(count: int) -> list[str]:
    """Distinct realistic names: first names, then first name + initial."""
    names = list(FIRST_NAMES[:count])
    for initial in INITIALS:
        for first in FIRST_NAMES:
            if len(names) >= count:
                return names
            names.append(f"{first} {initial}.")
    if len(names) < count:
        raise ValueError(f"at most {len(names)} synthetic participants")
    return names


def idea_text(rng: random.Random, theme: int) -> str:
    opening = rng.choice(OPENINGS)
    obj = rng.choice(THEMES[theme][1])
    text = opening + obj + rng.choice(COMPLEMENTS)
    return text[0].upper() + text[1:]


def _at(seconds: float) -> None:
    clock.freeze(START + timedelta(seconds=seconds))


def build_session(
    ideas: int,
    participants: int = 60,
    *,
    seed: int = 2017,
    clusters: int = 12,
    placed: float = 0.8,
    vote: bool = True,
    actions: int = 10,
    phase: str = "ideation",
    session_id: str | None = None,
) -> Session:
    """A session of ``ideas`` ideas by ``participants`` people, the same for the same args.

    ``placed`` of the ideas are grouped into ``clusters`` clusters (one per theme; the rest
    stay unclassified); with ``vote`` a dot vote over the clusters is tallied and closed;
    ``actions`` actions link to the clusters. The session is left on ``phase``, every
    timer paused."""
    rng = random.Random(seed)
    clusters = max(0, min(clusters, len(THEMES)))
    previous = clock._frozen
    try:
        _at(0)
        template = load_templates(Path("/nonexistent")).get("bienveillance")
        options = template.session_options("fr")
        options["clusters"] = []
        s = model.new_session(
            session_id or f"synth-{ideas}-{participants}-{seed}",
            f"Atelier synthétique – {ideas} idées, {participants} participants",
            **options,
        )
        s = model.update_setup(s, facilitator="Sonia Hasni", date="24/11/2026")
        for name in participant_names(participants):
            s = model.add_participant(s, name)
        s = model.adopt_rules(s)
        people = [p.id for p in s.participants]
        themes: list[int] = []
        for number in range(ideas):
            _at(600 + number * 1.5)
            theme = rng.randrange(len(THEMES))
            themes.append(theme)
            author = rng.choice(people) if people and rng.random() < 0.9 else None
            s = model.add_idea(s, idea_text(rng, theme), author)
        _at(600 + ideas * 1.5 + 60)
        by_theme: dict[int, list[int]] = {}
        for idea, theme in zip(s.ideas, themes, strict=True):
            if theme < clusters and rng.random() < placed:
                by_theme.setdefault(theme, []).append(idea.id)
        for theme in range(clusters):
            # group_ideas is what accepting a suggestion does; an empty cluster is made too
            s = model.group_ideas(s, by_theme.get(theme, []), THEMES[theme][0])
        if vote and s.vote_options():
            s = model.configure_vote(s, method="dot", target="clusters", mode="tally")
            s = model.start_vote(s)
            main = s.main_round
            assert main is not None
            voters = s.voter_count
            s = model.set_voters(s, main.id, voters)
            budget = voters * main.dots_per_voter
            cap = voters * main.max_per_option
            for option in main.options:
                dots = min(cap, budget, rng.randint(0, max(1, 2 * budget // len(main.options))))
                s = model.set_tally(s, main.id, option, [dots])
                budget -= dots
            s = model.close_round(s, main.id)
        links = [f"cluster:{c.id}" for c in s.clusters] or [None]
        for number in range(actions):
            owner = s.participants[rng.randrange(len(s.participants))].name if people else ""
            due = (START + timedelta(days=14 + 7 * number)).strftime("%d/%m/%Y")
            what = "Piloter « " + idea_text(rng, rng.randrange(len(THEMES))).lower() + " »"
            s = model.add_action(
                s, what[: model.ACTION_MAX], owner, due, links[number % len(links)]
            )
        return model.set_phase(s, phase)
    finally:
        clock.freeze(previous)


def write_session(folder: Path, ideas: int, participants: int = 60, **options: object) -> str:
    """Build a synthetic session and save it as a new file of ``folder``; returns its id."""
    session = build_session(ideas, participants, **options)  # type: ignore[arg-type]
    sessions = SessionFolder(folder)
    if sessions.path_for(session.id).exists():
        sessions.path_for(session.id).unlink()
    return sessions.save_new(session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--ideas", type=int, default=2000)
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--phase", default="ideation", choices=model.PHASES)
    args = parser.parse_args()
    session_id = write_session(
        args.folder, args.ideas, args.participants, seed=args.seed, phase=args.phase
    )
    print(SessionFolder(args.folder).path_for(session_id))


if __name__ == "__main__":
    main()


# --------------------------------------------------------------------------- results


class Row:
    """One line of the results table: a median, its reference and ratio, its target.

    ``target_on`` says what the target bounds: the figure itself ("value") or its ratio to
    the reference ("ratio"); a row without target is informative only."""

    def __init__(
        self,
        figure: str,
        value: float,
        unit: str,
        *,
        reference: float | None = None,
        reference_label: str = "",
        target: float | None = None,
        target_on: str = "value",
        runs: int = 0,
        note: str = "",
    ) -> None:
        self.figure = figure
        self.value = value
        self.unit = unit
        self.reference = reference
        self.reference_label = reference_label
        self.target = target
        self.target_on = target_on
        self.runs = runs
        self.note = note

    @property
    def ratio(self) -> float | None:
        if self.reference is None or self.reference <= 0:
            return None
        return self.value / self.reference

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        measured = self.ratio if self.target_on == "ratio" else self.value
        return measured is not None and measured <= self.target

    def cells(self) -> list[str]:
        ref = "—"
        if self.reference is not None:
            ref = f"{fmt(self.reference, self.unit)}"
            if self.reference_label:
                ref += f" ({self.reference_label})"
        ratio = "—" if self.ratio is None else f"{self.ratio:.2f}×"
        if self.target is None:
            target = "—"
        elif self.target_on == "ratio":
            target = f"≤ {self.target:g}×"
        else:
            target = f"≤ {fmt(self.target, self.unit)}"
        verdict = {None: "", True: "pass", False: "FAIL"}[self.ok]
        return [self.figure, fmt(self.value, self.unit), ref, ratio, target, verdict]


def fmt(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    if unit == "%":
        return f"{value:.2f} %"
    return f"{value:g} {unit}"
