"""Each invariant of the data model, accepted and refused, on the layers that hold it: the
database itself, model validation, and the services (which the admin, the API, the fixture
loader and the commands all call)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from factbase.models import Claim, Document, Entity, Person, SourceSpan
from factbase.partial_dates import PartialDate
from factbase.services.claims import claim_create, claim_publish
from factbase.services.documents import document_update
from tests.factories import (
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    PredicateFactory,
    SourceSpanFactory,
)

pytestmark = pytest.mark.django_db


# --- every span matches its document's text -------------------------------------------


def test_span_service_fills_quote_and_context_from_offsets():
    document = DocumentFactory()
    start = document.text.index("Sergei Lavrov")
    claim = claim_create(
        subject=PersonFactory(),
        predicate=PredicateFactory(),
        object=CountryFactory(),
        spans=[{"document": document, "start": start, "end": start + 13}],
    )
    span = claim.spans.get()
    assert (span.exact, span.prefix, span.suffix) == (
        "Sergei Lavrov",
        "Russian Foreign Minister ",
        " visited Indonesia and Laos from",
    )


def test_span_service_refuses_offsets_past_the_end_and_writes_nothing():
    document = DocumentFactory()
    with pytest.raises(ValidationError) as info:
        claim_create(
            subject=PersonFactory(),
            predicate=PredicateFactory(),
            object=None,
            spans=[{"document": document, "start": 5, "end": len(document.text) + 1}],
        )
    assert "past the end" in str(info.value)
    assert Claim.objects.count() == 0


def test_span_model_validation_refuses_mismatched_exact():
    span = SourceSpanFactory.build(claim=ClaimFactory(spans=[]), document=DocumentFactory())
    span.exact = "Something else entirely"
    with pytest.raises(ValidationError) as info:
        span.full_clean()
    assert "exact" in info.value.message_dict


def test_span_database_refuses_end_before_start():
    span = SourceSpanFactory(claim=ClaimFactory(spans=[]))
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceSpan.objects.filter(pk=span.pk).update(end=span.start)


def test_mention_validation_checks_text():
    mention = MentionFactory.build(document=DocumentFactory(), entity=PersonFactory())
    mention.full_clean()
    mention.end += 1
    with pytest.raises(ValidationError):
        mention.full_clean()


# --- date bounds are in order -------------------------------------------------------------


def test_date_bounds_accepted_and_refused_by_validation():
    event = EventFactory.build(date_lower=datetime.date(2021, 7, 8), date_upper=datetime.date(2021, 7, 6))
    with pytest.raises(ValidationError) as info:
        event.full_clean()
    assert "date_upper" in info.value.message_dict
    event.date_upper = datetime.date(2021, 7, 9)
    event.full_clean()


def test_date_bounds_refused_by_database():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(event).objects.filter(pk=event.pk).update(date_lower=datetime.date(2022, 1, 1))


def test_claim_service_takes_partial_date():
    claim = claim_create(
        subject=PersonFactory(),
        predicate=PredicateFactory(),
        object=CountryFactory(),
        date=PartialDate.parse("2021-06", text="late June"),
        spans=[{"document": DocumentFactory(), "exact": "Sergei Lavrov"}],
    )
    claim.refresh_from_db()
    assert (claim.date_lower, claim.date_upper, claim.date_precision, claim.date_text) == (
        datetime.date(2021, 6, 1),
        datetime.date(2021, 6, 30),
        "month",
        "late June",
    )


# --- a predicate accepts the claim's subject and object kinds ----------------------------


def test_predicate_kinds_accepted():
    claim = ClaimFactory.build(subject=PersonFactory(), predicate=PredicateFactory(), object=CountryFactory())
    claim.full_clean()


def test_predicate_kinds_refused_on_service_path():
    with pytest.raises(ValidationError) as info:
        claim_create(
            subject=CountryFactory(),
            predicate=PredicateFactory(),
            object=PersonFactory(),
            spans=[{"document": DocumentFactory(), "exact": "Sergei Lavrov"}],
        )
    assert set(info.value.message_dict) == {"subject", "object"}
    assert Claim.objects.count() == 0


# --- a published claim has at least one span ---------------------------------------------


def test_publish_refused_without_span(reviewer):
    claim = ClaimFactory(spans=[])
    with pytest.raises(ValidationError) as info:
        claim_publish(claim=claim, by=reviewer)
    assert "status" in info.value.message_dict
    claim.refresh_from_db()
    assert claim.status == "draft"


def test_publish_accepted_with_span(reviewer):
    claim = ClaimFactory()
    claim_publish(claim=claim, by=reviewer)
    claim.refresh_from_db()
    assert (claim.status, claim.reviewed_by) == ("published", reviewer)


def test_publish_refused_for_curator(curator):
    from django.core.exceptions import PermissionDenied

    claim = ClaimFactory()
    with pytest.raises(PermissionDenied):
        claim_publish(claim=claim, by=curator)


# --- a document's text is locked while spans point into it --------------------------------


def test_document_text_editable_without_spans():
    document = DocumentFactory()
    document_update(document=document, text="A corrected text.")
    document.refresh_from_db()
    assert document.text == "A corrected text."
    assert document.sha256 == __import__("hashlib").sha256(b"A corrected text.").hexdigest()


def test_document_text_locked_with_spans():
    span = SourceSpanFactory(claim=ClaimFactory(spans=[]))
    document = span.document
    with pytest.raises(ValidationError) as info:
        document_update(document=document, text=document.text + " more")
    assert "locked" in str(info.value.message_dict["text"])
    document_update(document=Document.objects.get(pk=document.pk), title="New title")  # other fields stay editable


def test_document_text_locked_with_mentions():
    mention = MentionFactory()
    with pytest.raises(ValidationError):
        document_update(document=mention.document, text="changed")


def test_document_text_locked_once_a_revision_corrects_it():
    old = DocumentFactory()
    DocumentFactory(revision_of=old)
    with pytest.raises(ValidationError) as info:
        document_update(document=old, text="changed")
    assert info.value.message_dict == {
        "text": [
            "This text is locked: spans or mentions point into it, or it has a newer revision. "
            "Create a new document (a revision) instead."
        ]
    }
    assert Document.objects.get(pk=old.pk).text != "changed"


# --- deleting anything that claims cite is refused -----------------------------------------


@pytest.mark.parametrize("role", ["subject", "object", "attributed_to"])
def test_delete_cited_entity_refused(role):
    entity = {"subject": PersonFactory, "object": CountryFactory, "attributed_to": OrganisationFactory}[role]()
    ClaimFactory(**{role: entity})
    with pytest.raises(ProtectedError):
        entity.delete()
    assert Entity.objects.filter(pk=entity.pk).exists()


def test_delete_cited_document_refused():
    span = SourceSpanFactory(claim=ClaimFactory(spans=[]))
    with pytest.raises(ProtectedError):
        span.document.delete()


def test_delete_uncited_entity_allowed():
    person = PersonFactory()
    person.delete()
    assert not Person.objects.exists()
    assert not Entity.objects.exists()


# --- uniqueness ----------------------------------------------------------------------------


def test_slug_unique_across_kinds():
    PersonFactory(slug="laos")
    with pytest.raises(IntegrityError), transaction.atomic():
        CountryFactory(slug="laos", name="Laos")


def test_kind_follows_typed_table():
    assert {PersonFactory().kind, CountryFactory().kind, OrganisationFactory().kind, EventFactory().kind} == {
        "person",
        "country",
        "organisation",
        "event",
    }
