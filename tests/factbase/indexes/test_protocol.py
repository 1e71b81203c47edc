"""The protocol every index implements (factbase/indexes/base.py): install, suspend,
restore, rebuild, check; `manage.py indexes`; and the frozen SQL of the migrations, which
must leave the database as the live definitions would."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from factbase import indexes
from factbase.indexes import claim_text
from factbase.models import Claim, Entity
from tests.factories import ClaimFactory, DocumentFactory, PersonFactory, SourceSpanFactory

pytestmark = pytest.mark.django_db

# What suspend removes on each engine: PostgreSQL keeps its expression indexes itself, so
# only the indexes kept by triggers there too (claim text, undated claims, event names, claim
# facets) have something to suspend. The event name and claim facet indexes are PostgreSQL's
# alone, the entity facet index SQLite's; the entity word, event word and participant event
# indexes are kept by triggers on both.
SUSPENDED = {
    "sqlite": {
        "entity-names",
        "claim-dates",
        "claim-text",
        "document-text",
        "name-changes",
        "changes",
        "cache-versions",
        "entity-facets",
        "entity-words",
        "event-words",
        "participant-events",
        "event-spans",
    },
    "postgresql": {
        "claim-dates",
        "claim-text",
        "name-changes",
        "changes",
        "cache-versions",
        "event-names",
        "claim-facets",
        "claim-words",
        "entity-words",
        "event-words",
        "participant-events",
        "event-spans",
    },
}[connection.vendor]
WHOLE = {
    "entity-names": [],
    "claim-dates": [],
    "claim-text": [],
    "document-text": [],
    "name-changes": [],
    "changes": [],
    "cache-versions": [],
    "event-names": [],
    "claim-facets": [],
    "entity-facets": [],
    "claim-words": [],
    "entity-words": [],
    "event-words": [],
    "participant-events": [],
    "event-spans": [],
}


def schema_snapshot() -> list[tuple]:
    """Every schema object the indexes own, with its definition."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master "
                "WHERE name LIKE 'factbase_%fts%' OR name LIKE 'factbase_claim_dates%' OR name LIKE 'factbase_name_changes%' "
                "OR name LIKE 'factbase_changes%' OR name LIKE 'factbase_cache_versions%' "
                "OR tbl_name IN ('factbase_entity_words', 'factbase_event_words', 'factbase_participant_events', "
                "'factbase_event_span') "
                "OR name LIKE 'factbase_entity_words%' OR name LIKE 'factbase_event_words%' "
                f"OR name = '{claim_text.SQLITE_COVER}' ORDER BY type, name"
            )
            return cursor.fetchall()
        cursor.execute(
            "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND (indexname IN ('entity_name_fts', 'alias_name_fts', 'claim_dates_gist', 'claim_text_document', "
            "'claim_text_fact', 'claim_text_values_facet', 'event_names_document', 'claim_facets_document', 'claim_words_key', "
            "'entity_words_key', 'entity_words_entity', 'entity_words_id', 'factbase_participant_events_pkey', "
            "'participant_events_type', 'participant_events_status', 'participant_events_event', "
            "'event_words_key', 'event_words_order', 'event_words_type', 'event_words_status', 'event_words_event', "
            "'document_title_trgm', 'document_text_trgm') "
            "OR indexname LIKE 'factbase_claim_dates%') "
            "UNION ALL SELECT 'trigger', tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "WHERE tgname LIKE 'factbase_claim_text%' OR tgname LIKE 'factbase_claim_dates%' "
            "OR tgname LIKE 'factbase_name_changes%' OR tgname LIKE 'factbase_changes%' "
            "OR tgname LIKE 'factbase_cache_versions%' OR tgname LIKE 'factbase_event_names%' "
            "OR tgname LIKE 'factbase_claim_facets%' OR tgname LIKE 'factbase_claim_words%' OR tgname LIKE 'factbase_entity_words%' "
            "OR tgname LIKE 'factbase_participant_events%' OR tgname LIKE 'factbase_event_span%' "
            "OR tgname LIKE 'factbase_event_words%' "
            "UNION ALL SELECT 'function', proname, prosrc FROM pg_proc "
            "WHERE proname LIKE 'factbase_claim_text%' OR proname LIKE 'factbase_claim_dates%' "
            "OR proname LIKE 'factbase_name_changes%' OR proname LIKE 'factbase_changes%' "
            "OR proname LIKE 'factbase_cache_versions%' OR proname LIKE 'factbase_event_names%' "
            "OR proname LIKE 'factbase_claim_facets%' OR proname = 'factbase_claim_document' "
            "OR proname LIKE 'factbase_claim_words%' OR proname LIKE 'factbase_entity_words%' "
            "OR proname LIKE 'factbase_participant_events%' OR proname LIKE 'factbase_event_span%' "
            "OR proname LIKE 'factbase_event_words%' "
            "UNION ALL SELECT 'index', indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'factbase_changes%' "
            "UNION ALL SELECT 'column', c.relname || '.' || a.attname, concat_ws(' ', "
            "format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attstorage, pg_get_expr(d.adbin, d.adrelid), "
            "(SELECT collname FROM pg_collation WHERE oid = a.attcollation)) "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
            "AND a.attnum > 0 AND NOT a.attisdropped "
            "AND (c.relname IN ('factbase_claim_text', 'factbase_claim_text_values', 'factbase_changes', 'factbase_changes_floor', "
            "'factbase_cache_versions', 'factbase_event_names', 'factbase_claim_facets', 'factbase_claim_words', 'factbase_entity_words', "
            "'factbase_participant_events', 'factbase_event_span', 'factbase_event_words') "
            "OR (c.relname = 'factbase_document' AND a.attname = 'text_upper')) "
            "ORDER BY 1, 2"
        )
        return cursor.fetchall()


def found(q):
    return list(Claim.objects.search(q).order_by("pk"))


def test_every_index_is_whole_after_migrate():
    assert indexes.check(connection) == WHOLE


def test_suspend_is_reported_by_check_and_undone_by_restore():
    indexes.suspend(connection)
    missing = indexes.check(connection)
    assert {name for name, problems in missing.items() if problems} == SUSPENDED
    assert all(problem.startswith("trigger ") for problems in missing.values() for problem in problems)
    claim = ClaimFactory(spans=[], value="corvettes")  # written while suspended
    person = PersonFactory(name="Maria Zakharova", slug="zakharova")
    indexes.restore(connection)
    assert indexes.check(connection) == WHOLE
    assert found("corvettes") == [claim]  # restore rebuilt what went unindexed
    assert list(Entity.objects.matching("zakharova")) == [person.entity_ptr]
    later = ClaimFactory(spans=[], value="corvettes")  # and the triggers keep it in step again
    assert found("corvettes") == [claim, later]


def test_restore_without_anything_missing_leaves_the_index_alone():
    claim = ClaimFactory(spans=[], value="frigates")
    with connection.cursor() as cursor:  # an index emptied behind its back...
        cursor.execute(f"DELETE FROM {claim_text.FTS if connection.vendor == 'sqlite' else claim_text.TABLE}")
    indexes.restore(connection)  # ...is not rebuilt when nothing was missing
    assert found("frigates") == []
    indexes.rebuild(connection)
    assert found("frigates") == [claim]


def test_frozen_migrations_build_what_the_live_definitions_build():
    migrated = schema_snapshot()
    assert migrated
    for index in reversed(indexes.ALL):
        index.uninstall(connection)
    assert schema_snapshot() == []
    assert all(indexes.install(connection).values())
    indexes.restore(connection, force=True)
    assert schema_snapshot() == migrated


def test_indexes_command_checks_and_rebuilds():
    document = DocumentFactory()
    claim = ClaimFactory(spans=[])
    call_command("indexes", "check", stdout=(out := StringIO()))
    assert out.getvalue() == (
        "entity-names: ok\nclaim-dates: ok\nclaim-text: ok\ndocument-text: ok\nname-changes: ok\nchanges: ok\n"
        "cache-versions: ok\nevent-names: ok\nclaim-facets: ok\nentity-facets: ok\nclaim-words: ok\nentity-words: ok\nevent-words: ok\n"
        "participant-events: ok\nevent-spans: ok\n"
    )
    claim_text.INDEX.suspend(connection)
    SourceSpanFactory(claim=claim, document=document, quote="visited Indonesia")
    with pytest.raises(CommandError, match="incomplete"):
        call_command("indexes", "check", stdout=(out := StringIO()))
    assert "claim-text: missing trigger " in out.getvalue()
    assert found("indonesia") == []
    call_command("indexes", "rebuild", stdout=(out := StringIO()))
    assert out.getvalue().endswith(
        "claim-text: ok\ndocument-text: ok\nname-changes: ok\nchanges: ok\ncache-versions: ok\nevent-names: ok\n"
        "claim-facets: ok\nentity-facets: ok\nclaim-words: ok\nentity-words: ok\nevent-words: ok\n"
        "participant-events: ok\nevent-spans: ok\n"
    )
    assert found("indonesia") == [claim]
