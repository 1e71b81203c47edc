"""Every changelist runs a constant number of queries, whatever the page holds: the same
literal count with 1 row and with 3 rows (a count that grows with rows is an N+1 bug).
And every changelist stays bounded however big the tables: sidebar filters on big relations
are search boxes, the count stops at a cap, deep pages read their ids first, only indexed
columns sort, and searches read the full-text indexes (factbase/admin/changelists.py)."""

import datetime as dt
import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    PredicateFactory,
    RoleFactory,
    SourceSpanFactory,
)
from tests.factories.entities import IdentifierFactory

pytestmark = pytest.mark.django_db


def _person_with_aliases():
    person = PersonFactory(nationality=CountryFactory())
    AliasFactory(entity=person)
    AliasFactory(entity=person)
    return person


def _organisation():
    return OrganisationFactory(country=CountryFactory(), parent=OrganisationFactory(name="Parent body"))


def _event():
    parent = EventFactory(name="Trip")
    return EventFactory(location_country=CountryFactory(), parent=parent)


def _document():
    document = DocumentFactory()
    ClaimFactory(spans=[])  # claims elsewhere do not count for this document
    SourceSpanFactory(document=document, claim=ClaimFactory(spans=[]))
    MentionFactory(document=document)
    return document


def _claim():
    return ClaimFactory(attributed_to=PersonFactory(), in_review=True)


def _predicate(counter=iter(range(10**6))):
    n = next(counter)
    return PredicateFactory(slug=f"predicate-{n}", label=f"predicate {n}")


# (model name, maker of one listed row, rows listed per call, queries — with 1 or 3 calls)
CHANGELISTS = [
    ("entity", lambda: AliasFactory(entity=PersonFactory()).entity, 1, 7),
    ("person", _person_with_aliases, 1, 7),
    ("country", lambda: AliasFactory(entity=CountryFactory()).entity, 1, 7),
    ("organisation", _organisation, 2, 7),
    ("event", _event, 2, 7),
    ("eventparticipant", EventParticipantFactory, 1, 6),
    ("alias", AliasFactory, 1, 7),
    ("identifier", IdentifierFactory, 1, 6),
    ("role", RoleFactory, 1, 6),
    ("document", _document, 1, 7),
    ("mention", MentionFactory, 1, 6),
    ("predicate", _predicate, 1, 6),
    ("claim", _claim, 1, 8),
    ("sourcespan", lambda: SourceSpanFactory(claim=ClaimFactory(spans=[])), 1, 6),
]


@pytest.mark.parametrize("calls", [1, 3])
@pytest.mark.parametrize(("model_name", "make", "per_call", "queries"), CHANGELISTS, ids=[c[0] for c in CHANGELISTS])
def test_changelist_queries_constant_whatever_rows(
    curator_admin, django_assert_num_queries, model_name, make, per_call, queries, calls
):
    for _ in range(calls):
        make()
    url = reverse(f"admin:factbase_{model_name}_changelist")

    with django_assert_num_queries(queries):
        response = curator_admin.get(url)
        response.render()

    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.result_count == per_call * calls
    assert re.search(rf'<p class="paginator">\s*{re.escape(cl.count_text)}\s', response.content.decode())


# ---------------------------------------------------------------- bounded at a million claims


def _sidebar(response) -> str:
    html = response.content.decode()
    found = re.search(r'<nav id="changelist-filter".*?</nav>', html, re.S)
    assert found, "the changelist has a filter sidebar"
    return found.group(0)


def _listed(response) -> list:
    return [obj.pk for obj in response.context["cl"].result_list]


def _cited_claims(count: int) -> list:
    """Claims, each citing its own document and attributed to its own speaker."""
    return [
        ClaimFactory(
            attributed_to=PersonFactory(name=f"Speaker {n}"), spans__document=DocumentFactory(title=f"Cited {n}")
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("claims", [1, 3])
def test_claim_sidebar_lists_no_document_or_speaker(curator_admin, django_assert_num_queries, claims):
    _cited_claims(claims)

    with django_assert_num_queries(8):
        response = curator_admin.get(reverse("admin:factbase_claim_changelist"))
        response.render()

    sidebar = _sidebar(response)
    # Search boxes (the admin's autocomplete) instead of a link per document and speaker.
    assert 'name="document"' in sidebar and 'name="attributed_to"' in sidebar
    assert "Cited 0" not in sidebar and "Speaker 0" not in sidebar
    assert "The document itself" in sidebar


@pytest.mark.parametrize(
    ("model_name", "parameter", "make"),
    [
        ("sourcespan", "document", lambda: SourceSpanFactory(claim=ClaimFactory(spans=[])).document),
        ("mention", "document", lambda: MentionFactory().document),
        ("document", "publisher", lambda: DocumentFactory(publisher=OrganisationFactory()).publisher),
        ("person", "nationality", lambda: PersonFactory(nationality=CountryFactory()).nationality),
        ("organisation", "country", lambda: OrganisationFactory(country=CountryFactory()).country),
        ("role", "organisation", lambda: RoleFactory(organisation=OrganisationFactory()).organisation),
    ],
)
def test_related_filters_are_search_boxes_that_keep_the_chosen_row(curator_admin, model_name, parameter, make):
    chosen, other = make(), make()
    url = reverse(f"admin:factbase_{model_name}_changelist")

    everything = curator_admin.get(url)
    narrowed = curator_admin.get(url, {parameter: chosen.pk})

    assert f'name="{parameter}"' in _sidebar(everything)
    assert str(other) not in _sidebar(everything) and str(chosen) not in _sidebar(everything)
    assert narrowed.context["cl"].result_count == 1
    # The chosen row is named in its box, with a link that clears it.
    assert f'<option value="{chosen.pk}" selected>{chosen}</option>' in _sidebar(narrowed)
    assert 'class="fb-filter-clear"' in _sidebar(narrowed)


def test_claim_document_and_speaker_filters_keep_their_claims(curator_admin):
    first, second = _cited_claims(2)
    unattributed = ClaimFactory(attributed_to=None)
    url = reverse("admin:factbase_claim_changelist")
    document = first.spans.get().document

    assert _listed(curator_admin.get(url, {"document": document.pk})) == [first.pk]
    assert _listed(curator_admin.get(url, {"attributed_to": second.attributed_to_id})) == [second.pk]
    assert _listed(curator_admin.get(url, {"attributed_to": "document"})) == [unattributed.pk]


@pytest.mark.parametrize("value", ["abc", "99999999", "9" * 30, "-1", "1.5"])
@pytest.mark.parametrize("parameter", ["document", "attributed_to"])
def test_claim_filter_bad_value_lists_nothing(curator_admin, parameter, value):
    ClaimFactory(attributed_to=PersonFactory())

    response = curator_admin.get(reverse("admin:factbase_claim_changelist"), {parameter: value})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.fixture
def small_pages(monkeypatch):
    """Claims one to a page, counted no further than 2: the cap and the depth at small scale."""
    from django.contrib import admin

    from factbase.admin import changelists
    from factbase.models import Claim

    monkeypatch.setattr(changelists, "COUNT_CAP", 2)
    monkeypatch.setattr(admin.site._registry[Claim], "list_per_page", 1)
    return sorted(ClaimFactory(spans=[]).pk for _ in range(4))


@pytest.mark.parametrize(
    ("page", "shown", "count_text", "previous", "next_"),
    [
        (1, 0, "more than 2 claims", "", "?p=2"),
        (3, 2, "more than 3 claims", "?p=2", "?p=4"),  # beyond the cap: the page's ids and one more
        (4, 3, "4 claims", "?p=3", ""),  # the last page: counted exactly
    ],
)
def test_claim_count_stops_at_cap_and_deep_pages_still_work(
    curator_admin, small_pages, page, shown, count_text, previous, next_
):
    response = curator_admin.get(reverse("admin:factbase_claim_changelist"), {"p": page})

    cl = response.context["cl"]
    assert (_listed(response), cl.count_text, cl.previous_page_url, cl.next_page_url) == (
        [small_pages[shown]],
        count_text,
        previous,
        next_,
    )
    assert count_text in response.content.decode()


def test_claim_actions_select_across_pages_only_when_counted(curator_admin, small_pages, monkeypatch):
    from factbase.admin import changelists

    url = reverse("admin:factbase_claim_changelist")
    capped = curator_admin.get(url).content.decode()
    monkeypatch.setattr(changelists, "COUNT_CAP", 10)
    counted = curator_admin.get(url).content.decode()

    assert "Select all 4" not in capped and "objects across all pages" not in capped
    assert "Select all 4" in counted


def test_claim_page_beyond_the_rows_is_djangos_invalid_page(curator_admin, small_pages):
    response = curator_admin.get(reverse("admin:factbase_claim_changelist"), {"p": 5})

    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_claim_deep_page_reads_ids_then_rows(curator_admin, django_assert_num_queries, small_pages):
    # Session, user, 2 permission lists, predicates filter; the page's ids and one more;
    # its rows by id; their spans. No count.
    with django_assert_num_queries(8):
        response = curator_admin.get(reverse("admin:factbase_claim_changelist"), {"p": 3})
        response.render()

    assert _listed(response) == [small_pages[2]]


def test_claim_sort_by_column_without_index_is_ignored(curator_admin):
    rejected, draft = ClaimFactory(status="rejected", spans=[]), ClaimFactory(status="draft", spans=[])
    url = reverse("admin:factbase_claim_changelist")

    by_status = curator_admin.get(url, {"o": "2"})  # the status column: no index orders it with the ids
    by_updated = curator_admin.get(url, {"o": "-7"})  # (updated, id) is an index

    assert _listed(by_status) == [rejected.pk, draft.pk]
    assert _listed(by_updated) == [draft.pk, rejected.pk]


def test_claim_search_is_the_claim_text_index(curator_admin):
    lavrov = ClaimFactory(subject=PersonFactory(name="Sergei Lavrov"), notes="about submarines", spans=[])
    ClaimFactory(spans=[])
    url = reverse("admin:factbase_claim_changelist")

    # Every word starts a word of the subject's name, a quote or the value (not a substring
    # of one; the notes are not searched).
    assert _listed(curator_admin.get(url, {"q": "lav serg"})) == [lavrov.pk]
    assert _listed(curator_admin.get(url, {"q": "avrov"})) == []
    assert _listed(curator_admin.get(url, {"q": "submarines"})) == []


def test_entity_search_is_the_names_index(curator_admin):
    lavrov = PersonFactory(name="Sergei Lavrov", wikidata_qid="Q41364")
    url = reverse("admin:factbase_person_changelist")

    assert _listed(curator_admin.get(url, {"q": "lav"})) == [lavrov.pk]
    assert _listed(curator_admin.get(url, {"q": "avrov"})) == []
    assert _listed(curator_admin.get(url, {"q": "q41364"})) == [lavrov.pk]


def test_document_search_finds_words_of_the_text_and_the_sha256(curator_admin):
    document, other = DocumentFactory(), DocumentFactory(text="Nothing of the sort.")
    url = reverse("admin:factbase_document_changelist")

    assert _listed(curator_admin.get(url, {"q": "lavrov"})) == [document.pk]
    assert _listed(curator_admin.get(url, {"q": other.sha256.upper()})) == [other.pk]


def test_span_search_lists_the_spans_of_matching_claims(curator_admin):
    span = SourceSpanFactory(claim=ClaimFactory(spans=[]))
    SourceSpanFactory(claim=ClaimFactory(spans=[]), quote="Indonesia")

    response = curator_admin.get(reverse("admin:factbase_sourcespan_changelist"), {"q": "lavrov"})

    assert _listed(response) == [span.pk]


def test_filter_autocomplete_answers_from_the_related_admins_search(curator_admin):
    cited = SourceSpanFactory(claim=ClaimFactory(spans=[]), document=DocumentFactory(title="Kremlin readout")).document
    DocumentFactory(title="Other")

    response = curator_admin.get(
        "/admin/autocomplete/",
        {"app_label": "factbase", "model_name": "sourcespan", "field_name": "document", "term": "kremlin"},
    )

    assert response.json() == {
        "results": [{"id": str(cited.pk), "text": "Kremlin readout"}],
        "pagination": {"more": False},
    }


@pytest.mark.parametrize("many", [False, True], ids=["few matches", "many matches"])
def test_rows_around_entities_are_searched_by_the_names_index(curator_admin, monkeypatch, many):
    from factbase.indexes import search

    if many:  # the entity lists would walk their own order: another table's filter must not
        monkeypatch.setattr(search, "MANY_MATCHES", 0)
    lavrov = PersonFactory(name="Sergei Lavrov")
    alias, participation = AliasFactory(entity=lavrov, name="S. Lavrov"), EventParticipantFactory(entity=lavrov)
    role, mention = RoleFactory(person=lavrov), MentionFactory(entity=lavrov)
    AliasFactory(), EventParticipantFactory(), RoleFactory(), MentionFactory()

    def found(model_name):
        return _listed(curator_admin.get(reverse(f"admin:factbase_{model_name}_changelist"), {"q": "lav"}))

    assert (found("alias"), found("eventparticipant"), found("role"), found("mention")) == (
        [alias.pk],
        [participation.pk],
        [role.pk],
        [mention.pk],
    )


def test_span_search_pages_read_ids_then_rows_in_claim_order(curator_admin, monkeypatch):
    from django.contrib import admin

    from factbase.models import SourceSpan

    monkeypatch.setattr(admin.site._registry[SourceSpan], "list_per_page", 1)
    claims = [ClaimFactory(spans=[]) for _ in range(3)]
    spans = [SourceSpanFactory(claim=claim) for claim in reversed(claims)]  # ids against the claims' order
    url = reverse("admin:factbase_sourcespan_changelist")

    pages = [_listed(curator_admin.get(url, {"q": "lavrov", "p": page})) for page in (1, 2, 3)]

    assert pages == [[span.pk] for span in reversed(spans)]


def test_a_sorted_column_breaks_ties_in_its_own_direction(curator_admin):
    # Django ties with `-pk` whatever the column's direction; `updated, -id` could not walk
    # the (updated, id) index. Both directions keep the index's order.
    ClaimFactory(spans=[])
    url = reverse("admin:factbase_claim_changelist")

    ascending = curator_admin.get(url, {"o": "7"}).context["cl"].queryset.query.order_by
    descending = curator_admin.get(url, {"o": "-7"}).context["cl"].queryset.query.order_by

    assert list(ascending) == ["updated", "pk"]
    assert list(descending) == ["-updated", "-pk"]


def test_spans_and_event_status_do_not_sort_without_an_index(curator_admin):
    assert "o=" not in curator_admin.get(reverse("admin:factbase_sourcespan_changelist")).content.decode()
    events = curator_admin.get(reverse("admin:factbase_event_changelist"), {"o": "3"})  # status
    assert list(events.context["cl"].queryset.query.order_by)[0] != "status"


def test_a_requested_sort_ties_to_the_id_not_to_the_lists_own_order(curator_admin):
    # Django appends the list's own ordering after the column: `event_id DESC, id` walked no
    # index. The tie goes to the id, in the column's direction.
    EventParticipantFactory()
    url = reverse("admin:factbase_eventparticipant_changelist")

    descending = curator_admin.get(url, {"o": "-1"}).context["cl"].queryset.query.order_by

    assert list(descending) == ["-event_id", "-pk"]


def test_participants_sort_by_event_and_entity_ids_only(curator_admin):
    first, second = EventParticipantFactory(), EventParticipantFactory()
    url = reverse("admin:factbase_eventparticipant_changelist")

    by_entity = curator_admin.get(url, {"o": "-2"})  # the entity column, by id
    by_role = curator_admin.get(url, {"o": "3"})  # no index: ignored

    assert list(by_entity.context["cl"].queryset.query.order_by) == ["-entity_id", "-pk"]
    assert _listed(by_entity) == [p.pk for p in sorted([first, second], key=lambda p: -p.entity_id)]
    assert "role" not in list(by_role.context["cl"].queryset.query.order_by)


@pytest.mark.parametrize("common", [False, True], ids=["rare value", "common value"])
@pytest.mark.parametrize(
    ("model_name", "parameter", "column", "make"),
    [
        ("event", "status__exact", 'factbase_event"."status', lambda status: EventFactory(status=status)),
        (
            "sourcespan",
            "claim__status__exact",
            'factbase_claim"."status',
            lambda status: SourceSpanFactory(claim=ClaimFactory(spans=[], status=status)),
        ),
    ],
)
def test_a_common_choice_is_tested_on_each_row_as_the_list_walks(
    curator_admin, monkeypatch, model_name, parameter, column, make, common
):
    # A value held by most rows was read through its index and every row of it sorted for
    # the page (spans by a published claim: 8.6 s at a million claims on SQLite).
    from django.db import connection

    from factbase.admin import changelists

    if common:
        monkeypatch.setattr(changelists, "COMMON_CHOICE", 0)
    kept = [make("published" if model_name == "sourcespan" else "occurred") for _ in range(2)]
    make("draft" if model_name == "sourcespan" else "planned")
    value = "published" if model_name == "sourcespan" else "occurred"

    response = curator_admin.get(reverse(f"admin:factbase_{model_name}_changelist"), {parameter: value})

    assert sorted(_listed(response)) == sorted(row.pk for row in kept)
    if connection.vendor == "sqlite":  # SQLite's planner: the column behind `+` cannot use an index
        sql = str(response.context["cl"].queryset.query)
        assert (f'+"{column}" = ' in sql) is common, sql


@contextmanager
def _names_index_statements():
    """The statements that read the entity names index, as a list filled while inside."""
    from django.db import connection

    match = "MATCH" if connection.vendor == "sqlite" else "to_tsquery"
    statements = []

    def record(execute, sql, params, many, context):
        if match in sql:
            statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def test_a_name_search_counts_and_pages_with_one_statement(curator_admin, monkeypatch):
    # Each statement of a search by entity name builds the index's match lists first (150 ms
    # for `a` on SQLite at a million claims): the count and the page's ids are read together.
    from django.contrib import admin

    from factbase.models import Alias

    monkeypatch.setattr(admin.site._registry[Alias], "list_per_page", 2)
    lavrov = PersonFactory(name="Sergei Lavrov")
    aliases = sorted((AliasFactory(entity=lavrov, name=f"Lavrov {n}") for n in range(3)), key=lambda a: a.name)
    AliasFactory()
    url = reverse("admin:factbase_alias_changelist")
    with _names_index_statements() as statements:
        first = curator_admin.get(url, {"q": "lav"})
    second = curator_admin.get(url, {"q": "lav", "p": 2})

    searched = [sql for sql in statements if "factbase_alias" in sql]
    # The names index asked how many names match, then one walk: no count of its own.
    assert len(searched) == 2, searched
    assert (first.context["cl"].result_count, _listed(first), _listed(second)) == (
        3,
        [a.pk for a in aliases[:2]],
        [aliases[2].pk],
    )


@pytest.mark.parametrize(
    ("model_name", "make", "order", "expected"),
    [
        ("role", RoleFactory, "1", ["person_id", "pk"]),
        ("role", RoleFactory, "-3", ["-organisation_id", "-pk"]),
        ("eventparticipant", EventParticipantFactory, "1", ["event_id", "pk"]),
    ],
)
def test_a_column_holding_another_row_sorts_by_its_id(curator_admin, model_name, make, order, expected):
    # By the other row's name, every role or participation was joined and sorted.
    make(), make()

    response = curator_admin.get(reverse(f"admin:factbase_{model_name}_changelist"), {"o": order})

    assert list(response.context["cl"].queryset.query.order_by) == expected


@pytest.mark.parametrize(("order", "expected"), [("4", ["date_lower", "pk"]), ("-4", ["-date_lower", "-pk"])])
def test_roles_by_date_walk_the_date_index_either_way(curator_admin, order, expected):
    # Tied by the list's own order (person, then id), PostgreSQL sorted every role by date
    # (0.3 s at a million claims); tied by id, the (date_lower, id) index gives the page.
    older = RoleFactory(date_lower=dt.date(2001, 1, 1), date_upper=dt.date(2001, 1, 1))
    newer = RoleFactory(date_lower=dt.date(2020, 1, 1), date_upper=dt.date(2020, 1, 1))
    url = reverse("admin:factbase_role_changelist")

    with CaptureQueriesContext(connection) as queries:
        response = curator_admin.get(url, {"o": order})

    assert list(response.context["cl"].queryset.query.order_by) == expected
    assert _listed(response) == ([older.pk, newer.pk] if order == "4" else [newer.pk, older.pk])
    page = next(q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"] and "factbase_role" in q["sql"])
    direction = "DESC" if order.startswith("-") else "ASC"
    assert f'ORDER BY "factbase_role"."date_lower" {direction}, "factbase_role"."id" {direction}' in page, page
    # The index that order walks (which one the planner takes depends on its statistics: at
    # a million claims, this one on both engines; with two roles, either).
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "factbase_role")
    assert constraints["role_date_order"]["columns"] == ["date_lower", "id"]


def test_a_common_name_search_walks_the_event_names_of_their_kind(curator_admin, monkeypatch):
    # The admin lists events by name, not in their model's date order: the walk states the
    # kind, so that the entity (kind, name, id) index gives the names in order (SQLite had
    # sorted every event: 0.5 s for `a` at a million claims).
    from factbase.indexes import search

    monkeypatch.setattr(search, "MANY_MATCHES", 0)
    lavrov_visit = EventFactory(name="Lavrov visit")
    EventFactory(name="Summit")

    response = curator_admin.get(reverse("admin:factbase_event_changelist"), {"q": "lav"})

    assert _listed(response) == [lavrov_visit.pk]
    assert '"factbase_entity"."kind" = event' in str(response.context["cl"].queryset.query)


def test_an_entity_search_counts_and_pages_with_one_statement(curator_admin, monkeypatch):
    from factbase.indexes import search

    monkeypatch.setattr(search, "MANY_MATCHES", 0)
    people = [PersonFactory(name=f"Lavrov {n}") for n in range(3)]
    with _names_index_statements() as statements:
        response = curator_admin.get(reverse("admin:factbase_person_changelist"), {"q": "lav"})

    assert sorted(_listed(response)) == sorted(p.pk for p in people)
    # How many names match, then one walk for the count and the page's ids.
    assert len(statements) == 2, statements


def test_an_entity_list_by_name_descending_walks_its_kinds_names(curator_admin):
    # `name DESC, id` (the list's own ordering appended) sorted every event.
    first, second = EventFactory(name="A summit"), EventFactory(name="B summit")

    response = curator_admin.get(reverse("admin:factbase_event_changelist"), {"o": "-1"})

    assert list(response.context["cl"].queryset.query.order_by) == ["-name", "-pk"]
    assert '"factbase_entity"."kind" = event' in str(response.context["cl"].queryset.query)
    assert _listed(response) == [second.pk, first.pk]
