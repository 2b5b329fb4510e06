"""Templates: the built-in ones from the seed, user TOML files, broken files, save as template."""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier import model, templates
from atelier.errors import AtelierError
from atelier.templates import load_templates, parse_template, save_user_template

SEED_TOPICS = {
    "bienveillance": "La bienveillance au travail",
    "conflits": "Prévenir et gérer les conflits au travail – l'accueil des usagers",
    "reconnaissance": "La reconnaissance au travail",
    "contexte-financier": (
        "Le contexte financier contraint\u00a0: comment faire différemment\u00a0?"
    ),
}
RULES_FR = [
    "Écouter avec attention",
    "Parler avec intention",
    "Être bienveillant",
    "Se faire confiance",
    "Respecter le cadre",
]


def builtin() -> templates.TemplateSet:
    return load_templates(Path("/nonexistent"))


def test_builtin_templates_carry_the_seed() -> None:
    found = builtin()
    assert found.problems == []
    assert [t.id for t in found.templates][0] == "blank"
    for template_id, name in SEED_TOPICS.items():
        assert found.get(template_id).title("fr") == name
    procedures = found.get("revue-procedures").session_options("fr")
    assert procedures["clusters"] == [
        "Finances et commande publique",
        "Ressources humaines",
        "Informatique",
        "Courrier et logistique",
    ]
    assert len(found.get("grands-enjeux").clusters) == 8


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_template_is_complete_in_both_languages(lang: str) -> None:
    for template in builtin().templates:
        options = template.session_options(lang)
        assert template.title(lang)
        assert template.name.get(lang), (template.id, lang)
        assert len(options["rules"]) == 5
        assert all(title and text for title, text in options["rules"])
        if template.id != "blank":
            assert template.question.get(lang), (template.id, lang)
        session = model.new_session("x", template.title(lang), **options)
        assert session.template == template.id
    rules = builtin().get("blank").session_options("fr")["rules"]
    assert [title for title, _text in rules] == RULES_FR


def test_user_templates_load_and_broken_ones_are_named_with_their_line(tmp_path: Path) -> None:
    (tmp_path / "good.toml").write_text(
        'name.fr = "Mon atelier"\nquestion.fr = "Pourquoi\u00a0?"\n[minutes]\nideation = 12\n',
        encoding="utf-8",
    )
    (tmp_path / "broken.toml").write_text('name.fr = "x"\nquestion = [\n', encoding="utf-8")
    (tmp_path / "nameless.toml").write_text('question.fr = "q"\n\n[vote]\nmethod = "x"\n')
    (tmp_path / "badvote.toml").write_text('name = "x"\n\n[vote]\nmethod = "raffle"\n')
    found = load_templates(tmp_path)
    mine = found.get("good")
    assert mine.title("fr") == "Mon atelier" and mine.minutes == {"ideation": 12}
    assert not mine.builtin and len(mine.rules) == 5  # the five rules by default
    problems = "\n".join(found.problems)
    assert "broken.toml" in problems and "line" in problems
    assert "nameless.toml" in problems and "no name" in problems
    assert "badvote.toml (line 3)" in problems and "raffle" in problems
    assert {t.id for t in found.templates} >= {"blank", "good"}


def test_a_user_template_never_hides_a_builtin(tmp_path: Path) -> None:
    (tmp_path / "blank.toml").write_text('id = "blank"\nname = "Autre vierge"\n')
    found = load_templates(tmp_path)
    assert found.get("blank").builtin
    assert found.get("blank-user").title("fr") == "Autre vierge"


def test_unknown_template_lists_the_known_ones() -> None:
    with pytest.raises(AtelierError) as error:
        builtin().get("nope")
    assert "blank" in error.value.message


def test_save_as_template_round_trip(tmp_path: Path, frozen_clock) -> None:
    options = builtin().get("revue-procedures").session_options("fr")
    session = model.new_session("x", "Revue", **options)
    session = model.add_rule(session, 'Règle "citée" \\ [bold]', "Avec « guillemets »")
    session = model.configure_vote(session, method="mj", grades=["Oui", "Bof", "Non"])
    path = save_user_template(session, "Ma revue [v2]", tmp_path)
    again = save_user_template(session, "Ma revue [v2]", tmp_path)
    assert path != again and path.exists() and again.exists()  # never overwritten
    loaded = parse_template(path.read_text(encoding="utf-8"), path)
    rebuilt = model.new_session("y", "Revue", **loaded.session_options("fr"))
    assert [r.title for r in rebuilt.rules] == [r.title for r in session.rules]
    assert [c.label for c in rebuilt.clusters] == [c.label for c in session.clusters]
    assert rebuilt.vote == session.vote
    assert loaded.title("fr") == "Ma revue [v2]"


def test_template_files_in_the_package_parse() -> None:
    for path in sorted(templates.BUILTIN_DIR.glob("*.toml")):
        parse_template(path.read_text(encoding="utf-8"), path, builtin=True)
