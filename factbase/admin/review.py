"""The review queue (`/admin/factbase/claim/review/`): the claims in review, oldest first (or
one document's, `?document=`), one at a time, each with its spans in the surrounding text
and the fact it joins, and three decisions: publish, reject with a reason, send back to the
curator with a note. After each the next claim in the queue is shown, so a reviewer works
through the queue without going back to a list; static/factbase/admin/review.js gives the
keys (p publish, r reject, b send back, n or j next, k previous).

The queue's order is (created, id), walked from the claim just decided or skipped
(`?after=<id>`) through the claim_status_created index; decisions go through
factbase/services/claims.py (publish, reject) and factbase/services/queues.py (send back)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest, Substr
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from factbase.admin.changelists import capped_count
from factbase.admin.mixins import count_text
from factbase.enums import ClaimStatus
from factbase.models import Claim, Document, SourceSpan
from factbase.services.claims import claim_publish, claim_reject, is_reviewer
from factbase.services.queues import REVIEW_NOTE_MAX, claim_send_back

CONTEXT = 240  # characters of the text shown either side of a quote
OTHER_CLAIMS = 5  # of the claim's fact, listed


def _id(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18 else None


def _queue(document_id: int | None):
    """The claims in review, in the queue's order; only those citing a document with one."""
    claims = Claim.objects.filter(status=ClaimStatus.IN_REVIEW)
    if document_id is not None:
        claims = claims.citing(document_id)
    return claims.order_by("created", "id")


def _after(queue, claim):
    return queue.filter(Q(created__gt=claim.created) | Q(created=claim.created, id__gt=claim.id))


def _before(queue, claim):
    return queue.filter(Q(created__lt=claim.created) | Q(created=claim.created, id__lt=claim.id)).order_by(
        "-created", "-id"
    )


def _spans_in_context(claim: Claim) -> list[SourceSpan]:
    """The claim's spans, each with CONTEXT characters of its text either side, cut by the
    database (Substr counts code points on both engines): a text may be megabytes."""
    window = Greatest(F("start") - CONTEXT, Value(0))
    return list(
        SourceSpan.objects.filter(claim=claim)
        .select_related("document")
        .defer("document__text")
        .annotate(
            before=Substr("document__text", window + 1, F("start") - window),
            after=Substr("document__text", F("end") + 1, CONTEXT),
        )
        .order_by("document_id", "start", "id")
    )


def _fact_context(claim: Claim) -> dict | None:
    if claim.fact_id is None:
        return None
    others = Claim.objects.filter(fact_id=claim.fact_id).exclude(pk=claim.pk)
    shown = list(others.select_related("subject", "predicate", "object").order_by("id")[:OTHER_CLAIMS])
    count = len(shown) if len(shown) < OTHER_CLAIMS else capped_count(others)
    return {
        "fact": claim.fact,
        "url": reverse("admin:factbase_fact_change", args=[claim.fact_id]),
        "others": shown,
        "count": count_text(count),
        "more": count > len(shown),
    }


def _here(document_id: int | None, **params) -> str:
    query = {**({"document": document_id} if document_id is not None else {}), **params}
    url = reverse("admin:factbase_claim_review")
    return f"{url}?{urlencode(query)}" if query else url


def review_view(model_admin, request):
    if not is_reviewer(request.user):
        raise PermissionDenied
    document_id = _id(request.GET.get("document"))
    document = None
    if document_id is not None:
        document = Document.objects.defer("text").filter(pk=document_id).first()
    queue = _queue(document_id)
    after = Claim.objects.filter(pk=_id(request.GET.get("after")) or 0).only("created", "id").first()
    claim = (
        (_after(queue, after) if after is not None else queue)
        .select_related("subject", "predicate", "object", "attributed_to", "event", "created_by", "fact")
        .first()
    )
    wrapped = claim is None and after is not None and queue.exists()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Review queue" + (f": “{document}”" if document else ""),
        "document": document,
        "claim": claim,
        "in_queue": count_text(capped_count(queue)),
        "wrapped_url": _here(document_id) if wrapped else "",
        "note_max": REVIEW_NOTE_MAX,
    }
    if claim is not None:
        previous = _before(queue, claim).only("id").first()
        following = _after(queue, claim).only("id").first()
        context.update(
            {
                "spans": _spans_in_context(claim),
                "fact": _fact_context(claim),
                "claim_url": reverse("admin:factbase_claim_change", args=[claim.pk]),
                "previous_url": _here(document_id, after=previous_of(queue, previous)) if previous else "",
                "next_url": _here(document_id, after=claim.pk) if following else "",
                "publish_url": _step_url(claim, "publish", document_id),
                "reject_url": _step_url(claim, "reject", document_id),
                "send_back_url": _step_url(claim, "send-back", document_id),
            }
        )
    return TemplateResponse(request, "admin/factbase/claim/review.html", context)


def previous_of(queue, claim) -> int | str:
    """The `after` that shows `claim`: the id of the claim before it, or "" (the start)."""
    before = _before(queue, claim).only("id").first()
    return before.pk if before is not None else ""


def _step_url(claim: Claim, step: str, document_id: int | None) -> str:
    url = reverse("admin:factbase_claim_review_step", args=[claim.pk, step])
    return f"{url}?{urlencode({'document': document_id})}" if document_id is not None else url


def step_view(model_admin, request, object_id: int, step: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if step not in ("publish", "reject", "send-back"):
        raise Http404("No such review step.")
    if not is_reviewer(request.user):
        raise PermissionDenied
    claim = get_object_or_404(Claim.objects.select_related("subject", "predicate", "object"), pk=object_id)
    document_id = _id(request.GET.get("document"))
    try:
        if step == "publish":
            claim_publish(claim=claim, by=request.user)
            done = "Published"
        elif step == "reject":
            claim_reject(claim=claim, by=request.user, reason=request.POST.get("reason", "").strip())
            done = "Rejected"
        else:
            claim_send_back(claim=claim, by=request.user, note=request.POST.get("note", ""))
            done = "Sent back to its curator"
    except ValidationError as exc:
        model_admin.message_user(request, f"“{claim}” was not changed: {' '.join(exc.messages)}", messages.ERROR)
        # The same claim again, to correct (a note was missing, a span is needed).
        return HttpResponseRedirect(_here(document_id, after=previous_of(_queue(document_id), claim)))
    model_admin.log_change(request, claim, f"Claim {done.lower()} from the review queue.")
    model_admin.message_user(request, f"{done}: “{claim}”.", messages.SUCCESS)
    return HttpResponseRedirect(_here(document_id, after=claim.pk))


def review_urls(model_admin) -> list:
    """URL patterns for ClaimAdmin.get_urls() (before its own `<path:object_id>/` ones)."""
    site = model_admin.admin_site

    def queue(request):
        return review_view(model_admin, request)

    def step(request, object_id, step):
        return step_view(model_admin, request, object_id, step)

    return [
        path("review/", site.admin_view(queue), name="factbase_claim_review"),
        path("review/<int:object_id>/<str:step>/", site.admin_view(step), name="factbase_claim_review_step"),
    ]
