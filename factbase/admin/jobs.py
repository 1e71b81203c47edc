"""Jobs (factbase/services/jobs.py), read only: a list with each job's kind, status,
progress and owner, and a page with its parameters, result and error. The admin is the
team's view of the queue: everyone who may view jobs sees every job there, where the API
shows a user their own (`JobQuerySet.visible_to`)."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html

from factbase.admin.changelists import CappedPaginator, FactbaseChangeList, requested_page
from factbase.admin.mixins import DeclaredPermissions
from factbase.models import Job


@admin.register(Job)
class JobAdmin(DeclaredPermissions, admin.ModelAdmin):
    list_display = ("__str__", "kind", "status", "progress", "owner", "created", "finished")
    list_filter = ("status", "kind")
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # Sorting by these walks the (owner, created, id) index or the primary key.
    sortable_by = ("created",)
    fields = (
        "kind",
        "status",
        "owner",
        "progress",
        "attempts",
        "created",
        "started",
        "finished",
        "updated",
        "parameters_shown",
        "result_shown",
        "error",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).for_admin_changelist()

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return CappedPaginator(queryset, per_page, orphans, allow_empty_first_page, number=requested_page(request))

    def get_changelist(self, request, **kwargs):
        return FactbaseChangeList

    @admin.display(description="progress")
    def progress(self, obj):
        if obj.progress_total is None:
            return f"{obj.progress_done:,}"
        return f"{obj.progress_done:,} of {obj.progress_total:,}"

    @admin.display(description="parameters")
    def parameters_shown(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.parameters, indent=2, ensure_ascii=False))

    @admin.display(description="result")
    def result_shown(self, obj):
        if obj.result is None:
            return "—"
        return format_html("<pre>{}</pre>", json.dumps(obj.result, indent=2, ensure_ascii=False))
