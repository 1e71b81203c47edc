"""The document screen: the text shown escaped and exact, spans and mentions highlighted and
named, the text locked once anchored, and mentions created from a selection."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from factbase.models import Document, Mention, text_sha256
from tests.factbase.admin.helpers import form_data, text_content
from tests.factories import ClaimFactory, DocumentFactory, MentionFactory, PersonFactory, SourceSpanFactory

pytestmark = pytest.mark.django_db

HOSTILE = "Quote: <script>alert('x')</script> & <b>bold</b>\r\n🇲🇲 Burma said “no”."


def change_url(document):
    return reverse("admin:factbase_document_change", args=[document.pk])


def test_document_screen_shows_html_in_the_text_as_text(curator_admin):
    document = DocumentFactory(text=HOSTILE)

    page = curator_admin.get(change_url(document))

    html = page.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;&#13;\n" in html
    assert "<script>alert(" not in html
    assert "<b>bold" not in html


def test_document_screen_text_content_is_exactly_the_document_text(curator_admin):
    document = DocumentFactory(text=HOSTILE)
    claim = ClaimFactory(spans=[])
    SourceSpanFactory(claim=claim, document=document, quote="Burma said “no”")
    MentionFactory(document=document, entity=PersonFactory(name="Burma"), quote="Burma")

    page = curator_admin.get(change_url(document))

    assert text_content(page.content.decode(), "fb-text") == HOSTILE
    assert page.context["text_length"] == len(HOSTILE)


def test_document_screen_highlights_and_names_spans_and_mentions(curator_admin):
    document = DocumentFactory()
    lavrov = PersonFactory(name="Sergei Lavrov")
    claim = ClaimFactory(subject=lavrov, spans=[], in_review=True)
    span = SourceSpanFactory(claim=claim, document=document, quote="Sergei Lavrov visited Indonesia")
    mention = MentionFactory(document=document, entity=lavrov, quote="Sergei Lavrov")

    page = curator_admin.get(change_url(document))

    html = page.content.decode()
    both = (
        f'<mark class="fb-hl fb-hl-mention fb-hl-span fb-status-in_review" '
        f'title="Claim: {claim} (in review)\nMention: Sergei Lavrov (person)" '
        f'data-refs="span-{span.pk} mention-{mention.pk}">Sergei Lavrov</mark>'
    )
    span_only = (
        f'<mark class="fb-hl fb-hl-span fb-status-in_review" title="Claim: {claim} (in review)" '
        f'data-refs="span-{span.pk}"> visited Indonesia</mark>'
    )
    assert both in html
    assert span_only in html
    assert [s.pk for s in page.context["evidence_spans"]] == [span.pk]
    assert [m.pk for m in page.context["evidence_mentions"]] == [mention.pk]


def test_document_screen_offers_selection_buttons_to_curators(curator_admin):
    document = DocumentFactory()

    page = curator_admin.get(change_url(document))

    assert (page.context["claim_add_url"], page.context["mention_add_url"]) == (
        reverse("admin:factbase_claim_add"),
        reverse("admin:factbase_mention_add"),
    )
    assert b'id="fb-new-claim"' in page.content
    assert b"factbase/admin/document.js" in page.content


def test_document_text_is_not_editable_once_anchored(curator_admin):
    document = DocumentFactory()
    MentionFactory(document=document)
    page = curator_admin.get(change_url(document))

    response = curator_admin.post(change_url(document), {**form_data(page), "text": "Rewritten."})

    assert response.status_code == 302
    assert "text" not in page.context["adminform"].form.fields
    document.refresh_from_db()
    assert document.text.startswith("Russian Foreign Minister")


def test_document_text_is_editable_before_anchoring_and_rehashed(curator_admin):
    document = DocumentFactory()
    page = curator_admin.get(change_url(document))

    response = curator_admin.post(change_url(document), {**form_data(page), "text": "Corrected text."})

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.text, document.sha256) == ("Corrected text.", text_sha256("Corrected text."))


def test_document_add_stores_the_text_and_its_hash(curator_admin):
    url = reverse("admin:factbase_document_add")
    data = {**form_data(curator_admin.get(url)), "title": "A note", "text": "A short text.", "language": "en"}

    response = curator_admin.post(url, data)

    document = Document.objects.get()
    assert response["Location"] == reverse("admin:factbase_document_changelist")
    assert (document.title, document.text, document.sha256) == ("A note", "A short text.", text_sha256("A short text."))


def test_document_add_refuses_a_text_already_stored_with_a_message(curator_admin):
    DocumentFactory(text="A short text.")
    url = reverse("admin:factbase_document_add")
    data = {**form_data(curator_admin.get(url)), "title": "Again", "text": "A short text.", "language": "en"}

    response = curator_admin.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == ["Document with this Sha256 already exists."]
    assert Document.objects.count() == 1


def test_document_delete_is_refused_while_spans_point_into_it(curator_admin):
    span = SourceSpanFactory(claim=ClaimFactory(spans=[]))
    url = reverse("admin:factbase_document_delete", args=[span.document_id])

    response = curator_admin.post(url, {"post": "yes"})

    assert response.status_code == 200
    span_url = reverse("admin:factbase_sourcespan_change", args=[span.pk])
    assert [str(item) for item in response.context["protected"]] == [f'Source span: <a href="{span_url}">{span}</a>']
    assert Document.objects.filter(pk=span.document_id).exists()


def test_document_delete_without_spans_or_mentions_deletes_it(curator_admin):
    document = DocumentFactory()

    response = curator_admin.post(reverse("admin:factbase_document_delete", args=[document.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()


def test_mention_inline_row_changed_recomputes_the_quote(curator_admin):
    document = DocumentFactory()
    mention = MentionFactory(document=document, quote="Sergei Lavrov")
    page = curator_admin.get(change_url(document))
    start = document.text.index("Indonesia")
    data = {**form_data(page), "mentions-0-start": start, "mentions-0-end": start + len("Indonesia")}

    response = curator_admin.post(change_url(document), data)

    assert response.status_code == 302
    mention.refresh_from_db()
    assert (mention.start, mention.exact) == (start, "Indonesia")


def test_mention_add_from_selection_prefills_and_returns_to_document(curator_admin):
    document = DocumentFactory(text=HOSTILE)
    burma = PersonFactory(name="Burma")
    start = HOSTILE.index("Burma")
    url = f"{reverse('admin:factbase_mention_add')}?{urlencode({'document': document.pk, 'start': start, 'end': start + 5, 'exact': 'Burma'})}"
    page = curator_admin.get(url)

    response = curator_admin.post(url, {**form_data(page), "entity": burma.pk})

    assert page.context["adminform"].form.initial["start"] == str(start)
    assert response["Location"] == change_url(document)
    mention = Mention.objects.get()
    assert (mention.document, mention.entity.typed, mention.start, mention.end, mention.exact) == (
        document,
        burma,
        start,
        start + 5,
        "Burma",
    )
    assert mention.created_by.username == "curator-1"


def test_mention_form_refuses_offsets_outside_the_text(curator_admin):
    document = DocumentFactory(text="Short.")
    page = curator_admin.get(reverse("admin:factbase_mention_add"))
    data = {**form_data(page), "document": document.pk, "entity": PersonFactory().pk, "start": 3, "end": 60}

    response = curator_admin.post(reverse("admin:factbase_mention_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "end": ["End offset 60 is past the end of the document (6 characters)."]
    }
    assert Mention.objects.count() == 0


def test_document_history_revert_is_refused(curator_admin):
    document = DocumentFactory()

    response = curator_admin.post(
        reverse("admin:factbase_document_simple_history", args=[document.pk, document.history.earliest().history_id])
    )

    assert response.status_code == 403
