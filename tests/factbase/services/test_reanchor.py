"""Re-anchoring spans and mentions onto a corrected revision of a document."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from factbase.models import Document, Mention, SourceSpan
from factbase.services.documents import document_update
from factbase.services.reanchor import anchor_resolve, document_revise, latest_revision, locate, revision_plan
from tests.factories import ClaimFactory, DocumentFactory, MentionFactory, PersonFactory, SourceSpanFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. "
    "He met with the leaders of both countries. Lavrov said yes. Later Putin said yes."
)


def span_on(document, quote, **kwargs):
    claim = ClaimFactory(spans=[])
    return SourceSpanFactory(claim=claim, document=document, quote=quote, **kwargs)


def test_revise_moves_unchanged_quote_after_insertion_before_it(curator):
    document = DocumentFactory(text=TEXT)
    span = span_on(document, "visited Indonesia and Laos")
    new_text = "UPDATED: " + TEXT

    report = document_revise(document=document, text=new_text, by=curator)

    span.refresh_from_db()
    revision = report.document
    assert (revision.revision_of, revision.title, revision.partial_date) == (
        document,
        document.title,
        document.partial_date,
    )
    assert (span.document, span.start, span.end, span.anchor_status) == (revision, 48, 74, "moved")
    assert revision.text[span.start : span.end] == "visited Indonesia and Laos"
    assert span.prefix == new_text[16:48]
    assert span.anchor_note == (
        f"Re-anchored from document #{document.pk} to revision #{revision.pk}: "
        "Moved from 39–65 to 48–74 (exact quote; context agreement 100% before, 100% after)."
    )
    assert report.counts() == {"ok": 0, "moved": 1, "needs_review": 0}


def test_revise_keeps_quote_at_same_position_as_ok():
    document = DocumentFactory(text=TEXT)
    span = span_on(document, "Sergei Lavrov")

    report = document_revise(document=document, text=TEXT + " Appended sentence.")

    span.refresh_from_db()
    assert (span.document, span.start, span.end, span.anchor_status) == (report.document, 25, 38, "ok")


def test_revise_disambiguates_duplicated_quote_by_prefix():
    document = DocumentFactory(text=TEXT)
    start = TEXT.index("Putin said yes") + len("Putin ")
    claim = ClaimFactory(spans=[])
    putin = SourceSpan.objects.create(
        claim=claim,
        document=document,
        start=start,
        end=start + 8,
        exact="said yes",
        prefix=TEXT[start - 32 : start],
        suffix=TEXT[start + 8 :],
    )
    new_text = TEXT.replace("He met", "Meanwhile, he met")

    document_revise(document=document, text=new_text)

    putin.refresh_from_db()
    assert putin.anchor_status == "moved"
    assert new_text[putin.start - 6 : putin.end] == "Putin said yes"


def test_revise_flags_edited_quote_and_leaves_it_on_old_revision():
    document = DocumentFactory(text=TEXT)
    span = span_on(document, "He met with the leaders of both countries.")
    new_text = TEXT.replace("He met with the leaders", "He met the heads")

    report = document_revise(document=document, text=new_text)

    span.refresh_from_db()
    assert (span.document, span.start, span.end, span.anchor_status) == (document, 84, 126, "needs_review")
    assert span.exact == "He met with the leaders of both countries."
    assert span.anchor_note.startswith(
        f"Revision #{report.document.pk}: The exact quote is not in the new revision; not moved. closest passage 84–"
    )
    assert [(o.kind, o.id, o.status) for o in report.needs_review()] == [("span", span.pk, "needs_review")]


def test_revise_flags_quote_whose_context_changed():
    document = DocumentFactory(text="Lavrov arrived. " + "x" * 40 + " Lavrov left.")
    mention = MentionFactory(document=document, quote="Lavrov", entity=PersonFactory())
    new_text = "Someone arrived. " + "y" * 40 + " Lavrov left."

    document_revise(document=document, text=new_text)

    mention.refresh_from_db()
    assert (mention.document, mention.start, mention.anchor_status) == (document, 0, "needs_review")
    assert "surrounding text changed" in mention.anchor_note


def test_locate_flags_quote_with_two_equally_good_places():
    found = locate(text="Yes. a said yes. a said yes.", start=2, end=10, exact="said yes", prefix="a ", suffix=".")

    assert (found.status, found.start) == ("needs_review", None)
    assert found.note == "The quote occurs 2 times with the same context (at 7, 19); not moved."


def test_locate_prefers_exact_position_when_text_there_is_unchanged():
    found = locate(text="a said yes. a said yes.", start=14, end=22, exact="said yes", prefix="yes. a ", suffix=".")

    assert (found.status, found.start, found.end) == ("ok", 14, 22)


def test_revise_moves_mentions_too():
    document = DocumentFactory(text=TEXT)
    mention = MentionFactory(document=document, quote="Sergei Lavrov")

    report = document_revise(document=document, text="Moscow. " + TEXT)

    mention.refresh_from_db()
    assert (mention.document, mention.start, mention.exact, mention.anchor_status) == (
        report.document,
        33,
        "Sergei Lavrov",
        "moved",
    )
    assert Mention.objects.filter(document=report.document).count() == 1


def test_old_revision_stays_readable_and_locked():
    document = DocumentFactory(text=TEXT)
    span_on(document, "Sergei Lavrov")

    report = document_revise(document=document, text=TEXT.replace("8.", "8, 2021."))

    old = Document.objects.get(pk=document.pk)
    assert old.text == TEXT
    assert old.spans.count() == 0
    assert list(old.revisions.all()) == [report.document]
    assert latest_revision(old) == report.document
    with pytest.raises(ValidationError):
        document_update(document=old, text="Overwritten.")
    assert Document.objects.get(pk=document.pk).text == TEXT


def test_revise_refuses_superseded_identical_or_existing_text():
    document = DocumentFactory(text=TEXT)
    other = DocumentFactory(text="Another article.")
    report = document_revise(document=document, text=TEXT + " More.")

    with pytest.raises(ValidationError) as superseded:
        document_revise(document=document, text=TEXT + " Even more.")
    with pytest.raises(ValidationError) as identical:
        document_revise(document=report.document, text=TEXT + " More.")
    with pytest.raises(ValidationError) as existing:
        document_revise(document=report.document, text="Another article.")

    assert superseded.value.message_dict == {
        "text": [f"Document #{document.pk} already has a newer revision (#{report.document.pk}); revise that one."]
    }
    assert identical.value.message_dict == {
        "text": ["The new text is identical to the current one; there is nothing to revise."]
    }
    assert existing.value.message_dict == {"text": [f"Document #{other.pk} already has exactly this text."]}
    assert Document.objects.count() == 3


def test_anchor_resolve_places_flagged_span_on_latest_revision(reviewer):
    document = DocumentFactory(text=TEXT)
    span = span_on(document, "He met with the leaders of both countries.")
    report = document_revise(document=document, text=TEXT.replace("He met with the leaders", "He met the heads"))
    span.refresh_from_db()

    anchor_resolve(anchor=span, exact="He met the heads of both countries.", by=reviewer)

    span.refresh_from_db()
    assert (span.document, span.exact, span.anchor_status) == (
        report.document,
        "He met the heads of both countries.",
        "moved",
    )
    assert span.anchor_note.startswith(f"Re-anchored by hand by {reviewer} from #{document.pk} 84–126")


def test_a_plan_is_used_for_the_anchors_it_was_made_for_and_no_other():
    """A job locates every anchor before the revision's transaction (revision_plan); an anchor
    that changed in between is located again, never moved by a stale plan."""
    document = DocumentFactory(text=TEXT)
    kept = span_on(document, "visited Indonesia and Laos")
    changed = span_on(document, "He met with the leaders")
    new_text = "UPDATED: " + TEXT
    seen = []
    plan = revision_plan(document=document, text=new_text, progress=seen.append)
    assert seen == [1, 2]
    for key in plan:
        values, found = plan[key]
        plan[key] = (values, dataclasses.replace(found, note="From the plan."))
    SourceSpan.objects.filter(pk=changed.pk).update(prefix="changed since")

    report = document_revise(document=document, text=new_text, plan=plan)

    notes = {outcome.id: outcome.note.split(": ", 1)[1] for outcome in report.outcomes}
    assert notes[kept.pk] == "From the plan."
    assert notes[changed.pk].startswith("Moved from ")
    changed.refresh_from_db()
    assert (changed.document, changed.anchor_status) == (report.document, "moved")
