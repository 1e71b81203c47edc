"""PostgreSQL: the insert triggers of the claim text and claim-date indexes skip their work
while the transaction holds the setting `factbase.new_claims` (the importer, which then
refreshes the new claims once per batch: claim_text.new_claims). Frozen SQL, as this
migration ran; the live definitions are in factbase/indexes/claim_text.py and claim_dates.py.
SQLite: nothing (its importer drops and restores the triggers instead)."""

from django.db import migrations

HELD = "current_setting('factbase.new_claims', true) = 'on'"
SKIP = f"  IF TG_OP = 'INSERT' AND {HELD} THEN\n    RETURN NULL;\n  END IF;\n"


def _function(name: str, body: str, *, skip: bool) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n"
        + (SKIP if skip else "")
        + body
        + "  RETURN NULL;\nEND $$"
    )


_ON_ROW = (
    "  IF TG_OP = 'DELETE' THEN\n    PERFORM {refresh}(ARRAY[OLD.id]);\n  ELSE\n"
    "    PERFORM {refresh}(ARRAY[NEW.id]);\n  END IF;\n"
)
_ON_SPAN = (
    "  IF TG_OP = 'INSERT' THEN\n    PERFORM factbase_claim_text_refresh(ARRAY[NEW.claim_id]);\n"
    "  ELSIF TG_OP = 'DELETE' THEN\n    PERFORM factbase_claim_text_refresh(ARRAY[OLD.claim_id]);\n  ELSE\n"
    "    PERFORM factbase_claim_text_refresh(ARRAY[OLD.claim_id, NEW.claim_id]);\n  END IF;\n"
)
FUNCTIONS = [
    ("factbase_claim_text_on_claim", _ON_ROW.format(refresh="factbase_claim_text_refresh")),
    ("factbase_claim_text_on_span", _ON_SPAN),
    ("factbase_claim_dates_on_claim", _ON_ROW.format(refresh="factbase_claim_dates_refresh")),
]


def _replace(schema_editor, *, skip: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, body in FUNCTIONS:
            cursor.execute(_function(name, body, skip=skip))


def forwards(apps, schema_editor):
    _replace(schema_editor, skip=True)


def backwards(apps, schema_editor):
    _replace(schema_editor, skip=False)


class Migration(migrations.Migration):
    dependencies = [("factbase", "0033_claim_import_permission")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
