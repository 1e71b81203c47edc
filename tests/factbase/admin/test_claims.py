"""Claim screens: creating a claim from a text selection, span inline validation, the review
workflow (curators submit; only reviewers publish or reject), filters and history."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from factbase.models import Claim, SourceSpan
from tests.factbase.admin.helpers import form_data
from tests.factories import (
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    PersonFactory,
    PredicateFactory,
    SourceSpanFactory,
)

pytestmark = pytest.mark.django_db

TEXT = "🌏🇷🇺 Intro line.\nSergei Lavrov visited Indonesia and Laos from July 6 to 8. He met the leaders."
SENTENCE = "Sergei Lavrov visited Indonesia and Laos from July 6 to 8."


def add_url(**params):
    return f"{reverse('admin:factbase_claim_add')}?{urlencode(params)}"


def change_url(claim):
    return reverse("admin:factbase_claim_change", args=[claim.pk])


def transition_url(claim, step):
    return reverse("admin:factbase_claim_transition", args=[claim.pk, step])


def changelist_action(client, action, claims):
    return client.post(
        reverse("admin:factbase_claim_changelist"),
        {"action": action, "_selected_action": [c.pk for c in claims], "index": 0},
        follow=True,
    )


@pytest.fixture
def document():
    return DocumentFactory(text=TEXT)


@pytest.fixture
def claim_fields():
    return {
        "subject": PersonFactory(name="Sergei Lavrov").pk,
        "predicate": PredicateFactory().pk,
        "object": CountryFactory(name="Indonesia").pk,
    }


# ---------------------------------------------------------------- claim from a selection


def test_claim_add_from_selection_creates_claim_and_span_in_one_save(curator_admin, document, claim_fields):
    start = TEXT.index(SENTENCE)
    assert start == 16  # code points: the emoji before it are 3 code points (6 UTF-16 units)
    url = add_url(document=document.pk, start=start, end=start + len(SENTENCE), exact=SENTENCE)
    page = curator_admin.get(url)

    response = curator_admin.post(url, {**form_data(page), **claim_fields})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:factbase_document_change", args=[document.pk])
    claim = Claim.objects.get()
    span = claim.spans.get()
    assert (span.document, span.start, span.end, span.exact) == (document, start, start + len(SENTENCE), SENTENCE)
    assert (span.prefix, span.suffix) == (TEXT[:start], TEXT[span.end :][:32])
    assert (claim.status, claim.created_by.username) == ("draft", "curator-1")


def test_claim_add_page_shows_the_selection_in_context(curator_admin, document):
    start = TEXT.index(SENTENCE)

    page = curator_admin.get(add_url(document=document.pk, start=start, end=start + len(SENTENCE), exact=SENTENCE))

    selection = page.context["selection"]
    assert (selection.document, selection.start, selection.exact) == (document, start, SENTENCE)
    assert page.context["inline_admin_formsets"][0].formset.forms[0].initial == {
        "document": document.pk,
        "start": start,
        "end": start + len(SENTENCE),
    }


def test_claim_add_warns_when_selection_differs_from_text(curator_admin, document):
    start = TEXT.index(SENTENCE)

    page = curator_admin.get(add_url(document=document.pk, start=start - 2, end=start + 5, exact="Sergei"))

    assert [str(m) for m in page.context["messages"]][0].startswith("The selected text 'Sergei' differs")


def test_claim_add_refuses_span_past_end_of_document(curator_admin, document, claim_fields):
    page = curator_admin.get(reverse("admin:factbase_claim_add"))
    data = {**form_data(page), **claim_fields}
    data.update({"spans-0-document": document.pk, "spans-0-start": 10, "spans-0-end": len(TEXT) + 5})

    response = curator_admin.post(reverse("admin:factbase_claim_add"), data)

    assert response.status_code == 200
    assert "past the end of the document" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert Claim.objects.count() == 0


def test_span_inline_recomputes_quote_when_offsets_change(curator_admin, document):
    claim = ClaimFactory(spans=[])
    SourceSpanFactory(claim=claim, document=document, quote="Sergei Lavrov")
    page = curator_admin.get(change_url(claim))
    start = TEXT.index("Indonesia")
    data = {**form_data(page), "spans-0-start": start, "spans-0-end": start + len("Indonesia")}
    data["spans-0-exact"] = "forged quote"  # not a field: the quote always comes from the text

    response = curator_admin.post(change_url(claim), data)

    assert response.status_code == 302
    span = SourceSpan.objects.get(claim=claim)
    assert (span.exact, span.prefix, span.suffix) == ("Indonesia", TEXT[:start][-32:], TEXT[start + 9 :][:32])


def test_published_claim_refuses_losing_its_last_span(reviewer_admin):
    claim = ClaimFactory(published=True)
    page = reviewer_admin.get(change_url(claim))

    response = reviewer_admin.post(change_url(claim), {**form_data(page), "spans-0-DELETE": "on"})

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        "A published claim needs at least one source span as evidence: keep or add a span. "
        "If the claim has no evidence, ask a reviewer to reject it."
    ]
    assert claim.spans.count() == 1


def test_published_claim_is_read_only_for_curator(curator_admin):
    claim = ClaimFactory(published=True, value="as reviewed")
    page = curator_admin.get(change_url(claim))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False

    response = curator_admin.post(change_url(claim), {"value": "edited without review"})

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.value == "as reviewed"


def test_published_claim_cannot_be_deleted_by_curator(curator_admin):
    claim = ClaimFactory(published=True)
    response = curator_admin.post(reverse("admin:factbase_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_draft_claim_may_lose_its_span(curator_admin):
    claim = ClaimFactory()
    page = curator_admin.get(change_url(claim))

    response = curator_admin.post(change_url(claim), {**form_data(page), "spans-0-DELETE": "on"})

    assert response.status_code == 302
    assert claim.spans.count() == 0


def test_reviewer_replaces_the_only_span_of_a_published_claim_in_one_save(reviewer_admin, document):
    claim = ClaimFactory(published=True)
    page = reviewer_admin.get(change_url(claim))
    start = TEXT.index("Indonesia")
    data = {**form_data(page), "spans-0-DELETE": "on", "spans-TOTAL_FORMS": "2"}
    data.update({"spans-1-document": document.pk, "spans-1-start": start, "spans-1-end": start + len("Indonesia")})

    response = reviewer_admin.post(change_url(claim), data)

    assert response.status_code == 302
    assert [(span.document, span.exact) for span in claim.spans.all()] == [(document, "Indonesia")]


def span_delete_url(span):
    return reverse("admin:factbase_sourcespan_delete", args=[span.pk])


def test_last_span_of_a_published_claim_cannot_be_deleted_on_its_own_screen(reviewer_admin):
    claim = ClaimFactory(published=True)
    span = claim.spans.get()

    page = reviewer_admin.get(reverse("admin:factbase_sourcespan_change", args=[span.pk]))
    response = reviewer_admin.post(span_delete_url(span), {"post": "yes"})

    assert (page.context["has_delete_permission"], response.status_code) == (False, 403)
    assert list(claim.spans.all()) == [span]


def test_reviewer_deletes_one_of_two_spans_of_a_published_claim_on_its_screen(reviewer_admin, document):
    claim = ClaimFactory(spans=[], published=True)
    first = SourceSpanFactory(claim=claim, document=document, quote="Sergei Lavrov")
    second = SourceSpanFactory(claim=claim, document=document, quote="Indonesia")

    response = reviewer_admin.post(span_delete_url(first), {"post": "yes"})

    assert response.status_code == 302
    assert list(claim.spans.all()) == [second]


def test_curator_cannot_delete_a_span_of_a_published_claim(curator_admin, document):
    claim = ClaimFactory(spans=[], published=True)
    first = SourceSpanFactory(claim=claim, document=document, quote="Sergei Lavrov")
    SourceSpanFactory(claim=claim, document=document, quote="Indonesia")

    response = curator_admin.post(span_delete_url(first), {"post": "yes"})

    assert response.status_code == 403
    assert claim.spans.count() == 2


def test_curator_cannot_add_a_span_to_a_published_claim(curator_admin, document):
    claim = ClaimFactory(published=True)
    start = TEXT.index("Indonesia")
    url = reverse("admin:factbase_sourcespan_add")
    data = {**form_data(curator_admin.get(url)), "claim": claim.pk, "document": document.pk}
    data.update({"start": start, "end": start + len("Indonesia")})

    response = curator_admin.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == ["Only reviewers may change a published claim."]
    assert claim.spans.count() == 1


def test_curator_cannot_change_a_span_of_a_published_claim(curator_admin):
    span = ClaimFactory(published=True).spans.get()
    url = reverse("admin:factbase_sourcespan_change", args=[span.pk])

    response = curator_admin.post(url, {"document": span.document_id, "start": span.start + 1, "end": span.end})

    assert response.status_code == 403
    assert SourceSpan.objects.get(pk=span.pk).start == span.start


def test_published_claim_cannot_be_deleted_by_reviewer(reviewer_admin):
    claim = ClaimFactory(published=True)

    page = reviewer_admin.get(change_url(claim))
    response = reviewer_admin.post(reverse("admin:factbase_claim_delete", args=[claim.pk]), {"post": "yes"})

    assert (page.context["has_delete_permission"], response.status_code) == (False, 403)
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_bulk_delete_refuses_a_published_claim_and_deletes_nothing(reviewer_admin):
    draft, published = ClaimFactory(), ClaimFactory(published=True)

    response = reviewer_admin.post(
        reverse("admin:factbase_claim_changelist"),
        {"action": "delete_selected", "_selected_action": [draft.pk, published.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert set(Claim.objects.all()) == {draft, published}


def test_bulk_delete_deletes_draft_claims_with_their_spans(curator_admin):
    claims = [ClaimFactory(), ClaimFactory()]

    page = curator_admin.post(
        reverse("admin:factbase_claim_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in claims], "post": "yes"},
        follow=True,
    )

    assert [str(m) for m in page.context["messages"]] == ["Successfully deleted 2 claims."]
    assert (Claim.objects.count(), SourceSpan.objects.count()) == (0, 0)


def test_status_is_not_editable_in_the_claim_form(curator_admin):
    claim = ClaimFactory()
    page = curator_admin.get(change_url(claim))

    response = curator_admin.post(change_url(claim), {**form_data(page), "status": "published"})

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "draft"
    assert "status" not in page.context["adminform"].form.fields


# ---------------------------------------------------------------- review workflow


def test_curator_sees_no_publish_or_reject_action(curator_admin):
    ClaimFactory()

    page = curator_admin.get(reverse("admin:factbase_claim_changelist"))

    actions = [name for name, _ in page.context["action_form"].fields["action"].choices]
    assert actions == ["", "delete_selected", "submit_for_review", "split_from_facts"]


def test_reviewer_sees_publish_and_reject_actions(reviewer_admin):
    ClaimFactory()

    page = reviewer_admin.get(reverse("admin:factbase_claim_changelist"))

    actions = [name for name, _ in page.context["action_form"].fields["action"].choices]
    assert actions == [
        "",
        "delete_selected",
        "submit_for_review",
        "publish_claims",
        "reject_claims",
        "split_from_facts",
        "rank_preferred",
        "rank_normal",
        "rank_deprecated",
    ]


def test_curator_posting_publish_action_changes_nothing(curator_admin):
    claim = ClaimFactory(in_review=True)

    changelist_action(curator_admin, "publish_claims", [claim])

    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_curator_publish_button_is_absent_and_its_post_refused(curator_admin):
    claim = ClaimFactory(in_review=True)

    page = curator_admin.get(change_url(claim))
    response = curator_admin.post(transition_url(claim, "publish"))

    assert (page.context["review"]["publish_url"], page.context["review"]["reject_url"]) == ("", "")
    assert b'id="fb-publish"' not in page.content
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_curator_reject_post_is_refused(curator_admin):
    claim = ClaimFactory(in_review=True)

    response = curator_admin.post(transition_url(claim, "reject"), {"reason": "Not in the source."})

    assert response.status_code == 403
    claim.refresh_from_db()
    assert (claim.status, claim.notes) == ("in_review", "")


def test_curator_submits_claim_for_review_with_button(curator_admin):
    claim = ClaimFactory()

    response = curator_admin.post(transition_url(claim, "submit"))

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_curator_submits_claims_for_review_with_action(curator_admin):
    claims = [ClaimFactory(), ClaimFactory(), ClaimFactory(published=True)]

    page = changelist_action(curator_admin, "submit_for_review", claims)

    assert sorted(Claim.objects.values_list("status", flat=True)) == ["in_review", "in_review", "published"]
    assert [str(m) for m in page.context["messages"]][0] == "2 claim(s) submitted for review."


def test_reviewer_publishes_claims_with_action(reviewer_admin, reviewer):
    claims = [ClaimFactory(in_review=True), ClaimFactory()]

    changelist_action(reviewer_admin, "publish_claims", claims)

    assert set(Claim.objects.values_list("status", "reviewed_by")) == {("published", reviewer.pk)}


def test_reviewer_publishes_claim_with_button(reviewer_admin, reviewer):
    claim = ClaimFactory(in_review=True)

    page = reviewer_admin.get(change_url(claim))
    response = reviewer_admin.post(page.context["review"]["publish_url"])

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.reviewed_by) == ("published", reviewer)


def test_reviewer_rejects_claim_with_reason(reviewer_admin):
    claim = ClaimFactory(in_review=True)

    reviewer_admin.post(transition_url(claim, "reject"), {"reason": "The source says planned, not done."})

    claim.refresh_from_db()
    assert (claim.status, claim.notes) == ("rejected", "Rejected: The source says planned, not done.")


def test_publishing_claim_without_span_is_refused_with_message(reviewer_admin):
    claim = ClaimFactory(spans=[])

    page = reviewer_admin.post(transition_url(claim, "publish"), follow=True)

    assert [str(m) for m in page.context["messages"]] == [
        "Not published: A published claim needs at least one source span as evidence."
    ]
    claim.refresh_from_db()
    assert claim.status == "draft"


def test_review_step_refuses_get(reviewer_admin):
    claim = ClaimFactory(in_review=True)

    response = reviewer_admin.get(transition_url(claim, "publish"))

    assert response.status_code == 405
    claim.refresh_from_db()
    assert claim.status == "in_review"


# ---------------------------------------------------------------- claim screen, filters, history


def test_claim_screen_shows_spans_in_context(curator_admin, document):
    claim = ClaimFactory(spans=[])
    SourceSpanFactory(claim=claim, document=document, quote="Indonesia")

    page = curator_admin.get(change_url(claim))

    html = page.content.decode()
    assert 'visited <mark class="fb-quote">Indonesia</mark> and Laos from July 6 to 8.' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status__exact": "published"}, ["published"]),
        ({"modality__exact": "planned"}, ["planned"]),
        ({"polarity__exact": "negated"}, ["negated"]),
        ({"attributed_to": "document"}, ["document"]),
        ({"attributed_to": "speaker"}, ["attributed"]),
        ({"document": "cited"}, ["document"]),
        ({"predicate__id__exact": "met"}, ["met"]),
        ({"entity": "speaker"}, ["attributed"]),
    ],
)
def test_claim_changelist_filters(curator_admin, params, expected):
    speaker = PersonFactory(name="Streltsov")
    cited = DocumentFactory()
    met = PredicateFactory(slug="met-with", label="met with", object_kinds=["person", "country"])
    claims = {
        "published": ClaimFactory(published=True, attributed_to=PersonFactory()),
        "planned": ClaimFactory(modality="planned", attributed_to=PersonFactory()),
        "negated": ClaimFactory(polarity="negated", attributed_to=PersonFactory()),
        "attributed": ClaimFactory(attributed_to=speaker),
        "document": ClaimFactory(spans=[]),
        "met": ClaimFactory(predicate=met, attributed_to=PersonFactory()),
    }
    SourceSpanFactory(claim=claims["document"], document=cited)
    values = {"speaker": speaker.pk, "cited": cited.pk, "met": met.pk}
    query = {key: values.get(value, value) for key, value in params.items()}

    page = curator_admin.get(reverse("admin:factbase_claim_changelist"), query)

    assert list(page.context["cl"].result_list) == [claims[name] for name in expected]


def test_claim_history_shows_who_changed_the_status(curator_admin):
    claim = ClaimFactory()
    curator_admin.post(transition_url(claim, "submit"))

    page = curator_admin.get(reverse("admin:factbase_claim_history", args=[claim.pk]))

    latest = page.context["page_obj"][0]
    assert (latest.history_user.username, latest.status) == ("curator-1", "in_review")
    changes = {change["field"]: (change["old"], change["new"]) for change in latest.history_delta_changes}
    assert changes["Status"] == ("draft", "in_review")
    assert "curator-1" in page.content.decode()


def test_claim_history_revert_is_refused(curator_admin):
    claim = ClaimFactory(published=True)
    old = claim.history.earliest()

    response = curator_admin.post(reverse("admin:factbase_claim_simple_history", args=[claim.pk, old.history_id]))

    assert response.status_code == 403
