"""The checked loader: all-or-nothing, re-validated, idempotent by natural keys."""

import json

import pytest
from django.core.management import CommandError, call_command

from factbase.models import Claim, Document, Entity, SourceSpan, text_sha256

pytestmark = pytest.mark.django_db

TEXT = "Lavrov visited Laos in July. 🙂 Streltsov disagreed."


def records(start=0, end=6, exact="Lavrov", dates=("2021-07-01", "2021-07-31"), subject="sergei-lavrov"):
    sha = text_sha256(TEXT)
    uid = "5b0f0d0e-0000-4000-8000-000000000001"
    return [
        {
            "model": "factbase.entity",
            "fields": {
                "kind": "person",
                "slug": "sergei-lavrov",
                "name": "Sergei Lavrov",
                "normalised_name": "sergei lavrov",
            },
        },
        {"model": "factbase.person", "fields": {"entity_ptr": ["sergei-lavrov"], "given_name": "Sergei"}},
        {"model": "factbase.entity", "fields": {"kind": "country", "slug": "laos", "name": "Laos"}},
        {"model": "factbase.country", "fields": {"entity_ptr": ["laos"], "iso_alpha2": "LA", "iso_alpha3": "LAO"}},
        {
            "model": "factbase.predicate",
            "fields": {"slug": "visited", "label": "visited", "subject_kinds": ["person"], "object_kinds": ["country"]},
        },
        {
            "model": "factbase.document",
            "fields": {
                "title": "T",
                "text": TEXT,
                "sha256": sha,
                "date_lower": dates[0],
                "date_upper": dates[1],
                "date_precision": "month",
            },
        },
        {
            "model": "factbase.claim",
            "fields": {
                "uid": uid,
                "subject": [subject],
                "predicate": ["visited"],
                "object": ["laos"],
                "status": "published",
            },
        },
        {
            "model": "factbase.sourcespan",
            "fields": {"claim": [uid], "document": [sha], "start": start, "end": end, "exact": exact},
        },
    ]


def write(tmp_path, data, name="f.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def counts():
    return (Entity.objects.count(), Document.objects.count(), Claim.objects.count(), SourceSpan.objects.count())


def test_load_valid_fixture_twice_changes_nothing(tmp_path):
    path = write(tmp_path, records())
    call_command("load_checked", str(path))
    first = counts()
    call_command("load_checked", str(path))
    assert counts() == first == (2, 1, 1, 1)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (records(start=0, end=7, exact="Lavrov"), "factbase.SourceSpan"),
        (records(exact="Lavrow"), "not 'Lavrow'"),
        (records(start=5, end=4), "sourcespan_end_after_start"),
        (records(subject="nobody"), "record 7"),
        (records(dates=("2021-08-01", "2021-07-31")), "factbase.Document"),
    ],
    ids=["wrong-offset", "wrong-quote", "end-before-start", "dangling-reference", "dates-reversed"],
)
def test_broken_fixture_names_record_and_leaves_database_unchanged(tmp_path, data, expected):
    before = counts()
    with pytest.raises(CommandError) as info:
        call_command("load_checked", str(write(tmp_path, data)))
    assert expected in str(info.value)
    assert "Nothing was loaded" in str(info.value)
    assert counts() == before == (0, 0, 0, 0)


def test_broken_second_file_rolls_back_first(tmp_path):
    good = write(tmp_path, records()[:4], "a.json")
    bad = write(tmp_path, [{"model": "factbase.nosuchmodel", "fields": {}}], "b.json")
    with pytest.raises(CommandError):
        call_command("load_checked", str(good), str(bad))
    assert counts() == (0, 0, 0, 0)


def test_non_json_file_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b"\xff\xfe not json")
    with pytest.raises(CommandError) as info:
        call_command("load_checked", str(path))
    assert "x.json" in str(info.value)


def test_missing_file_is_refused():
    with pytest.raises(CommandError) as info:
        call_command("load_checked", "/nonexistent/fixture.json")
    assert "No such fixture file" in str(info.value)


def test_published_claim_without_span_is_refused(tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("load_checked", str(write(tmp_path, records()[:-1])))
    assert "source span" in str(info.value)
