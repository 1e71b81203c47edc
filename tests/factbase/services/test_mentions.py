"""Mention services: the quote always comes from the document's text at the offsets."""

import pytest
from django.core.exceptions import ValidationError

from factbase.models import Mention
from factbase.services.mentions import mention_delete, mention_update
from tests.factories import DocumentFactory, MentionFactory

pytestmark = pytest.mark.django_db


def test_mention_update_recomputes_the_quote_from_the_text():
    mention = MentionFactory(quote="Sergei Lavrov")
    text = mention.document.text
    start = text.index("Laos")

    mention_update(mention=mention, start=start, end=start + 4)

    stored = Mention.objects.get(pk=mention.pk)
    assert (stored.exact, stored.prefix, stored.suffix) == ("Laos", text[:start][-32:], text[start + 4 :][:32])


def test_mention_update_refuses_offsets_past_the_end_of_the_document():
    mention = MentionFactory(document=DocumentFactory(text="Sergei Lavrov spoke."), quote="Sergei Lavrov")

    with pytest.raises(ValidationError) as info:
        mention_update(mention=mention, end=60)

    assert info.value.message_dict == {"end": ["End offset 60 is past the end of the document (20 characters)."]}
    assert Mention.objects.get(pk=mention.pk).end == 13


def test_mention_update_refuses_changing_the_quote_directly():
    mention = MentionFactory(quote="Sergei Lavrov")

    with pytest.raises(ValidationError) as info:
        mention_update(mention=mention, exact="Lavrov")

    assert info.value.message_dict == {"exact": ["A mention's quote is not changed directly."]}


def test_mention_delete_unlocks_the_text():
    mention = MentionFactory()
    document = mention.document

    mention_delete(mention=mention)

    assert (Mention.objects.count(), document.is_locked()) == (0, False)
