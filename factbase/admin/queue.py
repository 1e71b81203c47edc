"""The document queue in the admin: the changelist's queue filter (mine, unassigned, mine and
unassigned), each document's progress, and its steps (take, release, submit for review,
mark done, back to curation) as buttons on the document screen and a one-click “Take” on
the list. Every step is a service of factbase/services/queues.py, which holds the rules;
the buttons shown only mirror them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from factbase.enums import ClaimStatus, CurationState
from factbase.models import Document, RejectedSuggestion, SourceSpan
from factbase.permissions import allows
from factbase.services import queues
from factbase.services.claims import is_reviewer
from factbase.services.suggestions import document_suggestions


class QueueFilter(admin.SimpleListFilter):
    """?queue=open: the documents a curator may work on (theirs and the unassigned ones, not
    done); ?queue=mine, ?queue=unassigned."""

    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return (
            ("open", "Mine and unassigned (not done)"),
            ("mine", "Mine"),
            ("unassigned", "Unassigned"),
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value == "open":
            return queryset.queue_of(request.user)
        if value == "mine":
            return queryset.filter(assignee=request.user)
        if value == "unassigned":
            return queryset.filter(assignee__isnull=True)
        return queryset


def claims_by_status_annotations() -> dict:
    """claims_<status>: how many claims citing the document have each status, each a
    correlated count over the document's spans (the (document, start) index), so the
    changelist stays one query for its rows."""

    def count(status):
        # The document's spans, each joined to its claim by id: a claim quoted twice counts once.
        rows = (
            SourceSpan.objects.filter(document=OuterRef("pk"), claim__status=status)
            .order_by()
            .values("document")
            .annotate(n=Count("claim_id", distinct=True))
        )
        return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), 0)

    return {f"claims_{status}": count(status) for status in ClaimStatus.values}


def queue_panel(request, document: Document, *, spans: list, mentions: int) -> dict:
    """The document screen's queue panel: state, curator, progress, and the steps this user
    may take now. `spans` (with their claims) and `mentions` are what the screen already read."""
    user = request.user
    claims = {}
    for claim in {span.claim_id: span.claim for span in spans}.values():
        claims[claim.status] = claims.get(claim.status, 0) + 1
    pending = len(document_suggestions(document=document))
    state, mine = document.curation_state, document.assignee_id == user.pk
    open_ = state in (CurationState.NEW, CurationState.IN_CURATION)
    reviewer = is_reviewer(user)

    def url(step):
        return reverse("admin:factbase_document_queue", args=[document.pk, step])

    steps = []  # the step forward first (the page's default button)
    if open_ and document.assignee_id is None and allows(user, "take", document):
        steps.append(("take", "Take", url("take")))
    if state == CurationState.IN_CURATION and (mine or reviewer) and allows(user, "submit", document):
        steps.append(("submit", "Submit for review", url("submit")))
    if state == CurationState.IN_CURATION and document.assignee_id and (mine or allows(user, "assign", document)):
        steps.append(("release", "Release", url("release")))
    if state == CurationState.READY_FOR_REVIEW and allows(user, "done", document):
        steps.append(("done", "Mark done", url("done")))
    if state in (CurationState.READY_FOR_REVIEW, CurationState.DONE) and allows(user, "done", document):
        steps.append(("reopen", "Back to curation", url("reopen")))
    return {
        "state": state,
        "state_display": document.get_curation_state_display(),
        "assignee": document.assignee,
        "mine": mine,
        "mentions": mentions,
        "pending": pending,
        "rejected": RejectedSuggestion.objects.filter(document=document).count(),
        "claims": [(status, label, claims[status]) for status, label in ClaimStatus.choices if status in claims],
        "steps": steps,
        "review_url": reverse("admin:factbase_claim_review") + f"?document={document.pk}" if reviewer else "",
    }


# step -> (service, the declared action it needs, what the message says was done)
STEPS = {
    "take": (queues.document_take, "take", "taken: it is yours to curate"),
    "release": (queues.document_release, "take", "released"),
    "submit": (queues.document_submit, "submit", "submitted for review"),
    "done": (queues.document_done, "done", "marked done"),
    "reopen": (queues.document_reopen, "done", "sent back to curation"),
}


def step_view(model_admin, request, object_id: int, step: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if step not in STEPS:
        raise Http404("No such step.")
    service, action, done = STEPS[step]
    if not allows(request.user, action, "factbase.document", public=False):
        raise PermissionDenied
    document = get_object_or_404(Document.objects.defer("text").select_related("assignee"), pk=object_id)
    try:
        service(document=document, by=request.user)
    except PermissionDenied as exc:
        # The service's Forbidden: its message says who may (a 403 page would not).
        model_admin.message_user(request, f"Not {done.split(':')[0]}: {exc}", messages.ERROR)
    except ValidationError as exc:
        model_admin.message_user(request, f"Not {done.split(':')[0]}: {' '.join(exc.messages)}", messages.ERROR)
    else:
        model_admin.log_change(request, document, f"Document {done.split(':')[0]}.")
        model_admin.message_user(request, f"“{document}” {done}.", messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:factbase_document_change", args=[document.pk]))


def take_selected(model_admin, request, queryset) -> None:
    taken, failures = 0, []
    for document in queryset.defer("text").order_by("pk"):
        try:
            queues.document_take(document=document, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            failures.append(f"“{document}”: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        else:
            taken += 1
    if taken:
        model_admin.message_user(request, f"{taken} document(s) taken: they are yours to curate.", messages.SUCCESS)
    for failure in failures:
        model_admin.message_user(request, f"Not taken: {failure}", messages.ERROR)


def document_queue_urls(model_admin) -> list:
    """URL patterns for DocumentAdmin.get_urls(), behind the admin's login and CSRF checks."""
    site = model_admin.admin_site

    def wrapped(request, object_id, step):
        return step_view(model_admin, request, object_id, step)

    return [
        path("<int:object_id>/queue/<str:step>/", site.admin_view(wrapped), name="factbase_document_queue"),
    ]
