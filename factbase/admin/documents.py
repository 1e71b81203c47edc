"""Document and mention screens. The document screen shows the full text (escaped) with
every span and mention highlighted; selecting text offers “New claim from selection” and
“New mention”, which open the add forms prefilled with the document, the offsets (Unicode
code points, converted from the browser's UTF-16 by static/factbase/admin/document.js) and
the quoted text.

Every write goes through the services, as the API's do: documents through
factbase.services.documents (which refuses a new text under spans or mentions: the text
lock), mentions through factbase.services.mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from factbase.admin.changelists import AutocompleteFilter, FactbaseChangeList
from factbase.admin.highlight import Highlight, annotated_text
from factbase.admin.mixins import (
    AnchorForm,
    BoundedInline,
    FactbaseAdmin,
    ServiceErrorsFormSet,
    adopt,
    anchor_status_badge,
    form_fields,
    quote_in_context,
    truncate,
)
from factbase.admin.queue import QueueFilter, claims_by_status_annotations, document_queue_urls, queue_panel
from factbase.admin.suggestions import document_extra_urls
from factbase.enums import ClaimStatus, CurationState
from factbase.models import Document, Entity, Mention, RejectedSuggestion, SourceSpan
from factbase.permissions import allows
from factbase.services.documents import document_create, document_delete, document_update
from factbase.services.mentions import mention_create, mention_delete, mention_update
from factbase.services.spans import anchor_from_offsets

# ---------------------------------------------------------------- selection from the document screen


@dataclass(frozen=True)
class Selection:
    """The text a curator selected on the document screen, checked against the document."""

    document: Document
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def selection_from_request(request, *, report: bool = True) -> Selection | None:
    """Read ?document=&start=&end=&exact= (as the document screen's buttons send them).
    Offsets that do not fit the document, or a quote that differs from the text at those
    offsets, give a message (when `report`) rather than a silently wrong span."""
    params = request.GET
    if not {"document", "start", "end"} <= set(params):
        return None
    try:
        document = Document.objects.get(pk=int(params["document"]))
        anchor = anchor_from_offsets(text=document.text, start=int(params["start"]), end=int(params["end"]))
    except (ValueError, Document.DoesNotExist):
        if report:
            messages.error(request, "The selection refers to no document; select the text again.")
        return None
    except ValidationError as exc:
        if report:
            messages.error(request, f"The selection does not fit the document: {' '.join(exc.messages)}")
        return None
    quoted = params.get("exact")
    if report and quoted is not None and quoted != anchor.exact:
        messages.warning(
            request,
            f"The selected text {truncate(quoted, 60)!r} differs from the document at {anchor.start}–{anchor.end} "
            f"({truncate(anchor.exact, 60)!r}); check the span before saving.",
        )
    return Selection(document, anchor.start, anchor.end, anchor.exact, anchor.prefix, anchor.suffix)


def selection_context(request) -> dict:
    """The selection panel of an add form; messages about the selection only on first display."""
    selection = selection_from_request(request, report=request.method == "GET")
    if selection is None:
        return {}
    return {
        "selection": selection,
        "selection_in_context": quote_in_context(selection),
        "selection_document_url": reverse("admin:factbase_document_change", args=[selection.document.pk]),
    }


def return_to_document(request, response):
    """After adding from a selection, go back to the document, where the new highlight shows."""
    if request.method != "POST" or not isinstance(response, HttpResponseRedirect):
        return response
    if "_continue" in request.POST or "_addanother" in request.POST or "_popup" in request.POST:
        return response
    document_id = request.GET.get("document", "")
    if not document_id.isdigit():
        return response
    return HttpResponseRedirect(reverse("admin:factbase_document_change", args=[int(document_id)]))


# ---------------------------------------------------------------- documents

SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def _count_of(model):
    """COUNT(*) of `model` rows citing the document, as a correlated subquery: two of these
    cost no JOIN fan-out and keep the changelist at one query for its rows."""
    rows = model.objects.filter(document=OuterRef("pk")).order_by().values("document").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), 0)


class DocumentChangeList(FactbaseChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # A list never shows the text: do not read it (it can be megabytes per row).
        return super().get_queryset(request, exclude_parameters).defer("text")


def save_mention(request, mention: Mention, *, changed: dict | None = None) -> None:
    """A mention row or form, saved through the mention services: `changed` holds the
    changed fields of an existing mention; a new one is created."""
    if changed is not None:
        mention_update(mention=mention, by=request.user, **changed)
    else:
        created = mention_create(
            document=mention.document, entity=mention.entity, start=mention.start, end=mention.end, by=request.user
        )
        adopt(mention, created)


class MentionInline(BoundedInline):
    """The mentions in the order of the text; FACTBASE_MAX_MENTIONS_PER_DOCUMENT allows far
    more than a page of forms holds (the text above highlights every one)."""

    model = Mention
    form = AnchorForm
    formset = ServiceErrorsFormSet
    fields = ("entity", "start", "end", "in_context", "anchor_status")
    readonly_fields = ("in_context", "anchor_status")
    autocomplete_fields = ("entity",)
    extra = 0
    classes = ("collapse",)
    verbose_name_plural = "mentions (entities named in this text)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entity").order_by("start", "id")

    @admin.display(description="in context")
    def in_context(self, obj):
        return quote_in_context(obj) if obj.pk else "—"


@admin.register(Document)
class DocumentAdmin(FactbaseAdmin):
    change_form_template = "admin/factbase/document/change_form.html"
    change_list_template = "admin/factbase/document/change_list.html"
    list_display = (
        "title",
        "published",
        "publisher",
        "language",
        "span_count",
        "mention_count",
        "queue",
        "progress",
    )
    list_select_related = ("publisher", "assignee")
    list_filter = (
        QueueFilter,
        "curation_state",
        "language",
        "date_precision",
        AutocompleteFilter.on("publisher"),
    )
    # Not the span and mention counts: sorting by them counts for every document (0.6 s).
    sortable_by = ("title", "published", "publisher", "language")
    actions = ["take_documents"]
    # The document text index, as the API's `q` (see get_search_results).
    search_fields = ("title",)
    search_help_text = "Words found in the title or the text (every word, anywhere), or the full SHA-256 of the text."
    autocomplete_fields = ("publisher", "revision_of")
    readonly_fields = ("sha256", "text_lock", "curation_state", "assignee", "created", "updated")
    inlines = [MentionInline]

    class Media:
        css = {"all": ("factbase/admin/factbase.css",)}
        js = ("factbase/admin/document.js",)

    def get_changelist(self, request, **kwargs):
        return DocumentChangeList

    def get_urls(self):
        # "Suggested mentions" and "Revise text" screens (factbase/admin/suggestions.py), and
        # the queue's steps (factbase/admin/queue.py).
        return document_extra_urls(self) + document_queue_urls(self) + super().get_urls()

    def get_queryset(self, request):
        # The progress column: each a correlated count, so the page stays one query for its rows.
        return (
            super()
            .get_queryset(request)
            .annotate(
                span_count=_count_of(SourceSpan),
                mention_count=_count_of(Mention),
                rejected_count=_count_of(RejectedSuggestion),
                **claims_by_status_annotations(),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        # The document text index (DocumentQuerySet.search); a SHA-256 by its unique index.
        term = search_term.strip()
        if not term:
            return queryset, False
        if SHA256.fullmatch(term):
            return queryset.filter(sha256=term.lower()), False
        return queryset.search(term), False

    def get_fieldsets(self, request, obj=None):
        source = ("title", "publisher", "language", "url", "revision_of")
        published = ("date_lower", "date_upper", "date_precision", "date_text")
        text = ("text_lock", "sha256") if obj is not None and obj.is_locked() else ("text", "sha256")
        return (
            (None, {"fields": source}),
            (
                "Published",
                {
                    "fields": published,
                    "description": "A partial date: July 2021 is 2021-07-01 to 2021-07-31, precision month.",
                },
            ),
            ("Text", {"fields": text}),
            ("Curation queue", {"fields": ("curation_state", "assignee"), "classes": ("collapse",)}),
            ("Record", {"fields": ("created", "updated"), "classes": ("collapse",)}),
        )

    def get_inlines(self, request, obj):
        # Mentions are added from a selection (or by offsets) once the text is saved.
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            document_update(document=obj, by=request.user, **form_fields(form, changed_only=True))
        else:
            adopt(obj, document_create(by=request.user, **form_fields(form)))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Mention:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # fills new_objects, changed_objects and deleted_objects
        for mention in formset.deleted_objects:  # removed first: a full document makes room for new ones
            mention_delete(mention=mention, by=request.user)
        for mention, changed in formset.changed_objects:
            save_mention(request, mention, changed={name: getattr(mention, name) for name in changed})
        for mention in formset.new_objects:
            save_mention(request, mention)
        return None

    def delete_service(self, obj, *, by):
        document_delete(document=obj, by=by)

    @admin.display(description="published", ordering="date_lower")
    def published(self, obj):
        return obj.date_text or (obj.partial_date.isoformat() if obj.partial_date else "—")

    @admin.display(description="spans", ordering="span_count")
    def span_count(self, obj):
        return obj.span_count

    @admin.display(description="mentions", ordering="mention_count")
    def mention_count(self, obj):
        return obj.mention_count

    @admin.display(description="queue")
    def queue(self, obj):
        """The state, and whose the document is, or the one-click “Take” (the button posts the
        form outside the changelist's own: change_list.html)."""
        state = format_html(
            '<span class="fb-badge fb-queue-{}">{}</span>', obj.curation_state, obj.get_curation_state_display()
        )
        if obj.assignee_id is not None:
            return format_html("{} {}", state, obj.assignee.get_username())
        if obj.curation_state not in (CurationState.NEW, CurationState.IN_CURATION):
            return state
        return format_html(
            '{} <button type="submit" form="fb-queue-form" formaction="{}" class="button fb-take" '
            'id="fb-take-{}">Take</button>',
            state,
            reverse("admin:factbase_document_queue", args=[obj.pk, "take"]),
            obj.pk,
        )

    @admin.display(description="progress")
    def progress(self, obj):
        # Claims by status, and the suggestions rejected. Those still pending are not counted
        # here: that scans each text against every name (0.1 s per document at a million
        # claims); the document's screen shows them.
        claims = format_html_join(
            " ",
            '<span class="fb-badge fb-status-{}">{} {}</span>',
            (
                (status, getattr(obj, f"claims_{status}"), label.lower())
                for status, label in ClaimStatus.choices
                if getattr(obj, f"claims_{status}")
            ),
        )
        rejected = f" · {obj.rejected_count} suggestion{'s' if obj.rejected_count != 1 else ''} rejected"
        return format_html(
            '<span class="fb-progress">{}{}</span>', claims or "no claims", rejected if obj.rejected_count else ""
        )

    @admin.action(description="Take selected documents (to curate them)", permissions=["take"])
    def take_documents(self, request, queryset):
        from factbase.admin.queue import take_selected

        take_selected(self, request, queryset)

    def has_take_permission(self, request, obj=None):
        return self.declared(request, "take", obj)

    @admin.display(description="text")
    def text_lock(self, obj):
        return format_html(
            "Locked: {} span(s) and {} mention(s) point into this text{}. Its {} characters are shown, "
            "highlighted, above. To correct it, use “Revise text” (top right): it creates a corrected revision and "
            "re-anchors the spans and mentions in it.",
            obj.spans.count(),
            obj.mentions.count(),
            ", and a newer revision corrects it" if obj.revisions.exists() else "",
            len(obj.text),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        document = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if document is not None:
            extra.update(self.annotation_context(request, document))
            extra["queue"] = queue_panel(
                request, document, spans=extra["evidence_spans"], mentions=len(extra["evidence_mentions"])
            )
        return super().change_view(request, object_id, form_url, extra)

    def annotation_context(self, request, document: Document) -> dict:
        spans = list(
            document.spans.select_related("claim__subject", "claim__predicate", "claim__object").order_by("start", "id")
        )
        mentions = list(document.mentions.select_related("entity").order_by("start", "id"))
        highlights = [
            Highlight(
                span.start,
                span.end,
                "span",
                f"span-{span.pk}",
                f"Claim: {span.claim} ({span.claim.get_status_display().lower()})",
                f"fb-status-{span.claim.status}",
            )
            for span in spans
        ] + [
            Highlight(
                mention.start,
                mention.end,
                "mention",
                f"mention-{mention.pk}",
                f"Mention: {mention.entity.name} ({mention.entity.kind})",
            )
            for mention in mentions
        ]
        can_add_claim = allows(request.user, "add", "factbase.claim", public=False)
        can_add_mention = allows(request.user, "add", Mention, public=False)
        return {
            "annotated_text": annotated_text(document.text, highlights),
            "text_length": len(document.text),
            "evidence_spans": spans,
            "evidence_mentions": mentions,
            "claim_add_url": reverse("admin:factbase_claim_add") if can_add_claim else "",
            "mention_add_url": reverse("admin:factbase_mention_add") if can_add_mention else "",
        }

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The history keeps no text (see Document.history): a revert would post an empty text.
        if request.method == "POST":
            raise PermissionDenied("Documents are not reverted from history; create a new revision instead.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


@admin.register(Mention)
class MentionAdmin(FactbaseAdmin):
    change_form_template = "admin/factbase/mention/change_form.html"
    form = AnchorForm
    list_display = ("quote", "entity", "document", "start", "end", "anchor_status")
    list_select_related = ("entity", "document")
    list_filter = ("entity__kind", "anchor_status", AutocompleteFilter.on("document"))
    # The entity names index (see get_search_results); Meta's "document" would sort every
    # mention by its document's date: the (document, start) order of the rows is kept.
    search_fields = ("exact",)
    search_help_text = "The mentions of the entities whose name or an alias matches: each word starts a word of it."
    ordering = ("document_id", "start", "id")
    autocomplete_fields = ("entity", "document")
    readonly_fields = ("exact", "prefix", "suffix", "in_context", "anchor_status", "anchor_note", "created", "updated")
    fieldsets = (
        (None, {"fields": ("document", "entity", "start", "end")}),
        ("Quote (computed from the offsets)", {"fields": ("in_context", "exact", "prefix", "suffix")}),
        ("Record", {"fields": ("anchor_status", "anchor_note", "created", "updated"), "classes": ("collapse",)}),
    )

    class Media:
        css = {"all": ("factbase/admin/factbase.css",)}

    search_counts_with_ids = True  # Entity.objects.rows_naming

    def get_queryset(self, request):
        # The list shows the document's title only: never load every row's full text.
        return super().get_queryset(request).defer("document__text")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return Entity.objects.rows_naming(queryset, search_term, "entity"), False

    @admin.display(description="quote", ordering="exact")
    def quote(self, obj):
        return format_html("{}{}", truncate(obj.exact), anchor_status_badge(obj))

    @admin.display(description="in context")
    def in_context(self, obj):
        return quote_in_context(obj) if obj.pk else "—"

    def save_model(self, request, obj, form, change):
        save_mention(request, obj, changed=form_fields(form, changed_only=True) if change else None)

    def delete_service(self, obj, *, by):
        mention_delete(mention=obj, by=by)

    def add_view(self, request, form_url="", extra_context=None):
        extra = {**(extra_context or {}), **selection_context(request)}
        return return_to_document(request, super().add_view(request, form_url, extra))
