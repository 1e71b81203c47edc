"""Mention suggestions: Aho-Corasick matching with word boundaries, longest match and case rules."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from factbase.models import Alias, Entity, Mention
from factbase.services.suggestions import (
    AliasMatcher,
    alias_matcher,
    case_compatible,
    document_suggestions,
    fold,
    is_descriptive,
    parse_suggestion_key,
    suggestions_accept,
    suggestions_reject,
)
from tests.factories import (
    AliasFactory,
    CountryFactory,
    DocumentFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
)


def found(matcher, text):
    return [(m.exact, m.entity_ids) for m in matcher.find(text)]


def test_fold_keeps_length_and_offsets():
    text = "İstanbul’s\u00a0Lavrov\nsaid"
    assert len(fold(text)) == len(text)
    assert fold(text) == "İstanbul's lavrov said"


def test_matcher_respects_word_boundaries():
    matcher = AliasMatcher([("Laos", 1), ("US", 2)])

    assert found(matcher, "Chaos in Laos, USB and US.") == [("Laos", (1,)), ("US", (2,))]


def test_matcher_keeps_longest_match_only():
    matcher = AliasMatcher([("Russia", 1), ("Russian Foreign Ministry", 2), ("Foreign Ministry", 3)])

    assert found(matcher, "The Russian Foreign Ministry and Russia.") == [
        ("Russian Foreign Ministry", (2,)),
        ("Russia", (1,)),
    ]


@pytest.mark.parametrize(
    ("text", "form", "expected"),
    [
        ("US", "US", True),
        ("us", "US", False),
        ("Us", "US", False),
        ("Asean", "ASEAN", True),
        ("china", "China", False),
        ("The Independent", "the Independent", True),
        ("LAVROV", "Lavrov", True),
        ("LAOS", "Laos", True),
        ("UN", "Un", False),
        ("Moscow’s", "Moscow's", True),
    ],
)
def test_case_compatible_rules(text, form, expected):
    assert case_compatible(text, form) is expected


def test_matcher_prefers_exact_case_and_refuses_lowercase_acronym():
    matcher = AliasMatcher([("US", 1), ("Us", 2), ("China", 3)])

    assert found(matcher, "Let us see: US and china and China.") == [("US", (1,)), ("China", (3,))]


def test_matcher_offsets_count_code_points():
    matcher = AliasMatcher([("Lavrov", 1)])
    text = "🙂 Lavrov 🙂"

    (match,) = matcher.find(text)

    assert text[match.start : match.end] == "Lavrov"
    assert (match.start, match.end) == (2, 8)


def test_matcher_offers_every_entity_sharing_a_name():
    matcher = AliasMatcher([("Streltsov", 1), ("Streltsov", 2)])

    assert found(matcher, "Streltsov said.") == [("Streltsov", (1, 2))]


@pytest.mark.django_db
def test_document_suggestions_excludes_recorded_mentions():
    lavrov = PersonFactory(name="Sergei Lavrov")
    AliasFactory(entity=lavrov, name="Lavrov")
    indonesia = CountryFactory(name="Indonesia")
    document = DocumentFactory(text="Sergei Lavrov visited Indonesia. Lavrov met the Indonesian president.")
    MentionFactory(document=document, entity=lavrov, quote="Sergei Lavrov")

    suggestions = document_suggestions(document=document)

    assert [(s.entity_id, s.exact, s.start, s.ambiguous) for s in suggestions] == [
        (indonesia.pk, "Indonesia", 22, False),
        (lavrov.pk, "Lavrov", 33, False),
    ]


@pytest.mark.django_db
def test_alias_matcher_rebuilds_when_aliases_change():
    person = PersonFactory(name="Nikolai Patrushev")
    document = DocumentFactory(text="Patrushev held a video conference.")
    assert document_suggestions(document=document) == []

    alias = AliasFactory(entity=person, name="Patrushev")
    assert [s.exact for s in document_suggestions(document=document)] == ["Patrushev"]

    alias.name = "Patrushev N."
    alias.save()
    assert document_suggestions(document=document) == []
    assert alias_matcher() is alias_matcher()


@pytest.mark.django_db
def test_suggestions_accept_creates_mentions_once(curator):
    laos = CountryFactory(name="Laos")
    document = DocumentFactory(text="Lavrov flew to Laos, then left Laos.")
    keys = [(s.entity_id, s.start, s.end) for s in document_suggestions(document=document)]

    created = suggestions_accept(document=document, keys=keys, by=curator)
    again = suggestions_accept(document=document, keys=keys, by=curator)

    assert [(m.entity_id, m.start, m.exact, m.created_by) for m in created] == [
        (laos.pk, 15, "Laos", curator),
        (laos.pk, 31, "Laos", curator),
    ]
    assert again == []
    assert Mention.objects.count() == 2
    assert document_suggestions(document=document) == []


@pytest.mark.django_db
def test_suggestions_recover_removed_mentions_of_synthetic_article():
    """The recovery property on a small curated article: remove every mention, and the
    suggestions find at least 90% of them again."""
    text = (
        "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. "
        "He met ASEAN Secretary General Lim Jock Hoi. Indonesia is the seat of the ASEAN Secretariat. "
        "Lavrov had planned to visit Brunei. Kommersant wrote that Russia and Vietnam signed a deal; "
        "the U.S. and China watched. LAVROV IN JAKARTA."
    )
    document = DocumentFactory(text=text)
    entities = {
        "Sergei Lavrov": PersonFactory(name="Sergei Lavrov"),
        "Indonesia": CountryFactory(name="Indonesia"),
        "Laos": CountryFactory(name="Laos"),
        "Lim Jock Hoi": PersonFactory(name="Lim Jock Hoi"),
        "ASEAN Secretariat": OrganisationFactory(name="ASEAN Secretariat"),
        "ASEAN": OrganisationFactory(name="Association of Southeast Asian Nations"),
        "Brunei": CountryFactory(name="Brunei Darussalam"),
        "Kommersant": OrganisationFactory(name="Kommersant"),
        "Russia": CountryFactory(name="Russian Federation"),
        "Vietnam": CountryFactory(name="Viet Nam"),
        "U.S.": CountryFactory(name="United States of America"),
        "China": CountryFactory(name="China"),
    }
    for alias, entity in [
        ("Lavrov", "Sergei Lavrov"),
        ("ASEAN", "ASEAN"),
        ("Brunei", "Brunei"),
        ("Russia", "Russia"),
        ("Vietnam", "Vietnam"),
        ("U.S.", "U.S."),
        ("Jakarta", "Indonesia"),
    ]:
        AliasFactory(entity=entities[entity], name=alias)
    curated = [
        ("Sergei Lavrov", "Sergei Lavrov", 0),
        ("Indonesia", "Indonesia", 0),
        ("Laos", "Laos", 0),
        ("ASEAN", "ASEAN", 0),
        ("Lim Jock Hoi", "Lim Jock Hoi", 0),
        ("Indonesia", "Indonesia", 1),
        ("ASEAN Secretariat", "ASEAN Secretariat", 0),
        ("Sergei Lavrov", "Lavrov", 1),
        ("Brunei", "Brunei", 0),
        ("Kommersant", "Kommersant", 0),
        ("Russia", "Russia", 0),
        ("Vietnam", "Vietnam", 0),
        ("U.S.", "U.S.", 0),
        ("China", "China", 0),
        ("Sergei Lavrov", "LAVROV", 0),
    ]
    expected = set()
    for entity, quote, occurrence in curated:
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(quote, start + 1)
        expected.add((entities[entity].pk, start, start + len(quote)))

    suggested = {(s.entity_id, s.start, s.end) for s in document_suggestions(document=document)}

    recovered = expected & suggested
    assert len(recovered) / len(expected) >= 0.9, sorted(expected - suggested)


@pytest.mark.parametrize("key", ["1:2", "a:1:2", "0:1:2", "99999999999999999999:1:2", "1:-1:2", " 1:2:3"])
def test_parse_suggestion_key_refuses_malformed_keys(key):
    with pytest.raises(ValueError):
        parse_suggestion_key(key)


def test_parse_suggestion_key_reads_entity_start_end():
    assert parse_suggestion_key("12:3:9") == (12, 3, 9)


def test_matcher_suggests_names_inside_a_description_but_not_inside_a_proper_name():
    matcher = AliasMatcher(
        [("Lavrov", 1), ("Laos", 2), ("Lavrov’s visit to Laos", 3), ("Russia", 4), ("United Russia", 5)]
    )

    assert found(matcher, "Lavrov’s visit to Laos. United Russia met.") == [
        ("Lavrov’s visit to Laos", (3,)),
        ("Lavrov", (1,)),
        ("Laos", (2,)),
        ("United Russia", (5,)),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Lavrov's visit to Laos", True), ("Putin administration", True), ("Ministry of Foreign Affairs", False)],
)
def test_is_descriptive(name, expected):
    assert is_descriptive(name) is expected


@pytest.mark.django_db
def test_suggestions_reject_hides_them_for_good(curator):
    laos = CountryFactory(name="Laos")
    document = DocumentFactory(text="Lavrov flew to Laos, then left Laos.")
    first, second = document_suggestions(document=document)

    rejected = suggestions_reject(document=document, keys=[(first.entity_id, first.start, first.end)], by=curator)
    again = suggestions_reject(document=document, keys=[(first.entity_id, first.start, first.end)], by=curator)

    assert (rejected, again) == (1, 0)
    assert [(s.entity_id, s.start) for s in document_suggestions(document=document)] == [(laos.pk, second.start)]
    with pytest.raises(ValidationError):
        suggestions_reject(document=document, keys=[(laos.pk, 10, 5000)], by=curator)


@pytest.mark.django_db
def test_alias_matcher_follows_an_alias_moved_to_another_entity():
    first, second = PersonFactory(name="Nikolai Patrushev"), PersonFactory(name="Someone Else")
    alias = AliasFactory(entity=first, name="Patrushev")
    document = DocumentFactory(text="Patrushev spoke.")
    assert [s.entity_id for s in document_suggestions(document=document)] == [first.pk]

    alias.entity = second
    alias.save()

    assert [s.entity_id for s in document_suggestions(document=document)] == [second.pk]


@pytest.mark.django_db
def test_alias_matcher_follows_writes_that_bypass_save_and_checks_in_one_read():
    # The matcher knows it is stale from the counter the name triggers keep
    # (factbase/indexes/name_changes.py): one row read, whatever writes the names.
    person = PersonFactory(name="Nikolai Patrushev")
    alias = AliasFactory(entity=person, name="Patrushev")
    document = DocumentFactory(text="Patrushev met Bortnikov.")
    assert [s.exact for s in document_suggestions(document=document)] == ["Patrushev"]
    with CaptureQueriesContext(connection) as queries:
        assert alias_matcher() is alias_matcher()
    assert len(queries) == 2  # one read each time, no aggregate over the names

    Entity.objects.filter(pk=person.pk).update(name="Bortnikov")
    assert [s.exact for s in document_suggestions(document=document)] == ["Patrushev", "Bortnikov"]
    Alias.objects.filter(pk=alias.pk).update(name="N. Patrushev")
    assert [s.exact for s in document_suggestions(document=document)] == ["Bortnikov"]
    Alias.objects.filter(pk=alias.pk).update(name="Patrushev")
    assert [s.exact for s in document_suggestions(document=document)] == ["Patrushev", "Bortnikov"]
    Alias.objects.filter(pk=alias.pk).delete()
    assert [s.exact for s in document_suggestions(document=document)] == ["Bortnikov"]


@pytest.mark.django_db
def test_a_matcher_built_in_a_rolled_back_transaction_is_not_taken_for_a_later_one():
    # The name changes' row takes a new random value, not a count: a rolled-back change
    # followed by another would count to the same number (factbase/indexes/name_changes.py).
    document = DocumentFactory(text="Patrushev met Bortnikov.")
    with pytest.raises(RuntimeError), transaction.atomic():
        PersonFactory(name="Patrushev")
        assert [s.exact for s in document_suggestions(document=document)] == ["Patrushev"]
        raise RuntimeError("rolled back")
    PersonFactory(name="Bortnikov")
    assert [s.exact for s in document_suggestions(document=document)] == ["Bortnikov"]
