"""Entity screens: people, countries, organisations, events, and the list of all entities
(the target of every entity picker's autocomplete), with aliases, identifiers, roles and
participations inline, search by name or alias, and the merge-duplicates action.

Entities are saved, deleted and merged through factbase.services.entities, as the API's
writes are; deleting one that claims, mentions or other records still cite is refused,
with the list of what cites it."""

from __future__ import annotations

import re

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from factbase.admin.changelists import AutocompleteFilter, CommonChoicesFilter, FactbaseChangeList
from factbase.admin.mixins import (
    COUNT_CAP,
    BoundedInline,
    FactbaseAdmin,
    adopt,
    capped_count,
    count_text,
    form_fields,
    names_list,
)
from factbase.models import (
    Alias,
    Claim,
    Country,
    Entity,
    Event,
    EventParticipant,
    Identifier,
    Organisation,
    Person,
    Role,
)
from factbase.permissions import refusal
from factbase.services.entities import (
    alias_add,
    alias_delete,
    alias_update,
    entity_create,
    entity_delete,
    entity_merge,
    entity_update,
    identifier_add,
    identifier_update,
    participant_add,
    participant_update,
    role_add,
    role_update,
)

WIKIDATA_QID = re.compile(r"[Qq][1-9][0-9]*")


def typed_change_url(entity: Entity) -> str:
    return reverse(f"admin:factbase_{entity.kind}_change", args=[entity.pk])


# ---------------------------------------------------------------- inlines


ALIAS_FIELDS = ("name", "language", "kind")


class AliasInline(BoundedInline):
    model = Alias
    fields = ALIAS_FIELDS
    extra = 1
    verbose_name_plural = "aliases (other names, as written in sources)"

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("name", "id")  # not Meta's "entity": a JOIN


class IdentifierInline(BoundedInline):
    model = Identifier
    fields = ("scheme", "value")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("scheme", "id")  # not Meta's "entity": a JOIN


class PersonRoleInline(BoundedInline):
    """On a person: the positions held, the latest first (FACTBASE_MAX_ROLES_PER_PERSON
    allows more than a page holds)."""

    model = Role
    fk_name = "person"
    fields = ("title", "organisation", "date_lower", "date_upper", "date_precision", "date_text")
    autocomplete_fields = ("organisation",)
    extra = 0
    verbose_name_plural = "roles (positions held)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation").order_by("-id")


class OrganisationRoleInline(BoundedInline):
    """On an organisation: the people holding positions there, the latest first."""

    model = Role
    fk_name = "organisation"
    fields = ("person", "title", "date_lower", "date_upper", "date_precision", "date_text")
    autocomplete_fields = ("person",)
    extra = 0
    verbose_name_plural = "roles (people holding positions here)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person").order_by("-id")


class ParticipantInline(BoundedInline):
    """On an event: who took part, and how (FACTBASE_MAX_PARTICIPANTS_PER_EVENT allows more
    than a page holds)."""

    model = EventParticipant
    fk_name = "event"
    fields = ("entity", "role", "note")
    autocomplete_fields = ("entity",)
    extra = 0
    verbose_name_plural = "participants"
    rows_name = "participants"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entity").order_by("-id")


class ParticipationInline(BoundedInline):
    """On a person, country or organisation: the events it took part in, the latest
    recorded first (the busiest country has thousands)."""

    model = EventParticipant
    fk_name = "entity"
    fields = ("event", "role", "note")
    autocomplete_fields = ("event",)
    extra = 0
    verbose_name_plural = "participation in events"
    rows_name = "participations"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event").order_by("-id")


# ---------------------------------------------------------------- rows through their services

# Identifiers, roles and participations: (add service, update service, its keyword for the row).
# The add services refuse a row beyond its owner's limit (factbase/limits.py), the update
# services a row moved to a full owner.
ROW_SERVICES = {
    Identifier: (identifier_add, identifier_update, "identifier"),
    Role: (role_add, role_update, "role"),
    EventParticipant: (participant_add, participant_update, "participant"),
}


def _row_fields(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def save_rows_formset(request, formset) -> None:
    """Save an inline of identifiers, roles or participations through their services."""
    add, update, keyword = ROW_SERVICES[formset.model]
    model_fields = {field.name for field in formset.model._meta.concrete_fields}
    names = [name for name in formset.form.base_fields if name in model_fields] + [formset.fk.name]
    formset.save(commit=False)  # fills new_objects, changed_objects and deleted_objects
    for obj in formset.deleted_objects:  # removed first: a full owner makes room for its new rows
        obj.delete()
    for obj, changed in formset.changed_objects:
        update(**{keyword: obj}, by=request.user, **_row_fields(obj, changed))
    for obj in formset.new_objects:
        adopt(obj, add(by=request.user, **_row_fields(obj, names)))


class RowServicesAdmin(FactbaseAdmin):
    """The list screens of identifiers, roles and participations, saved through their services."""

    def save_model(self, request, obj, form, change):
        add, update, keyword = ROW_SERVICES[self.model]
        if change:
            update(**{keyword: obj}, by=request.user, **form_fields(form, changed_only=True))
        else:
            adopt(obj, add(by=request.user, **form_fields(form)))


# ---------------------------------------------------------------- merge


@admin.action(description="Merge selected duplicates into one…", permissions=["merge"])
def merge_entities(modeladmin, request, queryset):
    """Two steps: the curator selects duplicates, then picks the one to keep on a
    confirmation page. factbase.services.entities.entity_merge moves every claim, span,
    mention, alias, role and participation to the survivor and keeps the losers' names as
    aliases; the survivor's history records the merge and who did it."""
    entities = [entity.typed for entity in queryset.order_by("pk")]
    if len(entities) < 2:
        modeladmin.message_user(request, "Select two or more entities to merge.", messages.WARNING)
        return None
    kinds = sorted({entity.kind for entity in entities})
    if len(kinds) > 1:
        modeladmin.message_user(
            request,
            f"Cannot merge entities of different kinds ({', '.join(kinds)}): "
            "merge only duplicates of the same person, country, organisation or event.",
            messages.ERROR,
        )
        return None
    if not all(modeladmin.has_merge_permission(request, entity) for entity in entities):
        # The all-kinds list offers the action to reviewers; countries are reference data.
        modeladmin.message_user(request, refusal("merge", entities[0]) + " Nothing was merged.", messages.ERROR)
        return None
    if request.POST.get("post") == "yes":
        survivor = next((e for e in entities if str(e.pk) == request.POST.get("survivor")), None)
        if survivor is None:
            modeladmin.message_user(request, "Pick the entity to keep.", messages.ERROR)
        else:
            losers = [e for e in entities if e.pk != survivor.pk]
            try:
                with transaction.atomic():
                    for loser in losers:
                        survivor = entity_merge(survivor=survivor, loser=loser, by=request.user)
            except ValidationError as exc:
                modeladmin.message_user(request, " ".join(exc.messages), messages.ERROR)
                return None
            names = ", ".join(f"“{loser.name}”" for loser in losers)
            modeladmin.log_change(request, survivor, f"Merged {names} into this {survivor.kind}.")
            modeladmin.message_user(
                request,
                format_html(
                    "Merged {} into “{}”: their claims, mentions, aliases, roles and participations now "
                    "belong to it, and their names are kept as aliases.",
                    names,
                    survivor.name,
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(typed_change_url(survivor))
    rows = []
    for entity in entities:
        # Counted no further than the cap (the busiest entity is in some 50,000 claims).
        cap = modeladmin.count_cap
        claims, mentions = Claim.objects.about(entity).capped_count(cap), capped_count(entity.mentions.all(), cap)
        rows.append(
            {
                "entity": entity,
                "change_url": typed_change_url(entity),
                "claims": claims,
                "mentions": mentions,
                "claims_shown": count_text(claims, cap),
                "mentions_shown": count_text(mentions, cap),
                "aliases": ", ".join(entity.aliases.values_list("name", flat=True)),
            }
        )
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"Merge {len(entities)} duplicate {modeladmin.opts.verbose_name_plural}",
        "opts": modeladmin.opts,
        "rows": rows,
        "default_survivor": max(rows, key=lambda row: (row["claims"], row["mentions"]))["entity"].pk,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "action_name": "merge_entities",
    }
    return TemplateResponse(request, "admin/factbase/merge_entities.html", context)


# ---------------------------------------------------------------- entity admins


class EntityChangeList(FactbaseChangeList):
    """A typed list (people, countries…) in name order states its kind on the entity row, as
    the API's does (api/views/entities.py): the (kind, name, id) index then gives the rows in
    name order, and a page or deep page stops at its LIMIT instead of sorting every person
    (0.2 s for page 1,000 of the people at a million claims, 12 ms with it). Not with a
    search, whose matches are read by id (see the API's reasons)."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        kind, ordering = self.model.KIND, queryset.query.order_by
        if kind and not self.query and ordering and ordering[0] in ("name", "-name"):
            queryset = queryset.of_kind(kind)
        return queryset


class EntityAdminBase(FactbaseAdmin):
    """What every entity screen shares: search by name, slug, Wikidata id and aliases;
    aliases shown in the list from one prefetch; the merge action."""

    # The entity names index (see get_search_results).
    search_fields = ("name",)
    search_help_text = "Words of the name or any alias (“Burma” finds Myanmar, “lav” finds Lavrov), or a Wikidata id."
    readonly_fields = ("kind", "claims_about", "created", "updated")
    prepopulated_fields = {"slug": ("name",)}
    actions = [merge_entities]
    list_select_related: tuple[str, ...] = ()
    # By name, ties by the (inherited, unique) id: Meta's `entity_ptr` is a relation, to which
    # Django's changelist adds `-pk`, and the index on (kind, name, id) was no longer walked.
    ordering = ("name", "id")
    # Sorted by name either way, the (kind, name, id) index is walked, forwards or backwards,
    # when the tie goes the name's way: `name DESC, id` sorted every event (0.3 s).
    walked_sorts = ("name",)
    # A search by a common name walks the list against the names index's match lists, which
    # each statement builds again: the count and the page come from one (FactbaseAdmin).
    search_counts_with_ids = True

    count_cap = COUNT_CAP  # “claims about it” counts no further (the busiest country: some 50,000)

    def get_changelist(self, request, **kwargs):
        return EntityChangeList

    def save_model(self, request, obj, form, change):
        if change:
            entity_update(entity=obj, by=request.user, **form_fields(form, changed_only=True))
        else:
            adopt(obj, entity_create(model=type(obj), by=request.user, **form_fields(form)))

    def delete_service(self, obj, *, by):
        entity_delete(entity=obj, by=by)

    def save_formset(self, request, form, formset, change):
        # Aliases through the alias services, as the API's aliases lists are; identifiers,
        # roles and participations through theirs (each refuses a row beyond its limit).
        if formset.model in ROW_SERVICES:
            return save_rows_formset(request, formset)
        if formset.model is not Alias:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # fills new_objects, changed_objects and deleted_objects
        for alias in formset.deleted_objects:  # removed first: a full entity makes room for new ones
            alias_delete(alias=alias, by=request.user)
        for alias, changed in formset.changed_objects:
            alias_update(alias=alias, by=request.user, **{name: getattr(alias, name) for name in changed})
        for alias in formset.new_objects:
            fields = {name: getattr(alias, name) for name in ALIAS_FIELDS}
            adopt(alias, alias_add(entity=form.instance, **fields))
        return None

    def get_queryset(self, request):
        # Aliases in one prefetch, ordered here (Alias.Meta.ordering would JOIN the entity again).
        aliases = Alias.objects.order_by("name", "id").only("id", "entity_id", "name")
        return super().get_queryset(request).prefetch_related(Prefetch("aliases", queryset=aliases))

    def get_search_results(self, request, queryset, search_term):
        # The word-prefix match of the entity names index, as the API's `q` ("lav" → Lavrov):
        # a LIKE over names, slugs and every alias scanned the 350,000 entities at a million
        # claims. A Wikidata id is looked up as such.
        term = search_term.strip()
        if not term:
            return queryset, False
        if WIKIDATA_QID.fullmatch(term):
            return queryset.filter(wikidata_qid=term.upper()), False
        return queryset.matching(term), False

    @admin.display(description="aliases")
    def aliases_list(self, obj):
        return names_list(alias.name for alias in obj.aliases.all())

    @admin.display(description="claims about it")
    def claims_about(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        count = Claim.objects.about(obj).capped_count(self.count_cap)
        url = reverse("admin:factbase_claim_changelist")
        return format_html(
            '<a href="{}?entity={}">{} claim{}</a>',
            url,
            obj.pk,
            count_text(count, self.count_cap),
            "" if count == 1 else "s",
        )


@admin.register(Entity)
class EntityAdmin(EntityAdminBase):
    """All kinds in one list: the autocomplete behind every entity picker, and the place to
    merge duplicates found across lists. Entities are added and edited in their own lists."""

    list_display = ("name", "kind", "slug", "aliases_list", "wikidata_qid")
    list_filter = ("kind",)
    fields = ("name", "kind", "slug", "description", "wikidata_qid")
    prepopulated_fields = {}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entity = self.get_object(request, object_id)
        if entity is None:
            return super().change_view(request, object_id, form_url, extra_context)
        return HttpResponseRedirect(typed_change_url(entity))


ENTITY_FIELDS = ("name", "slug", "kind", "description", "wikidata_qid")
META_FIELDS = ("claims_about", "created", "updated")


@admin.register(Person)
class PersonAdmin(EntityAdminBase):
    list_display = ("name", "nationality", "aliases_list", "wikidata_qid", "updated")
    list_select_related = ("nationality",)
    list_filter = (AutocompleteFilter.on("nationality"),)
    autocomplete_fields = ("nationality",)
    fieldsets = (
        (None, {"fields": ENTITY_FIELDS}),
        ("Person", {"fields": ("given_name", "family_name", "nationality")}),
        ("Record", {"fields": META_FIELDS}),
    )
    inlines = [AliasInline, PersonRoleInline, ParticipationInline, IdentifierInline]


@admin.register(Country)
class CountryAdmin(EntityAdminBase):
    list_display = ("name", "iso_alpha2", "iso_alpha3", "is_historical", "aliases_list")
    list_filter = ("is_historical",)
    search_fields = ("=iso_alpha2", "=iso_alpha3", "official_name")
    search_help_text = "Words of the name or any alias, an ISO code (RU, RUS), the official name, or a Wikidata id."
    fieldsets = (
        (None, {"fields": ENTITY_FIELDS}),
        ("Country", {"fields": ("iso_alpha2", "iso_alpha3", "official_name", "is_historical")}),
        ("Record", {"fields": META_FIELDS}),
    )
    inlines = [AliasInline, ParticipationInline, IdentifierInline]

    def get_search_results(self, request, queryset, search_term):
        # Names and aliases from the index; codes and official names as Django searches them
        # (a few hundred countries).
        found, _ = super().get_search_results(request, queryset, search_term)
        codes, may_have_duplicates = admin.ModelAdmin.get_search_results(self, request, queryset, search_term)
        return (found | codes if search_term.strip() else found), may_have_duplicates


@admin.register(Organisation)
class OrganisationAdmin(EntityAdminBase):
    list_display = ("name", "org_type", "country", "parent", "aliases_list")
    # Not the country or the parent, whose names sorted every organisation (0.3-0.4 s).
    sortable_by = ("name", "org_type")
    list_select_related = ("country", "parent")
    list_filter = ("org_type", AutocompleteFilter.on("country"))
    autocomplete_fields = ("country", "parent")
    fieldsets = (
        (None, {"fields": ENTITY_FIELDS}),
        ("Organisation", {"fields": ("org_type", "country", "parent")}),
        ("Record", {"fields": META_FIELDS}),
    )
    inlines = [AliasInline, OrganisationRoleInline, ParticipationInline, IdentifierInline]


@admin.register(Event)
class EventAdmin(EntityAdminBase):
    list_display = ("name", "event_type", "status", "when", "location_country", "parent")
    # Not status (no index: 0.4 s), nor the country or the parent, whose names sorted every
    # event (0.3-0.4 s at a million claims).
    sortable_by = ("name", "event_type", "when")
    list_select_related = ("location_country", "parent")
    list_filter = ("event_type", ("status", CommonChoicesFilter), "date_precision")
    autocomplete_fields = ("location_country", "parent")
    fieldsets = (
        (None, {"fields": ENTITY_FIELDS}),
        ("Event", {"fields": ("event_type", "status", "location_country", "location_text", "parent")}),
        (
            "When",
            {
                "fields": ("date_lower", "date_upper", "date_precision", "date_text"),
                "description": "Store what is known and no more: “July 6 to 8” is 2021-07-06 to 2021-07-08, "
                "precision day; “late June” is 2021-06-01 to 2021-06-30, precision month.",
            },
        ),
        ("Record", {"fields": META_FIELDS}),
    )
    inlines = [ParticipantInline, AliasInline, IdentifierInline]

    @admin.display(description="when", ordering="date_lower")
    def when(self, obj):
        return obj.date_text or (obj.partial_date.isoformat() if obj.partial_date else "—")


# ---------------------------------------------------------------- the rows around entities


@admin.register(Alias)
class AliasAdmin(FactbaseAdmin):
    list_display = ("name", "entity", "kind", "language")
    # By name only, walked through its index: the entity's name, the kind or the language
    # sorted all 60,000 aliases (0.3 s at a million claims on PostgreSQL).
    sortable_by = ("name",)
    list_select_related = ("entity",)
    list_filter = ("kind", "language", "entity__kind")
    # The entity names index (see get_search_results).
    search_fields = ("name",)
    search_help_text = "The aliases of the entities whose name or an alias matches: each word starts a word of it."
    autocomplete_fields = ("entity",)
    fields = ("entity", "name", "language", "kind")
    ordering = ("name", "id")  # not Alias.Meta's "entity", which sorts through a second JOIN

    search_counts_with_ids = True  # Entity.objects.rows_naming

    def get_search_results(self, request, queryset, search_term):
        # LIKE over every alias and its entity's name scanned the whole table.
        if not search_term.strip():
            return queryset, False
        return Entity.objects.rows_naming(queryset, search_term, "entity"), False

    def save_model(self, request, obj, form, change):
        if change:
            alias_update(alias=obj, by=request.user, **form_fields(form, changed_only=True))
        else:
            fields = {name: getattr(obj, name) for name in ALIAS_FIELDS}
            adopt(obj, alias_add(entity=obj.entity, **fields))

    def delete_service(self, obj, *, by):
        alias_delete(alias=obj, by=by)


@admin.register(Identifier)
class IdentifierAdmin(RowServicesAdmin):
    list_display = ("value", "scheme", "entity")
    list_select_related = ("entity",)
    list_filter = ("scheme",)
    search_fields = ("value", "entity__name")
    autocomplete_fields = ("entity",)


@admin.register(Role)
class RoleAdmin(RowServicesAdmin):
    list_display = ("person", "title", "organisation", "when")
    # Not the title, which no index holds.
    sortable_by = ("person", "organisation", "when")
    sorted_by_id = ("person", "organisation")
    # By date, ties by id in the date's direction: the (date_lower, id) index is walked either
    # way. With the list's own ordering as the tie, PostgreSQL sorted every role (0.3 s).
    walked_sorts = ("when",)
    list_select_related = ("person", "organisation")
    list_filter = (AutocompleteFilter.on("organisation"),)
    # The title as Django searches it; the person and the organisation from the entity names
    # index (see get_search_results).
    search_fields = ("title",)
    search_help_text = (
        "Words of the title, or of the person's or the organisation's name or alias (each word starts a word of it)."
    )
    # Meta's "person" sorts by the person's name through a JOIN: by the person's id instead
    # (RoleQuerySet.in_person_order), walked from the person index.
    ordering = ("person_id", F("date_lower").asc(nulls_last=True), "id")
    autocomplete_fields = ("person", "organisation")
    fields = ("person", "title", "organisation", "date_lower", "date_upper", "date_precision", "date_text")

    search_counts_with_ids = True  # Entity.objects.rows_naming

    def get_search_results(self, request, queryset, search_term):
        # LIKE over the person's and the organisation's names joined every role to both.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return found, may_have_duplicates
        return found | Entity.objects.rows_naming(queryset, search_term, "person", "organisation"), may_have_duplicates

    @admin.display(description="when", ordering="date_lower")
    def when(self, obj):
        return obj.date_text or (obj.partial_date.isoformat() if obj.partial_date else "—")


@admin.register(EventParticipant)
class EventParticipantAdmin(RowServicesAdmin):
    list_display = ("event", "entity", "role", "note")
    list_select_related = ("event", "entity")
    # Not the role or the note, which no index holds (0.3 s at a million claims).
    sortable_by = sorted_by_id = ("event", "entity")
    list_filter = ("role",)
    # The entity names index (see get_search_results).
    search_fields = ("note",)
    search_help_text = "Words of the event's or the participant's name or alias: each word starts a word of it."
    # Meta's "event" sorts by the event's date and name through JOINs (0.5 s for page 1,000
    # at a million claims): by the event's id instead, walked from its index.
    ordering = ("event_id", "id")

    search_counts_with_ids = True  # Entity.objects.rows_naming

    def get_search_results(self, request, queryset, search_term):
        # LIKE over the event's and the participant's names scanned 400,000 participations.
        if not search_term.strip():
            return queryset, False
        return Entity.objects.rows_naming(queryset, search_term, "event", "entity"), False

    autocomplete_fields = ("event", "entity")
