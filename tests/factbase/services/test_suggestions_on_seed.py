"""The acceptance test of mention suggestions: on the curated seed article, with its
curated mentions removed, the suggestions recover at least 90% of them."""

from pathlib import Path

import pytest
from django.conf import settings

from factbase.models import Document, Entity, Mention, text_sha256
from factbase.services.fixtures import fixtures_load
from factbase.services.suggestions import document_suggestions

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.mark.django_db
def test_suggestions_recover_curated_mentions_of_seed_article():
    fixtures_load([FIXTURES / "countries.json", FIXTURES / "predicates.json", FIXTURES / "seed_000.json"])
    seed_text = (Path(settings.BASE_DIR) / "seeds" / "000_3a67f61cbea0bcb9.txt").read_bytes().decode("utf-8")
    document = Document.objects.get(sha256=text_sha256(seed_text))
    curated = set(Mention.objects.filter(document=document).values_list("entity_id", "start", "end"))
    Mention.objects.filter(document=document).delete()

    suggested = {(s.entity_id, s.start, s.end) for s in document_suggestions(document=document)}

    missed = sorted(curated - suggested, key=lambda key: key[1])
    slugs = dict(Entity.objects.filter(pk__in={key[0] for key in missed}).values_list("pk", "slug"))
    described = [f"{slugs[e]} {document.text[s:t]!r}@{s}" for e, s, t in missed]
    assert len(curated) >= 100
    assert len(curated & suggested) / len(curated) >= 0.9, described
