"""atelier.clustering: normalisation, tokens, similar ideas, suggested groups and labels."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from atelier import clustering
from atelier.clustering import (
    GroupSuggestion,
    SimilarityIndex,
    explain_groups,
    normalise,
    similar_ideas,
    suggest_groups,
    suggest_label,
    tokens,
)
from atelier.errors import AtelierError
from atelier.i18n import catalog, get_language, set_language

FIXTURES = Path(__file__).parent / "fixtures"


def load(lang: str) -> list[dict]:
    return json.loads((FIXTURES / f"ideas_{lang}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ideas_fr() -> list[dict]:
    return load("fr")


@pytest.fixture(scope="module")
def ideas_en() -> list[dict]:
    return load("en")


def as_text_groups(texts: list[str], groups: list[list[int]]) -> list[list[str]]:
    """Groups as sorted texts, in the order given: comparable across permutations."""
    return [sorted(texts[i] for i in group) for group in groups]


# --- normalisation and tokens --------------------------------------------------------------


def test_normalise_folds_case_accents_ligatures_and_apostrophes() -> None:
    assert normalise("L’Œuvre de l‘ÉQUIPE : ça marche") == "l'oeuvre de l'equipe : ca marche"
    assert normalise("Ex æquo, NAÏVE, Noël") == "ex aequo, naive, noel"
    assert normalise("") == ""
    # Decomposed input (e + combining acute) folds like composed input.
    assert normalise("e\u0301quipe") == normalise("équipe") == "equipe"


def test_tokens_split_elisions_and_keep_french_words_whole() -> None:
    assert tokens("L'accueil des usagers", "fr") == tokens("accueil usagers", "fr")
    assert tokens("qu'aujourd'hui l’écoute", "fr") == tokens("écoute", "fr")
    # Compounds stay whole; a verb's inverted pronoun goes.
    assert len(tokens("bien-être", "fr")) == 1
    assert tokens("faut-il", "fr") == []


def test_tokens_drop_stop_words_and_generic_workshop_verbs() -> None:
    assert tokens("Mettre en place une réunion", "fr") == tokens("réunion", "fr")
    assert tokens("Il faut faire et améliorer, avoir ou être", "fr") == []
    assert tokens("Améliorer la reconnaissance", "fr") == tokens("reconnaissance", "fr")
    assert tokens("We should improve and implement the recognition", "en") == tokens(
        "recognition", "en"
    )


def test_tokens_are_stemmed() -> None:
    assert tokens("réunions", "fr") == tokens("réunion", "fr")
    assert tokens("Les conflits", "fr") == tokens("le conflit", "fr") or tokens("conflits", "fr")
    assert tokens("meetings", "en") == tokens("meeting", "en")
    assert tokens("people's thanks", "en") == tokens("people thank", "en")


def test_tokens_ignore_case_and_accents() -> None:
    variants = [
        "Écouter les usagers",
        "ÉCOUTER LES USAGERS",
        "ecouter les usagers",
        "écouter les Usagers",
    ]
    assert len({tuple(tokens(v, "fr")) for v in variants}) == 1
    assert tokens("Télétravail", "fr") == tokens("teletravail", "fr")


def test_tokens_of_empty_or_content_free_text() -> None:
    for text in ("", "   ", "\n\t", "le la les", "!!! ??? …", "12 3 45", "a b c"):
        assert tokens(text, "fr") == []
        assert tokens(text, "en") == [] or text == "le la les"


def test_language_codes() -> None:
    assert tokens("réunions", "fr_FR.UTF-8") == tokens("réunions", "fr")
    with pytest.raises(AtelierError):
        tokens("idée", "de")


def test_unknown_language_message_is_translated() -> None:
    previous = get_language()
    set_language("fr")
    try:
        with pytest.raises(AtelierError) as error:
            suggest_groups(["idée"], "xx")
        assert "\u00a0:" in str(error.value)
    finally:
        set_language(previous)


def test_catalog_has_exactly_the_module_msgids() -> None:
    source = Path(clustering.__file__).read_text(encoding="utf-8")
    ours = json.loads(
        (Path(clustering.__file__).parent / "locales" / "fr" / "clustering.json").read_text(
            encoding="utf-8"
        )
    )
    for msgid, french in ours.items():
        assert f'_("{msgid}")' in source
        assert catalog("fr")[msgid] == french
        assert " :" not in french and " ?" not in french and " !" not in french


# --- similar ideas -------------------------------------------------------------------------


def test_similar_ideas_finds_a_rephrased_idea_first() -> None:
    texts = [
        "Des horaires variables avec une plage fixe le midi",
        "Ouvrir le télétravail à deux jours par semaine",
        "Un pot d'équipe pour fêter la fin d'un projet",
    ]
    assert similar_ideas("Pouvoir télétravailler deux jours par semaine", texts, "fr")[0] == 1
    assert similar_ideas("Acheter des plantes vertes", texts, "fr") == []


def test_similar_ideas_ignores_case_and_accents() -> None:
    texts = ["Reconnaissance du travail des agents", "Plantes vertes"]
    assert similar_ideas("RECONNAISSANCE DU TRAVAIL DES AGENTS", texts, "fr") == [0]
    assert similar_ideas("reconnaissance du travail des agents", texts, "fr") == [0]


def test_similar_ideas_never_matches_empty_or_content_free_texts() -> None:
    texts = ["", "   ", "le la les", "Télétravail"]
    assert similar_ideas("", texts, "fr") == []
    assert similar_ideas("les", texts, "fr") == []
    assert similar_ideas("télétravail", texts, "fr") == [3]


def test_similar_ideas_threshold_and_order() -> None:
    texts = ["télétravail", "télétravail deux jours", "télétravail deux jours par semaine"]
    found = similar_ideas("télétravail deux jours par semaine", texts, "fr", threshold=0.0)
    assert found[0] == 2 and sorted(found) == [0, 1, 2]
    assert similar_ideas("télétravail", texts, "fr", threshold=1.01) == []


def test_similarity_index_add_remove_readd() -> None:
    index = SimilarityIndex("fr")
    index.add(12, "Dire merci plus souvent aux collègues")
    index.add(13, "Des plantes vertes dans les bureaux")
    index.add(14, "")  # kept out, never similar
    assert len(index) == 2
    hits = index.similar("Dire merci aux collègues")
    assert [key for key, _score in hits] == [12]
    assert 0 < hits[0][1] <= 1
    index.remove(12)
    index.remove(999)  # unknown keys are ignored
    assert index.similar("Dire merci aux collègues") == []
    index.add(13, "Dire merci aux collègues")  # re-adding a key replaces its text
    assert [key for key, _s in index.similar("merci aux collègues")] == [13]
    assert index.similar("") == [] and index.similar("merci", limit=0) == []


def test_similarity_index_limit_and_scores_sorted() -> None:
    index = SimilarityIndex("en")
    for key in range(10):
        index.add(key, "remote work two days a week")
    hits = index.similar("remote work two days a week", limit=3)
    assert [key for key, _ in hits] == [0, 1, 2]
    assert all(score == pytest.approx(1.0) for _, score in hits)


def test_similar_ideas_matches_incremental_index(ideas_fr: list[dict]) -> None:
    texts = [r["text"] for r in ideas_fr]
    index = SimilarityIndex("fr")
    for i, text in enumerate(texts):
        index.add(i, text)
    query = "Pouvoir télétravailler deux jours par semaine"
    batch = similar_ideas(query, texts, "fr")
    assert [key for key, _ in index.similar(query, limit=len(texts))] == batch


def test_duplicate_detection_on_the_fixtures_is_precise(ideas_fr, ideas_en) -> None:
    """A cheap guard of the bench figure: hints at capture are mostly right."""
    hits = right = 0
    for lang, rows in (("fr", ideas_fr), ("en", ideas_en)):
        truth = {frozenset((r["id"], r["duplicate_of"])) for r in rows if r["duplicate_of"]}
        index = SimilarityIndex(lang)
        for row in rows:
            for key, _score in index.similar(row["text"]):
                hits += 1
                right += frozenset((row["id"], key)) in truth
            index.add(row["id"], row["text"])
    assert hits >= 8 and right / hits >= 0.7


# --- suggested groups ----------------------------------------------------------------------


def test_groups_are_deterministic_in_any_order(ideas_fr: list[dict]) -> None:
    texts = [r["text"] for r in ideas_fr]
    texts += [texts[3], texts[3].upper(), "", "le la les"]  # exact and case duplicates
    reference = as_text_groups(texts, suggest_groups(texts, "fr"))
    assert reference
    rng = random.Random(7)
    for _ in range(4):
        shuffled = texts[:]
        rng.shuffle(shuffled)
        assert as_text_groups(shuffled, suggest_groups(shuffled, "fr")) == reference


def test_groups_are_deterministic_in_english(ideas_en: list[dict]) -> None:
    texts = [r["text"] for r in ideas_en]
    reference = as_text_groups(texts, suggest_groups(texts, "en"))
    reversed_texts = texts[::-1]
    assert as_text_groups(reversed_texts, suggest_groups(reversed_texts, "en")) == reference


def test_group_shape(ideas_fr: list[dict]) -> None:
    texts = [r["text"] for r in ideas_fr]
    groups = suggest_groups(texts, "fr", max_size=6)
    seen: list[int] = []
    for group in groups:
        assert 2 <= len(group) <= 6
        assert group == sorted(group)
        seen += group
    assert len(seen) == len(set(seen))  # an idea is in one group at most
    sizes = [len(g) for g in groups]
    assert sizes == sorted(sizes, reverse=True)


def test_groups_follow_accents_and_case() -> None:
    texts = ["RECONNAISSANCE", "Plantes vertes", "reconnaissance", "Réconnaissance"]
    assert suggest_groups(texts, "fr") == [[0, 2, 3]]


def test_empty_and_one_word_ideas() -> None:
    assert suggest_groups([], "fr") == []
    assert suggest_groups(["Télétravail"], "fr") == []
    texts = [
        "",
        "  ",
        "le",
        "Télétravail",
        "télétravail",
        "Reconnaissance",
        "et",
        "",
        "bienveillance",
    ]
    assert suggest_groups(texts, "fr") == [[3, 4]]
    # Empty ideas are never grouped, even when they are all alike.
    assert suggest_groups(["", "", " ", "les", "les"], "fr") == []


def test_max_size_is_respected() -> None:
    texts = [f"Télétravail {i % 3}" for i in range(30)]
    for max_size in (2, 5, 12):
        groups = suggest_groups(texts, "fr", max_size=max_size)
        assert groups and all(2 <= len(g) <= max_size for g in groups)
    with pytest.raises(AtelierError):
        suggest_groups(texts, "fr", max_size=1)


def _adjusted_rand_index(truth: list[str], predicted: list[int]) -> float:
    def pairs(counts: Counter) -> float:
        return sum(c * (c - 1) / 2 for c in counts.values())

    cells = pairs(Counter(zip(truth, predicted, strict=True)))
    a, b = pairs(Counter(truth)), pairs(Counter(predicted))
    expected = a * b / (len(truth) * (len(truth) - 1) / 2)
    return (cells - expected) / ((a + b) / 2 - expected)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_groups_agree_with_themes_more_than_chance(lang: str) -> None:
    """A regression guard only: the held-out figures are printed by bench/clustering_quality.py."""
    rows = load(lang)
    groups = suggest_groups([r["text"] for r in rows], lang)
    predicted = list(range(len(rows), 2 * len(rows)))  # ideas left alone: a group each
    for g, members in enumerate(groups):
        for i in members:
            predicted[i] = g
    assert _adjusted_rand_index([r["theme"] for r in rows], predicted) > 0.05


def test_five_thousand_character_ideas() -> None:
    rng = random.Random(3)
    vocabulary = "bienveillance écoute réunion conflit usagers accueil prime merci".split()
    words = [rng.choice(vocabulary) + rng.choice(["", "s", "x", "ment"]) for _ in range(900)]
    long_text = " ".join(words)[:5000]
    garbage = "x" * 5000  # one 5,000-letter "word"
    texts = [long_text, long_text.upper(), garbage, "Réunion d'accueil des usagers", "merci"]
    start = time.perf_counter()
    groups = suggest_groups(texts, "fr")
    explained = explain_groups(texts, "fr")
    similar = similar_ideas(long_text, texts, "fr")
    assert time.perf_counter() - start < 1.0
    assert any(0 in g and 1 in g for g in groups)
    assert [list(g.members) for g in explained] == groups
    assert similar[:2] in ([0, 1], [1, 0])
    assert tokens(garbage, "fr") == []


# --- explanations and labels ---------------------------------------------------------------


def test_explain_groups_matches_suggest_groups(ideas_fr, ideas_en) -> None:
    for lang, rows in (("fr", ideas_fr), ("en", ideas_en)):
        texts = [r["text"] for r in rows]
        explained = explain_groups(texts, lang, max_size=8)
        assert [list(s.members) for s in explained] == suggest_groups(texts, lang, max_size=8)
        for suggestion in explained:
            assert isinstance(suggestion, GroupSuggestion)
            assert suggestion.label and suggestion.shared_terms
            # Readable words, not stems: each shared term is written in a member's text.
            members_text = " ".join(texts[i] for i in suggestion.members).casefold()
            for term in suggestion.shared_terms:
                assert term in members_text


def test_label_uses_readable_characteristic_terms() -> None:
    texts = [
        "Remerciements publics en réunion de service",
        "Des remerciements écrits de la direction",
        "Remerciements pour les agents d'entretien",
        "Des plantes vertes dans les bureaux",
        "Les bureaux trop bruyants",
    ]
    explained = explain_groups(texts, "fr")
    by_members = {s.members: s for s in explained}
    assert by_members[(0, 1, 2)].label.startswith("Remerciements")
    assert "remerciements" in by_members[(0, 1, 2)].shared_terms
    assert by_members[(3, 4)].label == "Bureaux"


def test_suggest_label_for_a_hand_built_cluster() -> None:
    cluster = [
        "Dire merci aux collègues en réunion",
        "Remercier les collègues qui dépannent",
        "Des remerciements de la hiérarchie",
    ]
    others = ["Des réunions plus courtes", "Moins de réunions le vendredi", "Télétravail"]
    label = suggest_label(cluster, "fr", others)
    assert label.split(" · ")[0] in {"Remercier", "Remerciements", "Collègues"}
    assert "Réunion" not in label  # frequent outside: not characteristic
    assert suggest_label(["Télétravail le vendredi"], "fr") != ""


def test_suggest_label_empty_when_nothing_fits() -> None:
    assert suggest_label([], "fr") == ""
    assert suggest_label(["", "le la les"], "fr") == ""
    assert suggest_label(["Dire bonjour", "Sourire aux usagers"], "fr") == ""
    assert suggest_label(["Thank people", "Thank the team"], "en") == "Thank"


# --- fixtures and import cost --------------------------------------------------------------


@pytest.mark.parametrize(("lang", "minimum", "themes"), [("fr", 120, 8), ("en", 60, 4)])
def test_fixture_set_is_labelled(lang: str, minimum: int, themes: int) -> None:
    rows = load(lang)
    assert len(rows) >= minimum
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    counts = Counter(r["theme"] for r in rows)
    assert len(counts) >= themes and min(counts.values()) >= 15
    by_id = {r["id"]: r for r in rows}
    duplicates = [r for r in rows if r["duplicate_of"] is not None]
    assert 0.1 <= len(duplicates) / len(rows) <= 0.25
    for row in duplicates:
        original = by_id[row["duplicate_of"]]
        assert original["id"] < row["id"] and original["theme"] == row["theme"]
        assert normalise(original["text"]) != normalise(row["text"])  # rephrased, not copied


def test_import_is_cheap() -> None:
    code = "import sys, atelier.clustering; print('snowballstemmer' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
