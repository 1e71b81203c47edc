"""Building blocks shared by the curator admin: the history-keeping base class, changelist
query shaping, the text-anchor form (offsets in, quote computed by the model) and small
HTML helpers for quotes in context."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from factbase.admin.concurrency import ConcurrencyGuardAdminMixin
from factbase.enums import AnchorStatus

QUOTE_PREVIEW = 90  # characters of a quote shown in list columns


class FactbaseAdmin(ConcurrencyGuardAdminMixin, SimpleHistoryAdmin):
    """Every curated model: edit history with diffs (who, when, what), changelists that
    run a constant number of queries, and change forms that refuse to overwrite an edit
    made by someone else after the form was opened (factbase/admin/concurrency.py).

    `get_queryset()` applies the model QuerySet's `for_admin_changelist()` when it has one:
    that method holds every JOIN and prefetch the list columns read, so a page of 100 rows
    costs what a page of 1 costs."""

    list_per_page = 50

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        shape = getattr(queryset, "for_admin_changelist", None)
        return shape() if shape is not None else queryset


class AnchorForm(forms.ModelForm):
    """A span or mention is given by its document and offsets (Unicode code points); the
    model's clean() fills `exact`, `prefix` and `suffix` from the text, so they are never
    typed by hand and can never disagree with the document."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or {"document", "start", "end"} & set(self.changed_data):
            # `exact` is not a form field: clear it so that TextAnchor.clean_anchor()
            # recomputes the quote from the new offsets instead of comparing with the old one.
            self.instance.exact = ""
        return cleaned


def truncate(text: str, limit: int = QUOTE_PREVIEW) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def quote_in_context(anchor) -> str:
    """“…prefix **exact** suffix…” as escaped HTML, the quote highlighted."""
    if not anchor or not anchor.exact:
        return "—"
    return format_html(
        '<span class="fb-context">{}{}<mark class="fb-quote">{}</mark>{}{}</span>',
        "…" if anchor.prefix and anchor.start > len(anchor.prefix) else "",
        anchor.prefix,
        anchor.exact,
        anchor.suffix,
        "…" if anchor.suffix else "",
    )


def anchor_status_badge(anchor) -> str:
    status = getattr(anchor, "anchor_status", AnchorStatus.OK)
    if status == AnchorStatus.OK:
        return ""
    return format_html(
        ' <span class="fb-badge fb-anchor-{}" title="{}">{}</span>',
        status,
        getattr(anchor, "anchor_note", ""),
        anchor.get_anchor_status_display(),
    )


def names_list(names) -> str:
    """Aliases as a comma-separated, escaped list (from a prefetch: no query per row)."""
    return format_html_join(", ", "{}", ((name,) for name in names)) or "—"


class ReadOnlyInlineMixin:
    """An inline that lists related rows without letting them be edited in place."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.site_header = "Factbase curation"
admin.site.site_title = "Factbase"
admin.site.index_title = "Curate people, countries, organisations, events, documents and claims"
