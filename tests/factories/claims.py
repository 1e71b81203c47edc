import factory

from factbase import models
from tests.factories.documents import DocumentFactory
from tests.factories.entities import CountryFactory, PersonFactory


class PredicateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Predicate
        django_get_or_create = ("slug",)

    slug = "visited"
    label = "visited"
    subject_kinds = ["person", "organisation"]
    object_kinds = ["country", "organisation", "event"]


def _anchor(document, quote):
    start = document.text.index(quote)
    end = start + len(quote)
    return {
        "start": start,
        "end": end,
        "exact": quote,
        "prefix": document.text[max(0, start - 32) : start],
        "suffix": document.text[end : end + 32],
    }


class SourceSpanFactory(factory.django.DjangoModelFactory):
    """A span whose offsets are derived from `quote` in the document's text."""

    class Meta:
        model = models.SourceSpan
        exclude = ("quote", "anchor")

    claim = None
    document = factory.SubFactory(DocumentFactory)
    quote = "Sergei Lavrov visited Indonesia"
    anchor = factory.LazyAttribute(lambda o: _anchor(o.document, o.quote))
    start = factory.LazyAttribute(lambda o: o.anchor["start"])
    end = factory.LazyAttribute(lambda o: o.anchor["end"])
    exact = factory.LazyAttribute(lambda o: o.anchor["exact"])
    prefix = factory.LazyAttribute(lambda o: o.anchor["prefix"])
    suffix = factory.LazyAttribute(lambda o: o.anchor["suffix"])


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Claim
        skip_postgeneration_save = True

    subject = factory.SubFactory(PersonFactory)
    predicate = factory.SubFactory(PredicateFactory)
    object = factory.SubFactory(CountryFactory)
    status = "draft"

    class Params:
        published = factory.Trait(status="published")
        in_review = factory.Trait(status="in_review")

    @factory.post_generation
    def spans(self, create, extracted, **kwargs):
        """Every claim gets one span unless spans=[] is passed (published claims need one)."""
        if not create:
            return
        if extracted is None:
            SourceSpanFactory(claim=self, **kwargs)


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Mention
        exclude = ("quote", "anchor")

    document = factory.SubFactory(DocumentFactory)
    entity = factory.SubFactory(PersonFactory)
    quote = "Sergei Lavrov"
    anchor = factory.LazyAttribute(lambda o: _anchor(o.document, o.quote))
    start = factory.LazyAttribute(lambda o: o.anchor["start"])
    end = factory.LazyAttribute(lambda o: o.anchor["end"])
    exact = factory.LazyAttribute(lambda o: o.anchor["exact"])
    prefix = factory.LazyAttribute(lambda o: o.anchor["prefix"])
    suffix = factory.LazyAttribute(lambda o: o.anchor["suffix"])
