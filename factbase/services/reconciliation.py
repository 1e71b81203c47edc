"""Entity reconciliation, a read model: which entities a name written somewhere (a column of
a spreadsheet, as OpenRefine sends it) most likely means, each with a score from 0 to 100.
The API serves it as the W3C Reconciliation API 0.2 (api/views/reconcile.py).

Candidates come from the entity name index, never from a scan, at most CANDIDATES per
query (`candidate_ids`):
1. the entities whose name or an alias is exactly the query (normalised: the indexed
   `normalised_name` and `Alias.normalised` columns);
2. the name index's matches of the query (every word as a prefix, in any order:
   `Entity.objects.matching`), and of its letters without accents;
3. only when those found fewer than FEW: the query with one word cut to its first three
   letters (a misspelling after them), then each word of three letters or more alone (one
   word wrong altogether). A misspelling within the first three letters of every word finds
   nothing.

Scoring (`label_score`) compares the query with the name and with each alias, in a form
that ignores case, accents, punctuation and word order, and keeps the best: 100 for the
same words, the similarity of the two texts otherwise (difflib's ratio, of the words as
written and of the words sorted), and a share of the score when the query's words are some
of the label's ("Lavrov" for "Sergei Lavrov"). Properties then move the score
(`property_adjustment`): a country or a date that agrees adds BONUS, one that disagrees
takes PENALTY away, and an entity that states none takes MISSING away. The kind is not
scored: a query with a type only looks for entities of that type.

A batch asks each question (text, types, properties) once, the exact names of all its
questions in two statements (`exact_ids`), and scores exactly only the candidates whose
`label_bound` could place them among those a key shows (`_ranked`).

`match` is true for the first candidate only, when it is clearly right: a score of at least
MATCH_SCORE and at least MATCH_GAP ahead of the next candidate, or, when the query named a
type, its name or an alias is the query exactly and no other candidate's is.
"""

from __future__ import annotations

import bisect
import difflib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from factbase.enums import EntityKind
from factbase.models import Alias, Country, Entity, Event, Organisation, Person, normalise_name
from factbase.partial_dates import PartialDate

CANDIDATES = 50  # entity ids read from the index per query, at most
FEW = 3  # fewer candidates than this from the whole query, and the fallbacks are tried
FALLBACK_WORDS = 4  # the longest words of a query the fallbacks try
PREFIX = 3  # letters a misspelt word is cut to
MATCH_SCORE = 95
MATCH_GAP = 10
BONUS, PENALTY, MISSING = 5, 15, 5

TYPES = {kind.value: kind.label for kind in EntityKind}
# Properties a query may state, with the kinds they apply to and what they compare.
PROPERTIES = {
    "nationality": "A person's nationality: a country's name, alias, ISO code or id.",
    "country": "The country of a person (nationality), an organisation, or where an event took place: "
    "a country's name, alias, ISO code or id.",
    "date": "When an event took place: 2021, 2021-07, 2021-07-06 or an interval such as 2021-07-06/2021-07-08.",
}


# --- comparing names ------------------------------------------------------------------


def folded(text: str, *, keep_accents: bool = False) -> str:
    """`text` case-folded, without accents, with punctuation as spaces, spaces collapsed:
    "Sérgei  LAVROV," and "sergei lavrov" are one form."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").casefold())
    letters = decomposed if keep_accents else "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in letters).split())


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def label_score(query: str, label: str) -> float:
    """How well `label` (a name or an alias) matches `query`, 0 to 100; both already
    `folded`."""
    if not query or not label:
        return 0.0
    query_words, label_words = query.split(), label.split()
    if sorted(query_words) == sorted(label_words):
        return 100.0
    score = max(_ratio(query, label), _ratio(" ".join(sorted(query_words)), " ".join(sorted(label_words))))
    if set(query_words) < set(label_words):
        # Some of the label's words ("Lavrov" of "Sergei Lavrov"): less than all of them.
        score = max(score, 0.7 + 0.25 * len(query) / len(label))
    return round(100 * score, 1)


def label_bound(query: str, label: str, letters: Counter | None = None) -> float:
    """A bound `label_score(query, label)` never exceeds, cheap to compute: difflib's ratio is
    at most its quick_ratio, the letters the two texts share, and the words sorted have the
    same letters as the words as written. `letters` is `Counter(query)`, when known."""
    if not query or not label:
        return 0.0
    query_words, label_words = query.split(), label.split()
    if sorted(query_words) == sorted(label_words):
        return 100.0
    shared = sum(((letters or Counter(query)) & Counter(label)).values())
    bound = 2 * shared / (len(query) + len(label))
    if set(query_words) < set(label_words):
        bound = max(bound, 0.7 + 0.25 * len(query) / len(label))
    return round(100 * bound, 1)


# --- the questions --------------------------------------------------------------------


@dataclass
class Query:
    """One query of a batch, checked (api/serializers/reconcile.py)."""

    text: str
    types: list[str] = field(default_factory=list)  # entity kinds; empty: any
    limit: int = 10
    countries: dict[str, set[int]] = field(default_factory=dict)  # property id → country ids
    date: PartialDate | None = None


@dataclass
class Candidate:
    id: int
    name: str
    kind: str
    description: str
    score: float
    exact: bool  # the name or an alias is the query, folded
    match: bool = False


def country_ids(values: list) -> set[int]:
    """The countries that property values name: ids (numbers, digit strings, `{"id": …}`),
    names, aliases or ISO codes. A value that names no country names none (an empty set is
    a country no entity has)."""
    ids, names = set(), set()
    for value in values:
        if isinstance(value, dict):
            value = value.get("id") or value.get("name") or ""
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            ids.add(value)
        elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            ids.add(int(value.strip()))
        elif isinstance(value, str) and value.strip():
            names.add(value.strip())
    if names:
        normalised = {normalise_name(name) for name in names}
        codes = {name.upper() for name in names if len(name) in (2, 3) and name.isascii()}
        condition = Q(normalised_name__in=normalised) | Q(aliases__normalised__in=normalised)
        if codes:
            condition |= Q(iso_alpha2__in=codes) | Q(iso_alpha3__in=codes)
        ids.update(Country.objects.filter(condition).values_list("pk", flat=True).distinct()[:CANDIDATES])
    return {pk for pk in ids if 0 < pk < 2**63}


def _lookups(text: str):
    """The name index look-ups for `text` after the first (see the module's docstring)."""
    words = sorted({w for w in folded(text).split() if len(w) >= PREFIX}, key=len, reverse=True)[:FALLBACK_WORDS]
    all_words = folded(text).split()
    for word in words:
        if len(word) > PREFIX:
            yield " ".join(w[:PREFIX] if w == word else w for w in all_words)
    if len(all_words) > 1:
        yield from words


def exact_ids(texts: set[str]) -> dict[str, list[tuple[int, str]]]:
    """For each `normalise_name`d text, the entities whose name or an alias is exactly it, as
    (id, kind), the names first: two statements for a whole batch, at most CANDIDATES a text
    and a side (its namesakes beyond are not read)."""
    found: dict[str, list[tuple[int, str]]] = {text: [] for text in texts}
    if not texts:
        return found
    by_name = Window(RowNumber(), partition_by=F("normalised_name"), order_by=[F("name"), F("id")])
    names = (
        Entity.objects.filter(normalised_name__in=texts)
        .annotate(n=by_name)
        .filter(n__lte=CANDIDATES)
        .order_by("name", "id")
        .values_list("normalised_name", "pk", "kind")
    )
    by_alias = Window(RowNumber(), partition_by=F("normalised"), order_by=[F("entity__name"), F("entity_id"), F("id")])
    aliases = (
        Alias.objects.filter(normalised__in=texts)
        .annotate(n=by_alias)
        .filter(n__lte=CANDIDATES)
        .order_by("entity__name", "entity_id", "id")
        .values_list("normalised", "entity_id", "entity__kind")
    )
    for text, pk, kind in [*names, *aliases]:
        found[text].append((pk, kind))
    return found


def candidate_ids(query: Query, exact: list[tuple[int, str]]) -> list[int]:
    """At most CANDIDATES entity ids for `query`, each found through an index; `exact` are
    the entities named exactly the query (`exact_ids`)."""
    found: dict[int, None] = {}

    def add(ids) -> None:
        for pk in ids:
            if len(found) >= CANDIDATES:
                return
            found.setdefault(pk, None)

    add(pk for pk, kind in exact if not query.types or kind in query.types)

    def matching(text: str) -> list[int]:
        return Entity.objects.first_ids_matching(text, kinds=query.types, limit=CANDIDATES)

    plain = folded(query.text)
    # The text as written, then without its accents if it has any (PostgreSQL's index keeps them).
    texts = [query.text] + ([plain] if plain != folded(query.text, keep_accents=True) else [])
    for text in texts:
        if len(found) < CANDIDATES and plain:
            add(matching(text))
    if len(found) < FEW:
        for text in _lookups(query.text):
            if len(found) >= CANDIDATES:
                break
            add(matching(text))
    return list(found)


@dataclass
class _Facts:
    """What the candidates of a batch are scored on, read once for all of them."""

    rows: dict[int, dict]
    labels: dict[int, list[str]]  # the name and the aliases, `folded`
    countries: dict[int, int | None]
    dates: dict[int, PartialDate | None]


def _facts(ids: set[int], *, with_properties: bool) -> _Facts:
    rows = {row["id"]: row for row in Entity.objects.filter(pk__in=ids).values("id", "kind", "name", "description")}
    labels = {pk: [folded(row["name"])] for pk, row in rows.items()}
    for entity_id, name in Alias.objects.filter(entity_id__in=ids).values_list("entity_id", "name"):
        labels[entity_id].append(folded(name))
    countries: dict[int, int | None] = {}
    dates: dict[int, PartialDate | None] = {}
    if with_properties:
        countries.update(Person.objects.filter(pk__in=ids).values_list("pk", "nationality_id"))
        countries.update(Organisation.objects.filter(pk__in=ids).values_list("pk", "country_id"))
        for pk, country, lower, upper, precision in Event.objects.filter(pk__in=ids).values_list(
            "pk", "location_country_id", "date_lower", "date_upper", "date_precision"
        ):
            countries[pk] = country
            dates[pk] = PartialDate(lower, upper, precision) if lower and upper else None
        for pk, row in rows.items():
            if row["kind"] == EntityKind.COUNTRY:
                countries[pk] = pk
    return _Facts(rows, labels, countries, dates)


def property_adjustment(query: Query, kind: str, country: int | None, date: PartialDate | None) -> int:
    """What the query's properties add to (or take from) the score of an entity of `kind`
    whose country is `country` and whose date is `date`."""
    adjustment = 0
    for pid, wanted in query.countries.items():
        if pid == "nationality" and kind != EntityKind.PERSON:
            continue
        if country is None:
            adjustment -= MISSING
        else:
            adjustment += BONUS if country in wanted else -PENALTY
    if query.date is not None and kind == EntityKind.EVENT:
        if date is None:
            adjustment -= MISSING
        else:
            adjustment += BONUS if date.overlaps(query.date) else -PENALTY
    return adjustment


def _question(query: Query) -> tuple:
    """What a query's candidates and their scores depend on: its text, types and
    properties, never its limit. Queries of a batch that ask the same question share one
    answer (a column of a spreadsheet repeats its names)."""
    countries = tuple(sorted((pid, tuple(sorted(ids))) for pid, ids in query.countries.items()))
    return query.text, tuple(sorted(query.types)), countries, query.date


def reconcile(queries: dict[str, Query]) -> dict[str, list[Candidate]]:
    """The candidates of each query, best first, at most its limit each."""
    questions: dict[tuple, Query] = {}
    for query in queries.values():
        questions.setdefault(_question(query), query)
    exact = exact_ids({normalise_name(query.text) for query in questions.values()})
    ids_by_question = {
        question: candidate_ids(query, exact[normalise_name(query.text)]) for question, query in questions.items()
    }
    every_id = {pk for ids in ids_by_question.values() for pk in ids}
    with_properties = any(query.countries or query.date for query in questions.values())
    facts = _facts(every_id, with_properties=with_properties) if every_id else _Facts({}, {}, {}, {})
    # The first candidates each question's keys show, and the next (`match` compares the first two).
    needed = {}
    for query in queries.values():
        needed[_question(query)] = max(needed.get(_question(query), 0), query.limit + 1)
    ranked = {
        question: _ranked(query, ids_by_question[question], facts, needed[question])
        for question, query in questions.items()
    }
    return {key: ranked[_question(query)][: query.limit] for key, query in queries.items()}


def _ranked(query: Query, ids: list[int], facts: _Facts, needed: int) -> list[Candidate]:
    """The candidates of `query` best first, the first marked when it matches: the first
    `needed` of them scored exactly, and every candidate named exactly the query (`match`
    looks at all of those). The others are scored only while their `label_bound` could
    still place them among the first `needed`: difflib's ratio is most of the batch's time."""
    text = folded(query.text)
    letters = Counter(text)
    bounded = []
    for pk in ids:
        row = facts.rows.get(pk)
        if row is None:
            continue  # deleted since the index was read
        adjustment = property_adjustment(query, row["kind"], facts.countries.get(pk), facts.dates.get(pk))
        labels = facts.labels[pk]
        bound = max(label_bound(text, label, letters) for label in labels) + adjustment
        bounded.append((_clamped(bound), pk, row, labels, adjustment))
    bounded.sort(key=lambda item: -item[0])  # stable: the index's order among equals
    candidates, best = [], []  # best: the highest `needed` scores so far, ascending
    for bound, pk, row, labels, adjustment in bounded:
        exact = text in labels
        if not exact and len(best) >= needed and bound < best[0]:
            continue  # below the needed-th score already found, as is every bound after it
        score = _clamped(max(label_score(text, label) for label in labels) + adjustment)
        candidates.append(Candidate(pk, row["name"], row["kind"], row["description"], score, exact))
        bisect.insort(best, score)
        del best[:-needed]
    candidates.sort(key=lambda c: (-c.score, not c.exact, c.id))
    _decide_match(candidates, typed=bool(query.types))
    return candidates


def _clamped(score: float) -> float:
    return max(0.0, min(100.0, float(score)))


def _decide_match(candidates: list[Candidate], *, typed: bool) -> None:
    if not candidates:
        return
    first, rest = candidates[0], candidates[1:]
    clearly_first = first.score >= MATCH_SCORE and (not rest or rest[0].score <= first.score - MATCH_GAP)
    only_exact = typed and first.exact and first.score >= MATCH_SCORE and not any(c.exact for c in rest)
    first.match = clearly_first or only_exact


# --- suggest --------------------------------------------------------------------------


def suggest_entities(prefix: str, *, types: list[str], start: int, size: int) -> list[dict]:
    """Entities whose name or an alias has words starting with the words of `prefix`, in
    name order, `size` of them from `start` (the name index, as `entities/?q=`)."""
    ids = Entity.objects.first_ids_matching(prefix, kinds=types, limit=size, offset=start)
    rows = {row["id"]: row for row in Entity.objects.filter(pk__in=ids).values("id", "kind", "name", "description")}
    return [rows[pk] for pk in ids if pk in rows]
