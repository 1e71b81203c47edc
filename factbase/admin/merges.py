"""The list of entity merges, for reviewers: which entity went into which, when and by whom,
and an action that undoes the selected merges through factbase.services.merges.entity_unmerge,
as the API's `unmerge/` does."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from factbase.admin.mixins import FactbaseAdmin
from factbase.models import Country, EntityMerge, Event, Organisation, Person
from factbase.permissions import allows, refusal
from factbase.services.merges import entity_unmerge

TYPED_MODELS = {model.KIND: model for model in (Country, Event, Organisation, Person)}


@admin.action(description="Undo the selected merges", permissions=["unmerge"])
def undo_merges(modeladmin, request, queryset):
    """Each merge is undone on its own (in its own transaction): one that cannot be undone
    exactly is reported, and the others still are. A country's merge is staff
    administrators' to undo, as it was theirs to make."""
    done, refused = [], []
    for record in queryset.order_by("-merged_at", "-id"):  # the latest first: chains come apart in order
        if not allows(request.user, "merge", TYPED_MODELS[record.kind]):
            refused.append(f"{record.name} (#{record.merged_id}): {refusal('merge', TYPED_MODELS[record.kind])}")
            continue
        try:
            entity = entity_unmerge(merged_id=record.merged_id, by=request.user)
        except ValidationError as exc:
            refused.append(" ".join(exc.messages))
            continue
        modeladmin.log_change(request, entity, "Merge undone.")
        done.append(entity)
    if done:
        names = ", ".join(f"“{entity.name}”" for entity in done)
        modeladmin.message_user(request, f"Restored {names} exactly as before the merge.", messages.SUCCESS)
    for message in refused:
        modeladmin.message_user(request, message, messages.ERROR)


@admin.register(EntityMerge)
class EntityMergeAdmin(FactbaseAdmin):
    list_display = ("merged", "kind", "survivor_link", "merged_at", "merged_by")
    list_filter = ("kind",)
    list_select_related = ("survivor", "merged_by")
    readonly_fields = ("merged_id", "kind", "name", "slug", "survivor", "merged_at", "merged_by")
    fields = readonly_fields
    actions = [undo_merges]

    def get_queryset(self, request):
        # Not the record of what each merge changed (the busiest entity's lists 50,000 claim
        # ids): no screen shows it, and undoing reads it again under a lock.
        return super().get_queryset(request).defer("snapshot")

    def has_unmerge_permission(self, request, obj=None):
        return self.declared(request, "unmerge", obj)

    @admin.display(description="merged entity", ordering="merged_id")
    def merged(self, obj):
        return f"{obj.name} (#{obj.merged_id})"

    @admin.display(description="merged into", ordering="survivor")
    def survivor_link(self, obj):
        if obj.survivor is None:
            return "(deleted since)"
        url = reverse(f"admin:factbase_{obj.survivor.kind}_change", args=[obj.survivor_id])
        return format_html('<a href="{}">{} (#{})</a>', url, obj.survivor.name, obj.survivor_id)
