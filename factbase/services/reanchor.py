"""Document revisions and re-anchoring: a curator corrects a document's text by creating a
new revision; every span and mention is carried over to it by its quote, the way the
Hypothesis client re-anchors annotations, and none is ever moved on a guess.

For each anchor (start, end, exact, prefix, suffix) on the old text, in this order:

1. **Same place.** The new text still has `exact` at `start`–`end` with the same context:
   the anchor moves to the new revision unchanged (`anchor_status="ok"`).
2. **Exact quote elsewhere.** Every occurrence of `exact` in the new text is scored by how
   much of the stored prefix and suffix surround it (20 points each, as Hypothesis weighs
   context) and by nearness to the old position (2 points). The best occurrence wins when at
   least half of the prefix or of the suffix still agrees and no other occurrence has
   context as good: the anchor moves there (`"moved"`, note records old and new offsets).
3. **Otherwise it stays.** The quote is gone (edited), or occurs only out of context, or
   twice with the same context: the anchor stays on the OLD revision (whose text remains
   readable and locked) and is flagged `"needs_review"`. A bounded fuzzy search
   (difflib over a window around the old position) records the closest passage in the note,
   so the reviewer sees where it probably went; it is a hint, never applied.

A reviewer resolves a flagged anchor with `anchor_resolve`, giving its new offsets.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db import transaction

from factbase.enums import AnchorStatus
from factbase.limits import MENTIONS_PER_DOCUMENT, SPANS_PER_DOCUMENT
from factbase.models import Document, Mention, SourceSpan, text_sha256
from factbase.services.documents import document_create
from factbase.services.errors import Conflict
from factbase.services.ingest import validate_source_text
from factbase.services.spans import anchor_from_input

CONTEXT_AGREEMENT = 0.5  # share of the stored prefix or suffix that must still surround the quote
FUZZY_WINDOW = 10_000  # characters searched on each side of the old position
FUZZY_MAX_QUOTE = 2_000  # longer quotes get no fuzzy hint (cost grows with quote length)


@dataclass(frozen=True)
class Located:
    status: str
    start: int | None
    end: int | None
    note: str


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _context_agreement(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[float, float]:
    """(prefix, suffix) agreement in [0, 1]: the share of the stored context that still
    touches the quote. An empty stored context (the quote began or ended the text) agrees
    only where the candidate also begins or ends the text."""
    if prefix:
        before = text[max(0, start - len(prefix)) : start]
        p = _common_suffix(before, prefix) / len(prefix)
    else:
        p = 1.0 if start == 0 else 0.0
    if suffix:
        after = text[end : end + len(suffix)]
        s = _common_prefix(after, suffix) / len(suffix)
    else:
        s = 1.0 if end == len(text) else 0.0
    return p, s


def _closest_passage(text: str, exact: str, hint: int) -> tuple[int, int, float] | None:
    """The passage of `text` most like `exact` near `hint`, with its similarity (0–1)."""
    if not exact or len(exact) > FUZZY_MAX_QUOTE or not text:
        return None
    lo = max(0, hint - FUZZY_WINDOW)
    hi = min(len(text), hint + len(exact) + FUZZY_WINDOW)
    window = text[lo:hi]
    blocks = [b for b in SequenceMatcher(None, window, exact, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return None
    best = None
    # Place the quote against each of its longest matching pieces; keep the most similar.
    for block in sorted(blocks, key=lambda b: -b.size)[:5]:
        start = max(0, block.a - block.b)
        for length in {len(exact), len(exact) - len(exact) // 8, len(exact) + len(exact) // 8}:
            end = min(len(window), start + max(1, length))
            ratio = SequenceMatcher(None, window[start:end], exact, autojunk=False).ratio()
            if best is None or ratio > best[2]:
                best = (lo + start, lo + end, ratio)
    return best


def locate(*, text: str, start: int, end: int, exact: str, prefix: str = "", suffix: str = "") -> Located:
    """Where the anchor (start, end, exact, prefix, suffix) of an old text belongs in `text`."""
    if text[start:end] == exact and _context_agreement(text, start, end, prefix, suffix) == (1.0, 1.0):
        return Located(AnchorStatus.OK, start, end, "Same position in the new revision.")

    scored = []
    position = text.find(exact) if exact else -1
    while position != -1:
        p, s = _context_agreement(text, position, position + len(exact), prefix, suffix)
        nearness = 1 - min(abs(position - start), len(text)) / max(len(text), 1)
        scored.append((20 * p + 20 * s + 2 * nearness, p, s, position))
        position = text.find(exact, position + 1)

    if scored:
        scored.sort(key=lambda row: (-row[0], row[3]))
        score, p, s, best = scored[0]
        if max(p, s) < CONTEXT_AGREEMENT:
            where = ", ".join(str(row[3]) for row in sorted(scored, key=lambda r: r[3])[:5])
            return Located(
                AnchorStatus.NEEDS_REVIEW,
                None,
                None,
                f"The quote occurs at {where} in the new revision, but its surrounding text changed "
                f"(context agreement {p:.0%} before, {s:.0%} after); not moved.",
            )
        rivals = [row for row in scored[1:] if (row[1], row[2]) == (p, s)]
        if rivals:
            where = ", ".join(str(row[3]) for row in sorted([scored[0], *rivals], key=lambda r: r[3])[:5])
            return Located(
                AnchorStatus.NEEDS_REVIEW,
                None,
                None,
                f"The quote occurs {len(rivals) + 1} times with the same context (at {where}); not moved.",
            )
        status = AnchorStatus.OK if best == start else AnchorStatus.MOVED
        return Located(
            status,
            best,
            best + len(exact),
            f"Moved from {start}–{end} to {best}–{best + len(exact)} "
            f"(exact quote; context agreement {p:.0%} before, {s:.0%} after).",
        )

    closest = _closest_passage(text, exact, start)
    if closest is None:
        hint = "no similar passage was found."
    else:
        c_start, c_end, ratio = closest
        snippet = text[c_start:c_end]
        if len(snippet) > 120:
            snippet = snippet[:117] + "…"
        hint = f"closest passage {c_start}–{c_end} “{snippet}” ({ratio:.0%} similar)."
    return Located(
        AnchorStatus.NEEDS_REVIEW, None, None, f"The exact quote is not in the new revision; not moved. {hint}"
    )


@dataclass
class AnchorOutcome:
    kind: str  # "span" or "mention"
    id: int
    status: str
    exact: str
    old_start: int
    old_end: int
    start: int | None
    end: int | None
    note: str
    claim_id: int | None = None
    entity_id: int | None = None


@dataclass
class RevisionReport:
    previous: Document
    document: Document
    outcomes: list[AnchorOutcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in AnchorStatus.values}
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        return counts

    def needs_review(self) -> list[AnchorOutcome]:
        return [o for o in self.outcomes if o.status == AnchorStatus.NEEDS_REVIEW]

    def as_dict(self) -> dict:
        return {
            "previous": self.previous.pk,
            "document": self.document.pk,
            "counts": self.counts(),
            "anchors": [asdict(o) for o in self.outcomes],
        }


def _note(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# django-simple-history keeps a change reason of at most 100 characters (varchar(100)).
CHANGE_REASON_LIMIT = 100


def _anchor_key(anchor: SourceSpan | Mention) -> tuple:
    """What `locate` reads of an anchor: a plan made for these values holds for it."""
    return (anchor.start, anchor.end, anchor.exact, anchor.prefix, anchor.suffix)


def _locate_anchor(anchor: SourceSpan | Mention, text: str) -> Located:
    return locate(
        text=text, start=anchor.start, end=anchor.end, exact=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix
    )


def revision_plan(*, document: Document, text: str, progress=None) -> dict:
    """Where each span and mention of `document` belongs in `text`, found before the revision
    and outside its transaction (a job's first half: factbase/services/jobs.py), so that the
    transaction holds its locks for the writes only. {(kind, id): (the anchor's values,
    Located)}; `document_revise(plan=…)` uses an entry only while the anchor still has those
    values, and locates any other anchor itself. `progress(done)` after each anchor."""
    plan = {}
    for kind, model in (("span", SourceSpan), ("mention", Mention)):
        anchors = model.objects.filter(document=document).only("id", "start", "end", "exact", "prefix", "suffix")
        for anchor in anchors.order_by("start", "id").iterator(chunk_size=500):
            plan[kind, anchor.pk] = (_anchor_key(anchor), _locate_anchor(anchor, text))
            if progress is not None:
                progress(len(plan))
    return plan


def _reanchor(anchor: SourceSpan | Mention, *, new: Document, kind: str, plan: dict | None = None) -> AnchorOutcome:
    old_start, old_end = anchor.start, anchor.end
    planned = (plan or {}).get((kind, anchor.pk))
    if planned is not None and planned[0] == _anchor_key(anchor):
        found = planned[1]
    else:  # no plan, or the anchor changed since it was made
        found = _locate_anchor(anchor, new.text)
    previous = anchor.document_id
    if found.status == AnchorStatus.NEEDS_REVIEW:
        anchor.anchor_status = AnchorStatus.NEEDS_REVIEW
        anchor.anchor_note = _note(f"Revision #{new.pk}: {found.note}")
    else:
        anchor.document = new
        anchor.start, anchor.end = found.start, found.end  # clean_anchor refreshes prefix and suffix
        anchor.anchor_status = found.status
        anchor.anchor_note = _note(f"Re-anchored from document #{previous} to revision #{new.pk}: {found.note}")
    anchor._change_reason = _note(anchor.anchor_note, CHANGE_REASON_LIMIT)
    anchor.full_clean()
    anchor.save()
    return AnchorOutcome(
        kind=kind,
        id=anchor.pk,
        status=found.status,
        exact=anchor.exact,
        old_start=old_start,
        old_end=old_end,
        start=found.start,
        end=found.end,
        note=anchor.anchor_note,
        claim_id=getattr(anchor, "claim_id", None),
        entity_id=getattr(anchor, "entity_id", None),
    )


def document_revise_check(*, document: Document, text: str) -> None:
    """Whether `text` may become the next revision of `document`: raises what
    `document_revise` would (a newer revision or the same text elsewhere: Conflict; a text
    that is no text, or unchanged: ValidationError). The API asks it before handing a large
    revision to a job, so that such a refusal is still answered at once."""
    newer = document.revisions.order_by("id").first()
    if newer is not None:
        raise Conflict(
            {"text": f"Document #{document.pk} already has a newer revision (#{newer.pk}); revise that one."}
        )
    validate_source_text(text)
    if text == document.text:
        raise ValidationError({"text": "The new text is identical to the current one; there is nothing to revise."})
    clash = Document.objects.filter(sha256=text_sha256(text)).first()
    if clash is not None:
        raise Conflict({"text": f"Document #{clash.pk} already has exactly this text."})


def anchors_of(document: Document) -> int:
    """How many spans and mentions a revision of `document` re-anchors."""
    return SourceSpan.objects.filter(document=document).count() + Mention.objects.filter(document=document).count()


@transaction.atomic
def document_revise(
    *, document: Document, text: str, by=None, title: str = "", progress=None, plan: dict | None = None
) -> RevisionReport:
    """Create a corrected revision of `document` with `text` and carry its spans and mentions
    over (see the module docstring). The old revision keeps its text, stays readable and
    locked, and keeps every anchor that could not be carried over exactly. `progress(done)`
    after each anchor; `plan`: where the anchors go, found beforehand (`revision_plan`)."""
    document = Document.objects.select_for_update().get(pk=document.pk)  # one revision at a time
    document_revise_check(document=document, text=text)

    revision = document_create(
        title=(title or "").strip() or document.title,
        text=text,
        published=document.partial_date,
        publisher=document.publisher,
        language=document.language,
        url=document.url,
        revision_of=document,
        by=by,
    )
    report = RevisionReport(previous=document, document=revision)
    spans = SourceSpan.objects.select_for_update().filter(document=document).select_related("document")
    mentions = Mention.objects.select_for_update().filter(document=document).select_related("document")
    for span in spans.order_by("start", "id"):
        report.outcomes.append(_reanchor(span, new=revision, kind="span", plan=plan))
        if progress is not None:
            progress(len(report.outcomes))
    for mention in mentions.order_by("start", "id"):
        report.outcomes.append(_reanchor(mention, new=revision, kind="mention", plan=plan))
        if progress is not None:
            progress(len(report.outcomes))
    return report


def latest_revision(document: Document) -> Document:
    """The newest revision in `document`'s chain (itself when it has none)."""
    current = document
    while (newer := current.revisions.order_by("id").first()) is not None:
        current = newer
    return current


@transaction.atomic
def anchor_resolve(
    *, anchor: SourceSpan | Mention, start: int | None = None, end: int | None = None, exact: str = "", by=None
) -> SourceSpan | Mention:
    """A reviewer's decision for a flagged anchor: place it on the latest revision at
    `start`–`end` (or at the exact quote), status "moved", the old position kept in the note."""
    if anchor.anchor_status != AnchorStatus.NEEDS_REVIEW:
        raise ValidationError({"anchor_status": "Only an anchor flagged “needs review” is resolved this way."})
    target = latest_revision(anchor.document)
    if target.pk != anchor.document_id:
        # A later revision may have filled up since: the anchor counts against its limit.
        limit = SPANS_PER_DOCUMENT if isinstance(anchor, SourceSpan) else MENTIONS_PER_DOCUMENT
        limit.check_adding(target, field="document")
    spec = {"start": start, "end": end} if start is not None or end is not None else {"exact": exact}
    placed = anchor_from_input(text=target.text, spec=spec)
    old = f"#{anchor.document_id} {anchor.start}–{anchor.end} “{anchor.exact[:60]}”"
    anchor.document = target
    anchor.start, anchor.end, anchor.exact = placed.start, placed.end, placed.exact
    anchor.anchor_status = AnchorStatus.MOVED
    who = f" by {by}" if by is not None and getattr(by, "is_authenticated", False) else ""
    anchor.anchor_note = _note(f"Re-anchored by hand{who} from {old} to #{target.pk} {placed.start}–{placed.end}.")
    anchor._change_reason = _note(anchor.anchor_note, CHANGE_REASON_LIMIT)
    anchor.full_clean()
    anchor.save()
    return anchor
