"""Two document screens beyond the change form, linked from it:

- **Suggested mentions** (`…/document/<id>/suggestions/`): every known entity name or alias
  found in the text and not yet recorded, in a table with checkboxes; "Accept selected"
  records them as mentions, "Reject selected" records that they are wrong so they are not
  suggested again (factbase/services/suggestions.py).
- **Revise text** (`…/document/<id>/revise/`): a corrected text becomes a new revision; the
  report lists what moved and what needs review (factbase/services/reanchor.py).

DocumentAdmin.get_urls() adds these views (`document_extra_urls`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from factbase import validators
from factbase.enums import JobKind
from factbase.models import Document, Entity
from factbase.permissions import allows
from factbase.services.errors import QueueUnavailable
from factbase.services.jobs import job_start
from factbase.services.reanchor import anchors_of, document_revise, document_revise_check
from factbase.services.suggestions import (
    document_suggestions,
    parse_suggestion_key,
    suggestions_accept,
    suggestions_reject,
)

ROW_LIMIT = 500  # one screen (some 300 KB); a document with more accepts in rounds


class _Quote:
    """What quote_in_context-style templates need: exact, prefix, suffix, start."""

    def __init__(self, text: str, start: int, end: int):
        self.start, self.end = start, end
        self.exact, self.prefix, self.suffix = validators.span_context(text, start, end)


def _keys(request) -> list[tuple[int, int, int]]:
    keys = []
    for raw in request.POST.getlist("key"):
        try:
            keys.append(parse_suggestion_key(raw))
        except ValueError:
            continue  # a tampered checkbox value is ignored, not a 500
    return keys


def _context(model_admin, request, document: Document, title: str) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": document,
        "title": title,
        "document_url": reverse("admin:factbase_document_change", args=[document.pk]),
    }


def suggestions_view(model_admin, request, object_id):
    if not allows(request.user, "suggest", "factbase.mention", public=False):
        raise PermissionDenied
    document = get_object_or_404(Document, pk=object_id)
    here = reverse("admin:factbase_document_suggestions", args=[document.pk])

    if request.method == "POST":
        keys = _keys(request)
        action = request.POST.get("action")
        if not keys:
            messages.warning(request, "Tick at least one suggestion first.")
        elif action == "accept":
            try:
                created = suggestions_accept(document=document, keys=keys, by=request.user)
            except ValidationError as exc:
                messages.error(request, f"Nothing was recorded: {' '.join(exc.messages)}")
            else:
                messages.success(request, f"Recorded {len(created)} mention{'s' if len(created) != 1 else ''}.")
        elif action == "reject":
            try:
                rejected = suggestions_reject(document=document, keys=keys, by=request.user)
            except ValidationError as exc:
                messages.error(request, f"Nothing was rejected: {' '.join(exc.messages)}")
            else:
                messages.success(
                    request, f"Rejected {rejected} suggestion{'s' if rejected != 1 else ''}; they will not come back."
                )
        else:
            messages.error(request, "Choose “Accept selected” or “Reject selected”.")
        return HttpResponseRedirect(here)

    suggestions = document_suggestions(document=document)
    entities = Entity.objects.in_bulk({item.entity_id for item in suggestions[:ROW_LIMIT]})
    rows = [
        {
            "key": item.key,
            "suggestion": item,
            "quote": _Quote(document.text, item.start, item.end),
            "entity": entities[item.entity_id],
            "entity_url": reverse("admin:factbase_entity_change", args=[item.entity_id]),
        }
        for item in suggestions[:ROW_LIMIT]
        if item.entity_id in entities  # deleted or merged away since the matcher was built
    ]
    context = {
        **_context(model_admin, request, document, f"Suggested mentions in “{document.title}”"),
        "rows": rows,
        "total": len(suggestions),
        "limited": len(suggestions) > ROW_LIMIT,
    }
    return TemplateResponse(request, "admin/factbase/document/suggestions.html", context)


def revise_view(model_admin, request, object_id):
    if not allows(request.user, "revise", "factbase.document", public=False):
        raise PermissionDenied
    document = get_object_or_404(Document, pk=object_id)
    newer = document.revisions.order_by("id").first()
    context = _context(model_admin, request, document, f"Revise the text of “{document.title}”")
    context.update({"newer": newer, "text": document.text, "new_title": document.title, "errors": []})

    if request.method == "POST" and newer is None:
        text = request.POST.get("text", "")
        # Browsers send textarea line breaks as CRLF; keep the document's own convention.
        if "\r\n" not in document.text:
            text = text.replace("\r\n", "\n")
        title = request.POST.get("title", "")
        try:
            if anchors_of(document) > settings.FACTBASE_REANCHOR_INLINE_MAX:
                # As the API: a document with many anchors is revised by a job; its page follows it.
                document_revise_check(document=document, text=text)
                job = job_start(
                    kind=JobKind.REANCHOR,
                    by=request.user,
                    parameters={"document": document.pk, "title": title},
                    payload={"text": text},
                )
                messages.info(request, f"The revision is made by job #{job.pk} ({job.get_status_display().lower()}).")
                return HttpResponseRedirect(reverse("admin:factbase_job_change", args=[job.pk]))
            report = document_revise(document=document, text=text, title=title, by=request.user)
        except (ValidationError, QueueUnavailable) as exc:
            errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            context.update({"text": text, "new_title": title, "errors": errors})
        else:
            messages.success(
                request,
                f"Created revision #{report.document.pk}. "
                + ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in report.counts().items())
                + ".",
            )
            context.update(
                {
                    "report": report,
                    "revision_url": reverse("admin:factbase_document_change", args=[report.document.pk]),
                    "flagged": [{"outcome": o, "url": _anchor_url(o)} for o in report.needs_review()],
                }
            )
            return TemplateResponse(request, "admin/factbase/document/revise_report.html", context)
    return TemplateResponse(request, "admin/factbase/document/revise.html", context)


def _anchor_url(outcome) -> str:
    """Where a curator fixes a flagged anchor: a span on its claim's screen (spans are
    inlines there), a mention on its own."""
    if outcome.kind == "mention":
        return reverse("admin:factbase_mention_change", args=[outcome.id])
    return reverse("admin:factbase_claim_change", args=[outcome.claim_id])


def document_extra_urls(model_admin) -> list:
    """URL patterns for DocumentAdmin.get_urls(), behind the admin's login and CSRF checks."""
    site = model_admin.admin_site

    def wrap(view):
        def wrapped(request, object_id):
            return view(model_admin, request, object_id)

        return site.admin_view(wrapped)

    return [
        path("<int:object_id>/suggestions/", wrap(suggestions_view), name="factbase_document_suggestions"),
        path("<int:object_id>/revise/", wrap(revise_view), name="factbase_document_revise"),
    ]
