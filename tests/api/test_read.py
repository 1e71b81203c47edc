"""Representations, compared whole: what a client reads for each resource."""

import pytest

from factbase.models import SourceSpan


@pytest.fixture
def world(module_world, db):
    return module_world


def iso(moment) -> str:
    """A datetime as DRF writes it (UTC with a Z)."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def ref(entity) -> dict:
    return {"id": entity.pk, "kind": entity.kind, "name": entity.name}


def span_of(claim) -> SourceSpan:
    return SourceSpan.objects.get(claim=claim)


def test_claim_detail_is_everything_a_reader_needs(api_client, world):
    claim, span = world.published, span_of(world.published)
    response = api_client.get(f"/api/v1/claims/{claim.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": claim.pk,
        "uid": str(claim.uid),
        "subject": {"id": world.lavrov.pk, "kind": "person", "name": "Sergei Lavrov"},
        "predicate": {"slug": "visited", "label": "visited"},
        "object": {"id": world.indonesia.pk, "kind": "country", "name": "Indonesia"},
        "value": "",
        "value_number": None,
        "event": {"id": world.visit.pk, "kind": "event", "name": "Lavrov's visit to Indonesia"},
        "date": {"lower": "2021-07-06", "upper": "2021-07-08", "precision": "day", "text": "from July 6 to 8"},
        "attributed_to": None,
        "attribution": "states",
        "modality": "asserted",
        "polarity": "affirmed",
        "status": "published",
        "confidence": "medium",
        "notes": "",
        "review_note": "",
        "reviewed_at": None,
        "created": iso(claim.created),
        "updated": iso(claim.updated),
        "rank": "normal",
        "fact": None,  # written by a factory, not through the services: in no fact
        "spans": [
            {
                "id": span.pk,
                "document": world.document.pk,
                "start": 25,
                "end": 56,
                "exact": "Sergei Lavrov visited Indonesia",
                "prefix": "Russian Foreign Minister ",
                "suffix": " and Laos from July 6 to 8. He m",
                "anchor_status": "ok",
            }
        ],
    }


def test_claim_attributed_and_negated_reads_as_such(api_client, world):
    body = api_client.get(f"/api/v1/claims/{world.attributed.pk}/").json()
    assert {key: body[key] for key in ("subject", "attributed_to", "attribution", "modality", "polarity", "date")} == {
        "subject": ref(world.streltsov),
        "attributed_to": ref(world.streltsov),
        "attribution": "quotes",
        "modality": "possible",
        "polarity": "negated",
        "date": {"lower": "2021-08-01", "upper": "2021-08-31", "precision": "month", "text": ""},
    }


def test_claim_draft_is_invisible_to_anonymous_clients(api_client, world):
    assert api_client.get(f"/api/v1/claims/{world.draft.pk}/").json() == {"detail": "No Claim matches the given query."}


def test_document_list_leaves_the_text_out(api_client, world):
    response = api_client.get("/api/v1/documents/")
    document, other = world.document, world.other_document
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": document.pk,
                "title": "Russia in Southeast Asia",
                "publisher": None,
                "published": {"lower": "2021-07-01", "upper": "2021-07-31", "precision": "month", "text": ""},
                "language": "en",
                "url": "",
                "sha256": document.sha256,
                "revision_of": None,
                "curation_state": "new",
                "assignee": None,
                "created": iso(document.created),
                "updated": iso(document.updated),
            },
            {
                "id": other.pk,
                "title": "Unrelated",
                "publisher": None,
                "published": {"lower": "2020-01-15", "upper": "2020-01-15", "precision": "day", "text": ""},
                "language": "en",
                "url": "",
                "sha256": other.sha256,
                "revision_of": None,
                "curation_state": "new",
                "assignee": None,
                "created": iso(other.created),
                "updated": iso(other.updated),
            },
        ],
    }


def test_document_detail_has_the_text_and_the_visible_spans(api_client, curator_client, world):
    published, attributed, draft = (span_of(c) for c in (world.published, world.attributed, world.draft))

    def spans(client):
        return [
            (s["claim"], s["start"], s["exact"])
            for s in client.get(f"/api/v1/documents/{world.document.pk}/").json()["spans"]
        ]

    body = api_client.get(f"/api/v1/documents/{world.document.pk}/").json()
    assert body["text"] == world.document.text
    assert body["mentions"] == []
    # Anonymous clients see the evidence of published claims only; curators see drafts' too.
    assert spans(api_client) == [
        (world.published.pk, published.start, "Sergei Lavrov visited Indonesia"),
        (world.attributed.pk, attributed.start, "Moscow’s influence should not be counted on too much"),
    ]
    assert spans(curator_client) == sorted(
        [
            (world.published.pk, published.start, "Sergei Lavrov visited Indonesia"),
            (world.draft.pk, draft.start, "Laos"),
            (world.attributed.pk, attributed.start, "Moscow’s influence should not be counted on too much"),
        ],
        key=lambda item: item[1],
    )


def test_person_detail_shows_aliases_roles_and_identifiers(api_client, world):
    lavrov = world.lavrov
    assert api_client.get(f"/api/v1/people/{lavrov.pk}/").json() == {
        "id": lavrov.pk,
        "kind": "person",
        "slug": "sergei-lavrov",
        "name": "Sergei Lavrov",
        "description": "",
        "wikidata_qid": "",
        "aliases": [{"name": "Lavrov", "language": "en", "kind": "common"}],
        "created": iso(lavrov.created),
        "updated": iso(lavrov.updated),
        "given_name": "",
        "family_name": "",
        "nationality": ref(world.russia),
        "roles": [{"title": "Foreign Minister", "organisation": ref(world.mfa), "date": None}],
        "identifiers": [],
    }


def test_event_detail_shows_participants_location_parent_and_date(api_client, world):
    body = api_client.get(f"/api/v1/events/{world.brunei.pk}/").json()
    assert {k: body[k] for k in ("type", "status", "date", "location", "parent", "participants")} == {
        "type": "meeting",
        "status": "cancelled",
        "date": {"lower": "2021-07-09", "upper": "2021-07-09", "precision": "day", "text": ""},
        "location": {"country": None, "text": ""},
        "parent": ref(world.visit),
        "participants": [],
    }
    visit = api_client.get(f"/api/v1/events/{world.visit.pk}/").json()
    assert visit["participants"] == [{"entity": ref(world.lavrov), "role": "visitor", "note": ""}]
    assert visit["location"] == {"country": ref(world.indonesia), "text": ""}


def test_organisation_and_country_show_their_typed_fields(api_client, world):
    organisation = api_client.get(f"/api/v1/organisations/{world.mfa.pk}/").json()
    assert {k: organisation[k] for k in ("type", "country", "parent")} == {
        "type": "ministry",
        "country": ref(world.russia),
        "parent": None,
    }
    country = api_client.get(f"/api/v1/countries/{world.russia.pk}/").json()
    assert {k: country[k] for k in ("iso_alpha2", "iso_alpha3", "aliases", "is_historical")} == {
        "iso_alpha2": "RU",
        "iso_alpha3": "RUS",
        "aliases": [{"name": "Russian Federation", "language": "en", "kind": "official"}],
        "is_historical": False,
    }


def test_entities_lists_every_kind_with_its_kind(api_client, world):
    body = api_client.get("/api/v1/entities/", {"q": "russia"}).json()
    assert [(row["name"], row["kind"]) for row in body["results"]] == [
        ("Ministry of Foreign Affairs of Russia", "organisation"),
        ("Russia", "country"),
    ]


def test_predicates_list_the_vocabulary_and_detail_by_slug(api_client, world):
    body = api_client.get("/api/v1/predicates/").json()
    assert [row["slug"] for row in body["results"]] == ["met-with", "said", "visited"]
    assert api_client.get("/api/v1/predicates/said/").json() == {
        "id": world.said.pk,
        "slug": "said",
        "label": "said",
        "description": "",
        "subject_kinds": ["person"],
        "object_kinds": [],
        "single_valued": False,
    }


def test_api_root_lists_every_resource(api_client, db):
    body = api_client.get("/api/v1/").json()
    for name in ("countries", "people", "organisations", "events", "claims", "documents", "entities", "predicates"):
        assert body[name] == f"http://testserver/api/v1/{name}/"
    assert body["schema"] == "http://testserver/api/v1/schema/"
    assert body["docs"] == "http://testserver/api/v1/docs/"
