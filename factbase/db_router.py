"""The database router that read replicas need (installed only when DATABASE_REPLICA_URLS
is set): reads where `factbase.replicas.read_alias()` says, every write and every migration
on the primary."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS

from factbase import replicas


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            # An object read from the primary (or just saved there) reads its relations there too.
            return DEFAULT_DB_ALIAS
        return replicas.read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the primary's rows: an object from one relates to one from another.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
