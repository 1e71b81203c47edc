"""Every changelist runs a constant number of queries, whatever the page holds: the same
literal count with 1 row and with 3 rows (a count that grows with rows is an N+1 bug)."""

import pytest
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
    ("entity", lambda: AliasFactory(entity=PersonFactory()).entity, 1, 8),
    ("person", _person_with_aliases, 1, 9),
    ("country", lambda: AliasFactory(entity=CountryFactory()).entity, 1, 8),
    ("organisation", _organisation, 2, 9),
    ("event", _event, 2, 8),
    ("eventparticipant", EventParticipantFactory, 1, 7),
    ("alias", AliasFactory, 1, 8),
    ("identifier", IdentifierFactory, 1, 7),
    ("role", RoleFactory, 1, 8),
    ("document", _document, 1, 9),
    ("mention", MentionFactory, 1, 8),
    ("predicate", _predicate, 1, 7),
    ("claim", _claim, 1, 11),
    ("sourcespan", lambda: SourceSpanFactory(claim=ClaimFactory(spans=[])), 1, 8),
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
    assert response.context["cl"].result_count == per_call * calls
