"""Building blocks shared by the curator admin: the history-keeping base class, changelist
query shaping, the text-anchor form (offsets in, quote computed by the model), the plumbing
that makes every save, delete and action go through the services, and small HTML helpers
for quotes in context.

Writes go through factbase.services, exactly as the API's do: `save_model`, `save_formset`,
`delete_model` and `delete_queryset` call them. A rule a service enforces (a locked text,
the last span of a published claim, a reviewer-only change) raises ValidationError there;
`FactbaseAdmin` rolls the whole save back and shows the form again with the service's
message on the field it names (or on the inline whose prefix it names, or at the top).
Deleting and actions report it as an error message instead (the permission hooks and
Django's own check of protected references usually stop those earlier: this is for what
changed in between)."""

from __future__ import annotations

import copy
import itertools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten, unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from factbase.admin.changelists import (
    COUNT_CAP,
    AutocompleteFilter,
    CappedPaginator,
    FactbaseChangeList,
    capped_count,
    requested_page,
)
from factbase.admin.concurrency import ConcurrencyGuardAdminMixin
from factbase.enums import AnchorStatus
from factbase.permissions import allows
from factbase.permissions import refusal as declared_refusal
from factbase.services.errors import Forbidden

QUOTE_PREVIEW = 90  # characters of a quote shown in list columns


class DeclaredPermissions:
    """The admin's permission hooks, answered by factbase/permissions.py for the screen's
    model, or for the object on the page when there is one (a country's identifiers take the
    country's rules; a row of the all-kinds entity list takes its kind's). Workflow actions
    are admin actions with `permissions=["publish"]`, `["submit"]`, `["merge"]`.

    The admin is a curation tool: being allowed to view something anyone may read is not
    enough to get in; the user's groups must give the view permission."""

    def declared(self, request, action: str, obj=None) -> bool:
        return allows(request.user, action, self.model if obj is None else obj, public=False)

    def has_view_permission(self, request, obj=None):
        return self.declared(request, "view", obj)

    def has_add_permission(self, request, obj=None):
        # A ModelAdmin is asked with the request alone; an inline with the parent object.
        return self.declared(request, "add", obj)

    def has_change_permission(self, request, obj=None):
        return self.declared(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self.declared(request, "delete", obj)

    def has_submit_permission(self, request, obj=None):
        return self.declared(request, "submit", obj)

    def has_publish_permission(self, request, obj=None):
        return self.declared(request, "publish", obj)

    def has_merge_permission(self, request, obj=None):
        return self.declared(request, "merge", obj)


class DeclaredInlinePermissions(DeclaredPermissions):
    """An inline's hooks get the parent object: they ask about a row of this inline attached
    to it (an identifier of a country is the country's to change)."""

    def declared(self, request, action: str, obj=None) -> bool:
        if obj is None or isinstance(obj, self.model):
            return super().declared(request, action, obj)
        from django.forms.models import _get_foreign_key

        fk = _get_foreign_key(self.parent_model, self.model, fk_name=self.fk_name)
        return super().declared(request, action, self.model(**{fk.name: obj}))


def count_text(count: int, cap: int = COUNT_CAP) -> str:
    """“4,312”, or “more than 1,000” for a count stopped at its cap."""
    return f"more than {cap:,}" if count > cap else f"{count:,}"


PROTECTED_LISTED = 20  # a delete page lists the rows that protect an object up to this many


def protected_references(objs) -> list[tuple[int, str]]:
    """What stops `objs` being deleted (on_delete=PROTECT), as capped counts by kind:
    [(1001, "more than 1,000 claims (as subject)"), (12, "12 mentions (as entity)")]; empty
    when nothing does."""
    pks = [obj.pk for obj in objs]
    if not pks:
        return []
    model = type(objs[0]) if isinstance(objs, list) else objs.model
    found = []
    for relation in model._meta.related_objects:  # a typed entity's include its Entity's
        if relation.on_delete is not models.PROTECT:
            continue
        rows = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": pks})
        count = capped_count(rows)
        if count:
            meta = relation.related_model._meta
            name = meta.verbose_name if count == 1 else meta.verbose_name_plural
            found.append((count, f"{count_text(count)} {name} (as {relation.field.verbose_name})"))
    return found


class TabularInline(DeclaredInlinePermissions, admin.TabularInline):
    """Every inline of the curator admin: its hooks are the declaration's, and its rows cost
    no query each (`LabelledFormSetMixin`: the inline's get_queryset() select_related()s
    what its rows show)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (LabelledFormSetMixin, formset), {})


class BoundedInline(TabularInline):
    """An inline over a relation that grows without limit (an entity's participations in
    events, an organisation's roles) or further than a page can hold: the first `shown` rows
    in the inline's order are edited on the page, and a line above them gives how many there
    are (counted no further than COUNT_CAP) with a link to the rows' changelist, filtered to
    this object, for the rest. The page then costs the same, in queries and in HTML, for an
    object with 30 rows as for one with 30,000.

    A saved form edits the rows it showed (their ids are in the POST), not the first
    `shown` at the time of saving: a row added by someone else in between does not push
    one out of the save."""

    shown = 10
    count_cap = COUNT_CAP
    rows_name = ""  # what the changelist link counts ("participations"); default the model's plural name
    template = "admin/factbase/edit_inline/bounded_tabular.html"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        rows_name = self.rows_name or str(self.model._meta.verbose_name_plural)
        bounds = {"shown": self.shown, "count_cap": self.count_cap, "rows_name": rows_name}
        return type(formset.__name__, (BoundedFormSetMixin, formset), bounds)


class InlineAdminFormSet(helpers.InlineAdminFormSet):
    """Django's, with the media of one row: every row of an inline has the same widgets, and
    merging the media of each (Django builds every row's wrapper again to do it) took a
    tenth of the busiest person's page (four inlines of 20 rows)."""

    @property
    def media(self):
        media = self.opts.media + self.formset.media
        for row in itertools.islice(self, 1):
            media += row.media
        return media


class LabelledAutocompleteSelect(AutocompleteSelect):
    """An inline row's autocomplete picker, labelled from the row itself when the chosen
    entity, event or document is already loaded with it: Django's widget asks the database
    for its one selected option, once per row."""

    chosen: tuple[str, str] | None = None  # (value, label), set per row by LabelledFormSetMixin

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.chosen is None or selected != [self.chosen[0]]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        options.append(self.create_option(name, *self.chosen, True, len(options)))
        return [(None, options, 0)]


class LabelledFormSetMixin:
    """Each row of an inline gets its parent object (what Django leaves for its __str__ to
    read again) and its autocomplete pickers' chosen labels from the related objects the
    inline's queryset selected with it."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        instance = form.instance
        parent = self.instance
        if (
            parent.pk is not None
            and not self.fk.is_cached(instance)
            and getattr(instance, self.fk.attname) == parent.pk
        ):
            self.fk.set_cached_value(instance, parent)
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside RelatedFieldWidgetWrapper
            if not isinstance(widget, LabelledAutocompleteSelect):
                continue
            model_field = instance._meta.get_field(name)
            related = model_field.get_cached_value(instance, None) if model_field.is_cached(instance) else None
            if related is not None:
                widget.chosen = (str(field.prepare_value(related)), field.label_from_instance(related))
        return form


class BoundedFormSetMixin:
    """The rows of a BoundedInline: the first `shown` of the object's rows (or, once posted,
    the rows the page showed), how many there are, and where the rest are listed."""

    shown: int
    count_cap: int
    rows_name: str

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            rows = super().get_queryset()  # the object's rows in the inline's order
            if self.is_bound:
                shown = self.posted_ids()
            else:
                # A subquery: a formset cannot take a sliced queryset.
                shown = rows.values("pk")[: self.shown]
            self._queryset = rows.filter(pk__in=shown)
        return self._queryset

    def posted_ids(self) -> list[int]:
        """The ids of the rows the page showed, as its forms post them back."""
        pk_name = self.model._meta.pk.name
        posted = min(self.initial_form_count(), self.shown)
        ids = (self.data.get(self.add_prefix(f"{i}-{pk_name}"), "") for i in range(posted))
        return [int(value) for value in ids if str(value).isdigit()]

    @cached_property
    def total(self) -> int:
        """How many rows the object has, counted no further than `count_cap` + 1."""
        if self.instance.pk is None:
            return 0
        return capped_count(self.model._default_manager.filter(**{self.fk.name: self.instance}), self.count_cap)

    @cached_property
    def rest(self) -> dict | None:
        """The line above the rows when there are more than the page shows."""
        if self.total <= self.shown:
            return None
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        count = count_text(self.total, self.count_cap)
        capped = self.total > self.count_cap
        return {
            "shown": self.shown,
            "count": count,
            "link": f"All {self.rows_name} ({count})" if capped else f"All {count} {self.rows_name}",
            "url": f"{url}?{urlencode({f'{self.fk.name}__id__exact': self.instance.pk})}",
        }


class FactbaseAdmin(DeclaredPermissions, ConcurrencyGuardAdminMixin, SimpleHistoryAdmin):
    """Every curated model: edit history with diffs (who, when, what), changelists that
    run a constant number of queries, and change forms that refuse to overwrite an edit
    made by someone else after the form was opened (factbase/admin/concurrency.py).

    `get_queryset()` applies the model QuerySet's `for_admin_changelist()` when it has one:
    that method holds every JOIN and prefetch the list columns read, so a page of 100 rows
    costs what a page of 1 costs.

    Changelists never count or list a whole table (factbase/admin/changelists.py): the
    count stops at 1,000 rows, a deep page reads its rows by id, sidebar filters on big
    relations are search boxes, and facet counts are off (each would scan the table)."""

    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # A search whose every statement first builds the entity name index's match lists
    # (Entity.objects.rows_naming: the aliases, roles, participations and mentions by name):
    # its count and its page's ids come from one statement, and the rows are then read by id
    # without the search. Two statements built the lists twice (`a`: 150 ms each on SQLite).
    search_counts_with_ids = False
    # Columns that hold another row and sort by its id, not by its name (the related Meta
    # ordering), which joined and sorted every row: a role's person or organisation, a
    # participation's event or entity (0.2-1.8 s at a million claims). Only where the
    # foreign key's index holds the id as its tie (SQLite's index on a child table of
    # entities holds its rowid, not its entity id: sorting events by country sorted the
    # large group of events without one).
    sorted_by_id: tuple[str, ...] = ()

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = CappedPaginator(queryset, per_page, orphans, allow_empty_first_page, number=requested_page(request))
        if self.search_counts_with_ids and request.GET.get(SEARCH_VAR, "").strip():
            paginator.count_with_ids = True
            paginator.rows = self.rows_by_id(request)
        return paginator

    def rows_by_id(self, request):
        """What a page read by its ids reads its rows from: the list's rows and joins, without
        its search or filters (the ids carry them)."""
        rows = self.get_queryset(request)
        related = self.list_select_related
        return rows.select_related(*related) if isinstance(related, (list, tuple)) else rows

    def get_changelist(self, request, **kwargs):
        return FactbaseChangeList

    @property
    def media(self):
        media = super().media
        if any(isinstance(spec, type) and issubclass(spec, AutocompleteFilter) for spec in self.list_filter):
            media += AutocompleteFilter.media(self.admin_site)
        return media

    # ------------------------------------------------------------ records that are not the user's to change

    def has_change_permission(self, request, obj=None):
        if super().has_change_permission(request, obj):
            return True
        # A record the user may not change may carry rows they curate (a country's aliases):
        # its page saves those, with the record's own fields read-only.
        return obj is not None and self.has_editable_inlines(request, obj)

    def record_locked(self, request, obj) -> bool:
        """The page of `obj` shows its own fields read-only (the user may change only its inlines)."""
        return obj is not None and not super().has_change_permission(request, obj)

    def has_editable_inlines(self, request, obj) -> bool:
        return any(
            inline.has_add_permission(request, obj) or inline.has_change_permission(request, obj)
            for inline in (inline_class(self.model, self.admin_site) for inline_class in self.inlines)
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not self.record_locked(request, obj):
            return readonly
        return readonly + tuple(name for name in self.own_fields() if name not in readonly)

    def own_fields(self) -> list[str]:
        """The record's own form fields (asking get_fieldsets() here would recurse through get_form())."""
        if self.fieldsets:
            return [name for _, options in self.fieldsets for name in flatten(options["fields"])]
        if self.fields:
            return list(flatten(self.fields))
        return [field.name for field in self.opts.get_fields() if getattr(field, "editable", False) and field.concrete]

    def save_form(self, request, form, change):
        # The object as the form leaves it may fall under another's rules (an identifier
        # moved onto a country is the country's to change): asked again before any save.
        obj = super().save_form(request, form, change)
        if change and not form_fields(form, changed_only=True):
            return obj  # the record itself is unchanged (a locked country whose aliases were edited)
        if not self.declared(request, "change" if change else "add", obj):
            raise Forbidden(declared_refusal("change" if change else "add", obj))
        return obj

    def get_prepopulated_fields(self, request, obj=None):
        return {} if self.record_locked(request, obj) else super().get_prepopulated_fields(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if not self.record_locked(request, obj):
            return super().history_form_view(request, object_id, version_id, extra_context)
        # A record the user may only read (reference data for a curator): its version page
        # is read-only, and no revert. simple_history builds that page with the class's
        # prepopulated fields, whose slug is not on a read-only form: a copy without them.
        if request.method == "POST":
            raise PermissionDenied("Only those who may change this record revert it.")
        reader = copy.copy(self)
        reader.prepopulated_fields = {}
        return super(FactbaseAdmin, reader).history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return self.record_locked(request, obj) or super().revert_disabled(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        shape = getattr(queryset, "for_admin_changelist", None)
        return shape() if shape is not None else queryset

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_admin_formset in inline_admin_formsets:
            inline_admin_formset.__class__ = InlineAdminFormSet
        return inline_admin_formsets

    # ------------------------------------------------------------ history

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        # The history page names each version (“Lavrov visited Indonesia”) from a copy of
        # the object that simple-history builds afresh on every access, without the related
        # objects selected with the record: a claim's name read its subject, predicate and
        # object again for each of the page's 100 records.
        for record in historical_records:
            record.history_object = _with_related_of(record)

    # ------------------------------------------------------------ service errors on forms

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, Forbidden) as exc:
            # A service refused the save (its transaction is rolled back). Validate the same
            # POST again, this time with the service's errors on the form: nothing is saved
            # and the curator sees the message where the form's own errors appear.
            if request.method != "POST" or hasattr(request, SERVICE_ERRORS):
                raise
            setattr(request, SERVICE_ERRORS, {"errors": _error_dict(exc), "claimed": set()})
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not hasattr(request, SERVICE_ERRORS):
            return form
        return type(form.__name__, (ServiceErrorsFormMixin, form), {"service_errors": getattr(request, SERVICE_ERRORS)})

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        state = getattr(request, SERVICE_ERRORS, None)
        if state is not None:
            for formset in formsets:
                if formset.prefix in state["errors"] and isinstance(formset, ServiceErrorsFormSet):
                    formset.service_errors = state["errors"][formset.prefix]
                    state["claimed"].add(formset.prefix)
        return formsets, inline_instances

    # ------------------------------------------------------------ deletes and actions

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except (ValidationError, Forbidden) as exc:
            # The delete service refused (the transaction is rolled back): say why, on the
            # page the curator came from.
            self.message_user(request, f"Not deleted: {refusal(exc)}", messages.ERROR)
            opts = self.opts
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))

    def response_action(self, request, queryset):
        # An action changes all its rows or none: a refusal from a service rolls back the
        # rows already done and is shown as a message.
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().response_action(request, queryset)
        except (ValidationError, Forbidden) as exc:
            self.message_user(request, f"Nothing was changed: {refusal(exc)}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_deleted_objects(self, objs, request):
        # Django collects every row a deletion would touch, protected ones included, to list
        # each with its link (3,292 claims of the busiest person: 4.5 s). What protects a
        # row is counted first, capped: past a few, the page says how many of each kind.
        protected = protected_references(objs)
        if sum(count for count, _ in protected) > PROTECTED_LISTED:
            return [str(obj) for obj in objs], {}, set(), [text for _, text in protected]
        return super().get_deleted_objects(objs, request)

    def delete_model(self, request, obj):
        self.delete_service(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # One service call per row (bulk deletion would bypass the rules), in a stable order.
        for obj in queryset.order_by("pk"):
            try:
                self.delete_service(obj, by=request.user)
            except ValidationError as exc:
                raise ValidationError(f"“{obj}”: {' '.join(exc.messages)}") from exc

    def delete_service(self, obj, *, by) -> None:
        """Delete one row through its service; models without rules on deletion just go."""
        obj.delete()


def _with_related_of(record):
    """The historical record's object, holding the related objects selected with the record."""
    instance = record.history_object
    for field in instance._meta.concrete_fields:
        if not field.is_relation:
            continue
        try:
            kept = record._meta.get_field(field.name)
        except FieldDoesNotExist:
            continue
        if kept.is_relation and kept.is_cached(record):
            field.set_cached_value(instance, kept.get_cached_value(record))
    return instance


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


SERVICE_ERRORS = "fb_service_errors"  # request attribute: a refused save's errors, for the second pass


def _error_dict(exc: ValidationError | Forbidden) -> dict:
    if isinstance(exc, Forbidden):
        return {NON_FIELD_ERRORS: [ValidationError(str(exc))]}
    if hasattr(exc, "error_dict"):
        return dict(exc.error_dict)
    return {NON_FIELD_ERRORS: exc.error_list}


def refusal(exc: ValidationError | Forbidden) -> str:
    """The reason a service refused a write, in words for a message."""
    if isinstance(exc, Forbidden):
        return str(exc)
    return " ".join(exc.messages)


class ServiceErrorsFormMixin:
    """Puts a refused save's errors on the form: on the field they name when the form has it,
    otherwise at the top (inline formsets take the ones keyed by their prefix)."""

    service_errors: dict = {}

    def clean(self):
        cleaned = super().clean()
        for key, errors in self.service_errors["errors"].items():
            if key in self.service_errors["claimed"]:
                continue
            self.add_error(key if key in self.fields else None, errors)
        return cleaned


class ServiceErrorsFormSet(BaseInlineFormSet):
    """An inline formset that shows a refused save's errors keyed by its prefix (“spans”)."""

    service_errors = None

    def clean(self):
        super().clean()
        if self.service_errors:
            raise ValidationError(self.service_errors)


def form_fields(form, *, changed_only: bool = False) -> dict:
    """The model fields a ModelForm edits, with their cleaned values, for a service call."""
    names = form.changed_data if changed_only else list(form.fields)
    model_fields = {field.name for field in form._meta.model._meta.concrete_fields}
    return {name: form.cleaned_data[name] for name in names if name in model_fields and name in form.cleaned_data}


def adopt(instance, saved) -> None:
    """Make the admin's form instance the row a service created: Django goes on to log the
    addition and redirect to it."""
    for field in saved._meta.concrete_fields:
        setattr(instance, field.attname, getattr(saved, field.attname))
    instance._state.adding, instance._state.db = False, saved._state.db


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
