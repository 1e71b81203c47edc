"""For migrations whose SQL is PostgreSQL's alone: a leading underscore keeps Django's loader
from taking this module for a migration. Frozen as the migrations that use it are: change
nothing here that a migration already run relies on."""

from django.db import migrations


def postgresql_only(forwards: list[str], backwards: list[str]) -> migrations.RunPython:
    """An operation that runs `forwards` (and, reversed, `backwards`) on PostgreSQL, one
    statement at a time, and nothing on any other database."""

    def run(statements):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            with schema_editor.connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)

        return operation

    return migrations.RunPython(run(forwards), run(backwards), elidable=False)
