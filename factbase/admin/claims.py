"""Claim, source span and predicate screens, and the review workflow.

Every write goes through factbase.services.claims, as the API's do: the claim form saves
with claim_create / claim_update, its span rows with span_add / span_update / span_delete,
deleting with claim_delete and span_delete. A claim's status is never a form field: it
moves only through claim_submit / claim_publish / claim_reject, from changelist actions or
from buttons on the claim screen. The rules (reviewers alone publish, reject and change a
published claim; a published claim keeps a span and is never deleted) are the services';
the permission hooks here ask the services' own predicates, to show only what a user may do."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from factbase.admin.changelists import AutocompleteFilter, CommonChoicesFilter
from factbase.admin.documents import return_to_document, selection_context, selection_from_request
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
from factbase.admin.review import review_urls
from factbase.enums import ClaimStatus, EntityKind, Rank
from factbase.models import Claim, Entity, Predicate, SourceSpan
from factbase.services.claims import (
    claim_create,
    claim_delete,
    claim_may_change,
    claim_may_delete,
    claim_publish,
    claim_reject,
    claim_submit,
    claim_update,
    span_add,
    span_delete,
    span_may_delete,
    span_update,
)
from factbase.services.facts import claim_rank, fact_split

ANCHOR_FIELDS = ("document", "start", "end")

# ---------------------------------------------------------------- spans inline


class SpanInlineForm(AnchorForm):
    def has_changed(self):
        # A span prefilled from a text selection is new evidence even if the curator saves
        # without touching it; Django would otherwise skip an unchanged extra form.
        return super().has_changed() or (self.instance.pk is None and self.initial.get("start") is not None)


class SpanInlineFormSet(ServiceErrorsFormSet):
    """Span rows are saved by ClaimAdmin.save_formset through the span services; a rule they
    enforce (a published claim keeps a span) is shown above the rows."""


class SourceSpanInline(BoundedInline):
    """A claim's evidence, in its own order (the “spans in context” field above lists every
    span read-only, as FACTBASE_MAX_SPANS_PER_CLAIM allows)."""

    model = SourceSpan
    form = SpanInlineForm
    formset = SpanInlineFormSet
    fields = ("document", "start", "end", "in_context", "anchor_status")
    readonly_fields = ("in_context", "anchor_status")
    autocomplete_fields = ("document",)
    verbose_name_plural = "source spans (evidence: offsets in Unicode code points; the quote is computed)"

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document").defer("document__text").order_by("start", "id")

    @admin.display(description="in context")
    def in_context(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("admin:factbase_document_change", args=[obj.document_id])
        return format_html('{} <a href="{}#fb-span-{}">show in document</a>', quote_in_context(obj), url, obj.pk)


# ---------------------------------------------------------------- filters


class DocumentFilter(AutocompleteFilter):
    """?document=<id>: the claims with a span in the document, picked in a search box."""

    title = "document"
    parameter_name = "document"
    source = (SourceSpan, "document")

    def narrow(self, queryset, pk):
        return queryset.citing(pk)


class AttributionFilter(AutocompleteFilter):
    """?attributed_to=<id>: the claims a speaker asserts, picked in a search box; or
    ?attributed_to=document: the claims the document states itself."""

    title = "attributed to"
    parameter_name = field_name = "attributed_to"
    THE_DOCUMENT = "document"
    extra_choices = ((THE_DOCUMENT, "The document itself"),)

    def queryset(self, request, queryset):
        if self.value() == self.THE_DOCUMENT:
            return queryset.filter(attributed_to__isnull=True)
        return super().queryset(request, queryset)


class EntityFilter(admin.SimpleListFilter):
    """?entity=<id>: claims about an entity (subject, object or attribution); the link from an
    entity's screen. Shown in the sidebar only while it is in use."""

    title = "about entity"
    parameter_name = "entity"

    def lookups(self, request, model_admin):
        value = self.value()
        if not value or not value.isdigit():
            return []
        return [(value, name) for name in Entity.objects.filter(pk=int(value)).values_list("name", flat=True)]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.about(int(value)) if value.isdigit() else queryset.none()


# ---------------------------------------------------------------- claims


@admin.register(Claim)
class ClaimAdmin(FactbaseAdmin):
    change_form_template = "admin/factbase/claim/change_form.html"
    list_display = (
        "claim_text",
        "status_badge",
        "modality",
        "polarity",
        "attributed_to",
        "evidence_preview",
        "updated",
    )
    list_filter = (
        "status",
        "predicate",
        DocumentFilter,
        "modality",
        "polarity",
        AttributionFilter,
        "confidence",
        EntityFilter,
    )
    # The API's `q`: the claim text index (ClaimQuerySet.search_joined); see get_search_results.
    # Columns sorted through an index (id; updated, id): any other sorted a million claims.
    sortable_by = ("claim_text", "updated")
    search_fields = ("value",)
    search_help_text = (
        "Words of a quote, the value, or the subject's name or alias: each word starts a word there "
        "(“lav subm” finds Lavrov's claims quoting “submarines”). For the object or the speaker, use the filters."
    )
    autocomplete_fields = ("subject", "predicate", "object", "attributed_to", "event")
    change_list_template = "admin/factbase/claim/change_list.html"
    readonly_fields = (
        "status",
        "review_note",
        "uid",
        "created_by",
        "reviewed_by",
        "reviewed_at",
        "evidence",
        "created",
        "updated",
    )
    inlines = [SourceSpanInline]
    actions = [
        "submit_for_review",
        "publish_claims",
        "reject_claims",
        "split_from_facts",
        "rank_preferred",
        "rank_normal",
        "rank_deprecated",
    ]

    def has_change_permission(self, request, obj=None):
        # The service's rule, for the UI: curators see a published claim read-only.
        if obj is not None and not claim_may_change(claim=obj, by=request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # The service's rule, for the UI: a published claim has no delete button (reject it).
        if obj is not None and not claim_may_delete(claim=obj):
            return False
        return super().has_delete_permission(request, obj)

    class Media:
        css = {"all": ("factbase/admin/factbase.css",)}

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("subject", "predicate", "object", "value", "value_number")}),
            (
                "Who says it, and how",
                {"fields": ("attributed_to", "attribution", "modality", "polarity", "event")},
            ),
            (
                "When the claimed thing holds or happened",
                {
                    "fields": ("date_lower", "date_upper", "date_precision", "date_text"),
                    "description": "Partial dates: “late June” is 2021-06-01 to 2021-06-30, precision month, "
                    "text “late June”. Leave empty when the source gives no date.",
                },
            ),
            (
                "Curation",
                {
                    "fields": (
                        "status",
                        "review_note",
                        "confidence",
                        "notes",
                        "created_by",
                        "reviewed_by",
                        "reviewed_at",
                    ),
                    "description": "The status changes only through “Submit for review”, “Publish” and “Reject”.",
                },
            ),
        ]
        if obj is not None:
            fieldsets.insert(0, ("Evidence", {"fields": ("evidence",)}))
            fieldsets.append(("Record", {"fields": ("uid", "created", "updated"), "classes": ("collapse",)}))
        return fieldsets

    def get_queryset(self, request):
        # The list's evidence column: every claim's spans in one prefetch, quotes only.
        spans = SourceSpan.objects.order_by("start", "id").only("id", "claim_id", "start", "exact")
        return super().get_queryset(request).prefetch_related(Prefetch("spans", queryset=spans))

    def get_search_results(self, request, queryset, search_term):
        # The claim text index, as the API's `q` reads it: joined and walked in id order on
        # SQLite, so that a page and its capped count stop early. (LIKE over the joins of
        # value, names, quotes and notes took 4 s for “minister” at a million claims.)
        if not search_term.strip():
            return queryset, False
        return queryset.search_joined(search_term), False

    # ------------------------------------------------------------ columns and read-only fields

    @admin.display(description="claim", ordering="id")
    def claim_text(self, obj):
        return truncate(str(obj), 120)

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        return format_html('<span class="fb-badge fb-status-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description="evidence")
    def evidence_preview(self, obj):
        spans = list(obj.spans.all())
        if not spans:
            return format_html('<span class="fb-missing">{}</span>', "no span")
        more = f" (+{len(spans) - 1})" if len(spans) > 1 else ""
        return format_html("“{}”{}", truncate(spans[0].exact, 70), more)

    @admin.display(description="spans in context")
    def evidence(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        # Not obj.spans: on the changelist's objects that manager is a prefetch of quotes only.
        spans = (
            SourceSpan.objects.filter(claim=obj)
            .select_related("document")
            .defer("document__text")
            .order_by("document", "start", "id")
        )
        rows = [
            (
                reverse("admin:factbase_document_change", args=[span.document_id]),
                span.pk,
                span.document.title,
                span.start,
                span.end,
                anchor_status_badge(span),
                quote_in_context(span),
            )
            for span in spans
        ]
        if not rows:
            return format_html('<span class="fb-missing">{}</span>', "No evidence yet: add a source span below.")
        items = format_html_join(
            "",
            '<li class="fb-evidence-item"><a href="{}#fb-span-{}">{}</a>, characters {}–{}{}'
            '<blockquote class="fb-evidence-quote">{}</blockquote></li>',
            rows,
        )
        return format_html('<ul class="fb-evidence">{}</ul>', items)

    # ------------------------------------------------------------ forms

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, SourceSpanInline) and (obj is None or obj.pk is None):
            selection = selection_from_request(request, report=False)
            if selection is not None:
                kwargs["initial"] = [
                    {"document": selection.document.pk, "start": selection.start, "end": selection.end}
                ]
        return kwargs

    def save_model(self, request, obj, form, change):
        if change:
            claim_update(claim=obj, by=request.user, **form_fields(form, changed_only=True))
        else:
            # A draft without spans; its span rows follow in save_formset.
            adopt(obj, claim_create(spans=[], by=request.user, **form_fields(form)))

    def save_formset(self, request, form, formset, change):
        if formset.model is not SourceSpan:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # fills new_objects, changed_objects and deleted_objects
        claim = form.instance
        # Added first, removed last: replacing the only span of a published claim (add one,
        # delete the other) keeps its evidence throughout.
        for span in formset.new_objects:
            spec = {name: getattr(span, name) for name in ANCHOR_FIELDS}
            adopt(span, span_add(claim=claim, specs=[spec], by=request.user)[0])
        for span, changed in formset.changed_objects:
            span_update(span=span, by=request.user, **{name: getattr(span, name) for name in changed})
        for span in formset.deleted_objects:
            span_delete(span=span, by=request.user)
        return None

    def delete_service(self, obj, *, by):
        claim_delete(claim=obj, by=by)

    def add_view(self, request, form_url="", extra_context=None):
        extra = {**(extra_context or {}), **selection_context(request)}
        return return_to_document(request, super().add_view(request, form_url, extra))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if claim is not None:
            extra["review"] = self.review_context(request, claim)
        return super().change_view(request, object_id, form_url, extra)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert would write an old status back; the status moves only through review.
        if request.method == "POST":
            raise PermissionDenied("Claims are not reverted from history; edit the claim instead.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    # ------------------------------------------------------------ review workflow

    def review_context(self, request, claim: Claim) -> dict:
        can_submit = self.has_change_permission(request, claim) and self.has_submit_permission(request)
        can_review = self.has_publish_permission(request)
        status = claim.status

        def url(name):
            return reverse("admin:factbase_claim_transition", args=[claim.pk, name])

        return {
            "status": status,
            "status_display": claim.get_status_display(),
            # A claim a reviewer sent back: what to change, until it is submitted again.
            "sent_back_note": claim.review_note if status == ClaimStatus.DRAFT else "",
            "reviewed_by": claim.reviewed_by,
            "reviewed_at": claim.reviewed_at,
            "can_review": can_review,
            "submit_url": url("submit") if can_submit and status == ClaimStatus.DRAFT else "",
            "publish_url": url("publish")
            if can_review and status in (ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW)
            else "",
            "reject_url": url("reject") if can_review and status != ClaimStatus.REJECTED else "",
        }

    def get_urls(self):
        urls = super().get_urls()
        # The review queue (factbase/admin/review.py) first: `review/` is no claim's id.
        custom = review_urls(self) + [
            path(
                "<path:object_id>/review/<str:transition>/",
                self.admin_site.admin_view(self.transition_view),
                name="factbase_claim_transition",
            )
        ]
        return custom + urls

    TRANSITIONS = {
        "submit": (claim_submit, "submitted for review"),
        "publish": (claim_publish, "published"),
        "reject": (claim_reject, "rejected"),
    }

    def transition_view(self, request, object_id, transition):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if transition not in self.TRANSITIONS:
            raise Http404("No such review step.")
        service, done = self.TRANSITIONS[transition]
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            raise Http404("No such claim.")
        allowed = self.has_submit_permission if transition == "submit" else self.has_publish_permission
        if not (allowed(request) and (transition != "submit" or self.has_change_permission(request, claim))):
            raise PermissionDenied
        kwargs = {"reason": request.POST.get("reason", "").strip()} if transition == "reject" else {}
        try:
            service(claim=claim, by=request.user, **kwargs)
        except ValidationError as exc:
            self.message_user(request, f"Not {done}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            self.log_change(request, claim, f"Claim {done}.")
            self.message_user(request, f"The claim “{claim}” was {done}.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:factbase_claim_change", args=[claim.pk]))

    def _transition_selected(self, request, queryset, service, done: str):
        succeeded, failures = 0, []
        for claim in queryset.select_related("subject", "predicate", "object"):
            try:
                service(claim=claim, by=request.user)
            except ValidationError as exc:
                failures.append(f"“{claim}”: {' '.join(exc.messages)}")
            else:
                self.log_change(request, claim, f"Claim {done}.")
                succeeded += 1
        if succeeded:
            self.message_user(request, f"{succeeded} claim(s) {done}.", messages.SUCCESS)
        for failure in failures:
            self.message_user(request, f"Not {done}: {failure}", messages.ERROR)

    @admin.action(description="Submit selected claims for review", permissions=["submit"])
    def submit_for_review(self, request, queryset):
        self._transition_selected(request, queryset, claim_submit, "submitted for review")

    @admin.action(description="Publish selected claims (reviewers)", permissions=["publish"])
    def publish_claims(self, request, queryset):
        self._transition_selected(request, queryset, claim_publish, "published")

    @admin.action(description="Reject selected claims (reviewers)", permissions=["publish"])
    def reject_claims(self, request, queryset):
        self._transition_selected(request, queryset, claim_reject, "rejected")

    @admin.action(description="Split selected claims out of their facts, for good", permissions=["change"])
    def split_from_facts(self, request, queryset):
        # factbase/services/facts.py: each claim to a fact of its own, which later grouping keeps.
        split = 0
        for claim in queryset.select_related("fact").order_by("pk"):
            if claim.fact is not None and Claim.objects.filter(fact_id=claim.fact_id).exclude(pk=claim.pk).exists():
                fact_split(fact=claim.fact, claim=claim, by=request.user)
                split += 1
        self.message_user(request, f"{split} claim(s) split out of their facts.", messages.SUCCESS)

    def has_rank_permission(self, request, obj=None):
        return self.declared(request, "rank", obj)

    def _rank_selected(self, request, queryset, rank: str):
        for claim in queryset.order_by("pk"):
            claim_rank(claim=claim, rank=rank, by=request.user)
        self.message_user(request, f"{queryset.count()} claim(s) ranked {rank}.", messages.SUCCESS)

    @admin.action(description="Rank selected claims preferred (reviewers)", permissions=["rank"])
    def rank_preferred(self, request, queryset):
        self._rank_selected(request, queryset, Rank.PREFERRED)

    @admin.action(description="Rank selected claims normal (reviewers)", permissions=["rank"])
    def rank_normal(self, request, queryset):
        self._rank_selected(request, queryset, Rank.NORMAL)

    @admin.action(description="Rank selected claims deprecated (reviewers)", permissions=["rank"])
    def rank_deprecated(self, request, queryset):
        self._rank_selected(request, queryset, Rank.DEPRECATED)


# ---------------------------------------------------------------- spans


@admin.register(SourceSpan)
class SourceSpanAdmin(FactbaseAdmin):
    form = AnchorForm
    list_display = ("quote", "claim", "document", "start", "end", "anchor_status")
    list_select_related = ("claim__subject", "claim__predicate", "claim__object", "document")
    list_filter = (("claim__status", CommonChoicesFilter), "anchor_status", AutocompleteFilter.on("document"))
    # The claim text index (see get_search_results); Meta's "document" would sort every span
    # by its document's date: the (document, start) index is walked instead.
    search_fields = ("exact",)
    search_help_text = (
        "The spans of the claims whose text matches: each word starts a word of a quote, the value or the "
        "subject's name or alias."
    )
    ordering = ("document_id", "start", "id")
    # Listed by document and position; no column sorts through an index (0.6-1.7 s at a million).
    sortable_by = ()
    autocomplete_fields = ("claim", "document")
    readonly_fields = ("exact", "prefix", "suffix", "in_context", "anchor_status", "anchor_note", "created", "updated")
    fieldsets = (
        (None, {"fields": ("claim", "document", "start", "end")}),
        ("Quote (computed from the offsets)", {"fields": ("in_context", "exact", "prefix", "suffix")}),
        ("Record", {"fields": ("anchor_status", "anchor_note", "created", "updated"), "classes": ("collapse",)}),
    )

    class Media:
        css = {"all": ("factbase/admin/factbase.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).defer("document__text")

    def get_search_results(self, request, queryset, search_term):
        # The claim text index (SourceSpanQuerySet.search), as the claims' own search: LIKE
        # over every quote and its joins scanned a million spans.
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # A search's page reads its spans' ids, then their rows by id without the search:
        # planned with the rows' joins, SQLite read the spans of every matching claim (1.5 s
        # for “m”); the ids alone are read in the claim text index's order and stop after
        # the page (10 ms).
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        if request.GET.get("q", "").strip():
            paginator.ids_first = True
            paginator.rows = self.rows_by_id(request)
        return paginator

    def get_ordering(self, request):
        # A search's spans by claim, the order in which the claim text index gives them
        # (SourceSpanQuerySet.search): in document order every span was tested against the
        # matching claims (0.35 s for “minister”, 1.5 s for “m”).
        if request.GET.get("q", "").strip():
            return ("claim_id", "id")
        return super().get_ordering(request)

    def get_readonly_fields(self, request, obj=None):
        # A span belongs to its claim: moving it could leave a published claim without evidence.
        return (*self.readonly_fields, "claim") if obj is not None else self.readonly_fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # spans are removed one by one, or from their claim
        return actions

    def has_change_permission(self, request, obj=None):
        # The service's rule, for the UI: a published claim's evidence changes only under review.
        if obj is not None and not claim_may_change(claim=obj.claim, by=request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # The service's rule, for the UI: no delete button on the last span of a published
        # claim, nor on a published claim's span for a curator.
        if obj is not None and not span_may_delete(span=obj, by=request.user):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            span_update(span=obj, by=request.user, **form_fields(form, changed_only=True))
        else:
            spec = {name: getattr(obj, name) for name in ANCHOR_FIELDS}
            adopt(obj, span_add(claim=obj.claim, specs=[spec], by=request.user)[0])

    def delete_service(self, obj, *, by):
        span_delete(span=obj, by=by)

    @admin.display(description="quote", ordering="exact")
    def quote(self, obj):
        return format_html("{}{}", truncate(obj.exact), anchor_status_badge(obj))

    @admin.display(description="in context")
    def in_context(self, obj):
        return quote_in_context(obj) if obj.pk else "—"


# ---------------------------------------------------------------- predicates


class PredicateForm(forms.ModelForm):
    subject_kinds = forms.MultipleChoiceField(
        choices=EntityKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Entity kinds allowed as subject; none ticked allows any.",
    )
    object_kinds = forms.MultipleChoiceField(
        choices=EntityKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Entity kinds allowed as object; none ticked means the claim takes no object entity "
        "(a literal value instead).",
    )

    class Meta:
        model = Predicate
        fields = ("label", "slug", "description", "subject_kinds", "object_kinds")


@admin.register(Predicate)
class PredicateAdmin(FactbaseAdmin):
    form = PredicateForm
    list_display = ("label", "slug", "subject_kinds_display", "object_kinds_display")
    search_fields = ("label", "slug", "description")
    prepopulated_fields = {"slug": ("label",)}
    readonly_fields = ("created", "updated")

    @admin.display(description="subject kinds")
    def subject_kinds_display(self, obj):
        return ", ".join(obj.subject_kinds) or "any"

    @admin.display(description="object kinds")
    def object_kinds_display(self, obj):
        return ", ".join(obj.object_kinds) or "none (literal value)"
