"""factbase/services/imports.py: each kind of line, references by natural key and by in-file
ref, dry runs, all-or-nothing and continue modes, idempotent re-import, the services'
messages, and the export → empty database → import round trip on the seed article."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from factbase.indexes import changes, claim_dates, search
from factbase.models import (
    Alias,
    Claim,
    Document,
    Entity,
    Fact,
    Mention,
    Predicate,
    SourceSpan,
    normalise_name,
    text_sha256,
)
from factbase.services import claims as claim_services
from factbase.services import entities as entity_services
from factbase.services import imports
from factbase.services.facts import facts_regroup
from factbase.services.imports import import_lines
from tests.factories import CountryFactory, DocumentFactory, PersonFactory, PredicateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vocabulary(db):
    CountryFactory(name="Indonesia", slug="indonesia")
    PredicateFactory()


TEXT = "Sergei Lavrov visited Jakarta on July 6. Lavrov met Retno Marsudi in Jakarta."
SHA = text_sha256(TEXT)


def lines(*objects) -> list[str]:
    return [json.dumps(o) for o in objects]


def basic_file() -> list[str]:
    """One of each kind of line, the later ones naming the earlier by ref and by key."""
    return lines(
        {"type": "entity", "kind": "organisation", "slug": "kompas", "name": "Kompas", "ref": "kompas"},
        {
            "type": "entity",
            "kind": "person",
            "slug": "sergei-lavrov",
            "name": "Sergei Lavrov",
            "given_name": "Sergei",
            "family_name": "Lavrov",
            "nationality": "indonesia",
            "ref": "lavrov",
        },
        {"type": "alias", "entity": {"ref": "lavrov"}, "name": "Lavrov", "kind": "as_written"},
        {
            "type": "document",
            "title": "Lavrov in Jakarta",
            "text": TEXT,
            "published": "2021-07",
            "publisher": {"ref": "kompas"},
            "ref": "d1",
        },
        {"type": "mention", "document": {"ref": "d1"}, "entity": "sergei-lavrov", "start": 0, "end": 13},
        {
            "type": "claim",
            "uid": "6f1c2f0e-8d0b-4b8e-9a55-0d5a3b1e2c11",
            "ref": "c1",
            "subject": {"ref": "lavrov"},
            "predicate": "visited",
            "object": "indonesia",
            "date": "2021-07-06",
            "spans": [{"document": {"ref": "d1"}, "exact": "Sergei Lavrov visited Jakarta"}],
        },
        {"type": "span", "claim": {"ref": "c1"}, "document": SHA, "exact": "Lavrov met", "prefix": "July 6. "},
    )


def test_import_writes_each_kind_of_line(curator):
    report = import_lines(basic_file(), by=curator)
    assert report.errors == []
    assert report.written
    assert {t: c["created"] for t, c in report.counts.items()} == {
        "entity": 2,
        "alias": 1,
        "document": 1,
        "mention": 1,
        "claim": 1,
        "span": 1,
    }
    lavrov = Entity.objects.get(slug="sergei-lavrov").typed
    assert (lavrov.kind, lavrov.family_name, lavrov.nationality.slug) == ("person", "Lavrov", "indonesia")
    assert list(Alias.objects.filter(entity=lavrov).values_list("name", "kind")) == [("Lavrov", "as_written")]
    document = Document.objects.get(sha256=SHA)
    assert (document.date_lower.isoformat(), document.date_precision) == ("2021-07-01", "month")
    assert list(Mention.objects.values_list("entity__slug", "start", "end", "exact")) == [
        ("sergei-lavrov", 0, 13, "Sergei Lavrov")
    ]
    claim = Claim.objects.get()
    assert (claim.subject_id, claim.object.slug, claim.status, claim.subject_kind) == (
        lavrov.pk,
        "indonesia",
        "draft",
        "person",
    )
    assert claim.created_by == curator
    assert claim.fact_id is not None  # grouped, as every claim write groups it
    assert sorted(claim.spans.values_list("exact", flat=True)) == ["Lavrov met", "Sergei Lavrov visited Jakarta"]
    # The claim text index has the claim, with its spans' words (written once for the batch).
    assert list(Claim.objects.search("jakarta")) == list(Claim.objects.search("met")) == [claim]


def test_reimport_changes_nothing_and_counts_unchanged(curator):
    import_lines(basic_file(), by=curator)
    before = [list(m.objects.order_by("pk").values()) for m in (Entity, Alias, Document, Mention, Claim, SourceSpan)]
    report = import_lines(basic_file(), by=curator)
    assert report.errors == []
    assert {t: c for t, c in report.counts.items()} == {
        t: {"created": 0, "updated": 0, "unchanged": n}
        for t, n in {"entity": 2, "alias": 1, "document": 1, "mention": 1, "claim": 1, "span": 1}.items()
    }
    after = [list(m.objects.order_by("pk").values()) for m in (Entity, Alias, Document, Mention, Claim, SourceSpan)]
    assert after == before


def test_a_changed_line_updates_through_the_services(curator):
    import_lines(basic_file(), by=curator)
    changed = [json.loads(line) for line in basic_file()]
    changed[1]["name"] = "Sergey Lavrov"
    changed[2]["kind"] = "common"
    changed[5]["date"] = "2021-07-07"
    report = import_lines(lines(*changed), by=curator)
    assert report.errors == []
    assert report.counts["alias"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert Alias.objects.get(name="Lavrov").kind == "common"
    assert report.counts["entity"] == {"created": 0, "updated": 1, "unchanged": 1}  # kompas unchanged
    assert report.counts["claim"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert Entity.objects.get(slug="sergei-lavrov").normalised_name == "sergey lavrov"
    assert Claim.objects.get().date_lower.isoformat() == "2021-07-07"


def test_a_claim_without_uid_gets_the_same_uid_on_every_import(curator):
    person, document = PersonFactory(slug="lavrov"), DocumentFactory(text=TEXT)
    line = {
        "type": "claim",
        "subject": person.slug,
        "predicate": "visited",
        "value": "Jakarta",
        "spans": [{"document": document.sha256, "start": 22, "end": 29}],
    }
    assert import_lines(lines(line), by=curator).counts["claim"]["created"] == 1
    assert import_lines(lines(line), by=curator).counts["claim"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert Claim.objects.count() == 1


def test_dry_run_validates_and_writes_nothing(curator):
    models = (Entity, Alias, Document, Mention, Claim, SourceSpan, Fact)
    before = [m.objects.count() for m in models]
    report = import_lines(basic_file(), by=curator, dry_run=True)
    assert report.errors == [] and not report.written
    assert report.counts["claim"]["created"] == 1
    assert [m.objects.count() for m in models] == before


def test_all_or_nothing_writes_nothing_and_reports_every_bad_line(curator):
    file = basic_file()
    file.insert(2, json.dumps({"type": "alias", "entity": "nobody", "name": "X"}))
    file.append(json.dumps({"type": "claim", "subject": "sergei-lavrov", "predicate": "no-such", "spans": []}))
    report = import_lines(file, by=curator)
    assert not report.written
    assert [(e.line, e.errors) for e in report.errors] == [
        (3, {"entity": ["No entity has the slug 'nobody'."]}),
        (9, {"predicate": ["No predicate has the slug 'no-such'; the vocabulary is at /api/v1/predicates/."]}),
    ]
    assert list(Entity.objects.values_list("slug", flat=True)) == ["indonesia"]
    assert Claim.objects.count() == Document.objects.count() == 0


def test_continue_writes_the_good_lines_and_refuses_dependents(curator):
    file = [json.loads(line) for line in basic_file()]
    file[1]["nationality"] = "atlantis"  # the person is refused: its alias, mention and claim with it
    report = import_lines(lines(*file), by=curator, on_error="continue")
    assert report.written
    assert [(e.line, e.errors) for e in report.errors] == [
        (2, {"nationality": ["No entity has the slug 'atlantis'."]}),
        (3, {"entity": ["Line 2, which has the ref 'lavrov', was refused."]}),
        (5, {"entity": ["Line 2, which gives the entity 'sergei-lavrov', was refused."]}),
        (6, {"subject": ["Line 2, which has the ref 'lavrov', was refused."]}),
        (7, {"claim": ["Line 6, which has the ref 'c1', was refused."]}),
    ]
    assert sorted(Entity.objects.values_list("slug", flat=True)) == ["indonesia", "kompas"]
    assert Document.objects.count() == 1 and Claim.objects.count() == 0


def test_an_invalid_span_is_refused_with_the_api_message(curator):
    person, document = PersonFactory(slug="lavrov"), DocumentFactory(text=TEXT)
    line = {
        "type": "claim",
        "subject": person.slug,
        "predicate": "visited",
        "value": "Jakarta",
        "spans": [{"document": document.sha256, "start": 10, "end": 9999}],
    }
    report = import_lines(lines(line), by=curator)
    assert report.errors[0].errors == {
        "spans": [f"Span 1: End offset 9999 is past the end of the document ({len(TEXT)} characters)."]
    }


def test_publishing_takes_a_reviewer(curator, reviewer):
    person, document = PersonFactory(slug="lavrov"), DocumentFactory(text=TEXT)
    line = {
        "type": "claim",
        "subject": person.slug,
        "predicate": "visited",
        "value": "Jakarta",
        "status": "published",
        "spans": [{"document": document.sha256, "start": 22, "end": 29}],
    }
    refused = import_lines(lines(line), by=curator)
    assert refused.errors[0].errors == {"status": ["Only reviewers may publish or reject claims."]}
    published = import_lines(lines(line), by=reviewer)
    assert published.errors == []
    claim = Claim.objects.get()
    assert (claim.status, claim.reviewed_by, claim.fact.sources) == ("published", reviewer, 1)


def test_a_published_claim_needs_a_span(reviewer):
    PersonFactory(slug="lavrov")
    line = {"type": "claim", "subject": "lavrov", "predicate": "visited", "value": "x", "status": "published"}
    report = import_lines(lines(line), by=reviewer)
    assert report.errors[0].errors == {"status": ["A published claim needs at least one source span as evidence."]}


TEN_KINDS = Path(__file__).resolve().parents[2] / "data" / "imports" / "ten-kinds-of-error.jsonl"


def test_ten_kinds_of_error_give_ten_named_errors(curator):
    """The example of docs/curation.md: a person and a document, then a line of each kind of
    error, each refused by name, and two lines giving the same ref."""
    report = import_lines(TEN_KINDS.read_bytes().splitlines(), by=curator, dry_run=True)
    errors = {e.line: e.errors for e in report.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14]
    assert errors[3]["non_field_errors"][0].startswith("The line is not valid JSON")
    assert errors[4] == {"type": ["Unknown type 'planet': one of entity, alias, document, mention, claim, span."]}
    assert errors[5] == {"slug": ["This field is required."]}
    assert errors[6] == {"kind": ["Give the entity's kind: one of person, country, organisation, event."]}
    assert errors[7] == {"entity": ["No earlier line has the ref 'nowhere'."]}
    assert errors[8] == {"text": ["This field may not be blank."]}
    assert errors[9] == {"spans": ["Span 1: End offset 2 must be greater than start offset 5."]}
    assert errors[10] == {"date": ["'2021-13': the month must be between 01 and 12."]}
    assert errors[11] == {"exact": ["The quote 'Jakarta' occurs 2 times; add a prefix (the text just before it)."]}
    assert errors[12] == {
        "colour": ["A claim line takes no field 'colour'."],
        "subject": [f"No entity has the slug {SHA!r}."],
    }
    assert errors[14] == {"ref": ["Line 13 already has the ref 'dup'."]}
    assert report.counts["entity"]["created"] == 2 and report.counts["document"]["created"] == 1
    assert not report.written and Entity.objects.filter(slug__in=["lavrov", "a", "b"]).count() == 0


def test_unknown_references_are_named(curator):
    report = import_lines(
        lines(
            {"type": "span", "claim": "6f1c2f0e-8d0b-4b8e-9a55-0d5a3b1e2c11", "document": "ab" * 32, "start": 0},
            {"type": "mention", "document": {"ref": "x"}, "entity": "nobody", "start": 0, "end": 1},
        ),
        by=curator,
    )
    assert [e.errors for e in report.errors] == [
        {
            "claim": ["No claim has the uid 6f1c2f0e-8d0b-4b8e-9a55-0d5a3b1e2c11."],
            "document": [f"No document has the SHA-256 {'ab' * 32!r}."],
        },
        {"document": ["No earlier line has the ref 'x'."], "entity": ["No entity has the slug 'nobody'."]},
    ]


def test_a_curator_may_not_add_reference_data(curator, administrator):
    line = {"type": "entity", "kind": "country", "slug": "atlantis", "name": "Atlantis"}
    report = import_lines(lines(line), by=curator)
    assert report.errors[0].errors == {"non_field_errors": ["Only staff administrators may add countries."]}
    assert import_lines(lines(line), by=administrator).errors == []


def test_progress_is_called_with_done_and_total(curator):
    calls = []
    import_lines(["", json.dumps({"type": "planet"})], by=curator, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(2, 2)]


def test_the_spans_per_document_limit_counts_the_whole_file(curator, settings):
    settings.FACTBASE_MAX_SPANS_PER_DOCUMENT = 1
    person, document = PersonFactory(slug="lavrov"), DocumentFactory(text=TEXT)
    claim = {"type": "claim", "subject": person.slug, "predicate": "visited"}
    report = import_lines(
        lines(
            {**claim, "value": "a", "spans": [{"document": document.sha256, "start": 0, "end": 6}]},
            {**claim, "value": "b", "spans": [{"document": document.sha256, "start": 7, "end": 13}]},
        ),
        by=curator,
    )
    assert [(e.line, e.errors) for e in report.errors] == [
        (
            2,
            {
                "spans": [
                    f"Document #{document.pk} “{document.title}” would hold 2 spans; "
                    "a document holds at most 1 (FACTBASE_MAX_SPANS_PER_DOCUMENT)."
                ]
            },
        )
    ]


def test_null_characters_are_refused(curator):
    line = {"type": "entity", "kind": "person", "slug": "x", "name": "Nul\u0000l"}
    assert import_lines(lines(line), by=curator).errors[0].errors == {"name": ["Null characters are not allowed."]}


def test_odd_values_are_refused_by_field(curator):
    person, document = PersonFactory(slug="lavrov"), DocumentFactory(text=TEXT)
    claim = {"type": "claim", "subject": person.slug, "predicate": "visited", "value": "x"}
    report = import_lines(
        lines(
            {**claim, "created": "2021-13-45T00:00:00", "value_number": "NaN"},
            {**claim, "date": {"lower": "2021-07-06", "upper": "2021-07-01", "precision": "day"}},
            {**claim, "spans": [{"document": document.sha256, "start": "0", "end": 5}]},
            {**claim, "status": "lost", "rank": 7},
        ),
        by=curator,
    )
    assert [e.errors for e in report.errors] == [
        {
            "value_number": ["Give a number."],
            "created": ["Give a date and time in ISO 8601: 2021-07-06T10:00:00Z."],
        },
        {"date": ["The lower bound must not be after the upper bound."]},
        {"spans": ["Span 1: Offsets must be whole numbers."]},
        {"rank": ["Give text."]},
    ]


def test_an_imported_document_joins_the_curation_queue_as_a_loaded_one(curator, reviewer):
    # Its claims undecided: "new"; a second file whose claims are all decided: "done". A
    # document that was already there keeps its state.
    import_lines(basic_file(), by=curator)
    assert Document.objects.get(sha256=SHA).curation_state == "new"
    decided = dict(json.loads(basic_file()[5]), status="published", uid="0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5")
    document = {"type": "document", "title": "Another", "text": TEXT + " Again.", "ref": "d2"}
    decided["spans"] = [{"document": {"ref": "d2"}, "exact": "Sergei Lavrov visited Jakarta"}]
    decided["subject"] = "sergei-lavrov"
    decided.pop("ref")
    report = import_lines(lines(document, decided), by=reviewer)
    assert report.errors == []
    states = dict(Document.objects.values_list("title", "curation_state"))
    assert states == {"Lavrov in Jakarta": "new", "Another": "done"}


def _claim_line(uid: str, **fields) -> dict:
    return {
        "type": "claim",
        "uid": f"00000000-0000-4000-8000-{uid:0>12}",
        "subject": "sergei-lavrov",
        "predicate": "visited",
        "object": "indonesia",
        "spans": [{"document": SHA, "exact": "Sergei Lavrov visited Jakarta"}],
        **fields,
    }


def test_new_claims_join_the_facts_a_regroup_of_the_saved_claims_gives(reviewer):
    """New claims are grouped before they are written (one write per claim): into the fact of
    a stored claim of the same statement over compatible dates, into a fact founded earlier in
    the batch, or a new one; a regrouping of the saved claims moves none of them; the facts
    have their sources counted and contradictions found."""
    PersonFactory(slug="sergei-lavrov", name="Sergei Lavrov")
    DocumentFactory(text=TEXT, title="Lavrov in Jakarta")
    assert import_lines(lines(_claim_line("1", date="2021-07-06", status="published")), by=reviewer).ok
    report = import_lines(
        lines(
            _claim_line("2", date="2021-07", status="published"),  # overlaps 1
            _claim_line("3", date="2019"),  # overlaps nothing stored
            _claim_line("5", date="2019-05"),  # overlaps 3, founded just before
            _claim_line("4"),  # undated: joins the first fact (then 5 would join it too)
            _claim_line("6", polarity="negated", status="published"),  # contradicts 1
        ),
        by=reviewer,
    )
    assert report.ok and report.counts["claim"]["created"] == 5
    claims = {str(c.uid)[-1]: c for c in Claim.objects.all()}
    facts = {n: claim.fact_id for n, claim in claims.items()}
    assert facts["1"] == facts["2"] == facts["4"] and facts["3"] == facts["5"]
    assert len({facts["1"], facts["3"], facts["6"]}) == 3
    regrouped = facts_regroup(claim_ids=[claim.pk for n, claim in claims.items() if n != "1"])
    assert (regrouped.claims, regrouped.moved, regrouped.founded) == (5, 0, 0)
    first, negated = Fact.objects.get(pk=facts["1"]), Fact.objects.get(pk=facts["6"])
    assert (first.sources, first.contradicted, negated.sources, negated.contradicted) == (1, True, 1, True)


def test_a_new_claim_is_written_once_in_the_change_feed(curator):
    """The change feed has what the triggers write for the claim's and its span's inserts, and
    no update of the claim for its fact (grouped before the insert)."""
    changes.stamp_at_each_statement(connection)
    PersonFactory(slug="sergei-lavrov", name="Sergei Lavrov")
    document = DocumentFactory(text=TEXT, title="Lavrov in Jakarta")
    _, after, _ = changes.bounds(connection, everything=True)
    assert import_lines(lines(_claim_line("1")), by=curator).ok
    claim = Claim.objects.get()
    rows = [
        (r["type"], r["object_id"], r["action"])
        for r in changes.read(connection, after=after, limit=50, everything=True)
    ]
    assert rows == [("claim", claim.pk, "create"), ("claim", claim.pk, "update"), ("document", document.pk, "update")]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("modality", "perhaps"),
        ("polarity", "maybe"),
        ("attribution", "hearsay"),
        ("confidence", "certain"),
        ("value", "x" * 501),
        ("value_number", "1e40"),
    ],
)
def test_a_new_claims_bad_value_is_refused_with_the_api_message(curator, name, value):
    """The bulk path checks the values a line gives with the fields' own validators: the
    message is claim_create's (the API's), not the database's refusal."""
    person = PersonFactory(slug="lavrov")
    with pytest.raises(ValidationError) as api:
        claim_services.claim_create(
            subject=person, predicate=Predicate.objects.get(slug="visited"), spans=[], by=curator, **{name: value}
        )
    line = {"type": "claim", "subject": "lavrov", "predicate": "visited", name: value}
    report = import_lines(lines(line), by=curator)
    assert [e.errors for e in report.errors] == [api.value.message_dict]


def test_the_mentions_and_aliases_limits_count_the_whole_file(curator, settings):
    """New mentions and aliases are written together after their lines: each line is still
    refused at the service's limit, with its message, the file's earlier rows counted."""
    settings.FACTBASE_MAX_MENTIONS_PER_DOCUMENT = 1
    settings.FACTBASE_MAX_ALIASES_PER_ENTITY = 1
    person, document = PersonFactory(slug="lavrov", name="Lavrov"), DocumentFactory(text=TEXT)
    report = import_lines(
        lines(
            {"type": "alias", "entity": "lavrov", "name": "S. Lavrov"},
            {"type": "alias", "entity": "lavrov", "name": "Sergei V. Lavrov"},
            {"type": "mention", "document": document.sha256, "entity": "lavrov", "start": 0, "end": 13},
            {"type": "mention", "document": document.sha256, "entity": "lavrov", "start": 41, "end": 47},
        ),
        by=curator,
        on_error="continue",
    )
    assert [(e.line, e.errors) for e in report.errors] == [
        (
            2,
            {
                "aliases": [
                    f"Person #{person.pk} “Lavrov” would hold 2 aliases; an entity holds at most 1 (FACTBASE_MAX_ALIASES_PER_ENTITY)."
                ]
            },
        ),
        (
            4,
            {
                "document": [
                    f"Document #{document.pk} “{document.title}” would hold 2 mentions; a document holds at most 1 (FACTBASE_MAX_MENTIONS_PER_DOCUMENT)."
                ]
            },
        ),
    ]
    assert list(Alias.objects.values_list("name", flat=True)) == ["S. Lavrov"]
    assert list(Mention.objects.values_list("start", "end")) == [(0, 13)]


def test_new_mentions_and_aliases_are_the_services_rows(curator):
    """A new mention or alias written with its batch has the columns mention_create and
    alias_add give it (the quote and its context, the normalised name), each row is in the
    change feed as created, and a second line for the same row in the file is unchanged."""
    changes.stamp_at_each_statement(connection)
    person, document = PersonFactory(slug="lavrov", name="Lavrov"), DocumentFactory(text=TEXT)
    _, after, _ = changes.bounds(connection, everything=True)
    mention = {"type": "mention", "document": document.sha256, "entity": "lavrov", "exact": "Lavrov met"}
    alias = {"type": "alias", "entity": "lavrov", "name": "Sérgei  LAVROV", "kind": "as_written"}
    report = import_lines(lines(alias, alias, mention, mention), by=curator)
    assert report.ok
    assert (report.counts["alias"], report.counts["mention"]) == (
        {"created": 1, "updated": 0, "unchanged": 1},
        {"created": 1, "updated": 0, "unchanged": 1},
    )
    stored = Mention.objects.get()
    assert (stored.start, stored.end, stored.exact, stored.prefix, stored.suffix, stored.created_by) == (
        41,
        51,
        "Lavrov met",
        TEXT[9:41],
        TEXT[51:83],
        curator,
    )
    assert Alias.objects.values_list("name", "normalised", "language", "kind").get() == (
        "Sérgei  LAVROV",
        normalise_name("Sérgei  LAVROV"),
        "en",
        "as_written",
    )
    rows = [
        (r["type"], r["object_id"], r["action"])
        for r in changes.read(connection, after=after, limit=50, everything=True)
    ]
    # As the services' saves log them: the row, and what embeds it (the entity, the document).
    assert rows == [
        ("alias", Alias.objects.get().pk, "create"),
        ("entity", person.pk, "update"),
        ("mention", stored.pk, "create"),
        ("document", document.pk, "update"),
    ]


@pytest.mark.parametrize(("name", "value"), [("language", "x" * 17), ("kind", "nickname")])
def test_a_new_alias_bad_value_is_refused_with_the_services_message(curator, name, value):
    person = PersonFactory(slug="lavrov")
    with pytest.raises(ValidationError) as service:
        entity_services.alias_add(entity=person, name="Lavrov", **{name: value})
    report = import_lines(lines({"type": "alias", "entity": "lavrov", "name": "Lavrov", name: value}), by=curator)
    assert [e.errors for e in report.errors] == [service.value.message_dict]
    assert not Alias.objects.exists()


def test_a_value_refused_once_is_refused_every_time(curator):
    """The bulk path remembers the values that passed its field checks, never a refusal."""
    PersonFactory(slug="lavrov")
    claim = {"type": "claim", "subject": "lavrov", "predicate": "visited"}
    report = import_lines(
        lines(
            {**claim, "modality": "perhaps"}, {**claim, "value": "a"}, {**claim, "modality": "perhaps", "value": "b"}
        ),
        by=curator,
        on_error="continue",
    )
    assert [e.line for e in report.errors] == [1, 3]
    assert report.errors[0].errors == report.errors[1].errors


def _batch_as_written(uids: list[str], after: int, *, subject: int) -> dict:
    """What the triggers' tables hold for the claims of `uids`, written after feed position
    `after`: the change feed's rows, the claim dates, the undated claims and the claim text,
    with each claim named by its place in `uids` and their `subject` as "subject" (two
    imports of alike lines compare equal)."""
    claims = {
        claim.pk: uids.index(str(claim.uid)[-2:]) for claim in Claim.objects.filter(uid__in=[_uid(u) for u in uids])
    }
    feed = changes.read(connection, after=after, limit=100, everything=True)
    assert all(row["at"] is not None for row in feed)
    assert [row["position"] for row in feed] == sorted(row["position"] for row in feed)
    named = {"claim": claims.get, "document": lambda pk: pk}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, lo, hi FROM {claim_dates.RTREE}" if connection.vendor == "sqlite" else "SELECT 1")  # noqa: S608
        dated = (
            sorted((claims[pk], lo, hi) for pk, lo, hi in cursor.fetchall() if pk in claims)
            if connection.vendor == "sqlite"
            else []
        )
        cursor.execute(f"SELECT claim_id, entity_id, event_id, status, predicate_id FROM {claim_dates.UNDATED}")  # noqa: S608
        undated = sorted(
            (claims[row[0]], "subject" if row[1] == subject else f"entity {row[1]}", *row[2:])
            for row in cursor.fetchall()
            if row[0] in claims
        )
    return {
        "feed": [
            (r["type"], named[r["type"]](r["object_id"]), r["action"], r["visible_before"], r["visible_after"])
            for r in feed
        ],
        "dated": dated,
        "undated": undated,
        "text": {
            q: sorted(
                claims[pk]
                for pk in search.filter_claims(Claim.objects.all(), q).values_list("pk", flat=True)
                if pk in claims
            )
            for q in ("jakarta", "met")
        },
    }


def _uid(suffix: str) -> str:
    return f"00000000-0000-4000-8000-{suffix:0>12}"


def test_the_batch_writes_what_the_insert_triggers_write(reviewer, monkeypatch):
    """A batch of new claims is inserted with the claim and span insert triggers suspended
    (factbase/indexes/new_claims.py); what it writes instead is what those triggers write
    row by row: the same change feed rows in the same order, stamped, the same claim dates,
    undated claims and claim text. Compared with alike lines imported with every trigger."""
    changes.stamp_at_each_statement(connection)
    # Claims of different subjects: the second import's claims state other facts.
    lavrov = PersonFactory(slug="sergei-lavrov", name="Sergei Lavrov").pk
    marsudi = PersonFactory(slug="retno-marsudi", name="Retno Marsudi").pk
    second = DocumentFactory(text="Retno Marsudi met Sergei Lavrov in Jakarta.", title="Second")
    DocumentFactory(text=TEXT, title="Lavrov in Jakarta")

    def batch(first: int, subject: str) -> list[str]:
        shapes = [
            {"date": "2021-07-06", "status": "published"},
            {"status": "draft"},
            {"date": "2019", "status": "in_review"},
            {"polarity": "negated", "status": "published", "extra_span": True},
        ]
        objects = []
        for n, shape in enumerate(shapes):
            line = _claim_line(f"{first + n}", **{k: v for k, v in shape.items() if k != "extra_span"}, subject=subject)
            if shape.get("extra_span"):
                line["spans"].append({"document": second.sha256, "exact": "Retno Marsudi met"})
            objects.append(line)
        return lines(*objects)

    _, after, _ = changes.bounds(connection, everything=True)
    assert import_lines(batch(10, "sergei-lavrov"), by=reviewer).ok
    batched = _batch_as_written(["10", "11", "12", "13"], after, subject=lavrov)

    @contextmanager
    def triggers_only(connection, ids):
        yield

    monkeypatch.setattr(imports, "new_claims", triggers_only)
    _, after, _ = changes.bounds(connection, everything=True)
    assert import_lines(batch(20, "retno-marsudi"), by=reviewer).ok
    assert _batch_as_written(["20", "21", "22", "23"], after, subject=marsudi) == batched
    # Four creates, an update of the claim and of the document per span (five), then the
    # facts' updates (their sources counted, a contradiction found).
    assert [row[2] for row in batched["feed"][:4]] == ["create"] * 4
    assert sum(row[0] == "document" for row in batched["feed"]) == 5
    assert batched["undated"] and batched["text"]["met"] == [3]
    assert not (connection.vendor == "sqlite" and not batched["dated"])
