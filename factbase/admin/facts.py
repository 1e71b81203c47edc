"""Facts and their contradictions, for curators and reviewers: the facts list (each with the
statement of its first claim, its sources, its rank), joining the selected facts, ranking
them; the reviewers' queue of contradictions, each with the evidence on both sides, resolved
with a note. Every change goes through factbase/services/facts.py, as the API's do; a claim
is split out of its fact from the claims list (factbase/admin/claims.py)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from factbase.admin.mixins import FactbaseAdmin, form_fields
from factbase.enums import Rank
from factbase.models import Claim, Contradiction, Fact, SourceSpan
from factbase.services.facts import contradiction_resolve, fact_join, fact_rank


def _statement(subject, predicate, obj, value, polarity) -> str:
    if subject is None:
        return "(no claim)"
    tail = f" {obj}" if obj else (f" “{value}”" if value else "")
    return f"{subject} {'not ' if polarity == 'negated' else ''}{predicate}{tail}"


def _claims_link(fact_id: int) -> str:
    url = reverse("admin:factbase_claim_changelist") + f"?fact__id__exact={fact_id}"
    return format_html('<a href="{}">claims of fact #{}</a>', url, fact_id)


def _rank_action(rank: str):
    @admin.action(description=f"Rank the selected facts {rank} (reviewers)", permissions=["rank"])
    def action(modeladmin, request, queryset):
        for fact in queryset:
            fact_rank(fact=fact, rank=rank, by=request.user)
        modeladmin.message_user(request, f"{queryset.count()} fact(s) ranked {rank}.", messages.SUCCESS)

    action.__name__ = f"rank_{rank}"
    return action


@admin.register(Fact)
class FactAdmin(FactbaseAdmin):
    list_display = ("id", "statement", "sources", "contradicted", "rank", "claims")
    list_filter = ("contradicted", "rank")
    readonly_fields = ("statement", "sources", "contradicted", "rank", "claims")
    fields = readonly_fields
    actions = ["join_facts", *(_rank_action(rank) for rank in Rank.values)]

    def get_queryset(self, request):
        # The statement of each row's first claim, in the page's one statement.
        first = Claim.objects.filter(fact=OuterRef("pk")).order_by("pk")
        return (
            super()
            .get_queryset(request)
            .annotate(
                first_subject=Subquery(first.values("subject__name")[:1]),
                first_predicate=Subquery(first.values("predicate__label")[:1]),
                first_object=Subquery(first.values("object__name")[:1]),
                first_value=Subquery(first.values("value")[:1]),
                first_polarity=Subquery(first.values("polarity")[:1]),
            )
        )

    def has_rank_permission(self, request, obj=None):
        return self.declared(request, "rank", obj)

    @admin.display(description="statement")
    def statement(self, obj):
        return _statement(obj.first_subject, obj.first_predicate, obj.first_object, obj.first_value, obj.first_polarity)

    @admin.display(description="claims")
    def claims(self, obj):
        return _claims_link(obj.pk)

    @admin.action(description="Join the selected facts into the first (curators)", permissions=["change"])
    def join_facts(self, request, queryset):
        facts = list(queryset.order_by("pk"))
        if len(facts) < 2:
            self.message_user(request, "Select at least two facts to join.", messages.ERROR)
            return
        kept = facts[0]
        for other in facts[1:]:
            fact_join(fact=kept, other=other, by=request.user)
        self.message_user(request, f"Joined {len(facts) - 1} fact(s) into fact #{kept.pk}.", messages.SUCCESS)


@admin.register(Contradiction)
class ContradictionAdmin(FactbaseAdmin):
    list_display = ("id", "fact_link", "other_link", "kind", "resolved", "updated")
    list_filter = ("resolved", "kind")
    readonly_fields = ("fact_link", "other_link", "kind", "evidence", "resolved", "resolved_by", "resolved_at")
    fields = ("fact_link", "other_link", "kind", "evidence", "note", "resolved", "resolved_by", "resolved_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.resolved:
            return (*self.readonly_fields, "note")
        return self.readonly_fields

    def has_resolve_permission(self, request, obj=None):
        return self.declared(request, "resolve", obj)

    @admin.display(description="fact", ordering="fact")
    def fact_link(self, obj):
        return format_html(
            '<a href="{}">fact #{}</a>', reverse("admin:factbase_fact_change", args=[obj.fact_id]), obj.fact_id
        )

    @admin.display(description="contradicted by", ordering="other")
    def other_link(self, obj):
        url = reverse("admin:factbase_fact_change", args=[obj.other_id])
        return format_html('<a href="{}">fact #{}</a>', url, obj.other_id)

    @admin.display(description="evidence on each side")
    def evidence(self, obj):
        sides = []
        for fact_id in (obj.fact_id, obj.other_id):
            spans = (
                SourceSpan.objects.filter(claim__fact_id=fact_id, claim__status="published")
                .select_related("claim__subject", "claim__predicate", "claim__object")
                .order_by("claim_id", "start")[:10]
            )
            items = format_html_join(
                "", "<li>{} (claim #{}): <q>{}</q></li>", ((s.claim, s.claim_id, s.exact) for s in spans)
            )
            sides.append(format_html("<p>Fact #{}</p><ul>{}</ul>", fact_id, items))
        return format_html("{}{}", *sides)

    def save_model(self, request, obj, form, change):
        # Resolving is the one change: through the service, which asks who may and wants a
        # note (a refusal shows on the form: FactbaseAdmin.changeform_view).
        note = form_fields(form).get("note", obj.note)
        contradiction_resolve(contradiction=Contradiction.objects.get(pk=obj.pk), note=note, by=request.user)
