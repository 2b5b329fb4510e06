"""Duplicate detection and explainable group suggestions for ideas, offline, French and English.

Everything here is pure Python (plus snowballstemmer) and UI-free. The pipeline:

1. ``normalise``: casefold, accent folding, œ → oe, one apostrophe.
2. ``tokens``: words (French elisions such as l', d', qu' split off, hyphenated words kept whole),
   stop words removed (including generic workshop verbs: « mettre en place », faire, améliorer…),
   then Snowball stems. The session's language picks the stop words and the stemmer.
3. Ideas become sparse TF-IDF vectors. Besides each stem, a weaker "prefix" feature (the
   stem's first letters) lets derived words meet (économies / économiser).
4. ``suggest_groups``: average-linkage agglomerative clustering on cosine similarity, computed
   only for pairs of ideas sharing a term (inverted index), stopped below a tuned threshold
   and never beyond ``max_size`` ideas per group.
5. ``similar_ideas`` / ``SimilarityIndex``: cosine similarity of one idea against the others,
   above a tuned threshold, for "close to #12" hints at capture time.

Determinism: ideas are processed in a canonical order (by normalised text), so the same
ideas in any order give the same groups. Thresholds were chosen on one half of the labelled
fixtures (``bench/clustering_quality.py``) and measured on the other half.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from atelier.errors import AtelierError
from atelier.i18n import _, normalise_language

__all__ = [
    "GroupSuggestion",
    "SimilarityIndex",
    "explain_groups",
    "normalise",
    "similar_ideas",
    "suggest_groups",
    "suggest_label",
    "tokens",
]

#: Default minimum cosine similarity for "close to #12" hints (tuned, see bench/).
SIMILARITY_THRESHOLD = 0.425
#: Default minimum average similarity for two groups to be merged (tuned, see bench/).
GROUP_THRESHOLD = 0.02
#: Weight of the prefix feature relative to the full stem, and its length in letters.
PREFIX_WEIGHT = 0.5
PREFIX_LENGTH = 5
#: Terms present in more ideas than this (and than 1/16 of them) do not create candidate
#: pairs on their own; they still count in the similarity of pairs found through other terms.
_COMMON_TERM_FLOOR = 100
#: Each idea keeps links to its this many most similar ideas only (bounds the work).
_NEIGHBOURS = 24
#: Pair similarities below this are dropped from the clustering graph (keeps it sparse).
_MIN_EDGE = 0.02
#: A merge must keep one term family shared by at least this share of the group's ideas,
#: so that every suggestion has a real "why".
_COHERENCE = 0.5
#: Words longer than this are not words (URLs, pasted garbage): ignored.
_MAX_WORD = 40
#: Labels: at most this many terms; explanations: at most this many shared terms.
_LABEL_TERMS = 3
_SHARED_TERMS = 6

_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'", "\u2032": "'"}
_LIGATURES = {"œ": "oe", "æ": "ae", "ĳ": "ij"}
_TRANSLATE = str.maketrans({**_APOSTROPHES, **_LIGATURES})
_SURFACE_TRANSLATE = str.maketrans(_APOSTROPHES)

# Stop words, folded at load time. Written for this project (not copied from a list).
_STOPWORDS_FR = """
a à au aux avec ce ces cet cette ceci cela ça celui celle celles ceux chaque chez comme
comment dans de des du dont donc elle elles en entre et eux il ils je la le les leur leurs
lui ma mais me même mêmes mes moi mon ne ni nos notre nous on ou où par pas pour que quel
quelle quels quelles qui quoi sa sans se ses si son sur ta te tes toi ton tu un une vos
votre vous y afin ainsi alors après assez au-delà aucun aucune auprès aussi autant autour
autre autres avant beaucoup bien car certain certaine certains certaines chacun chacune
chose choses ci cependant contre déjà depuis dès donc durant encore enfin ensuite ensemble
environ fois hors ici jamais jusque là lors lorsque moins mieux néanmoins non notamment
oui parce parfois parmi partout pendant peu peut-être plus plusieurs plutôt pourquoi
pourtant presque puis puisque quand quelque quelques quoique rien selon seul seule seuls
seulement sinon soi souvent sous surtout tant tel telle tels telles toujours tous tout
toute toutes très trop vers via voici voilà vraiment simplement également etc svp
aujourd'hui est sont était étaient été être suis es sommes êtes serait seraient sera
seront soit soient ai as avons avez ont avait avaient aurait auraient aura auront ayant eu
fait faits faite faites fais faisons faisant ferait feraient fera faut faudrait falloir
peut peux peuvent pouvons pourrait pourraient pourra pouvoir doit doivent devons devrait
devraient devoir dois veut veulent voudrait vouloir va vont aller mis mise mises place
permet permettant idée idées besoin besoins exemple façon manière moyen moyens niveau
niveaux chez-soi vis-à-vis c'est-à-dire est-à-dire quelqu'un quelqu'une faudra propose
proposer proposons créer crée développer penser pense
"""
# Generic workshop verbs whose whole family goes: their stems are stopped too.
_STOPSTEMS_FR = """
améliorer amélioration mettre faire avoir être pouvoir devoir falloir favoriser renforcer
permettre essayer instaurer encourager éviter prendre donner rendre laisser passer trouver
chercher utiliser
"""
_STOPWORDS_EN = """
a an the and or but if then than so as at by for from in into of on onto to with without
about above after before between over under again further once here there when where why
how all any both each few more most other others some such no nor not only own same too
very can will just should could would may might must shall do does did doing done have has
had having be is am are was were been being i me my myself we our ours us you your yours he
him his she her hers it its they them their theirs this that these those what which who
whom whose up down out off also even ever every per via etc let lets get gets got getting
make makes made making put puts set sets setting take takes taking need needs needed don
doesn didn isn aren wasn weren won wouldn shouldn couldn can't cannot ok okay really always
often way ways thing things idea ideas lot lots maybe please instead rather much many
something anything everything someone anyone everyone everybody nobody new better able
"""
_STOPSTEMS_EN = """
improve improvement ensure provide introduce implement enable allow encourage promote
create try avoid give keep go find use look
"""
_ELISIONS_FR = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu".split())
_CLITICS_EN = frozenset("s t re ve ll d m".split())
_INVERSIONS_FR = frozenset("il ils elle elles on t je tu nous vous ce moi toi".split())
_KEEP_HYPHENATED = frozenset({"rendez-vous"})

_WORD_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")


def normalise(text: str) -> str:
    """Casefold and fold accents: « L’Œuvre » → « l'oeuvre »; é → e, ç → c."""
    folded = text.casefold().translate(_TRANSLATE)
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_TRANSLATE)


def _language(lang: str) -> str:
    code = normalise_language(lang)
    if code is None:
        message = _("Unsupported language for grouping ideas: {lang}")
        raise AtelierError(message.format(lang=lang))
    return code


@cache
def _stemmer(lang: str):  # snowballstemmer has no type hints
    import snowballstemmer  # deferred: importing it loads every language (~15 ms)

    return snowballstemmer.stemmer("french" if lang == "fr" else "english")


_STEM_LOCK = threading.Lock()


@lru_cache(maxsize=65536)
def _stem(word: str, lang: str) -> str:
    # Snowball stemmers keep state while stemming: one word at a time, whatever the thread.
    with _STEM_LOCK:
        return _stemmer(lang).stemWord(word)


@cache
def _stopwords(lang: str) -> frozenset[str]:
    source = _STOPWORDS_FR if lang == "fr" else _STOPWORDS_EN
    words: set[str] = set()
    for word in source.split():
        folded = normalise(word)
        words.add(folded)
        words.add(folded.replace("'", "").replace("-", ""))
    return frozenset(words)


@cache
def _stopstems(lang: str) -> frozenset[str]:
    source = _STOPSTEMS_FR if lang == "fr" else _STOPSTEMS_EN
    return frozenset(_stem(normalise(word), lang) for word in source.split())


def _analyse(text: str, lang: str) -> list[tuple[str, str]]:
    """(stem, surface word) for each content word; surface keeps accents, lower case."""
    if not text or text.isspace():
        return []
    prepared = unicodedata.normalize("NFC", text).casefold().translate(_SURFACE_TRANSLATE)
    out: list[tuple[str, str]] = []
    for match in _WORD_RE.finditer(prepared):
        word = match.group()
        if "'" in word:
            parts = word.split("'")
            if lang == "fr":
                while len(parts) > 1 and parts[0] in _ELISIONS_FR:
                    parts.pop(0)
            else:
                while len(parts) > 1 and parts[-1] in _CLITICS_EN:
                    parts.pop()
            word = "".join(parts)
        if "-" not in word:
            words = [word]
        elif lang == "fr":  # French compounds stay whole: bien-être, week-end, savoir-faire
            parts = word.split("-")
            while word not in _KEEP_HYPHENATED and len(parts) > 1 and parts[-1] in _INVERSIONS_FR:
                parts.pop()  # "faut-il" → "faut"
            words = ["-".join(parts)]
        else:  # English compounds are mostly loose: meeting-free, home-working
            words = word.split("-")
        for word in words:
            stem = _content_stem(word, lang)
            if stem is not None:
                out.append((stem, word))
    return out


@lru_cache(maxsize=65536)
def _content_stem(word: str, lang: str) -> str | None:
    """The stem of one lower-case word, or None for a stop word or a non-word."""
    if len(word) > _MAX_WORD:
        return None
    stop = _stopwords(lang)
    folded = normalise(word)
    if folded in stop:
        return None
    folded = folded.replace("-", "").replace("'", "")
    if len(folded) < 2 or folded.isdigit() or folded in stop:
        return None
    stem = _stem(folded, lang)
    if len(stem) < 2 or stem in _stopstems(lang):
        return None
    return stem


def tokens(text: str, lang: str) -> list[str]:
    """Content-word stems of a text, in order: elisions split, stop words removed."""
    return [stem for stem, _surface in _analyse(text, _language(lang))]


# --- vectors -----------------------------------------------------------------------------


def _raw_features(stems: Iterable[str]) -> dict[str, float]:
    """Term → sublinear term frequency; prefix features (``~econo``) weigh PREFIX_WEIGHT."""
    counts = Counter(stems)
    features: dict[str, float] = {}
    prefixes: Counter[str] = Counter()
    for stem in sorted(counts):
        features[stem] = 1.0 + math.log(counts[stem])
        prefixes["~" + stem[:PREFIX_LENGTH]] += counts[stem]
    if PREFIX_WEIGHT > 0:
        for prefix in sorted(prefixes):
            features[prefix] = PREFIX_WEIGHT * (1.0 + math.log(prefixes[prefix]))
    return features


def _idf(df: int, n: int) -> float:
    return 1.0 + math.log((1.0 + n) / (1.0 + df))


def _tfidf(raw: list[dict[str, float]]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors (empty stays empty)."""
    df: Counter[str] = Counter()
    for features in raw:
        df.update(features.keys())
    n = len(raw)
    idf = {term: _idf(count, n) for term, count in df.items()}
    vectors = []
    for features in raw:
        weighted = {term: w * idf[term] for term, w in features.items()}
        norm = math.sqrt(sum(w * w for w in weighted.values()))
        vectors.append({t: w / norm for t, w in weighted.items()} if norm else {})
    return vectors


def _pair_similarities(vectors: list[dict[str, float]]) -> list[tuple[int, int, float]]:
    """Cosine (i, j, s), i < j, for pairs sharing a term: each idea's best neighbours only.

    A pair is kept when it is among the ``_NEIGHBOURS`` most similar of either idea and
    s ≥ _MIN_EDGE. This sparse graph bounds the work of the clustering that follows.
    """
    n = len(vectors)
    df: Counter[str] = Counter()
    for vector in vectors:
        df.update(vector.keys())
    cap = max(_COMMON_TERM_FLOOR, n // 16)
    common = {term for term, count in df.items() if count > cap}
    postings: dict[str, list[tuple[int, float]]] = {}
    neighbours: list[list[tuple[float, int]]] = [[] for _ in range(n)]  # (-s, j)
    for i, vector in enumerate(vectors):
        acc: dict[int, float] = {}
        common_terms = []
        for term, weight in vector.items():
            if term in common:
                common_terms.append((term, weight))
                continue
            posting = postings.get(term)
            if posting is None:
                postings[term] = [(i, weight)]
                continue
            for j, other in posting:
                acc[j] = acc.get(j, 0.0) + weight * other
            posting.append((i, weight))
        mine = neighbours[i]
        for j, similarity in acc.items():
            if common_terms:
                other_vector = vectors[j]
                for term, weight in common_terms:
                    shared = other_vector.get(term)
                    if shared is not None:
                        similarity += weight * shared
            if similarity >= _MIN_EDGE:
                mine.append((-similarity, j))
                neighbours[j].append((-similarity, i))
    kept: set[tuple[int, int]] = set()
    edges: list[tuple[int, int, float]] = []
    for i, candidates in enumerate(neighbours):
        if len(candidates) > _NEIGHBOURS:
            candidates = heapq.nsmallest(_NEIGHBOURS, candidates)
        for negative, j in candidates:
            pair = (i, j) if i < j else (j, i)
            if pair not in kept:
                kept.add(pair)
                edges.append((pair[0], pair[1], -negative))
    edges.sort()
    return edges


# --- clustering ----------------------------------------------------------------------------


def _average_linkage(
    n: int,
    edges: list[tuple[int, int, float]],
    threshold: float,
    max_size: int,
    families: list[set[str]] | None = None,
) -> list[list[int]]:
    """Agglomerative clustering, average linkage on a sparse similarity graph.

    Missing pairs count as similarity 0. Clusters are merged best pair first while their
    average similarity is ≥ threshold and the merged size is ≤ max_size. Ties are broken by
    cluster ids, which follow the canonical order of the ideas.
    """
    links: dict[int, dict[int, float]] = {}
    members: dict[int, list[int]] = {}
    heap: list[tuple[float, int, int]] = []
    for i, j, s in edges:
        links.setdefault(i, {})[j] = s
        links.setdefault(j, {})[i] = s
        if s >= threshold:
            heap.append((-s, i, j))
    coverage: dict[int, Counter[str]] = {}
    for node in links:
        members[node] = [node]
        if families is not None:
            coverage[node] = Counter(families[node])
    heapq.heapify(heap)
    next_id = n
    while heap:
        _neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        size = len(members[a]) + len(members[b])
        if size > max_size:
            continue
        if families is not None:
            common = coverage[a] + coverage[b]
            if max(common.values()) < _COHERENCE * size:
                continue
        merged = next_id
        next_id += 1
        members[merged] = members.pop(a) + members.pop(b)
        if families is not None:
            coverage[merged] = common
            del coverage[a], coverage[b]
        link_a = links.pop(a)
        link_b = links.pop(b)
        new_links: dict[int, float] = {}
        for source in (link_a, link_b):
            for other, s in source.items():
                if other == a or other == b:
                    continue
                new_links[other] = new_links.get(other, 0.0) + s
        links[merged] = new_links
        for other in sorted(new_links):
            total = new_links[other]
            other_links = links[other]
            other_links.pop(a, None)
            other_links.pop(b, None)
            other_size = len(members[other])
            if size + other_size > max_size:
                # Sizes only grow: these two can never merge, forget the link.
                del new_links[other]
                continue
            other_links[merged] = total
            average = total / (size * other_size)
            if average >= threshold:
                heapq.heappush(heap, (-average, other, merged))
    return [group for group in members.values() if len(group) >= 2]


def _check_max_size(max_size: int) -> None:
    if max_size < 2:
        raise AtelierError(_("A group must be allowed at least 2 ideas."))


def _prepare(texts: list[str], lang: str) -> tuple[list[list[tuple[str, str]]], list[str]]:
    analysed = [_analyse(text, lang) for text in texts]
    normalised = [normalise(text) for text in texts]
    return analysed, normalised


def _groups(
    analysed: list[list[tuple[str, str]]],
    normalised: list[str],
    texts: list[str],
    max_size: int,
    threshold: float,
) -> list[list[int]]:
    # Canonical order: independent of the order the ideas were given in.
    order = sorted(
        (i for i in range(len(texts)) if analysed[i]), key=lambda i: (normalised[i], texts[i])
    )
    raw = [_raw_features(stem for stem, _surface in analysed[i]) for i in order]
    vectors = _tfidf(raw)
    edges = _pair_similarities(vectors)
    families = [_families(analysed[i]) for i in order] if _COHERENCE > 0 else None
    canonical_groups = _average_linkage(len(order), edges, threshold, max_size, families)
    groups = [sorted(order[c] for c in group) for group in canonical_groups]
    groups.sort(key=lambda g: (-len(g), sorted((normalised[i], texts[i]) for i in g)))
    return groups


def suggest_groups(texts: list[str], lang: str, max_size: int = 12) -> list[list[int]]:
    """Groups of indices into ``texts`` (ascending, ≥ 2 ideas each); lone ideas are omitted.

    Largest groups first, then by their alphabetically first idea. Deterministic: the same
    ideas in any order give the same groups.
    """
    return _suggest_groups(texts, lang, max_size, GROUP_THRESHOLD)


def _suggest_groups(
    texts: list[str], lang: str, max_size: int, threshold: float
) -> list[list[int]]:
    lang = _language(lang)
    _check_max_size(max_size)
    analysed, normalised = _prepare(texts, lang)
    return _groups(analysed, normalised, texts, max_size, threshold)


# --- explanations and labels -------------------------------------------------------------


@dataclass(frozen=True)
class GroupSuggestion:
    """One suggested group, with the reason it was suggested."""

    members: tuple[int, ...]
    label: str
    shared_terms: tuple[str, ...]


def _family(stem: str) -> str:
    """Stems sharing their first letters form one term family (conflit / confl)."""
    return stem[:PREFIX_LENGTH]


def _families(words: list[tuple[str, str]]) -> set[str]:
    return {_family(stem) for stem, _surface in words}


def _surface_forms(analysed: Iterable[list[tuple[str, str]]]) -> dict[str, str]:
    """Most frequent surface word of each term family (ties: alphabetical)."""
    forms: dict[str, Counter[str]] = {}
    for words in analysed:
        for stem, surface in words:
            forms.setdefault(_family(stem), Counter())[surface] += 1
    return {key: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, c in forms.items()}


def _describe(
    inside: list[list[tuple[str, str]]], outside_df: Counter[str], outside_n: int
) -> tuple[str, tuple[str, ...]]:
    """(label, shared terms) of a set of analysed ideas against the ideas outside it.

    A term family scores by the share of the ideas containing it, times its rarity among
    all ideas (a TF-IDF-like weight): frequent inside and rare outside wins. With two ideas
    or more, only families present in at least two of them qualify.
    """
    inside = [words for words in inside if words]
    if not inside:
        return "", ()
    inside_df: Counter[str] = Counter()
    for words in inside:
        inside_df.update(_families(words))
    size = len(inside)
    total = size + outside_n
    minimum = 2 if size >= 2 else 1
    ranked = []
    for key, count in inside_df.items():
        if count < minimum:
            continue
        rarity = math.log((1.0 + total) / (1.0 + count + outside_df.get(key, 0))) + 1.0
        ranked.append((count / size * rarity, count, key))
    if not ranked:
        return "", ()
    forms = _surface_forms(inside)
    ranked.sort(key=lambda item: (-item[0], -item[1], forms[item[2]]))
    best = ranked[0][0]
    label = " · ".join(
        _capitalise(forms[key]) for score, _c, key in ranked[:_LABEL_TERMS] if score >= best / 2
    )
    shared = sorted(ranked, key=lambda item: (-item[1], -item[0], forms[item[2]]))
    return label, tuple(forms[key] for _s, _c, key in shared[:_SHARED_TERMS])


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:]


def explain_groups(texts: list[str], lang: str, max_size: int = 12) -> list[GroupSuggestion]:
    """The groups of ``suggest_groups`` (same order), each with a label and its shared terms."""
    return _explain_groups(texts, lang, max_size, GROUP_THRESHOLD)


def _explain_groups(
    texts: list[str], lang: str, max_size: int, threshold: float
) -> list[GroupSuggestion]:
    lang = _language(lang)
    _check_max_size(max_size)
    analysed, normalised = _prepare(texts, lang)
    groups = _groups(analysed, normalised, texts, max_size, threshold)
    families = [_families(words) for words in analysed]
    df_all: Counter[str] = Counter()
    for keys in families:
        df_all.update(keys)
    n_all = sum(1 for words in analysed if words)
    suggestions = []
    for group in groups:
        inside_df: Counter[str] = Counter()
        for i in group:
            inside_df.update(families[i])
        label, shared = _describe(
            [analysed[i] for i in group], df_all - inside_df, n_all - len(group)
        )
        suggestions.append(GroupSuggestion(tuple(group), label, shared))
    return suggestions


def suggest_label(texts: list[str], lang: str, others: list[str] | None = None) -> str:
    """A label for a hand-built cluster, from its most characteristic terms.

    ``others`` are the ideas outside the cluster: terms frequent inside and rare outside win.
    With two ideas or more, only terms shared by at least two of them qualify; "" when none.
    """
    lang = _language(lang)
    inside = [_analyse(text, lang) for text in texts]
    outside_df: Counter[str] = Counter()
    outside_n = 0
    for text in others or ():
        words = _analyse(text, lang)
        if words:
            outside_n += 1
            outside_df.update(_families(words))
    return _describe(inside, outside_df, outside_n)[0]


# --- similar ideas -----------------------------------------------------------------------


class SimilarityIndex:
    """Incremental index of ideas for "close to #12" hints while ideas are captured.

    ``add`` and ``remove`` cost the length of one idea; ``similar`` looks only at ideas
    sharing a term with the query, with IDF weights from the ideas indexed now, and walks
    the lists of the query's rarer terms only when the commoner ones cannot make a match
    on their own (so a query costs about the same with 2,000 ideas as with 200).
    """

    def __init__(self, lang: str) -> None:
        self.lang = _language(lang)
        self._docs: dict[int, dict[str, float]] = {}
        self._postings: dict[str, set[int]] = {}

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def add(self, key: int, text: str) -> None:
        """Index (or re-index) one idea under ``key``; ideas without content words are kept out."""
        self.remove(key)
        features = _raw_features(stem for stem, _surface in _analyse(text, self.lang))
        if features:
            self._insert(key, features)

    def _insert(self, key: int, features: dict[str, float]) -> None:
        self._docs[key] = features
        for term in features:
            self._postings.setdefault(term, set()).add(key)

    def remove(self, key: int) -> None:
        """Forget one idea; unknown keys are ignored."""
        features = self._docs.pop(key, None)
        if features is None:
            return
        for term in features:
            posting = self._postings[term]
            posting.discard(key)
            if not posting:
                del self._postings[term]

    def similar(
        self, text: str, limit: int = 3, threshold: float | None = None
    ) -> list[tuple[int, float]]:
        """(key, cosine) of indexed ideas close to ``text``, most similar first (ties: key)."""
        query = _raw_features(stem for stem, _surface in _analyse(text, self.lang))
        return self._similar(query, limit, threshold)

    def similar_to(
        self, key: int, limit: int = 3, threshold: float | None = None
    ) -> list[tuple[int, float]]:
        """What :meth:`similar` finds for the text of the indexed idea ``key``, scored as
        if that idea were not indexed yet (itself left out), without analysing it again."""
        features = self._docs.get(key)
        if features is None:
            return []
        self.remove(key)
        try:
            return self._similar(features, limit, threshold)
        finally:
            self._insert(key, features)

    def _similar(
        self, query: dict[str, float], limit: int, threshold: float | None
    ) -> list[tuple[int, float]]:
        if threshold is None:
            threshold = SIMILARITY_THRESHOLD
        if not query or limit <= 0:
            return []
        n = len(self._docs) + 1  # the query counts as one more idea
        postings, docs = self._postings, self._docs
        query_idf = {}
        for term in query:
            query_idf[term] = _idf(len(postings.get(term, ())) + 1, n)
        query_norm = math.sqrt(sum((w * query_idf[t]) ** 2 for t, w in query.items()))
        # An idea cannot reach ``threshold`` when the terms it shares with the query hold
        # less than that share of the query's norm (Cauchy–Schwarz). Walking the query's
        # terms from the heaviest (rarest) down, each idea met adds up the weight it
        # shares; once the terms left are too light to make a match on their own, the
        # commonest terms' long lists are not walked, and an idea whose shared weight
        # plus everything left stays too light is not scored.
        squares = sorted(((w * query_idf[t]) ** 2, t) for t, w in query.items())
        left = [0.0] * (len(squares) + 1)  # left[i]: sum of the i lightest squares
        for i, (square, _term) in enumerate(squares):
            left[i + 1] = left[i] + square
        floor = (threshold * query_norm) ** 2 * (1.0 - 1e-9)
        shared: dict[int, float] = {}
        rest = 0.0
        for i in range(len(squares) - 1, -1, -1):
            rest = left[i + 1]
            if rest < floor:
                break
            square = squares[i][0]
            for key in postings.get(squares[i][1], ()):
                shared[key] = shared.get(key, 0.0) + square
        else:
            rest = 0.0
        # the ideas that share the most weight first: once ``limit`` ideas scored more than
        # the next one could, the rest cannot enter the list
        candidates = sorted(shared, key=shared.__getitem__, reverse=True)
        factors = {t: w * query_idf[t] * query_idf[t] for t, w in query.items()}
        idf: dict[str, float] = {}  # this query's weight of each term met
        results: list[tuple[int, float]] = []
        best: list[float] = []  # the ``limit`` best scores so far (a heap)
        for key in candidates:
            bound = (shared[key] + rest) * (1.0 + 1e-9)  # an upper bound of score², × |q|²
            if bound < floor or (len(best) == limit and bound < (best[0] * query_norm) ** 2):
                break
            dot = norm_sq = 0.0
            # a document's terms and the query's come in the same order (sorted stems, then
            # sorted prefixes): the dot product sums in the order it always did
            for term, weight in docs[key].items():
                factor = factors.get(term)
                if factor is not None:
                    dot += factor * weight
                term_idf = idf.get(term)
                if term_idf is None:
                    df = len(postings[term]) + (1 if factor is not None else 0)
                    term_idf = idf[term] = _idf(df, n)
                w = weight * term_idf
                norm_sq += w * w
            score = dot / (query_norm * math.sqrt(norm_sq))
            if score >= threshold:
                score = min(score, 1.0)
                results.append((key, score))
                if len(best) < limit:
                    heapq.heappush(best, score)
                elif score > best[0]:
                    heapq.heapreplace(best, score)
        results.sort(key=lambda item: (-item[1], item[0]))
        return results[:limit]


def similar_ideas(
    text: str, texts: list[str], lang: str, threshold: float | None = None
) -> list[int]:
    """Indices of ``texts`` close to ``text``, most similar first (never blocks anything)."""
    index = SimilarityIndex(lang)
    for i, other in enumerate(texts):
        index.add(i, other)
    return [i for i, _score in index.similar(text, limit=len(texts), threshold=threshold)]
