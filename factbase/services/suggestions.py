"""Mention suggestions: every occurrence of every known entity name and alias in a document,
offered to a curator as mentions to accept or reject.

Matching is done by an Aho-Corasick automaton (pyahocorasick) over every entity name and
alias, so a scan costs time proportional to the document, not to the number of names. The
automaton is built once per process and rebuilt only when names or aliases change (see
`_signature`). What it finds in a document's text is kept too, for the few documents last
asked about, so that each further page of a document's suggestions costs no new scan.

Rules, in the order they are applied:

1. **Same letters.** Names and text are compared in a length-preserving folded form
   (lower case, typographic apostrophe as ', any whitespace as one space), so offsets in the
   folded text are offsets in the real text.
2. **Word boundaries.** A match whose first or last character is a letter or digit must not
   continue a word: "Laos" is not found in "Chaos", "US" not in "USB".
3. **Case.** The text must carry the name's capitals. Exact-case matches always count, and
   are preferred when two names differ only in case. Otherwise:
   - a name with no lower-case letters (an acronym: "US", "ASEAN") matches only as written,
     or, when it has at least `MIN_CASELESS_LETTERS` letters, in title case ("Asean");
     so "us" in running text is never the United States;
   - a text may capitalise a name's lower-case word-initial letter ("the Independent"
     matches "The Independent" at the start of a sentence), but never lower a capital
     ("china" is not China, "turkey" is not Turkey);
   - text in capitals (a headline: "LAVROV") matches a name of at least
     `MIN_CASELESS_LETTERS` letters.
4. **Longest match.** Where matches overlap, the longest wins and the shorter ones inside
   it are dropped: "Russian Foreign Ministry" is one suggestion, not also "Russian"; "United
   Russia" (the party) is not also Russia. One exception, because curators record it so: a
   *descriptive* name, one with a lower-case word other than a name particle ("Lavrov’s
   visit to Indonesia and Laos", "military regime in Myanmar"), is suggested and so are the
   names wholly inside it (Lavrov, Indonesia, Laos; Myanmar), since a description names
   them. Matches that only partly overlap never both survive.
5. **Already decided.** A suggestion equal to an existing mention, or overlapping an
   existing mention of the same entity, is not offered again; nor is one a curator
   rejected (`suggestions_reject`).

When one name belongs to several entities (two people called "Streltsov"), every candidate
is suggested with `ambiguous=True`; the curator picks.
"""

from __future__ import annotations

import hashlib
import re
import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import Length

from factbase import validators
from factbase.indexes import name_changes
from factbase.models import Alias, Document, Entity, Mention, RejectedSuggestion
from factbase.services.mentions import mention_create

MIN_CASELESS_LETTERS = 4
# One character for one character: typographic apostrophes become ', whitespace a space.
_FOLD_TABLE = {ord(c): "'" for c in "’‘ʼ"} | {cp: " " for cp in range(0x3001) if chr(cp).isspace()}


def fold(text: str) -> str:
    """Lower-case, one kind of apostrophe, every whitespace character a space: the same
    length as `text`, so an offset into the folded text is an offset into `text`."""
    source = text.translate(_FOLD_TABLE)
    folded = source.lower()
    if len(folded) != len(source):  # "İ".lower() is two code points: keep such characters
        folded = "".join(low if len(low := c.lower()) == 1 else c for c in source)
    return folded


def _normalise_form(name: str) -> str:
    """A name as it is matched: whitespace runs collapsed to one space, ends stripped."""
    return " ".join(name.split())


def case_compatible(found: str, form: str) -> bool:
    """Whether the text `found` may stand for the name `form` (same folded letters)."""
    found, form = found.translate(_FOLD_TABLE), form.translate(_FOLD_TABLE)
    if found == form:
        return True
    letters = sum(c.isalpha() for c in form)
    if not any(c.islower() for c in form):  # an acronym: US, ASEAN, U.S.
        return letters >= MIN_CASELESS_LETTERS and found == form[:1] + form[1:].lower()
    if letters >= MIN_CASELESS_LETTERS and found == found.upper():
        return True  # a headline in capitals
    for index, (got, want) in enumerate(zip(found, form, strict=True)):
        if got == want:
            continue
        word_start = index == 0 or not form[index - 1].isalnum()
        if word_start and want.islower() and got == want.upper():
            continue
        return False
    return True


@dataclass(frozen=True)
class Match:
    """A stretch of text that names one or more entities."""

    start: int
    end: int
    exact: str
    matched: str  # the name or alias that matched, as stored
    entity_ids: tuple[int, ...]


class AliasMatcher:
    """An Aho-Corasick automaton over (name, entity id) pairs. Pure: no database access, so
    the benchmark and the tests can build one from any list of names."""

    def __init__(self, names: Iterable[tuple[str, int]]):
        entries: dict[str, list[tuple[str, int]]] = {}
        for name, entity_id in names:
            form = _normalise_form(name or "")
            if not form:
                continue
            entries.setdefault(fold(form), []).append((form, entity_id))
        self._automaton = ahocorasick.Automaton()
        for key, forms in entries.items():
            self._automaton.add_word(key, (len(key), tuple(dict.fromkeys(forms))))
        self.size = len(entries)
        if self.size:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        """Every longest, word-bounded, case-compatible match in `text`, in text order."""
        if not self.size or not text:
            return []
        folded = fold(text)
        length = len(text)
        candidates = []
        for last, (size, forms) in self._automaton.iter(folded):
            start, end = last - size + 1, last + 1
            if folded[start].isalnum() and start > 0 and folded[start - 1].isalnum():
                continue
            if folded[last].isalnum() and end < length and folded[end].isalnum():
                continue
            exact = text[start:end]
            fitting = [(form, entity_id) for form, entity_id in forms if case_compatible(exact, form)]
            if not fitting:
                continue
            exact_case = [(form, entity_id) for form, entity_id in fitting if form == exact]
            chosen = exact_case or fitting
            entity_ids = tuple(dict.fromkeys(entity_id for _, entity_id in chosen))
            candidates.append(Match(start, end, exact, chosen[0][0], entity_ids))
        return _longest(candidates, length)


# Lower-case words that occur inside proper names ("Ministry of Foreign Affairs", "Ahmad bin
# Ali"): they do not make a name descriptive.
NAME_PARTICLES = frozenset("of the and for de du des la le van von der den bin al el da di y und et".split())


def is_descriptive(name: str) -> bool:
    """A description rather than a proper name: it has a lower-case word that is not a
    name particle ("Lavrov's visit to Laos", "Putin administration")."""
    return any(word[:1].islower() and word not in NAME_PARTICLES for word in name.split())


def _longest(candidates: list[Match], length: int) -> list[Match]:
    """Keep the longest matches (rule 4 of the module docstring): longest first, then
    leftmost; a candidate survives if it touches no kept proper name and lies wholly inside
    one kept description, or touches none."""
    candidates.sort(key=lambda m: (m.start - m.end, m.start))
    proper = bytearray(length)  # 1 where a kept proper name lies
    inside = array("l", [0]) * length  # which kept description (its number + 1) covers a character
    kept = []
    for match in candidates:
        if proper.find(1, match.start, match.end) != -1:
            continue
        if len(set(inside[match.start : match.end])) > 1:
            continue  # straddles the edge of a description, or two of them
        if is_descriptive(match.matched):
            inside[match.start : match.end] = array("l", [len(kept) + 1]) * (match.end - match.start)
        else:
            proper[match.start : match.end] = b"\x01" * (match.end - match.start)
        kept.append(match)
    kept.sort(key=lambda m: (m.start, m.start - m.end))  # text order; outer before inner
    return kept


# One automaton per process, rebuilt when the names change. The lock keeps two threads of
# one process from building it twice at the same time.
_cache: dict = {"signature": None, "matcher": None}
_lock = threading.Lock()


def _signature() -> tuple:
    """What changes whenever a name or alias does: the counter the name triggers keep
    (factbase/indexes/name_changes.py), one row read. Where it is missing, a fingerprint
    from two aggregate queries over every name and alias (row counts, the newest entity
    update, the newest alias id, the total length of names and the sum of alias owners),
    which reads both tables whole (0.18 s at a million claims)."""
    # From where the names below are read (a replica, with read replicas): a counter read
    # from the primary could pair a newer version with older names, and keep them.
    version = name_changes.version(connections[router.db_for_read(Entity)])
    if version is not None:
        return ("changes", version)
    entities = Entity.objects.aggregate(n=Count("id"), updated=Max("updated"), chars=Sum(Length("name")))
    aliases = Alias.objects.aggregate(n=Count("id"), last=Max("id"), chars=Sum(Length("name")), owners=Sum("entity_id"))
    return (*entities.values(), *aliases.values())


def alias_matcher() -> AliasMatcher:
    """The automaton over every current entity name and alias."""
    signature = _signature()
    with _lock:
        if _cache["signature"] != signature or _cache["matcher"] is None:
            names = list(Entity.objects.values_list("name", "id"))
            names += list(Alias.objects.values_list("name", "entity_id"))
            _cache["matcher"] = AliasMatcher(names)
            _cache["signature"] = signature
            _found.clear()
        return _cache["matcher"]


def matcher_invalidate() -> None:
    """Forget the cached automaton (the next call rebuilds it)."""
    with _lock:
        _cache["signature"] = _cache["matcher"] = None
        _found.clear()


# What the current matcher found in the texts last asked about, by the text's SHA-256: a
# document's pages are asked one after the other, and a scan of a 10 kB text against every
# name takes about 0.1 s at a million claims. Emptied whenever the matcher is rebuilt.
FOUND_TEXTS = 16
_found: OrderedDict[str, list[Match]] = OrderedDict()


def matches_in(text: str) -> list[Match]:
    """`alias_matcher().find(text)`, kept for the FOUND_TEXTS texts last asked about."""
    matcher = alias_matcher()
    key = hashlib.sha256(text.encode()).hexdigest()
    with _lock:
        if _cache["matcher"] is matcher and key in _found:
            _found.move_to_end(key)
            return _found[key]
    matches = matcher.find(text)
    with _lock:
        if _cache["matcher"] is matcher:
            _found[key] = matches
            while len(_found) > FOUND_TEXTS:
                _found.popitem(last=False)
    return matches


@dataclass(frozen=True)
class Suggestion:
    entity_id: int
    start: int
    end: int
    exact: str
    matched: str
    ambiguous: bool

    @property
    def key(self) -> str:
        """A stable token for forms: entity:start:end."""
        return f"{self.entity_id}:{self.start}:{self.end}"


def document_suggestions(*, document: Document) -> list[Suggestion]:
    """Suggested mentions for `document`, in text order, minus those already recorded."""
    recorded = list(Mention.objects.filter(document=document).values_list("entity_id", "start", "end"))
    rejected = RejectedSuggestion.objects.filter(document=document).values_list("entity_id", "start", "end")
    exact_keys = set(recorded) | set(rejected)
    by_entity: dict[int, list[tuple[int, int]]] = {}
    for entity_id, start, end in recorded:
        by_entity.setdefault(entity_id, []).append((start, end))
    suggestions = []
    for match in matches_in(document.text):
        for entity_id in match.entity_ids:
            if (entity_id, match.start, match.end) in exact_keys:
                continue
            if any(s < match.end and match.start < e for s, e in by_entity.get(entity_id, ())):
                continue
            suggestions.append(
                Suggestion(
                    entity_id=entity_id,
                    start=match.start,
                    end=match.end,
                    exact=match.exact,
                    matched=match.matched,
                    ambiguous=len(match.entity_ids) > 1,
                )
            )
    return suggestions


SCAN_CHUNK = 200  # documents read per query by a scan (their texts: at most 2 MiB each)
SCAN_BUSIEST = 20  # documents a scan's result names, the most suggestions first


def suggestions_scan(*, document_ids=None, progress=None) -> dict:
    """Count the suggestions of many documents (`document_ids`, or every document), in id
    order, building the matcher once: the scan a curator runs as a job
    (factbase/services/jobs.py) to see where mentions are still to be recorded.
    `progress(done, total)` after each document. Answers the totals, the SCAN_BUSIEST
    documents with the most suggestions, and the asked ids that name no document."""
    documents = Document.objects.order_by("id")
    asked = None
    if document_ids is not None:
        asked = sorted({int(pk) for pk in document_ids})
        documents = documents.filter(pk__in=asked)
    total = documents.count()
    if progress is not None:
        progress(0, total)
    alias_matcher()
    done = suggestions = with_suggestions = 0
    counts: list[tuple[int, int]] = []
    seen: set[int] = set()
    last = 0
    while True:
        # Keyset chunks: one query per SCAN_CHUNK documents, never an OFFSET.
        chunk = list(documents.filter(pk__gt=last).only("id", "text")[:SCAN_CHUNK])
        if not chunk:
            break
        for document in chunk:
            n = len(document_suggestions(document=document))
            suggestions += n
            with_suggestions += n > 0
            counts.append((n, document.pk))
            counts = sorted(counts, key=lambda item: (-item[0], item[1]))[:SCAN_BUSIEST]
            seen.add(document.pk)
            done += 1
            if progress is not None:
                progress(done, total)
        last = chunk[-1].pk
    missing = [pk for pk in asked if pk not in seen] if asked is not None else []
    return {
        "documents": done,
        "suggestions": suggestions,
        "documents_with_suggestions": with_suggestions,
        "busiest": [{"document": pk, "suggestions": n} for n, pk in counts if n],
        "missing": missing[:SCAN_BUSIEST],
    }


_KEY = re.compile(r"([0-9]{1,19}):([0-9]{1,10}):([0-9]{1,10})")
_MAX_ID = 2**63 - 1  # a larger id could not be looked up (bigint) and names nothing


def parse_suggestion_key(key: str) -> tuple[int, int, int]:
    """(entity_id, start, end) from `Suggestion.key`; ValueError when malformed."""
    match = _KEY.fullmatch(str(key))
    if match is None or not 1 <= int(match[1]) <= _MAX_ID:
        raise ValueError(f"{key!r} is not entity:start:end")
    return int(match[1]), int(match[2]), int(match[3])


@transaction.atomic
def suggestions_accept(*, document: Document, keys: Iterable[tuple[int, int, int]], by=None) -> list[Mention]:
    """Record the chosen suggestions as mentions. Each is validated like any mention
    (offsets inside the text, entity exists); one already recorded is skipped, so a form
    submitted twice creates nothing twice. All or nothing."""
    keys = list(dict.fromkeys(keys))
    entities = Entity.objects.in_bulk({entity_id for entity_id, _, _ in keys})
    existing = set(Mention.objects.filter(document=document).values_list("entity_id", "start", "end"))
    created = []
    for entity_id, start, end in keys:
        if (entity_id, start, end) in existing:
            continue
        entity = entities.get(entity_id)
        if entity is None:
            raise ValidationError({"entity": f"Entity #{entity_id} does not exist (merged or deleted?)."})
        created.append(mention_create(document=document, entity=entity, start=start, end=end, by=by))
    return created


@transaction.atomic
def suggestions_reject(*, document: Document, keys: Iterable[tuple[int, int, int]], by=None) -> int:
    """Record that the chosen suggestions are wrong (that entity is not meant there), so
    they are not suggested again. Returns how many were newly rejected."""
    keys = list(dict.fromkeys(keys))
    known = set(Entity.objects.filter(pk__in={entity_id for entity_id, _, _ in keys}).values_list("pk", flat=True))
    existing = set(RejectedSuggestion.objects.filter(document=document).values_list("entity_id", "start", "end"))
    rows = []
    for entity_id, start, end in keys:
        if entity_id not in known:
            raise ValidationError({"entity": f"Entity #{entity_id} does not exist (merged or deleted?)."})
        validators.validate_span_offsets(start, end, len(document.text))
        if (entity_id, start, end) not in existing:
            rows.append(
                RejectedSuggestion(
                    document=document,
                    entity_id=entity_id,
                    start=start,
                    end=end,
                    rejected_by=by if getattr(by, "is_authenticated", False) else None,
                )
            )
    RejectedSuggestion.objects.bulk_create(rows)
    return len(rows)
