"""The index machinery, behind one boundary: the full-text tables, expression indexes,
R*Tree and triggers Factbase keeps beside its tables, and every statement that reads or
maintains them.

- `entity_names`: entity names and aliases (`Entity.objects.matching`);
- `claim_text`: one full-text document per claim (`Claim.objects.search`);
- `claim_dates`: the claim-date interval index (`Claim.objects.overlapping`), and the
  undated claims by entity with their event's date (entity timelines);
- `document_text`: trigrams of document titles and texts (`Document.objects.search`);
- `name_changes`: a counter of changes to names and aliases (the suggestions' matcher);
- `changes`: the change feed's log, written by triggers and numbered in commit order;
- `cache_versions`: versions of what the shared cache keeps (the predicate list), kept by
  triggers;
- `claim_facets`: one narrow row per claim with its facet columns, and a GIN index over its
  document (PostgreSQL: a claim search's facets);
- `event_names`: one row per event with its type, status and a document of its name and
  aliases (PostgreSQL: an event search's facets);
- `entity_facets`: one full-text document per entity with its names and a token of its
  kind, and of an event's type and status (SQLite: an entity or event search's facets);
- `claim_words`: one row per word of each claim's document with its status, under a btree
  (PostgreSQL: a claim search of one word, its page and its count);
- `entity_words`: one row per word of each entity's name and aliases with its name and
  kind, under a btree in name order by kind (both engines: an entity search of a few words,
  its page, count and kind facet);
- `event_words`: one row per word of each event's name and aliases with its date, name,
  type and status, under a btree in the events list's order (SQLite: an event search of one
  word, its page, count and facets);
- `event_spans`: the widest span of any event (both engines: an event list from a date reads
  only the events that start that many days before it);
- `participant_events`: one row per entity and event it takes part in with the event's type
  and status (both engines: a participant's events counted, and their facets);
- `search`: the full-text expressions the QuerySets ask for (with their LIKE fallback);
- `merge`: the first rows of a union as an ordered merge of index walks (`claims/?entity=`);
- `bulk`: raw table access for bulk loads and restores (rows, secondary indexes, sequences);
- `grouping`: the statements that group claims into facts (the fact found or founded,
  with its lock; a set of claims moved);
- `schema`: which tables, triggers and functions exist.

Each index implements one protocol (factbase/indexes/base.py): install, suspend, restore,
rebuild, check. The functions below apply it to all of them, in order; synth, the
migration hooks (factbase/apps.py) and `manage.py indexes` use them.

Models import this package for expressions; it never imports the models (it names them
through the app registry when a fallback query needs one), so there is no import circle.
Migrations do not import it either: they carry the SQL as it was when they ran.
"""

from __future__ import annotations

from django.db import connections

from factbase.indexes import (
    cache_versions,
    changes,
    claim_dates,
    claim_facets,
    claim_text,
    claim_words,
    document_text,
    entity_facets,
    entity_names,
    entity_words,
    event_names,
    event_spans,
    event_words,
    name_changes,
    participant_events,
)
from factbase.indexes.base import Index

# The order post_migrate and bulk loads have always restored them in (the newest last).
ALL: tuple[Index, ...] = (
    entity_names.INDEX,
    claim_dates.INDEX,
    claim_text.INDEX,
    document_text.INDEX,
    name_changes.INDEX,
    changes.INDEX,
    cache_versions.INDEX,
    event_names.INDEX,
    claim_facets.INDEX,
    entity_facets.INDEX,
    claim_words.INDEX,
    entity_words.INDEX,
    event_words.INDEX,
    participant_events.INDEX,
    event_spans.INDEX,
)


def install(connection) -> dict[str, bool]:
    return {index.name: index.install(connection) for index in ALL}


def suspend(connection) -> None:
    for index in ALL:
        index.suspend(connection)


def restore(connection, *, force: bool = False) -> None:
    for index in ALL:
        index.restore(connection, force=force)


def rebuild(connection) -> None:
    """Refill every index from the tables (triggers put back first where missing). The claim
    facet and claim word indexes' triggers are dropped first: each is refilled from the claim
    text table after that table is, which would otherwise write every row through them once
    more (a million rows, each indexed on its own; 14 million words). A write meanwhile is in
    the claim text table they are refilled from."""
    claim_facets.INDEX.suspend(connection)
    claim_words.INDEX.suspend(connection)
    restore(connection, force=True)


def check(connection) -> dict[str, list[str]]:
    """What is missing, per index (an empty list when whole)."""
    return {index.name: index.check(connection) for index in ALL}


def before_migrate(sender, using="default", plan=None, **kwargs) -> None:
    """pre_migrate receiver: on SQLite, suspend the indexes whose triggers SQLite's table
    rebuilds cannot tolerate (factbase/indexes/claim_text.py) when migrations will run."""
    connection = connections[using]
    if connection.vendor == "sqlite" and plan:
        for index in ALL:
            if index.suspend_for_migrations:
                index.suspend(connection)


def after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: put back what migrations removed (Django's SQLite table rebuilds
    drop triggers; before_migrate drops some on purpose) and rebuild what was touched."""
    restore(connections[using])
