"""Entities: one id space for everything a claim can be about (like Wikidata items), with
typed tables per kind (multi-table inheritance): Person, Country, Organisation, Event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Exists, OuterRef, Q
from django.db.models.lookups import Exact
from django.db.models.sql.where import WhereNode
from simple_history.models import HistoricalRecords

from factbase.enums import EntityKind, EventStatus, EventType, OrganisationType, ParticipantRole
from factbase.indexes import conditions, event_spans, participant_events, search
from factbase.models.base import PartialDateQuerySetMixin, PartialDateRange, TimeStampedModel
from factbase.permissions import workflow_permissions


def normalise_name(value: str) -> str:
    """The form names and aliases are matched in: case-folded, whitespace collapsed."""
    return " ".join(value.replace("’", "'").casefold().split())


class EntityQuerySet(PartialDateQuerySetMixin, models.QuerySet):
    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def index_count(self, cap: int) -> int | None:
        """The capped count of a typed list (api/pagination.py) without the kind its name
        order states on the entity row (api/views/entities.py: for the `(kind, name, id)`
        index), which the join to the typed table already implies: counted without it, the
        rows come from the filters' own index and need no entity row. With it, PostgreSQL
        merged the nationality's people with every person's entry of the kind's index
        (people/?nationality= at a million claims: 100,000 entries, 5-8 ms, for 374 people).
        None when the queryset states no such kind.

        First, a SQLite list walked for a search and filtered by nothing else may be counted
        from the name matches alone (`search.streamed_count`)."""
        streamed = search.streamed_count(self, cap)
        if streamed is not None:
            return streamed
        kind, children = self.model.KIND, conditions.anded(self)
        if not kind or children is None:
            return None
        if self.query.annotations:
            # A search walked on the entity rows (search._walk_entities, its aliases): the
            # kind is what narrows the walk to the typed list's own rows (PostgreSQL counted
            # organisations/?q=a in 15 ms without it, 6 ms with it).
            return None
        kind_field = Entity._meta.get_field("kind")
        stated = [
            i
            for i, child in enumerate(children)
            if isinstance(child, Exact) and getattr(child.lhs, "target", None) == kind_field and child.rhs == kind
        ]
        if not stated:
            return None
        return conditions.without(self, stated[0]).order_by().values("pk")[: cap + 1].count()

    def index_ids(self):
        """This list's ids as one statement reads them, sliced for a page and its count
        (api/pagination.py), else None: an entity list on PostgreSQL searched for few
        matches, read with the name and kind it is ordered by (`search.entity_name_matches`)."""
        return search.entity_name_matches(self)

    def pages_with_count(self) -> bool:
        """Whether a page of this queryset and its capped count are best read in one
        statement on PostgreSQL too (api/pagination.py): a search of few matches, read whole
        by either (`search.reads_matches_whole`)."""
        return search.reads_matches_whole(self)

    def listed_matches(self):
        """This queryset with a PostgreSQL search walk's test swapped for the match lists,
        for a statement that reads every match (a facet count), else None
        (`search.listed_matches`)."""
        return search.listed_matches(self)

    def walked_page(self, rows: int):
        """This queryset as a page of `rows` rows at most is best read, when that differs
        from how it is counted (api/pagination.py), else None: a SQLite search walk probes
        its rows in the full-text tables (`search.probed_page`)."""
        return search.probed_page(self, rows)

    def matching(self, q: str):
        """Entities whose name or any alias matches `q`: every word of `q` starts a word of
        the name or alias, case-insensitively ("lavrov" finds "Sergei Lavrov"). Served from a
        full-text index (factbase/indexes/search.py)."""
        return search.filter_entities(self, q, normalise=normalise_name)

    def first_ids_matching(self, q: str, *, kinds=(), limit: int, offset: int = 0) -> list[int]:
        """The ids of `limit` entities of `kinds` (any when empty) from `offset`, in name
        order, that are `matching(q)`: of the whole table, in one statement where the
        full-text index answers (factbase/indexes/search.py, `first_entity_ids`)."""
        ids = search.first_entity_ids(q, self.db, kinds=list(kinds), limit=limit, offset=offset)
        if ids is None:
            entities = self.model.objects.filter(kind__in=kinds) if kinds else self.model.objects.all()
            ids = list(entities.matching(q).values_list("pk", flat=True)[offset : offset + limit])
        return ids

    def ids_matching(self, q: str):
        """The ids of the entities `matching(q)`, as a subquery for another list's filter (the
        admin's mentions, aliases, roles and participations by name): the index's match list."""
        return search.entity_ids(self, q, normalise=normalise_name)

    def rows_naming(self, rows, q: str, *fields: str):
        """`rows` of another list (aliases, roles, participations, mentions) whose entity
        through any of `fields` is `matching(q)`, read in that list's own order where the
        query matches many names (factbase/indexes/search.py)."""
        return search.filter_rows_naming(rows, list(fields), q, normalise=normalise_name)

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def for_api(self):
        """What the API's entity representations read, in a constant number of queries: the
        aliases in one prefetch (ordered here, not by Alias.Meta.ordering, which would join
        the entity table again for every page)."""
        from factbase.models.aliases import Alias

        return self.prefetch_related(models.Prefetch("aliases", queryset=Alias.objects.order_by("name", "id")))

    def with_identifiers(self):
        """Detail pages also show external identifiers: one more prefetch."""
        from factbase.models.aliases import Identifier

        return self.prefetch_related(
            models.Prefetch("identifiers", queryset=Identifier.objects.order_by("scheme", "value", "id"))
        )


class Entity(TimeStampedModel):
    kind = models.CharField(max_length=16, choices=EntityKind.choices, db_index=True, editable=False)
    name = models.CharField(max_length=300, help_text="Preferred label, as a reader would name it.")
    normalised_name = models.CharField(max_length=300, db_index=True, editable=False, default="")
    slug = models.SlugField(max_length=120, unique=True, help_text="Stable, unique id for URLs and fixtures.")
    description = models.TextField(blank=True)
    wikidata_qid = models.CharField(
        max_length=16, blank=True, default="", help_text="Wikidata item id, such as Q41364 for Sergei Lavrov."
    )

    objects = EntityQuerySet.as_manager()
    history = HistoricalRecords(inherit=False)

    KIND: str = ""

    class Meta:
        permissions = workflow_permissions("factbase.entity")
        ordering = ["name", "id"]
        verbose_name_plural = "entities"
        indexes = [
            # The typed lists (people/, events/…) in name order, read from the index and
            # stopped at the LIMIT instead of sorting every row of the kind, given a `kind =`
            # condition the join to the typed table does not state by itself
            # (EntityReadMixin.filter_queryset), or that a search with many matches states
            # (factbase/indexes/search.py, `_walk_entities`).
            models.Index(fields=["kind", "name", "id"], name="entity_kind_name"),
            # `entities/` in name order (its default), both ways: every entity was sorted for
            # its first page (0.1 s at a million claims); and `entities/?q=` with many matches
            # walks the names in order. (Before searches chose how to read a list by the
            # number of matches, PostgreSQL walked this index for `countries/?q=a` comparing
            # each row with the whole match list.)
            models.Index(fields=["name", "id"], name="entity_name"),
            # `ordering=kind` and `-kind` (ties by id in the same direction), forwards or
            # backwards; the single-column kind index gives PostgreSQL no id order.
            models.Index(fields=["kind", "id"], name="entity_kind_id"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EntityKind.values), name="entity_kind_valid"),
            models.UniqueConstraint(
                fields=["wikidata_qid"], condition=~Q(wikidata_qid=""), name="entity_wikidata_qid_unique"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="entity_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        self._derive_columns()

    def _derive_columns(self) -> None:
        if self.KIND:
            self.kind = self.KIND
        self.normalised_name = normalise_name(self.name or "")

    def save(self, *args, **kwargs):
        # Derived columns, not domain rules: the kind follows the typed table, and the
        # normalised name is what search matches against.
        self._derive_columns()
        super().save(*args, **kwargs)

    @property
    def typed(self) -> Entity:
        """The typed instance (Person, Country…) behind this entity row."""
        if type(self) is not Entity:
            return self
        return getattr(self, f"as_{self.kind}")


class CountryQuerySet(EntityQuerySet):
    def with_iso_code(self, code: str):
        """Countries whose ISO 3166-1 alpha-2 or alpha-3 code is `code`, in any case."""
        code = (code or "").strip().upper()
        return self.filter(Q(iso_alpha2=code) | Q(iso_alpha3=code))


class PersonQuerySet(EntityQuerySet):
    def for_api(self):
        # Nationality in the row's JOIN; roles (with their organisation) in one prefetch.
        from factbase.models.roles import Role

        roles = Role.objects.select_related("organisation").order_by(models.F("date_lower").asc(nulls_last=True), "id")
        return super().for_api().select_related("nationality").prefetch_related(models.Prefetch("roles", roles))

    def in_organisation(self, organisation):
        """People who hold or held a role in `organisation` (an Organisation or its id)."""
        from factbase.models.roles import Role

        # An IN list from the roles' organisation index: EXISTS was checked for every person.
        return self.filter(pk__in=Role.objects.filter(organisation=organisation).values("person_id"))


class OrganisationQuerySet(EntityQuerySet):
    def for_api(self):
        return super().for_api().select_related("country", "parent")


# A participant in more events than this and SQLite walks the events list's order for a
# page (EventQuerySet.walked_page). The walk passes the events between the participant's: at
# this many of the 200,000 events at a million claims, a page of 51 reads about 5,000.
WALKED_PARTICIPATIONS = 2_000


class EventQuerySet(EntityQuerySet):
    def for_api(self):
        # Country and parent event in the row's JOIN; participants (with their entity) in one prefetch.
        participants = EventParticipant.objects.select_related("entity").order_by("id")
        return (
            super()
            .for_api()
            .select_related("location_country", "parent")
            .prefetch_related(models.Prefetch("participants", participants))
        )

    def overlapping(self, period=None, *, lower=None, upper=None):
        """As for any dated rows, and with `lower` also saying that the date is known
        (`date_lower` is not null, implied by `date_upper >= lower`): SQLite then walks the
        (date_lower, date_upper) index in the lists' date order, NULLs last, and skips the
        events that ended before `lower` by their index entry. Without it, it sorted every
        event that ends after `lower` (0.4 s for a year at a million claims)."""
        queryset = super().overlapping(period, lower=lower, upper=upper)
        if period is not None:
            lower = period.lower
        # No earlier than the widest event's span before `lower` (event_spans.py): the walk
        # starts there, not at the first event ever (`date_from=2024` at a million claims
        # passed 190,000 entries, 20 ms on SQLite; 5 from there). The one lower bound on
        # `date_lower`: SQLite's range takes the first it finds.
        return queryset if lower is None else queryset.filter(date_lower__gte=self._starts_from(lower))

    def _starts_from(self, lower):
        """The first day an event overlapping a range from `lower` can start
        (event_spans.lower_bound), read once per list: `with_participant` notes the one it read
        on the query (a Query's clones copy its attributes), for `overlapping` after it."""
        noted = getattr(self.query, "event_starts_from", None)
        if noted is not None and noted[0] == lower:
            return noted[1]
        return event_spans.lower_bound(lower, self.db)

    def with_participant(self, entity, *, lower=None, upper=None):
        """Events in which `entity` (an Entity or its id) takes part, in any role. With `lower`
        or `upper` (the list's date range, which it is also filtered by: `overlapping`), read
        from the participant event index's dates btree, only those within the range: the IN
        list held every event of the participant (the busiest's 22,145 at a million claims,
        15.4 ms for a year's page with its capped count on SQLite; 2.8 from the dates)."""
        starts_from = self._starts_from(lower) if lower is not None else None
        within = None
        if lower is not None or upper is not None:
            within = participant_events.INDEX.events_within(
                self.db, getattr(entity, "pk", entity), lower=lower, upper=upper, starts_from=starts_from
            )
        if within is not None:
            found = self.filter(pk__in=within)
        else:
            # An IN list from the participants' entity index: EXISTS was checked for every event.
            events = EventParticipant.objects.filter(entity=entity).values("event_id")
            events.query.events_of = entity  # found again by walked_page()
            found = self.filter(pk__in=events)
        if starts_from is not None:
            found.query.event_starts_from = (lower, starts_from)  # read once (`_starts_from`)
        return found

    def index_count(self, cap: int) -> int | None:
        """As for any entity list, but first the events of a participant filtered by nothing
        else, counted from the participant event index (a walk of the participant's entries,
        where the IN list read all its participations: the busiest's 22,145 at a million
        claims); then a PostgreSQL search of one prefix term and nothing else, counted from the
        event name index alone (`search.event_name_rows`): the walk counted 1,001 events in
        date order, testing each one's name and aliases (12-24 ms at a million claims for
        `visit`)."""
        participant = self.participant_alone()
        if participant is not None:
            counted = participant_events.INDEX.capped_count(self.db, participant, cap)
            if counted is not None:
                return counted
        rows = search.event_name_rows(self)
        return rows.capped_count(cap) if rows is not None else super().index_count(cap)

    def index_facet_counts(self, pairs: list[tuple], cap: int) -> list[int] | None:
        """How many of these events hold each (column, value) of `pairs`, each counted no
        further than cap + 1, for the facets of a participant's events filtered by nothing
        else (api/facets.py), from the participant event index: each value a walk of its own
        btree. The walks grouped the participant's events by type and status, and walked again
        for the values left under the cap (the busiest participant's 22,145 events at a million
        claims, 100 ms on SQLite, 49 on PostgreSQL). None otherwise."""
        participant = self.participant_alone()
        if participant is None:
            return None
        return participant_events.INDEX.capped_counts(self.db, participant, pairs, cap)

    def participant_alone(self):
        """The id of the participant whose events this list is filtered to, when that is its
        one condition (`with_participant`); None otherwise."""
        children = conditions.anded(self)
        if children is None or len(children) != 1:
            return None
        events = getattr(children[0], "rhs", None)
        entity = getattr(getattr(events, "query", events), "events_of", None)
        return getattr(entity, "pk", entity)

    def index_ids(self):
        """This list's ids as an index reads them, sliced for a page and its count in one
        statement (api/pagination.py), else None. A search of a prefix of few words in the
        list's own order or the id's, walked or read whole, from the event word index
        (`search.event_word_rows`): each of its words' events walked in that order, where the
        walk looked every event up in the word's match lists read whole (SQLite) or tested
        each event's name and aliases (PostgreSQL). Else, on PostgreSQL, a search of one prefix
        term and of few matches, read whole (`pages_with_count`), from the event name index
        (`search.event_name_rows`), whose rows hold the date and name the list is ordered by,
        in its own order or any `ordering=`. Through the ORM each match's entity row was read
        for its name: 16,838 for `exercise` at a million claims, 120 ms (80 by name)."""
        rows = search.event_word_rows(self)
        if rows is not None:
            return rows
        if not self.pages_with_count():
            return None
        rows = search.event_name_rows(self)
        if rows is None:
            return super().index_ids()  # several terms: in name or id order, as any entity list
        return rows.in_order(conditions.ordering(self))

    def walked_page(self, rows: int):
        """As for any entity list (a search's probes), and the events of a busy participant
        (`_walked_participant`)."""
        walked = self._walked_participant()
        return walked if walked is not None else super().walked_page(rows)

    def _walked_participant(self):
        """On SQLite, for the events of a participant in more than WALKED_PARTICIPATIONS of
        them, filtered by nothing else: this queryset with the participant tested on each event
        (EXISTS, through the participants' `(entity, event)` index) instead of its IN list, for
        a page to walk the list's own order (the dates' index) and stop at its LIMIT; None
        otherwise. The IN list gathers the participant's events and sorts them all: the
        busiest participant's 22,145 at a million claims (35 ms), for a page of 51. Only for
        the page (api/pagination.py): the capped count keeps the IN list, which reads those
        events once, where a walk counting 1,001 of them passes the events between; and only
        for a busy participant, whose events lie close together in any order (a rare one's
        walk reads every event). PostgreSQL plans the page from the participant's own count
        and needs neither."""
        if connections[self.db].vendor != "sqlite":
            return None
        # Another filter beside (a year: the walk of that year's dates passed thousands of
        # other events, 14 → 22 ms) reads the participant's events as they are.
        entity = self.participant_alone()
        if entity is None:
            return None
        participations = EventParticipant.objects.using(self.db).filter(entity=entity).order_by()
        if participations[: WALKED_PARTICIPATIONS + 1].count() <= WALKED_PARTICIPATIONS:
            return None
        walked = self._chain()
        walked.query.where = WhereNode()
        return walked.filter(Exists(participations.filter(event_id=OuterRef("pk"))))


class Country(Entity):
    KIND = EntityKind.COUNTRY
    entity_ptr = models.OneToOneField(
        Entity, on_delete=models.CASCADE, parent_link=True, primary_key=True, related_name="as_country"
    )
    iso_alpha2 = models.CharField(
        max_length=2, blank=True, default="", help_text="ISO 3166-1 alpha-2 code (RU). Empty for historical states."
    )
    iso_alpha3 = models.CharField(max_length=3, blank=True, default="", help_text="ISO 3166-1 alpha-3 code (RUS).")
    official_name = models.CharField(max_length=300, blank=True)
    is_historical = models.BooleanField(default=False, help_text="A state that no longer exists (Soviet Union).")

    objects = CountryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        permissions = workflow_permissions("factbase.country")
        verbose_name_plural = "countries"
        ordering = ["name", "entity_ptr"]
        constraints = [
            models.UniqueConstraint(
                fields=["iso_alpha2"], condition=~Q(iso_alpha2=""), name="country_iso_alpha2_unique"
            ),
            models.UniqueConstraint(
                fields=["iso_alpha3"], condition=~Q(iso_alpha3=""), name="country_iso_alpha3_unique"
            ),
        ]


class Person(Entity):
    KIND = EntityKind.PERSON
    entity_ptr = models.OneToOneField(
        Entity, on_delete=models.CASCADE, parent_link=True, primary_key=True, related_name="as_person"
    )
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    nationality = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="nationals")

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        permissions = workflow_permissions("factbase.person")
        verbose_name_plural = "people"
        ordering = ["name", "entity_ptr"]
        # `ordering=family_name` (ties by id) read in index order.
        indexes = [models.Index(fields=["family_name", "entity_ptr"], name="person_family_name")]


class Organisation(Entity):
    KIND = EntityKind.ORGANISATION
    entity_ptr = models.OneToOneField(
        Entity, on_delete=models.CASCADE, parent_link=True, primary_key=True, related_name="as_organisation"
    )
    org_type = models.CharField(
        "type", max_length=32, choices=OrganisationType.choices, default=OrganisationType.OTHER, db_index=True
    )
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The body this one belongs to (ASEAN Secretariat → ASEAN).",
    )

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        permissions = workflow_permissions("factbase.organisation")
        ordering = ["name", "entity_ptr"]
        # `ordering=type` and `-type` (ties by id ascending) read in index order.
        indexes = [
            models.Index(fields=["org_type", "entity_ptr"], name="organisation_type"),
            models.Index(fields=["-org_type", "entity_ptr"], name="organisation_type_desc"),
        ]


class Event(PartialDateRange, Entity):
    KIND = EntityKind.EVENT
    entity_ptr = models.OneToOneField(
        Entity, on_delete=models.CASCADE, parent_link=True, primary_key=True, related_name="as_event"
    )
    event_type = models.CharField(
        "type", max_length=32, choices=EventType.choices, default=EventType.OTHER, db_index=True
    )
    status = models.CharField(max_length=16, choices=EventStatus.choices, default=EventStatus.OCCURRED, db_index=True)
    location_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="events_held"
    )
    location_text = models.CharField(
        max_length=300, blank=True, help_text="Place as written: “Primorsky Krai exercise site”."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The larger event this is part of (a trip and its legs).",
    )

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(PartialDateRange.Meta):
        permissions = workflow_permissions("factbase.event")
        # Undated events last on every database (SQLite and PostgreSQL place NULLs differently).
        ordering = [models.F("date_lower").asc(nulls_last=True), "name", "entity_ptr"]
        # The filters' pages in date order: the index gives the date order within the filter,
        # and only the events of one day are sorted by name (a partial sort that stops at
        # the LIMIT).
        indexes = [
            models.Index(fields=["event_type", "date_lower"], name="event_type_date"),
            models.Index(fields=["status", "date_lower"], name="event_status_date"),
            # Also a country's timeline in date order (api/projections/timelines.py): the events
            # held there from the cursor's date on.
            models.Index(fields=["location_country", "date_lower", "date_upper"], name="event_location_dates"),
            # `date_from` in date order: the walk in date order skips the events that ended
            # before it by their index entry, without reading their rows (see
            # EventQuerySet.overlapping).
            models.Index(fields=["date_lower", "date_upper"], name="event_dates"),
            # `participant=`: the dates of each of the entity's events (22,000 for the busiest
            # at a million claims), to sort them or match `date_from`/`date_to`, read from the
            # index, not the event's row (PostgreSQL counts a year's from it: 48 to 13 ms).
            models.Index(fields=["entity_ptr", "date_lower", "date_upper"], name="event_entity_date"),
            # The facets of a search (api/facets.py): SQLite groups every event by type and
            # status in this index's order, testing each one's id in the match lists, without a
            # sort or the event's row (events/?facets=type,status&q=a at a million claims: 90 ms,
            # against 150 walked and 227 grouped from the rows).
            models.Index(fields=["event_type", "status", "entity_ptr"], name="event_facets"),
        ]

    def clean(self):
        super().clean()
        self.clean_partial_date()


class EventParticipantQuerySet(models.QuerySet):
    def get_by_natural_key(self, event_slug, entity_slug, role):
        return self.get(event__slug=event_slug, entity__slug=entity_slug, role=role)


class EventParticipant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=16, choices=ParticipantRole.choices, default=ParticipantRole.ATTENDEE)
    note = models.CharField(max_length=300, blank=True)

    objects = EventParticipantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "role", "id"]
        # `events/?participant=`: the entity's events read from the index alone.
        indexes = [models.Index(fields=["entity", "event"], name="eventparticipant_entity_event")]
        constraints = [
            models.UniqueConstraint(fields=["event", "entity", "role"], name="eventparticipant_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} ({self.get_role_display()}) in {self.event}"

    def natural_key(self):
        return (self.event.slug, self.entity.slug, self.role)

    natural_key.dependencies = ["factbase.event", "factbase.entity"]

    def clean(self):
        if self.event_id and self.entity_id and self.event_id == self.entity_id:
            raise ValidationError({"entity": "An event cannot take part in itself."})
