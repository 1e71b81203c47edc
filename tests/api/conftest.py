"""A small, fully known world for the API tests: two countries, Lavrov and Streltsov, an
organisation, Lavrov's visit, one document and three claims (published, draft, attributed)."""

import contextlib
import datetime
from types import SimpleNamespace

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from factbase.models import Claim
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    OrganisationFactory,
    PersonFactory,
    PredicateFactory,
    RoleFactory,
    SourceSpanFactory,
    UserFactory,
)

TEXT = (
    "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. "
    "He met with the leaders and foreign ministers of both countries. "
    "Streltsov said Moscow’s influence should not be counted on too much. 🙂 Emoji are code points."
)


@pytest.fixture
def reader(db):
    """Logged in, but in no group: may read, may not write."""
    return UserFactory(username="reader-1")


@pytest.fixture
def reader_client(reader):
    client = APIClient()
    client.force_authenticate(reader)
    return client


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The world built once for a whole module of read-mostly tests, inside a transaction
    rolled back at the end of the module. Each test still runs in its own savepoint (the
    `db` fixture), so what a test writes is gone before the next one. Use it as
    `world` with: `@pytest.fixture def world(module_world, db): return module_world`."""
    with rolled_back_at_the_end(django_db_blocker):
        yield build_world()


@contextlib.contextmanager
def rolled_back_at_the_end(django_db_blocker):
    """A transaction for what a module-scoped fixture builds, rolled back when it ends."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def build_world():
    russia = CountryFactory(name="Russia", slug="russia", iso_alpha2="RU", iso_alpha3="RUS")
    AliasFactory(entity=russia, name="Russian Federation", kind="official")
    indonesia = CountryFactory(name="Indonesia", slug="indonesia", iso_alpha2="ID", iso_alpha3="IDN")
    mfa = OrganisationFactory(name="Ministry of Foreign Affairs of Russia", slug="mfa-russia", country=russia)
    asean = OrganisationFactory(name="ASEAN", slug="asean", org_type="intergovernmental_body")
    lavrov = PersonFactory(name="Sergei Lavrov", slug="sergei-lavrov", nationality=russia)
    AliasFactory(entity=lavrov, name="Lavrov")
    RoleFactory(person=lavrov, organisation=mfa, title="Foreign Minister")
    streltsov = PersonFactory(name="Streltsov", slug="streltsov")
    AliasFactory(entity=streltsov, name="Dmitry Streltsov")
    visit = EventFactory(
        name="Lavrov's visit to Indonesia",
        slug="lavrov-visit-indonesia",
        date_lower=datetime.date(2021, 7, 6),
        date_upper=datetime.date(2021, 7, 8),
        date_precision="day",
        location_country=indonesia,
    )
    EventParticipantFactory(event=visit, entity=lavrov, role="visitor")
    brunei = EventFactory(
        name="Brunei leg",
        slug="brunei-leg",
        event_type="meeting",
        status="cancelled",
        date_lower=datetime.date(2021, 7, 9),
        date_upper=datetime.date(2021, 7, 9),
        parent=visit,
    )
    document = DocumentFactory(title="Russia in Southeast Asia", text=TEXT)
    other_document = DocumentFactory(
        title="Unrelated",
        text="Nothing to see here.",
        date_lower=datetime.date(2020, 1, 15),
        date_upper=datetime.date(2020, 1, 15),
        date_precision="day",
    )
    visited = PredicateFactory()
    said = PredicateFactory(slug="said", label="said", subject_kinds=["person"], object_kinds=[])
    met_with = PredicateFactory(slug="met-with", label="met with", subject_kinds=["person"], object_kinds=["person"])
    published = ClaimFactory(
        subject=lavrov,
        predicate=visited,
        object=indonesia,
        event=visit,
        status="published",
        date_lower=datetime.date(2021, 7, 6),
        date_upper=datetime.date(2021, 7, 8),
        date_precision="day",
        date_text="from July 6 to 8",
        spans=[],
    )
    SourceSpanFactory(claim=published, document=document, quote="Sergei Lavrov visited Indonesia")
    draft = ClaimFactory(subject=lavrov, predicate=visited, object=russia, spans=[])
    SourceSpanFactory(claim=draft, document=document, quote="Laos")
    attributed = ClaimFactory(
        subject=streltsov,
        predicate=said,
        object=None,
        value="Moscow’s influence should not be counted on too much",
        attributed_to=streltsov,
        attribution="quotes",
        modality="possible",
        polarity="negated",
        status="published",
        date_lower=datetime.date(2021, 8, 1),
        date_upper=datetime.date(2021, 8, 31),
        date_precision="month",
        spans=[],
    )
    SourceSpanFactory(claim=attributed, document=document, quote="Moscow’s influence should not be counted on too much")
    return SimpleNamespace(
        russia=russia,
        indonesia=indonesia,
        mfa=mfa,
        asean=asean,
        lavrov=lavrov,
        streltsov=streltsov,
        visit=visit,
        brunei=brunei,
        document=document,
        other_document=other_document,
        visited=visited,
        said=said,
        met_with=met_with,
        published=Claim.objects.get(pk=published.pk),
        draft=Claim.objects.get(pk=draft.pk),
        attributed=Claim.objects.get(pk=attributed.pk),
    )


def ids(response) -> list[int]:
    """The ids of a list response's results, in order."""
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]
