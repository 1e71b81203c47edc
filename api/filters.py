"""One explicit FilterSet per resource: the query parameters of the API (docs/api.md).

Conventions shared by every filter:
- references take ids (`subject=42`); predicates take their slug (`predicate=visited`);
- `date_from`/`date_to` take partial dates (`2021`, `2021-06`, `2021-06-28`) and keep a row
  whose date interval overlaps the range: `date_lower <= end of date_to` and
  `date_upper >= start of date_from`. Rows with an unknown date never match a date filter;
- `ordering` takes one or more comma-separated field names, `-` for descending; every
  ordering ends with the id, so pages never shuffle;
- a value that cannot mean anything (an id that is not a number, a date that is not a
  date, an unknown choice) is a 400 naming the parameter and the reason. An id that is
  well formed but names nothing is a 400 too: see `ReferenceFilter`.
"""

from __future__ import annotations

import copy

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.db.models import F, Subquery
from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from factbase.enums import (
    ClaimStatus,
    ContradictionKind,
    CurationState,
    EntityKind,
    EventStatus,
    EventType,
    JobKind,
    JobStatus,
    Modality,
    OrganisationType,
    Polarity,
    Rank,
)
from factbase.indexes import claim_text, search
from factbase.models import (
    Claim,
    Contradiction,
    Country,
    Document,
    Entity,
    Event,
    Fact,
    Job,
    Organisation,
    Person,
    Predicate,
    entity_or_merge,
)
from factbase.models.claims import sees_unpublished
from factbase.partial_dates import PartialDateError, parse_bound

MAX_ID = 2**63 - 1  # BigAutoField: a larger number cannot be an id (and overflows SQLite)


# --- form fields: syntax only, no queries ---------------------------------------------


class IdField(forms.IntegerField):
    default_error_messages = {
        "invalid": "Give an id: a whole number such as 42.",
        "min_value": "Ids start at 1.",
        "max_value": "No record has an id this large.",
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        # IntegerField also takes "4.0" and " 4 "; an id is digits only.
        if isinstance(value, str) and value.strip() and not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class PartialDateBoundField(forms.CharField):
    """A partial date, cleaned to the first (`end=False`) or last (`end=True`) day it can mean."""

    def __init__(self, *args, end: bool, **kwargs):
        self.end = end
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_bound(value, end=self.end)
        except PartialDateError as exc:
            # Through params: the message quotes the client's input, which may hold "%".
            raise forms.ValidationError("%(message)s", code="invalid", params={"message": str(exc)}) from exc


class FilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        for lower_name, upper_name in (("date_from", "date_to"), ("published_from", "published_to")):
            lower, upper = data.get(lower_name), data.get(upper_name)
            if lower is not None and upper is not None and lower > upper:
                raise forms.ValidationError({upper_name: f"The range ends before it starts ({lower_name} is later)."})
        return data


# --- filters ----------------------------------------------------------------------------


class MergedInto(int):
    """The id of the entity that an id given to a filter was merged into."""


@extend_schema_field(OpenApiTypes.INT)
class ReferenceFilter(django_filters.Filter):
    """A filter by the id of another record.

    Whether the id names a record is checked only when the page comes back empty (the view
    calls `FilterSet.check_references()`): a non-empty result proves every referenced id
    exists, so a filtered page costs no extra query, and an empty one still tells the
    client "no entity has id 42" (400) rather than an ambiguous empty 200.

    The id of an entity merged into another is taken as the survivor's, in the same place: no
    row refers to a merged id, so its page is always empty, and the check that follows finds
    the merge in the same one query; the view then answers the request again with the
    survivor's id (`FactbaseFilterSet.redirected`). A request with no merged id pays nothing.
    """

    field_class = IdField

    def __init__(self, *args, target=Entity, kind: str | None = None, **kwargs):
        # Not `model`: FilterSet sets that attribute on every filter to its own model.
        self.target, self.kind = target, kind
        super().__init__(*args, **kwargs)

    def reference_error(self, value) -> str | MergedInto | None:
        if self.target is Entity:
            # An entity merged into another is its survivor here (the view asks again with it).
            found = entity_or_merge(value)
            if found is None:
                return f"No entity has id {value}."
            kind, survivor = found
            if self.kind and kind != self.kind:
                return f"Entity {value} is a {kind}; this filter takes the id of a {self.kind}."
            return MergedInto(survivor) if survivor is not None else None
        if not self.target.objects.filter(pk=value).exists():
            return f"No {self.target._meta.verbose_name} has id {value}."
        return None


@extend_schema_field(OpenApiTypes.STR)
class PredicateFilter(django_filters.Filter):
    field_class = forms.SlugField

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(predicate__slug=value)

    def reference_error(self, value) -> str | None:
        if not Predicate.objects.filter(slug=value).exists():
            return unknown_predicate(value)
        return None


def unknown_predicate(slug: str) -> str:
    return f"No predicate has the slug {slug!r}; the vocabulary is at /api/v1/predicates/."


@extend_schema_field({"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "example": "2021-07"})
class PartialDateFilter(django_filters.Filter):
    """`date_from` (end=False) or `date_to` (end=True), by interval overlap."""

    field_class = PartialDateBoundField

    def filter(self, qs, value):
        if value is None:
            return qs
        # A row overlaps [from, to] when it ends on or after `from` and starts on or before `to`.
        return qs.overlapping(upper=value) if self.extra["end"] else qs.overlapping(lower=value)


class StableOrderingFilter(django_filters.OrderingFilter):
    """`ordering=name,-date`: whitelisted fields, then the id in the direction of the last
    field, so equal keys never shuffle between pages and every ordering is one index walk,
    forwards or backwards (`-created` is `created DESC, id DESC`: an index on (created, id)
    read backwards; with the id always ascending, each direction needed an index of its own).
    Empty dates sort last in both directions, on every database; a column that cannot be
    empty gets no NULLS clause, which PostgreSQL would otherwise not match to a backward scan."""

    def filter(self, qs, value):
        if value in (None, "", [], ()):
            return qs
        ordering, descending, name = [], False, None
        for param in value:
            descending, name = param.startswith("-"), self.param_map[param.lstrip("-")]
            if qs.model._meta.get_field(name).null:
                expression = F(name)
                ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
            else:
                ordering.append(f"-{name}" if descending else name)
        if name != "id":
            ordering.append("-pk" if descending else "pk")
        return qs.order_by(*ordering)


def ordering(*fields: tuple[str, str], help_text: str = "") -> StableOrderingFilter:
    names = ", ".join(f"`{name}`" for _, name in fields)
    return StableOrderingFilter(
        fields=fields,
        help_text=help_text
        or f"Sort by {names}; prefix `-` for descending, comma-separate several. Ties are broken by id, in the direction of the last field.",
    )


Q_HELP = "Search names and aliases: every word must start a word of the name or of an alias (“lavrov”, “burma”)."


class _SharedFields(dict):
    """A filter form's fields, shared by its instances. Django's Form deep-copies its class's
    fields into every instance, so that an instance may change its own (their choices, their
    widgets' attributes): for a claims list, sixteen fields with their widgets, validators
    and error messages, a tenth of the request's CPU, then garbage. No filter form changes a
    field: the filters read their values through `clean()` and the browsable API renders
    them, neither of which writes to a field or a widget, and no field here holds a queryset
    (whose copy would keep its cache per instance). Each form still gets its own dict."""

    def __deepcopy__(self, memo):
        return dict(self)


class FactbaseFilterSet(django_filters.FilterSet):
    class Meta:
        form = FilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # As django_filters.FilterSet.__init__, but django-filter deep-copies every filter
        # (form field, choices, help text) and builds a new form class on each request:
        # that was a fifth of a list page's time. Filters keep no per-request state except
        # `model` and `parent`, set below, so a shallow copy each is enough; the form class
        # is built once per FilterSet class, its fields shared by its forms (_SharedFields).
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            if base.method is not None:
                filter_.method = base.method  # rebinds the FilterMethod to this copy
            filter_.model, filter_.parent = queryset.model, self
            self.filters[name] = filter_

    @classmethod
    def _shared_form_class(cls):
        if "_form_class" not in cls.__dict__:
            fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
            cls._form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls._form_class.base_fields = _SharedFields(cls._form_class.base_fields)
        return cls._form_class

    def get_form_class(self):
        return self._shared_form_class()

    def check_references(self) -> dict[str, int]:
        """400 when a reference filter names nothing (see ReferenceFilter). Returns the
        filters that name a merged entity, with the survivor's id: {name: id}."""
        errors, merged = {}, {}
        for name, filter_ in self.filters.items():
            if not hasattr(filter_, "reference_error"):
                continue
            value = self.form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            message = filter_.reference_error(value)
            if isinstance(message, MergedInto):
                merged[name] = int(message)
            elif message:
                errors[name] = [message]
        if errors:
            raise ValidationError(errors)
        return merged

    @staticmethod
    def redirected(data: QueryDict, merged: dict[str, int]) -> QueryDict:
        """The query with merged entities' ids replaced by their survivors'."""
        data = data.copy()
        for name, survivor in merged.items():
            data[name] = str(survivor)
        return data


class EntitySearchFilterSet(FactbaseFilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text=Q_HELP)

    def filter_q(self, queryset, name, value):
        return queryset.matching(value)


# --- per resource -----------------------------------------------------------------------


class EntityFilterSet(EntitySearchFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=EntityKind.choices, method="filter_kind", help_text="Only entities of this kind."
    )
    ordering = ordering(("name", "name"), ("kind", "kind"), ("id", "id"))

    class Meta(FactbaseFilterSet.Meta):
        model = Entity
        fields = ["q", "kind"]

    def filter_kind(self, queryset, name, value):
        return queryset.of_kind(value)


class CountryFilterSet(EntitySearchFilterSet):
    iso = django_filters.CharFilter(
        method="filter_iso",
        help_text="ISO 3166-1 alpha-2 or alpha-3 code, in any case: `RU`, `rus`.",
        validators=[RegexValidator(r"^[A-Za-z]{2,3}$", "An ISO 3166-1 code is two or three letters: RU, RUS.")],
    )
    ordering = ordering(("name", "name"), ("iso_alpha2", "iso"), ("id", "id"))

    class Meta(FactbaseFilterSet.Meta):
        model = Country
        fields = ["q", "iso"]

    def filter_iso(self, queryset, name, value):
        return queryset.with_iso_code(value)


class PersonFilterSet(EntitySearchFilterSet):
    nationality = ReferenceFilter(
        field_name="nationality", kind=EntityKind.COUNTRY, help_text="Id of a country: people of that nationality."
    )
    organisation = ReferenceFilter(
        method="filter_organisation",
        kind=EntityKind.ORGANISATION,
        help_text="Id of an organisation: people who hold or held a role in it.",
    )
    ordering = ordering(("name", "name"), ("family_name", "family_name"), ("id", "id"))

    class Meta(FactbaseFilterSet.Meta):
        model = Person
        fields = ["q", "nationality", "organisation"]

    def filter_organisation(self, queryset, name, value):
        return queryset.in_organisation(value)


class OrganisationFilterSet(EntitySearchFilterSet):
    type = django_filters.ChoiceFilter(
        field_name="org_type", choices=OrganisationType.choices, help_text="Kind of organisation."
    )
    country = ReferenceFilter(field_name="country", kind=EntityKind.COUNTRY, help_text="Id of a country.")
    ordering = ordering(("name", "name"), ("org_type", "type"), ("id", "id"))

    class Meta(FactbaseFilterSet.Meta):
        model = Organisation
        fields = ["q", "type", "country"]


class EventFilterSet(EntitySearchFilterSet):
    type = django_filters.ChoiceFilter(field_name="event_type", choices=EventType.choices, help_text="Kind of event.")
    status = django_filters.ChoiceFilter(
        field_name="status", choices=EventStatus.choices, help_text="Whether it occurred, is planned or was cancelled."
    )
    participant = ReferenceFilter(
        method="filter_participant", help_text="Id of any entity: events it takes part in, in any role."
    )
    country = ReferenceFilter(
        field_name="location_country", kind=EntityKind.COUNTRY, help_text="Id of a country: events held there."
    )
    date_from = PartialDateFilter(
        end=False, help_text="Events still going on at or after this partial date (2021, 2021-07, 2021-07-06)."
    )
    date_to = PartialDateFilter(
        end=True, help_text="Events that started at or before this partial date (2021, 2021-07, 2021-07-31)."
    )
    ordering = ordering(("date_lower", "date"), ("name", "name"), ("id", "id"))

    class Meta(FactbaseFilterSet.Meta):
        model = Event
        fields = ["q", "type", "status", "participant", "country", "date_from", "date_to"]

    def filter_participant(self, queryset, name, value):
        # Within the list's date range (filtered by it too): read from the participant's dates.
        dates = self.form.cleaned_data
        return queryset.with_participant(value, lower=dates.get("date_from"), upper=dates.get("date_to"))


class ClaimFilterSet(FactbaseFilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        help_text="Search the quoted evidence, the literal value and the subject's name and aliases.",
    )
    subject = ReferenceFilter(field_name="subject", help_text="Id of the entity the claim is about (its subject).")
    object = ReferenceFilter(field_name="object", help_text="Id of the claim's object entity.")
    entity = ReferenceFilter(
        method="filter_entity", help_text="Id of an entity that is the subject, the object or the attribution."
    )
    predicate = PredicateFilter(help_text="Slug of a predicate (`visited`, `met-with`): see /api/v1/predicates/.")
    event = ReferenceFilter(field_name="event", kind=EntityKind.EVENT, help_text="Id of the event the claim is about.")
    document = ReferenceFilter(
        method="filter_document", target=Document, help_text="Id of a document: claims with evidence in it."
    )
    attributed_to = ReferenceFilter(
        field_name="attributed_to", help_text="Id of the speaker or outlet the claim is attributed to."
    )
    fact = ReferenceFilter(field_name="fact", target=Fact, help_text="Id of a fact: the claims that state it.")
    rank = django_filters.ChoiceFilter(
        choices=[*Rank.choices, ("best", "Best")],
        method="filter_rank",
        help_text="`preferred`, `normal` or `deprecated`; `best`: in each fact, the preferred claims where there "
        "is one, else the normal ones, never the deprecated (Wikidata's best rank).",
    )
    modality = django_filters.ChoiceFilter(
        choices=Modality.choices, help_text="Asserted, planned, expected or possible."
    )
    polarity = django_filters.ChoiceFilter(
        choices=Polarity.choices, help_text="`negated` finds claims that something did not happen."
    )
    status = django_filters.ChoiceFilter(
        choices=ClaimStatus.choices,
        help_text="Curation status. Anonymous clients only ever see published claims.",
    )
    date_from = PartialDateFilter(
        end=False, help_text="Claims whose date reaches this partial date or later (2021, 2021-07, 2021-07-06)."
    )
    date_to = PartialDateFilter(
        end=True, help_text="Claims whose date starts at or before this partial date (2021, 2021-07, 2021-07-31)."
    )
    ordering = ordering(("date_lower", "date"), ("created", "created"), ("updated", "updated"), ("id", "id"))

    class Meta(FactbaseFilterSet.Meta):
        model = Claim
        fields = [
            "q",
            "subject",
            "object",
            "entity",
            "predicate",
            "event",
            "document",
            "attributed_to",
            "fact",
            "rank",
            "modality",
            "polarity",
            "status",
            "date_from",
            "date_to",
        ]

    def filter_q(self, queryset, name, value):
        return queryset.search_joined(value)

    def filter_queryset(self, queryset):
        # SQLite: a search narrowed to a modality, a polarity or a predicate is narrowed in the
        # claim text index too, by their tokens, so that its page, its count and its facets
        # never read the other values' matches (search.joined_holding_each). The capped count
        # of `q=a&modality=possible&polarity=negated`, of which there is none, read all 800,000
        # matches of `a` at a million claims (200 ms); intersected with the tokens, 6.6 ms.
        data = self.form.cleaned_data
        # The filters named as the columns whose tokens the index holds, and the predicate.
        tokenized = [(name, data[name]) for name in claim_text.TOKENIZED if name in self.filters and data.get(name)]
        if data.get("predicate"):
            tokenized.append((search.PREDICATE_SLUG, data["predicate"]))
        return search.joined_holding_each(self._filtered(queryset), tokenized)

    def _filtered(self, queryset):
        # date_from with date_to is one interval question, answered whole by the claims'
        # interval index (factbase/indexes/claim_dates.py); each alone bounds only one side.
        data = self.form.cleaned_data
        lower, upper = data.get("date_from"), data.get("date_to")
        if lower is None or upper is None:
            return super().filter_queryset(queryset)
        # A document's, an event's or a fact's claims are few: compared on their rows, not
        # looked up in the interval index's answer for the whole range.
        few = any(data.get(name) is not None for name in ("document", "event", "fact"))
        # An entity's: the range is asked of its role's date index (of its three roles' for
        # `entity=`), which then answers the entity filter too. Asked again beside it, the
        # role's condition led PostgreSQL to walk every claim of the entity's role index and
        # look each up in the range's ids (21,000 for the busiest object at a million claims).
        roles = [(name, data[name]) for name in ("subject", "object", "attributed_to") if data.get(name) is not None]
        if few:
            roles = []
        elif roles:
            roles = roles[:1]
        elif data.get("entity") is not None:
            roles = [(name, data["entity"]) for name in ("subject", "object", "attributed_to")]
        answered = {"date_from", "date_to"} | ({"entity"} if len(roles) == 3 else {name for name, _ in roles})
        queryset = queryset.overlapping(lower=lower, upper=upper, few=few, roles=roles)
        for name, value in data.items():
            if name not in answered:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_entity(self, queryset, name, value):
        return queryset.about(value)

    def filter_document(self, queryset, name, value):
        return queryset.citing(value)

    def filter_rank(self, queryset, name, value):
        return queryset.best_ranked() if value == "best" else queryset.filter(rank=value)


class DocumentFilterSet(FactbaseFilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text="Words that must all occur in the title or the text.")
    published_from = PartialDateFilter(
        end=False, help_text="Documents published at or after this partial date (2021, 2021-08, 2021-08-05)."
    )
    published_to = PartialDateFilter(
        end=True, help_text="Documents published at or before this partial date (2021, 2021-08, 2021-08-31)."
    )
    curation_state = django_filters.ChoiceFilter(
        choices=CurationState.choices,
        help_text="Where the document stands in the curation queue: `new`, `in_curation`, `ready_for_review`, `done`.",
    )
    assignee = django_filters.CharFilter(
        method="filter_assignee",
        validators=[RegexValidator(r"\A(me|none|[1-9][0-9]{0,17})\Z", "Give a user's id, `me` or `none`.")],
        help_text=(
            "The curator holding the document: a user's id, `me` (yours) or `none` (nobody's). For clients who"
            " do not curate, no document is held by anyone."
        ),
    )
    ordering = ordering(("date_lower", "published"), ("title", "title"), ("id", "id"))

    class Meta(FactbaseFilterSet.Meta):
        model = Document
        fields = ["q", "published_from", "published_to", "curation_state", "assignee"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_assignee(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None or not sees_unpublished(user):
            # A client who does not curate sees no document held by anyone ("assignee": null).
            return queryset if value == "none" else queryset.none()
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            return queryset.filter(assignee=user)
        if not get_user_model().objects.filter(pk=int(value)).exists():
            raise ValidationError({name: [f"No user has the id {value}."]})
        return queryset.filter(assignee_id=int(value))


def strict_boolean(**kwargs) -> django_filters.TypedChoiceFilter:
    """`true` or `false`, and anything else a 400 (django-filter's BooleanFilter ignores it)."""
    return django_filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")], coerce=lambda value: value == "true", **kwargs
    )


# A date filter kept, or a search matched, at least this many claims: FactFilterSet walks the
# facts (FactQuerySet.stating). Below it, gathering the claims' facts costs less than walking:
# 1,001 facts found among 25,000 claims (2.5% at a million) cost about as much either way
# (docs/performance.md).
MANY_CLAIMS = 25_000


class FactFilterSet(FactbaseFilterSet):
    """Facts are found through their claims (a fact keeps no statement of its own): each
    filter on the statement keeps the facts with a claim, that the client may see, matching."""

    q = django_filters.CharFilter(
        method="filter_claims", help_text="Search the claims' quoted evidence, literal value and subject's names."
    )
    subject = ReferenceFilter(method="filter_claims", help_text="Id of the entity the fact is about (its subject).")
    object = ReferenceFilter(method="filter_claims", help_text="Id of the fact's object entity.")
    predicate = PredicateFilter(method="filter_claims", help_text="Slug of a predicate (`visited`, `chairs`).")
    min_sources = django_filters.NumberFilter(
        field_name="sources",
        lookup_expr="gte",
        min_value=0,
        max_value=MAX_ID,
        help_text="Facts with at least this many independent sources.",
    )
    contradicted = strict_boolean(
        field_name="contradicted", help_text="`true`: facts another fact contradicts (unresolved); `false`: none."
    )
    rank = django_filters.ChoiceFilter(
        choices=[*Rank.choices, ("best", "Best")],
        method="filter_rank",
        help_text="`preferred`, `normal` or `deprecated`; `best`: for each subject and predicate, the preferred "
        "facts where there is one, else the normal ones, never the deprecated (Wikidata's best rank).",
    )
    date_from = PartialDateFilter(
        end=False, method="filter_claims", help_text="Facts with a claim dated this or later."
    )
    date_to = PartialDateFilter(end=True, method="filter_claims", help_text="Facts with a claim dated this or earlier.")
    ordering = ordering(("sources", "sources"), ("updated", "updated"), ("id", "id"))

    class Meta(FactbaseFilterSet.Meta):
        model = Fact
        fields = ["q", "subject", "object", "predicate", "min_sources", "contradicted", "rank", "date_from", "date_to"]

    def filter_claims(self, queryset, name, value):
        return queryset  # all of them at once, in filter_queryset: one subquery of claims

    def filter_rank(self, queryset, name, value):
        return queryset.best_ranked() if value == "best" else queryset.filter(rank=value)

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        claims = Claim.objects.visible_to(self.request.user if self.request else None)
        narrowed = False
        roles = [(name, data[name]) for name in ("subject", "object") if data.get(name) is not None]
        dated = data.get("date_from") is not None or data.get("date_to") is not None
        # With dates, the first role is asked with them (below).
        for name, value in roles[1:] if dated else roles:
            claims, narrowed = claims.filter(**{name: value}), True
        if data.get("predicate"):
            # The predicate's id as a scalar subquery, not a join on its slug: PostgreSQL then
            # reads the predicate's claims in fact order (claim_predicate_fact) beside the
            # facts; joined, it walked every claim by fact for a predicate no claim has (1.3 s
            # at a million claims for an unknown slug, before the 400).
            slug = Predicate.objects.filter(slug=data["predicate"]).values("pk")[:1]
            claims, narrowed = claims.filter(predicate=Subquery(slug)), True
        if dated:
            # An entity's claims in a range: asked of its role's date index (as claims/ does).
            # With the plain comparisons, PostgreSQL took the busiest subject's claims of a
            # year for 4,000 (the dates' two conditions counted as independent; 824 start
            # in it) and walked the facts in id order, merged with every claim by fact.
            lower, upper = data.get("date_from"), data.get("date_to")
            claims = claims.overlapping(lower=lower, upper=upper, few=not roles, roles=roles[:1])
            narrowed = True
        walk = self.many_claims(data)
        if data.get("q"):
            # A search alone that many claims match walks the facts, each asked for a claim
            # as search.claims_walked shapes the question; else their facts are gathered.
            alone = not (roles or dated or data.get("predicate"))
            walked = search.claims_walked(claims, data["q"], MANY_CLAIMS) if alone else None
            claims, walk = (claims.search(data["q"]), False) if walked is None else (walked, True)
            narrowed = True
        if narrowed:
            queryset = queryset.stating(claims, walk=walk)
        return super().filter_queryset(queryset)

    def many_claims(self, data) -> bool:
        """Whether the claims that dates alone keep are so many that the facts are best walked
        in their order and each asked for one (FactQuerySet.stating): at least MANY_CLAIMS of
        any status, counted in a date index, no further. An entity or a predicate gives its
        claims' facts from its own index; a search decides by itself (filter_queryset)."""
        if any(data.get(name) is not None for name in ("subject", "object")) or data.get("predicate"):
            return False
        lower, upper = data.get("date_from"), data.get("date_to")
        if data.get("q") or (lower is None and upper is None):
            return False
        found = Claim.objects.overlapping(lower=lower, upper=upper, few=True).order_by().values("pk")
        return found[:MANY_CLAIMS].count() >= MANY_CLAIMS


class ContradictionFilterSet(FactbaseFilterSet):
    resolved = strict_boolean(
        field_name="resolved",
        help_text="`false` (the reviewers' queue): open contradictions; `true`: resolved ones. Both if absent.",
    )
    kind = django_filters.ChoiceFilter(choices=ContradictionKind.choices, help_text="Polarity or single value.")
    fact = ReferenceFilter(method="filter_fact", target=Fact, help_text="Id of a fact on either side.")
    ordering = ordering(("updated", "updated"), ("id", "id"))

    class Meta(FactbaseFilterSet.Meta):
        model = Contradiction
        fields = ["resolved", "kind", "fact"]

    def filter_fact(self, queryset, name, value):
        return queryset.involving([value])


class JobFilterSet(FactbaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=JobKind.choices, help_text="What the jobs do.")
    status = django_filters.ChoiceFilter(choices=JobStatus.choices, help_text="Where they stand.")
    ordering = ordering(("created", "created"), ("id", "id"))

    class Meta(FactbaseFilterSet.Meta):
        model = Job
        fields = ["kind", "status"]


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend; keeps the FilterSet on the view so that an empty page can
    check its references (FactbaseFilterSet.check_references)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        view.filterset = filterset
        return filterset

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        merged = getattr(view, "merged_references", None)
        if merged:  # asked again with the survivors' ids (see ReferenceFilter)
            kwargs["data"] = FactbaseFilterSet.redirected(kwargs["data"], merged)
        return kwargs


def merged_references(view) -> bool:
    """For a list whose page came back empty: check the ids its filters name (a 400 for one
    that names nothing), and whether some name merged entities. If so, the view keeps the
    survivors' ids (`view.merged_references`) for FilterBackend, and should list again."""
    filterset = getattr(view, "filterset", None)
    if filterset is None or getattr(view, "merged_references", None):
        return False
    view.merged_references = filterset.check_references()
    return bool(view.merged_references)


class TimelineFilterForm(FilterForm):
    """The filters of an entity's timeline (entities/{id}/timeline/): the claims' own fields
    and messages, so `date_from`, `date_to` and `predicate` read and refuse the same values
    there as on `claims/`."""

    date_from = PartialDateBoundField(end=False, required=False)
    date_to = PartialDateBoundField(end=True, required=False)
    predicate = forms.SlugField(required=False)
    type = forms.CharField(required=False)

    def clean_type(self):
        raw = self.data.get("type")
        if raw not in (None, "", "event", "claim"):
            raise forms.ValidationError("%(message)s", params={"message": f"Give event or claim, not {raw[:40]!r}."})
        return raw or None

    def cleaned(self) -> dict:
        """The cleaned values, or the 400 that says what is wrong (as the FilterSets do)."""
        if not self.is_valid():
            raise translate_validation(self.errors)
        return self.cleaned_data
