"""Admin screens for suggestions (accept/reject in bulk) and revisions, through the test client."""

import pytest
from django.urls import reverse

from factbase.admin import suggestions
from factbase.models import Document, Mention, RejectedSuggestion, SourceSpan
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    PersonFactory,
    SourceSpanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TEXT = "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. Lavrov left."


@pytest.fixture
def admin_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def world():
    lavrov = PersonFactory(name="Sergei Lavrov")
    AliasFactory(entity=lavrov, name="Lavrov")
    laos = CountryFactory(name="Laos")
    indonesia = CountryFactory(name="Indonesia")
    document = DocumentFactory(text=TEXT, title="Lavrov in Laos")
    return lavrov, laos, indonesia, document


def test_document_page_links_to_suggestions_and_revise(admin_client, world):
    *_, document = world

    response = admin_client.get(reverse("admin:factbase_document_change", args=[document.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/admin/factbase/document/{document.pk}/suggestions/" id="fb-suggestions-link"' in html
    assert f'href="/admin/factbase/document/{document.pk}/revise/" id="fb-revise-link"' in html


def test_suggestions_screen_lists_and_accepts_in_bulk(admin_client, curator, world):
    lavrov, laos, indonesia, document = world
    url = reverse("admin:factbase_document_suggestions", args=[document.pk])

    page = admin_client.get(url)
    keys = page.context["rows"]
    accepted = admin_client.post(url, {"action": "accept", "key": [keys[0]["key"], keys[2]["key"]]}, follow=True)

    assert [(row["entity"].pk, row["suggestion"].exact) for row in keys] == [
        (lavrov.pk, "Sergei Lavrov"),
        (indonesia.pk, "Indonesia"),
        (laos.pk, "Laos"),
        (lavrov.pk, "Lavrov"),
    ]
    assert list(Mention.objects.order_by("start").values_list("entity_id", "exact", "created_by")) == [
        (lavrov.pk, "Sergei Lavrov", curator.pk),
        (laos.pk, "Laos", curator.pk),
    ]
    assert [str(m) for m in accepted.context["messages"]] == ["Recorded 2 mentions."]
    assert [row["suggestion"].exact for row in accepted.context["rows"]] == ["Indonesia", "Lavrov"]


def test_suggestions_screen_rejects_in_bulk(admin_client, world):
    *_, document = world
    url = reverse("admin:factbase_document_suggestions", args=[document.pk])
    keys = [row["key"] for row in admin_client.get(url).context["rows"]]

    response = admin_client.post(url, {"action": "reject", "key": keys + ["forged"]}, follow=True)

    assert RejectedSuggestion.objects.count() == 4
    assert Mention.objects.count() == 0
    assert response.context["rows"] == []
    assert 'id="fb-no-suggestions"' in response.content.decode()


def test_suggestions_screen_needs_mention_permission(client, world):
    *_, document = world
    staff = UserFactory(username="staff-without-groups")
    staff.is_staff = True  # may log in to the admin, holds no curation permission
    staff.save()
    client.force_login(staff)

    response = client.get(reverse("admin:factbase_document_suggestions", args=[document.pk]))

    assert response.status_code == 403


def test_revise_screen_creates_revision_and_reports_flagged_anchors(admin_client, world):
    *_, document = world
    moved = SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote="visited Indonesia and Laos")
    flagged = SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote="Lavrov left.")
    url = reverse("admin:factbase_document_revise", args=[document.pk])

    form = admin_client.get(url)
    response = admin_client.post(url, {"title": "Corrected", "text": "Update: " + TEXT.replace("left", "went home")})

    revision = Document.objects.get(revision_of=document)
    moved.refresh_from_db()
    flagged.refresh_from_db()
    assert form.context["text"] == TEXT
    assert response.status_code == 200
    assert revision.title == "Corrected"
    assert (moved.document, moved.anchor_status) == (revision, "moved")
    assert (flagged.document, flagged.anchor_status) == (document, "needs_review")
    assert [row["outcome"].id for row in response.context["flagged"]] == [flagged.pk]
    assert response.context["flagged"][0]["url"] == reverse("admin:factbase_claim_change", args=[flagged.claim_id])
    again = admin_client.get(url)
    assert again.context["newer"] == revision


def test_revise_screen_keeps_input_and_shows_error(admin_client, world):
    *_, document = world
    url = reverse("admin:factbase_document_revise", args=[document.pk])

    response = admin_client.post(url, {"title": "", "text": TEXT})

    assert response.context["errors"] == ["The new text is identical to the current one; there is nothing to revise."]
    assert Document.objects.count() == 1
    assert SourceSpan.objects.count() == 0


def test_suggestions_screen_shows_the_first_rows_of_many(admin_client, world, monkeypatch):
    monkeypatch.setattr(suggestions, "ROW_LIMIT", 2)
    *_, document = world

    page = admin_client.get(reverse("admin:factbase_document_suggestions", args=[document.pk]))

    assert [row["suggestion"].exact for row in page.context["rows"]] == ["Sergei Lavrov", "Indonesia"]
    assert "4 suggestions, the first 2 shown" in page.content.decode()
