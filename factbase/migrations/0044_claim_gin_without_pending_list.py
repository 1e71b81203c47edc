"""PostgreSQL: the GIN indexes of the claim text and claim facet tables write each entry as
the row is written (`fastupdate = off`) instead of into a pending list that every search
reads whole and that makes the planner think the index dearer (docs/performance.md,
"Searches of several words (PostgreSQL)"). Frozen SQL, as this migration ran; the live
definitions are in factbase/indexes/claim_text.py and claim_facets.py. SQLite: nothing."""

from django.db import migrations

from factbase.migrations._postgresql import postgresql_only

INDEXES = ["claim_text_document", "claim_facets_document"]


class Migration(migrations.Migration):
    dependencies = [("factbase", "0043_claim_facets")]

    operations = [
        postgresql_only(
            [f"ALTER INDEX IF EXISTS {name} SET (fastupdate = off)" for name in INDEXES],
            [f"ALTER INDEX IF EXISTS {name} RESET (fastupdate)" for name in INDEXES],
        )
    ]
