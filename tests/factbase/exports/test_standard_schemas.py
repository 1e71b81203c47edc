"""Standard exports validated against their published schemas and context (tests/data/schemas/)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factbase.exports import popolo, w3c
from factbase.models import Identifier
from tests.factbase.exports.schemas import annotation_validator, errors, popolo_validator, terms_outside_context
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    SourceSpanFactory,
)

pytestmark = pytest.mark.django_db

BASE = "http://testserver/api/v1"


def urls_for(document):
    collection = f"{BASE}/documents/{document.pk}/annotations/"
    return w3c.AnnotationUrls(
        collection=collection,
        page=lambda n: f"{collection}?page={n}",
        document=f"{BASE}/documents/{document.pk}/",
        claim=lambda pk: f"{BASE}/claims/{pk}/",
        entity=lambda pk: f"{BASE}/entities/{pk}/",
    )


def test_popolo_export_validates_against_popolo_schemas():
    russia = CountryFactory(name="Russia")
    lavrov = PersonFactory(
        name="Sergei Lavrov", given_name="Sergei", family_name="Lavrov", nationality=russia, wikidata_qid="Q41364"
    )
    AliasFactory(entity=lavrov, name="Lavrov")
    Identifier.objects.create(entity=lavrov, scheme="url", value="https://www.mid.ru/")
    ministry = OrganisationFactory(name="Ministry of Foreign Affairs", org_type="ministry")
    embassy = OrganisationFactory(name="Embassy", parent=ministry)
    held = RoleFactory(
        person=lavrov,
        organisation=ministry,
        title="Foreign Minister",
        date_lower=datetime.date(2004, 3, 9),
        date_upper=datetime.date(2021, 7, 31),
        date_precision="day",
    )
    at_a_time = RoleFactory(
        person=lavrov,
        organisation=None,
        title="Diplomat",
        date_lower=datetime.date(2021, 7, 1),
        date_upper=datetime.date(2021, 7, 31),
        date_precision="month",
    )

    data = popolo.popolo_export(url_for=lambda pk: f"{BASE}/entities/{pk}/")

    assert sorted(data) == ["memberships", "organizations", "persons"]
    for kind, schema in (("persons", "person"), ("organizations", "organization"), ("memberships", "membership")):
        for item in data[kind]:
            assert errors(popolo_validator(schema), item) == []
    (person,) = data["persons"]
    assert person == {
        "id": lavrov.slug,
        "name": "Sergei Lavrov",
        "given_name": "Sergei",
        "family_name": "Lavrov",
        "national_identity": "Russia",
        "other_names": [{"name": "Lavrov", "note": "Common name (en)"}],
        "identifiers": [
            {"scheme": "factbase", "identifier": str(lavrov.pk)},
            {"scheme": "wikidata", "identifier": "Q41364"},
            {"scheme": "url", "identifier": "https://www.mid.ru/"},
        ],
        "links": [{"url": f"{BASE}/entities/{lavrov.pk}/", "note": "Factbase API"}],
        "created_at": person["created_at"],
        "updated_at": person["updated_at"],
    }
    assert [o["id"] for o in data["organizations"]] == [ministry.slug, embassy.slug]
    assert data["organizations"][1]["parent_id"] == ministry.slug
    assert data["memberships"] == [
        {
            "id": str(held.uid),
            "person_id": lavrov.slug,
            "organization_id": ministry.slug,
            "role": "Foreign Minister",
            "label": "Sergei Lavrov: Foreign Minister, Ministry of Foreign Affairs",
            "start_date": "2004-03-09",
            "end_date": "2021-07-31",
        },
        {"id": str(at_a_time.uid), "person_id": lavrov.slug, "role": "Diplomat", "label": "Sergei Lavrov: Diplomat"},
    ]


def test_popolo_schema_check_catches_a_bad_membership():
    bad = {"id": "m1", "person_id": "lavrov", "start_date": "July 2021", "other": 1}

    assert errors(popolo_validator("membership"), bad) == [
        "start_date: 'July 2021' does not match '^[0-9]{4}(-[0-9]{2}){0,2}$'"
    ]


@pytest.mark.parametrize("size", [1, 3])
def test_popolo_export_query_count_is_constant(size):
    for _ in range(size):
        person = PersonFactory()
        AliasFactory(entity=person)
        RoleFactory(person=person)

    with CaptureQueriesContext(connection) as queries:
        popolo.popolo_export()

    assert len(queries) == 7


def test_annotation_collection_validates_against_schema_and_context():
    document = DocumentFactory()
    claim = ClaimFactory(spans=[], published=True)
    span = SourceSpanFactory(claim=claim, document=document, quote="visited Indonesia and Laos")
    mention = MentionFactory(document=document, quote="Sergei Lavrov")
    urls = urls_for(document)

    data = w3c.annotation_collection(document=document, spans=[span], mentions=[mention], urls=urls)

    assert errors(annotation_validator(), data) == []
    assert terms_outside_context(data) == set()
    assert (data["type"], data["total"], data["last"]) == ("AnnotationCollection", 2, f"{urls.collection}?page=1")
    first, second = data["first"]["items"]
    assert first["target"] == {
        "type": "SpecificResource",
        "source": urls.document,
        "selector": [
            {"type": "TextQuoteSelector", "exact": "Sergei Lavrov", "prefix": mention.prefix, "suffix": mention.suffix},
            {"type": "TextPositionSelector", "start": mention.start, "end": mention.end},
        ],
    }
    assert (first["motivation"], first["body"][1]["source"]) == ("identifying", f"{BASE}/entities/{mention.entity_id}/")
    assert second["motivation"] == "describing"
    assert second["body"][0]["value"] == str(claim)
    assert second["body"][1] == {
        "type": "SpecificResource",
        "source": f"{BASE}/claims/{claim.pk}/",
        "purpose": "describing",
    }
    selector = second["target"]["selector"]
    assert document.text[selector[1]["start"] : selector[1]["end"]] == selector[0]["exact"]


def test_annotation_pages_link_to_each_other():
    document = DocumentFactory()
    mentions = [MentionFactory(document=document, quote=quote) for quote in ("Sergei Lavrov", "Indonesia", "Laos")]
    urls = urls_for(document)

    collection = w3c.annotation_collection(document=document, spans=[], mentions=mentions, urls=urls, page_size=2)
    second = w3c.annotation_page(document=document, spans=[], mentions=mentions, urls=urls, number=2, page_size=2)

    assert errors(annotation_validator(), collection) == []
    assert errors(annotation_validator(), second) == []
    assert collection["first"]["next"] == second["id"] == f"{urls.collection}?page=2"
    assert (second["prev"], second["startIndex"], len(second["items"])) == (f"{urls.collection}?page=1", 2, 1)
    assert "next" not in second
    assert w3c.annotation_page(document=document, spans=[], mentions=mentions, urls=urls, number=3, page_size=2) is None


def test_annotation_schema_check_catches_missing_selector_fields():
    bad = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://example.org/a1",
        "type": "Annotation",
        "target": {"source": "http://example.org/doc", "selector": {"type": "TextPositionSelector", "start": -1}},
    }

    assert errors(annotation_validator(), bad) != []
    assert terms_outside_context({"type": "Annotation", "factbase_status": "draft"}) == {"factbase_status"}
