"""The curation queues: a document's way from new to done, and a claim a reviewer sends back.

A document moves new → in curation → ready for review → done:
- `document_take`: a curator takes a new (or released) document; it is theirs (`assignee`)
  and in curation. `document_assign` does the same on a reviewer's word, for a named
  curator; `document_release` lets it go again (its own curator, or a reviewer).
- `document_submit`: in curation → ready for review, once every mention suggestion of the
  text is decided (accepted or rejected) and none of its claims is a draft.
- `document_done`: ready for review → done (reviewers), once every claim is published or
  rejected. `document_reopen` sends it back to curation (reviewers), its curator kept.
- `claim_send_back`: a reviewer returns a claim in review to its curator as a draft, with a
  note (`Claim.review_note`); the documents it cites that were ready for review go back to
  curation, so that the curator finds them in their queue again.

Who may do each is declared in factbase/permissions.py (`take`, `submit`, `assign`, `done` on
documents; `publish` on claims for sending back); the state rules live here, and the admin,
the API and the fixture loader go through them. A refused step raises `Conflict` (409) with
the reason, or `Forbidden` (403) when it is someone else's to do."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from factbase.enums import ClaimStatus, CurationState
from factbase.models import Claim, Document, Mention, RejectedSuggestion, SourceSpan
from factbase.permissions import allows, refusal
from factbase.services.claims import is_reviewer
from factbase.services.errors import Conflict, Forbidden
from factbase.services.suggestions import document_suggestions

REVIEW_NOTE_MAX = 2000  # characters: a note says what to change, not a new claim
UNDECIDED = (ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


@dataclass(frozen=True)
class Progress:
    """How far the curation of a document has come: its mentions (accepted suggestions or
    marked by hand), the suggestions rejected and those still pending (None when not
    scanned), and its claims by status."""

    mentions: int
    rejected_suggestions: int
    pending_suggestions: int | None
    claims: dict[str, int]

    @property
    def drafts(self) -> int:
        return self.claims.get(ClaimStatus.DRAFT, 0)

    @property
    def undecided(self) -> int:
        return sum(self.claims.get(status, 0) for status in UNDECIDED)


def claims_by_status(document: Document) -> dict[str, int]:
    """The claims citing `document`, counted by status (each status present, in the
    workflow's order)."""
    rows = Claim.objects.citing(document).order_by().values("status").annotate(n=Count("pk"))
    found = {row["status"]: row["n"] for row in rows}
    return {status: found[status] for status in ClaimStatus.values if status in found}


def document_progress(*, document: Document, suggestions: bool = True) -> Progress:
    """The document's progress; `suggestions=False` skips the scan of its text for pending
    suggestions (the one costly part: the whole text against every known name)."""
    pending = len(document_suggestions(document=document)) if suggestions else None
    return Progress(
        mentions=Mention.objects.filter(document=document).count(),
        rejected_suggestions=RejectedSuggestion.objects.filter(document=document).count(),
        pending_suggestions=pending,
        claims=claims_by_status(document),
    )


def _check_allowed(by, action: str) -> None:
    if not allows(by, action, "factbase.document"):
        raise Forbidden(refusal(action, "factbase.document"))


def _locked(document: Document) -> Document:
    """The document's queue fields as stored, with the row locked: two curators taking it at
    once are served one after the other, and the second sees the first's hold."""
    stored = Document.objects.select_for_update().only("curation_state", "assignee").get(pk=document.pk)
    document.curation_state, document.assignee_id = stored.curation_state, stored.assignee_id
    return document


def _save(document: Document, *, state: str, assignee=...) -> Document:
    document.curation_state = state
    if assignee is not ...:
        document.assignee = assignee
    document.updated = timezone.now()
    # The queue fields only: validated alone (the text and its hash are not read again).
    document.clean_fields(exclude=[f.name for f in Document._meta.fields if f.name not in ("curation_state",)])
    document.save(update_fields=["curation_state", "assignee", "updated"])
    return document


def _state_name(document: Document) -> str:
    return document.get_curation_state_display().lower()


def _holder(document: Document) -> str:
    return document.assignee.get_username() if document.assignee_id else "nobody"


@transaction.atomic
def document_take(*, document: Document, by) -> Document:
    """Take a new or released document: it becomes `by`'s, in curation. Taking one's own
    document again changes nothing."""
    _check_allowed(by, "take")
    _locked(document)
    if document.curation_state not in (CurationState.NEW, CurationState.IN_CURATION):
        raise Conflict(
            {"curation_state": f"This document is {_state_name(document)}: only a reviewer sends it back to curation."}
        )
    if document.assignee_id == by.pk and document.curation_state == CurationState.IN_CURATION:
        return document
    if document.assignee_id is not None:
        raise Conflict(
            {
                "assignee": f"{_holder(document)} is curating this document: they release it, or a reviewer "
                "assigns it to someone else."
            }
        )
    return _save(document, state=CurationState.IN_CURATION, assignee=by)


@transaction.atomic
def document_assign(*, document: Document, assignee, by) -> Document:
    """A reviewer gives a new or in-curation document to `assignee`, who must be a curator."""
    _check_allowed(by, "assign")
    if assignee is None or not getattr(assignee, "is_active", False) or not allows(assignee, "take", document):
        raise ValidationError({"assignee": "Assign the document to an active curator."})
    _locked(document)
    if document.curation_state not in (CurationState.NEW, CurationState.IN_CURATION):
        raise Conflict({"curation_state": f"This document is {_state_name(document)}: send it back to curation first."})
    return _save(document, state=CurationState.IN_CURATION, assignee=assignee)


@transaction.atomic
def document_release(*, document: Document, by) -> Document:
    """Let a document in curation go: it stays in curation, for anyone to take. Its own
    curator releases it; anyone else's only a reviewer."""
    _check_allowed(by, "take")
    _locked(document)
    if document.curation_state != CurationState.IN_CURATION or document.assignee_id is None:
        raise Conflict({"assignee": f"Nobody holds this document to release it (it is {_state_name(document)})."})
    if document.assignee_id != by.pk and not allows(by, "assign", document):
        raise Forbidden(f"{_holder(document)} holds this document: only they, or a reviewer, release it.")
    return _save(document, state=CurationState.IN_CURATION, assignee=None)


@transaction.atomic
def document_submit(*, document: Document, by) -> Document:
    """In curation → ready for review, by its curator (or a reviewer), once every mention
    suggestion is accepted or rejected and no claim citing it is still a draft."""
    _check_allowed(by, "submit")
    _locked(document)
    if document.curation_state != CurationState.IN_CURATION:
        raise Conflict(
            {
                "curation_state": "Only a document in curation can be submitted for review; this one is "
                f"{_state_name(document)}."
            }
        )
    if document.assignee_id != by.pk and not is_reviewer(by):
        raise Forbidden(
            f"{_holder(document).capitalize()} holds this document: only they, or a reviewer, submit it for review."
            if document.assignee_id
            else "Take this document first: only its curator, or a reviewer, submits it for review."
        )
    progress = document_progress(document=document)
    problems = []
    if progress.pending_suggestions:
        problems.append(
            f"{_plural(progress.pending_suggestions, 'mention suggestion is', 'mention suggestions are')} still "
            "pending: accept or reject them (Suggested mentions)."
        )
    if progress.drafts:
        problems.append(
            f"{_plural(progress.drafts, 'claim is a draft', 'claims are drafts')}: submit them for review, or "
            "delete them."
        )
    if problems:
        raise Conflict({"curation_state": problems})
    return _save(document, state=CurationState.READY_FOR_REVIEW)


@transaction.atomic
def document_done(*, document: Document, by) -> Document:
    """Ready for review → done (reviewers), once every claim citing it is published or rejected."""
    _check_allowed(by, "done")
    _locked(document)
    if document.curation_state != CurationState.READY_FOR_REVIEW:
        raise Conflict(
            {
                "curation_state": f"Only a document ready for review can be marked done; this one is {_state_name(document)}."
            }
        )
    undecided = Claim.objects.citing(document).filter(status__in=UNDECIDED).count()
    if undecided:
        raise Conflict(
            {
                "curation_state": f"{_plural(undecided, 'claim is', 'claims are')} still in review or a draft: "
                "publish or reject every claim first."
            }
        )
    return _save(document, state=CurationState.DONE)


@transaction.atomic
def document_reopen(*, document: Document, by) -> Document:
    """Ready for review or done → in curation (reviewers), with the curator it had."""
    _check_allowed(by, "done")
    _locked(document)
    if document.curation_state not in (CurationState.READY_FOR_REVIEW, CurationState.DONE):
        raise Conflict(
            {
                "curation_state": "Only a document ready for review or done goes back to curation; this one is "
                f"{_state_name(document)}."
            }
        )
    return _save(document, state=CurationState.IN_CURATION)


@transaction.atomic
def claim_send_back(*, claim: Claim, note: str, by) -> Claim:
    """A reviewer returns a claim in review to its curator as a draft, saying what to change
    (`note`, kept in `review_note`). The documents it cites that were ready for review go
    back to curation."""
    if not is_reviewer(by):
        raise Forbidden(refusal("publish", "factbase.claim"))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what the curator should change."})
    if len(note) > REVIEW_NOTE_MAX:
        raise ValidationError({"note": f"Keep the note within {REVIEW_NOTE_MAX:,} characters."})
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.IN_REVIEW:
        raise Conflict(
            {"status": f"Only a claim in review can be sent back; this one is {claim.get_status_display().lower()}."}
        )
    claim.status = ClaimStatus.DRAFT
    claim.review_note = note
    claim.reviewed_by, claim.reviewed_at = by, timezone.now()
    claim.full_clean()
    claim.save()
    documents = Document.objects.filter(
        pk__in=SourceSpan.objects.filter(claim=claim).values("document_id"),
        curation_state=CurationState.READY_FOR_REVIEW,
    ).defer("text")  # the history keeps every field but the text
    for document in documents.select_for_update():
        _save(document, state=CurationState.IN_CURATION)
    return claim


def documents_settle(pks, *, using: str = "default") -> int:
    """Loaded documents that a fixture gave no queue state: "done" where claims cite them and
    every one is published or rejected (a curated seed), else left "new". Returns how many
    were settled."""
    pks = list(pks)
    if not pks:
        return 0
    # Asked per document (its spans by the document index), not as IN lists: SQLite read the
    # undecided claims by status and probed their spans for each document id of the list
    # (9 s for 500 documents and 100,000 claims).
    spans = SourceSpan.objects.using(using).filter(document=OuterRef("pk"))
    return (
        Document.objects.using(using)
        .filter(pk__in=pks, curation_state=CurationState.NEW, assignee__isnull=True)
        .filter(Exists(spans))
        .exclude(Exists(spans.filter(claim__status__in=UNDECIDED)))
        .update(curation_state=CurationState.DONE)
    )
