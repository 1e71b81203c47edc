"""The change feed's log: every change to entities, aliases, claims, documents and mentions,
written by triggers and numbered in commit order. Frozen SQL, as this migration ran; the live
definition is factbase/indexes/changes.py.

SQLite: the tables are created here; their triggers come from the post_migrate hook, like
every SQLite trigger of the indexes (Django's table rebuilds drop them). PostgreSQL: tables,
sequence, functions and triggers, all here."""

from django.db import migrations

SQLITE_TABLES = [
    "CREATE TABLE IF NOT EXISTS factbase_changes (\n  id integer PRIMARY KEY AUTOINCREMENT,\n  position bigint NULL,\n  at text NULL,\n  type varchar(16) NOT NULL,\n  object_id bigint NOT NULL,\n  owner_id bigint NULL,\n  action varchar(8) NOT NULL,\n  visible_before bool NOT NULL,\n  visible_after bool NOT NULL,\n  merged_into bigint NULL\n)",
    "CREATE UNIQUE INDEX IF NOT EXISTS factbase_changes_position ON factbase_changes (position)",
    "CREATE INDEX IF NOT EXISTS factbase_changes_visible ON factbase_changes (position) WHERE visible_before OR visible_after",
    "CREATE TABLE IF NOT EXISTS factbase_changes_floor (id integer PRIMARY KEY CHECK (id = 1), position bigint NOT NULL)",
    "INSERT INTO factbase_changes_floor (id, position) VALUES (1, 0) ON CONFLICT DO NOTHING",
]
PG_TABLES = [
    "CREATE TABLE IF NOT EXISTS factbase_changes (\n  id bigserial PRIMARY KEY,\n  position bigint NULL,\n  at timestamp with time zone NULL,\n  type varchar(16) NOT NULL,\n  object_id bigint NOT NULL,\n  owner_id bigint NULL,\n  action varchar(8) NOT NULL,\n  visible_before boolean NOT NULL,\n  visible_after boolean NOT NULL,\n  merged_into bigint NULL\n)",
    "CREATE SEQUENCE IF NOT EXISTS factbase_changes_position_seq",
    "CREATE INDEX IF NOT EXISTS factbase_changes_unstamped ON factbase_changes (id) WHERE position IS NULL",
    "CREATE UNIQUE INDEX IF NOT EXISTS factbase_changes_position ON factbase_changes (position)",
    "CREATE INDEX IF NOT EXISTS factbase_changes_visible ON factbase_changes (position) WHERE visible_before OR visible_after",
    "CREATE TABLE IF NOT EXISTS factbase_changes_floor (id integer PRIMARY KEY CHECK (id = 1), position bigint NOT NULL)",
    "INSERT INTO factbase_changes_floor (id, position) VALUES (1, 0) ON CONFLICT DO NOTHING",
]
PG_FUNCTIONS_AND_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION factbase_changes_entity() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.id, NULL, 'create', FALSE, TRUE;\n  ELSIF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.id, NULL, 'update', TRUE, TRUE;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'claim', c.id, NULL, 'update', c.status = 'published', c.status = 'published' FROM factbase_claim c WHERE (OLD.name <> NEW.name OR OLD.kind <> NEW.kind) AND (c.subject_id = NEW.id OR c.object_id = NEW.id OR c.event_id = NEW.id OR c.attributed_to_id = NEW.id) ORDER BY c.id;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', d.id, NULL, 'update', TRUE, TRUE FROM (SELECT id FROM factbase_document WHERE publisher_id = NEW.id UNION SELECT document_id FROM factbase_mention WHERE entity_id = NEW.id) d WHERE OLD.name <> NEW.name OR OLD.kind <> NEW.kind ORDER BY d.id;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', e.id, NULL, 'update', TRUE, TRUE FROM (SELECT entity_ptr_id AS id FROM factbase_person WHERE nationality_id = NEW.id UNION SELECT person_id FROM factbase_role WHERE organisation_id = NEW.id UNION SELECT entity_ptr_id FROM factbase_organisation WHERE country_id = NEW.id OR parent_id = NEW.id UNION SELECT entity_ptr_id FROM factbase_event WHERE location_country_id = NEW.id OR parent_id = NEW.id UNION SELECT event_id FROM factbase_eventparticipant WHERE entity_id = NEW.id) e WHERE OLD.name <> NEW.name OR OLD.kind <> NEW.kind ORDER BY e.id;\n  ELSIF TG_OP = 'DELETE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', OLD.id, NULL, 'delete', TRUE, FALSE;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_country() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.entity_ptr_id, NULL, 'update', TRUE, TRUE;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_person() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.entity_ptr_id, NULL, 'update', TRUE, TRUE;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_organisation() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.entity_ptr_id, NULL, 'update', TRUE, TRUE;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_event() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.entity_ptr_id, NULL, 'update', TRUE, TRUE;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_alias() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'alias', NEW.id, NEW.entity_id, 'create', FALSE, TRUE;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.entity_id, NULL, 'update', TRUE, TRUE;\n  ELSIF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'alias', NEW.id, NEW.entity_id, 'update', TRUE, TRUE;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.entity_id, NULL, 'update', TRUE, TRUE;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', OLD.entity_id, NULL, 'update', TRUE, TRUE WHERE OLD.entity_id <> NEW.entity_id;\n  ELSIF TG_OP = 'DELETE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'alias', OLD.id, OLD.entity_id, 'delete', TRUE, FALSE;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', OLD.entity_id, NULL, 'update', TRUE, TRUE;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_identifier() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.entity_id, NULL, 'update', TRUE, TRUE;\n  ELSIF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.entity_id, NULL, 'update', TRUE, TRUE;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', OLD.entity_id, NULL, 'update', TRUE, TRUE WHERE OLD.entity_id <> NEW.entity_id;\n  ELSIF TG_OP = 'DELETE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', OLD.entity_id, NULL, 'update', TRUE, TRUE;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_role() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.person_id, NULL, 'update', TRUE, TRUE;\n  ELSIF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.person_id, NULL, 'update', TRUE, TRUE;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', OLD.person_id, NULL, 'update', TRUE, TRUE WHERE OLD.person_id <> NEW.person_id;\n  ELSIF TG_OP = 'DELETE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', OLD.person_id, NULL, 'update', TRUE, TRUE;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_eventparticipant() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.event_id, NULL, 'update', TRUE, TRUE;\n  ELSIF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', NEW.event_id, NULL, 'update', TRUE, TRUE;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', OLD.event_id, NULL, 'update', TRUE, TRUE WHERE OLD.event_id <> NEW.event_id;\n  ELSIF TG_OP = 'DELETE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'entity', OLD.event_id, NULL, 'update', TRUE, TRUE;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_claim() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'claim', NEW.id, NULL, 'create', FALSE, NEW.status = 'published';\n  ELSIF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'claim', NEW.id, NULL, 'update', OLD.status = 'published', NEW.status = 'published';\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', s.document_id, NULL, 'update', TRUE, TRUE FROM (SELECT DISTINCT document_id FROM factbase_sourcespan WHERE claim_id = NEW.id) s WHERE (OLD.status = 'published') <> (NEW.status = 'published') ORDER BY s.document_id;\n  ELSIF TG_OP = 'DELETE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'claim', OLD.id, NULL, 'delete', OLD.status = 'published', FALSE;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_sourcespan() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'claim', c.id, NULL, 'update', c.status = 'published', c.status = 'published' FROM factbase_claim c WHERE c.id = NEW.claim_id;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', NEW.document_id, NULL, 'update', COALESCE((SELECT c.status = 'published' FROM factbase_claim c WHERE c.id = NEW.claim_id), FALSE), COALESCE((SELECT c.status = 'published' FROM factbase_claim c WHERE c.id = NEW.claim_id), FALSE);\n  ELSIF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'claim', c.id, NULL, 'update', c.status = 'published', c.status = 'published' FROM factbase_claim c WHERE c.id = NEW.claim_id;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'claim', c.id, NULL, 'update', c.status = 'published', c.status = 'published' FROM factbase_claim c WHERE c.id = OLD.claim_id AND OLD.claim_id <> NEW.claim_id;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', NEW.document_id, NULL, 'update', COALESCE((SELECT c.status = 'published' FROM factbase_claim c WHERE c.id = NEW.claim_id), FALSE), COALESCE((SELECT c.status = 'published' FROM factbase_claim c WHERE c.id = NEW.claim_id), FALSE);\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', OLD.document_id, NULL, 'update', COALESCE((SELECT c.status = 'published' FROM factbase_claim c WHERE c.id = OLD.claim_id), FALSE), COALESCE((SELECT c.status = 'published' FROM factbase_claim c WHERE c.id = OLD.claim_id), FALSE) WHERE OLD.document_id <> NEW.document_id;\n  ELSIF TG_OP = 'DELETE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'claim', c.id, NULL, 'update', c.status = 'published', c.status = 'published' FROM factbase_claim c WHERE c.id = OLD.claim_id;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', OLD.document_id, NULL, 'update', COALESCE((SELECT c.status = 'published' FROM factbase_claim c WHERE c.id = OLD.claim_id), FALSE), COALESCE((SELECT c.status = 'published' FROM factbase_claim c WHERE c.id = OLD.claim_id), FALSE);\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_document() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', NEW.id, NULL, 'create', FALSE, TRUE;\n  ELSIF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', NEW.id, NULL, 'update', TRUE, TRUE;\n  ELSIF TG_OP = 'DELETE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', OLD.id, NULL, 'delete', TRUE, FALSE;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_mention() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'mention', NEW.id, NEW.document_id, 'create', FALSE, TRUE;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', NEW.document_id, NULL, 'update', TRUE, TRUE;\n  ELSIF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'mention', NEW.id, NEW.document_id, 'update', TRUE, TRUE;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', NEW.document_id, NULL, 'update', TRUE, TRUE;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', OLD.document_id, NULL, 'update', TRUE, TRUE WHERE OLD.document_id <> NEW.document_id;\n  ELSIF TG_OP = 'DELETE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'mention', OLD.id, OLD.document_id, 'delete', TRUE, FALSE;\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'document', OLD.document_id, NULL, 'update', TRUE, TRUE;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_predicate() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'claim', c.id, NULL, 'update', c.status = 'published', c.status = 'published' FROM factbase_claim c WHERE (OLD.slug <> NEW.slug OR OLD.label <> NEW.label) AND c.predicate_id = NEW.id ORDER BY c.id;\n  END IF;\n  RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_stamp() RETURNS trigger\nLANGUAGE plpgsql AS $$\nDECLARE\n  unstamped bigint;\nBEGIN\n  IF NEW.action <> 'commit' THEN\n    -- Run at commit for each row the transaction wrote. The last one writes a marker row,\n    -- whose own run comes after every deferred check still queued (foreign keys).\n    IF NOT EXISTS (SELECT 1 FROM factbase_changes WHERE position IS NULL AND id > NEW.id) THEN\n      INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) VALUES ('commit', 0, NULL, 'commit', FALSE, FALSE);\n    END IF;\n    RETURN NULL;\n  END IF;\n  PERFORM pg_advisory_xact_lock(4205771263);\n  DELETE FROM factbase_changes WHERE id = NEW.id;\n  FOR unstamped IN SELECT id FROM factbase_changes WHERE position IS NULL ORDER BY id LOOP\n    UPDATE factbase_changes SET position = nextval('factbase_changes_position_seq'), at = clock_timestamp() WHERE id = unstamped;\n  END LOOP;\n  RETURN NULL;\nEND $$",
    "DROP TRIGGER IF EXISTS factbase_changes_entity ON factbase_entity",
    "CREATE TRIGGER factbase_changes_entity AFTER INSERT OR UPDATE OR DELETE ON factbase_entity FOR EACH ROW EXECUTE FUNCTION factbase_changes_entity()",
    "DROP TRIGGER IF EXISTS factbase_changes_country ON factbase_country",
    "CREATE TRIGGER factbase_changes_country AFTER UPDATE ON factbase_country FOR EACH ROW EXECUTE FUNCTION factbase_changes_country()",
    "DROP TRIGGER IF EXISTS factbase_changes_person ON factbase_person",
    "CREATE TRIGGER factbase_changes_person AFTER UPDATE ON factbase_person FOR EACH ROW EXECUTE FUNCTION factbase_changes_person()",
    "DROP TRIGGER IF EXISTS factbase_changes_organisation ON factbase_organisation",
    "CREATE TRIGGER factbase_changes_organisation AFTER UPDATE ON factbase_organisation FOR EACH ROW EXECUTE FUNCTION factbase_changes_organisation()",
    "DROP TRIGGER IF EXISTS factbase_changes_event ON factbase_event",
    "CREATE TRIGGER factbase_changes_event AFTER UPDATE ON factbase_event FOR EACH ROW EXECUTE FUNCTION factbase_changes_event()",
    "DROP TRIGGER IF EXISTS factbase_changes_alias ON factbase_alias",
    "CREATE TRIGGER factbase_changes_alias AFTER INSERT OR UPDATE OR DELETE ON factbase_alias FOR EACH ROW EXECUTE FUNCTION factbase_changes_alias()",
    "DROP TRIGGER IF EXISTS factbase_changes_identifier ON factbase_identifier",
    "CREATE TRIGGER factbase_changes_identifier AFTER INSERT OR UPDATE OR DELETE ON factbase_identifier FOR EACH ROW EXECUTE FUNCTION factbase_changes_identifier()",
    "DROP TRIGGER IF EXISTS factbase_changes_role ON factbase_role",
    "CREATE TRIGGER factbase_changes_role AFTER INSERT OR UPDATE OR DELETE ON factbase_role FOR EACH ROW EXECUTE FUNCTION factbase_changes_role()",
    "DROP TRIGGER IF EXISTS factbase_changes_eventparticipant ON factbase_eventparticipant",
    "CREATE TRIGGER factbase_changes_eventparticipant AFTER INSERT OR UPDATE OR DELETE ON factbase_eventparticipant FOR EACH ROW EXECUTE FUNCTION factbase_changes_eventparticipant()",
    "DROP TRIGGER IF EXISTS factbase_changes_claim ON factbase_claim",
    "CREATE TRIGGER factbase_changes_claim AFTER INSERT OR UPDATE OR DELETE ON factbase_claim FOR EACH ROW EXECUTE FUNCTION factbase_changes_claim()",
    "DROP TRIGGER IF EXISTS factbase_changes_sourcespan ON factbase_sourcespan",
    "CREATE TRIGGER factbase_changes_sourcespan AFTER INSERT OR UPDATE OR DELETE ON factbase_sourcespan FOR EACH ROW EXECUTE FUNCTION factbase_changes_sourcespan()",
    "DROP TRIGGER IF EXISTS factbase_changes_document ON factbase_document",
    "CREATE TRIGGER factbase_changes_document AFTER INSERT OR UPDATE OR DELETE ON factbase_document FOR EACH ROW EXECUTE FUNCTION factbase_changes_document()",
    "DROP TRIGGER IF EXISTS factbase_changes_mention ON factbase_mention",
    "CREATE TRIGGER factbase_changes_mention AFTER INSERT OR UPDATE OR DELETE ON factbase_mention FOR EACH ROW EXECUTE FUNCTION factbase_changes_mention()",
    "DROP TRIGGER IF EXISTS factbase_changes_predicate ON factbase_predicate",
    "CREATE TRIGGER factbase_changes_predicate AFTER UPDATE ON factbase_predicate FOR EACH ROW EXECUTE FUNCTION factbase_changes_predicate()",
    "DROP TRIGGER IF EXISTS factbase_changes_stamp ON factbase_changes",
    "CREATE CONSTRAINT TRIGGER factbase_changes_stamp AFTER INSERT ON factbase_changes DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION factbase_changes_stamp()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS factbase_changes_entity ON factbase_entity",
    "DROP TRIGGER IF EXISTS factbase_changes_country ON factbase_country",
    "DROP TRIGGER IF EXISTS factbase_changes_person ON factbase_person",
    "DROP TRIGGER IF EXISTS factbase_changes_organisation ON factbase_organisation",
    "DROP TRIGGER IF EXISTS factbase_changes_event ON factbase_event",
    "DROP TRIGGER IF EXISTS factbase_changes_alias ON factbase_alias",
    "DROP TRIGGER IF EXISTS factbase_changes_identifier ON factbase_identifier",
    "DROP TRIGGER IF EXISTS factbase_changes_role ON factbase_role",
    "DROP TRIGGER IF EXISTS factbase_changes_eventparticipant ON factbase_eventparticipant",
    "DROP TRIGGER IF EXISTS factbase_changes_claim ON factbase_claim",
    "DROP TRIGGER IF EXISTS factbase_changes_sourcespan ON factbase_sourcespan",
    "DROP TRIGGER IF EXISTS factbase_changes_document ON factbase_document",
    "DROP TRIGGER IF EXISTS factbase_changes_mention ON factbase_mention",
    "DROP TRIGGER IF EXISTS factbase_changes_predicate ON factbase_predicate",
    "DROP TRIGGER IF EXISTS factbase_changes_stamp ON factbase_changes",
    "DROP FUNCTION IF EXISTS factbase_changes_entity()",
    "DROP FUNCTION IF EXISTS factbase_changes_country()",
    "DROP FUNCTION IF EXISTS factbase_changes_person()",
    "DROP FUNCTION IF EXISTS factbase_changes_organisation()",
    "DROP FUNCTION IF EXISTS factbase_changes_event()",
    "DROP FUNCTION IF EXISTS factbase_changes_alias()",
    "DROP FUNCTION IF EXISTS factbase_changes_identifier()",
    "DROP FUNCTION IF EXISTS factbase_changes_role()",
    "DROP FUNCTION IF EXISTS factbase_changes_eventparticipant()",
    "DROP FUNCTION IF EXISTS factbase_changes_claim()",
    "DROP FUNCTION IF EXISTS factbase_changes_sourcespan()",
    "DROP FUNCTION IF EXISTS factbase_changes_document()",
    "DROP FUNCTION IF EXISTS factbase_changes_mention()",
    "DROP FUNCTION IF EXISTS factbase_changes_predicate()",
    "DROP FUNCTION IF EXISTS factbase_changes_stamp()",
    "DROP SEQUENCE IF EXISTS factbase_changes_position_seq",
    "DROP TABLE IF EXISTS factbase_changes",
    "DROP TABLE IF EXISTS factbase_changes_floor",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS factbase_changes_entity_ai",
    "DROP TRIGGER IF EXISTS factbase_changes_entity_au",
    "DROP TRIGGER IF EXISTS factbase_changes_entity_ad",
    "DROP TRIGGER IF EXISTS factbase_changes_country_au",
    "DROP TRIGGER IF EXISTS factbase_changes_person_au",
    "DROP TRIGGER IF EXISTS factbase_changes_organisation_au",
    "DROP TRIGGER IF EXISTS factbase_changes_event_au",
    "DROP TRIGGER IF EXISTS factbase_changes_alias_ai",
    "DROP TRIGGER IF EXISTS factbase_changes_alias_au",
    "DROP TRIGGER IF EXISTS factbase_changes_alias_ad",
    "DROP TRIGGER IF EXISTS factbase_changes_identifier_ai",
    "DROP TRIGGER IF EXISTS factbase_changes_identifier_au",
    "DROP TRIGGER IF EXISTS factbase_changes_identifier_ad",
    "DROP TRIGGER IF EXISTS factbase_changes_role_ai",
    "DROP TRIGGER IF EXISTS factbase_changes_role_au",
    "DROP TRIGGER IF EXISTS factbase_changes_role_ad",
    "DROP TRIGGER IF EXISTS factbase_changes_eventparticipant_ai",
    "DROP TRIGGER IF EXISTS factbase_changes_eventparticipant_au",
    "DROP TRIGGER IF EXISTS factbase_changes_eventparticipant_ad",
    "DROP TRIGGER IF EXISTS factbase_changes_claim_ai",
    "DROP TRIGGER IF EXISTS factbase_changes_claim_au",
    "DROP TRIGGER IF EXISTS factbase_changes_claim_ad",
    "DROP TRIGGER IF EXISTS factbase_changes_sourcespan_ai",
    "DROP TRIGGER IF EXISTS factbase_changes_sourcespan_au",
    "DROP TRIGGER IF EXISTS factbase_changes_sourcespan_ad",
    "DROP TRIGGER IF EXISTS factbase_changes_document_ai",
    "DROP TRIGGER IF EXISTS factbase_changes_document_au",
    "DROP TRIGGER IF EXISTS factbase_changes_document_ad",
    "DROP TRIGGER IF EXISTS factbase_changes_mention_ai",
    "DROP TRIGGER IF EXISTS factbase_changes_mention_au",
    "DROP TRIGGER IF EXISTS factbase_changes_mention_ad",
    "DROP TRIGGER IF EXISTS factbase_changes_predicate_au",
    "DROP TRIGGER IF EXISTS factbase_changes_position",
    "DROP TABLE IF EXISTS factbase_changes",
    "DROP TABLE IF EXISTS factbase_changes_floor",
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"postgresql": PG_TABLES + PG_FUNCTIONS_AND_TRIGGERS, "sqlite": SQLITE_TABLES}.get(
        connection.vendor, []
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0022_entity_merge"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
