"""`manage.py backup [--output FILE]`: dump the whole database as one JSON fixture.

The file is what `manage.py restore` (and the checked loader) reads back, all-or-nothing:

- Every Factbase row keeps its primary key, so ids, which clients use in URLs and filters,
  survive a move between SQLite and PostgreSQL; references between rows are natural keys
  (slugs, claim uids, document hashes, usernames), so the file reads and diffs by meaning.
- Typed entities are written as the parent `factbase.entity` record (with its id) followed
  by the child record with `"entity_ptr": [slug]`. Django's own dumpdata cannot express
  multi-table inheritance with natural keys (it drops the parent link).
- Users, groups and tokens go by natural key (username, group name; a token is its key);
  content types and permissions are referenced by natural key and recreated by migrate.
- Edit history (django-simple-history) and the admin log keep their ids and plain ids for
  the rows they describe: the past may mention rows that no longer exist.

The file holds password hashes and API tokens: keep backups private.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.utils import timezone

from factbase.models import Entity

# Rows that migrate creates or that are throw-away (sessions) are not backed up.
AUTH_MODELS = ["auth.Group", "auth.User", "authtoken.Token"]
TRAILING_MODELS = ["admin.LogEntry"]


def is_history_model(model) -> bool:
    return getattr(model, "instance_type", None) is not None and model.__name__.startswith("Historical")


def _factbase_models() -> tuple[list, list]:
    config = apps.get_app_config("factbase")
    concrete = [m for m in config.get_models() if m._meta.managed and not m._meta.proxy]
    history = [m for m in concrete if is_history_model(m)]
    current = [m for m in concrete if m not in history]
    # Parents before children, referenced rows before referencing ones where natural-key
    # dependencies say so; the loader resolves any remaining forward references.
    ordered = serializers.sort_dependencies([(config, current)], allow_cycles=True)
    ordered.remove(Entity)
    return [Entity, *ordered], history


def _sorted_keys(value):
    """A JSON value with every object's keys in order: PostgreSQL's jsonb gives them back in
    its own order (shortest first), so a backup from either engine reads the same."""
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def _records(model, queryset, *, natural_pk: bool, natural_fk: bool) -> list[dict]:
    records = serializers.serialize(
        "python",
        queryset.order_by("pk"),
        use_natural_foreign_keys=natural_fk,
        use_natural_primary_keys=natural_pk,
    )
    json_fields = [field.name for field in model._meta.concrete_fields if isinstance(field, models.JSONField)]
    for record in records:
        for name in json_fields:
            record["fields"][name] = _sorted_keys(record["fields"][name])
    return records


def backup_records(using: str = DEFAULT_DB_ALIAS) -> list[dict]:
    """Every record to back up, in loading order."""
    records: list[dict] = []
    for label in AUTH_MODELS:
        model = apps.get_model(label)
        records += _records(model, model._default_manager.using(using).all(), natural_pk=True, natural_fk=True)
    current, history = _factbase_models()
    for model in current:
        queryset = model._default_manager.using(using).all()
        if model is not Entity and issubclass(model, Entity):
            queryset = queryset.select_related("entity_ptr")
            for record, obj in zip(
                _records(model, queryset, natural_pk=True, natural_fk=True), queryset.order_by("pk"), strict=True
            ):
                record.pop("pk", None)
                record["fields"] = {"entity_ptr": [obj.entity_ptr.slug], **record["fields"]}
                records.append(record)
        else:
            records += _records(model, queryset, natural_pk=False, natural_fk=True)
    usernames = dict(get_user_model()._default_manager.using(using).values_list("pk", "username"))
    for model in [*history, *(apps.get_model(label) for label in TRAILING_MODELS)]:
        for record in _records(model, model._default_manager.using(using).all(), natural_pk=False, natural_fk=False):
            fields = record["fields"]
            for name in ("history_user", "user"):
                if isinstance(fields.get(name), int):
                    # Users are restored by username, perhaps under another id.
                    fields[name] = [usernames[fields[name]]] if fields[name] in usernames else None
            if "content_type" in fields and isinstance(fields["content_type"], int):
                from django.contrib.contenttypes.models import ContentType

                fields["content_type"] = list(ContentType.objects.get_for_id(fields["content_type"]).natural_key())
            records.append(record)
    return records


class BackupJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds (as JavaScript does); a backup must
    keep every microsecond, or a restored row differs from the original."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            value = o.isoformat()
            return value[:-6] + "Z" if value.endswith("+00:00") else value
        return super().default(o)


def default_backup_path() -> Path:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "backups" / f"factbase-{stamp}.json"


class Command(BaseCommand):
    help = "Write the whole database (curated data, users, tokens, history) to one JSON file with natural keys."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write; default backups/factbase-<UTC timestamp>.json.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, **options):
        path = Path(output) if output else default_backup_path()
        # One read transaction: a consistent snapshot even while the server keeps writing.
        with transaction.atomic(using=database):
            records = backup_records(using=database)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with partial.open("w", encoding="utf-8") as handle:
            # One record per line: a backup diffs and greps by record.
            handle.write("[\n")
            handle.write(",\n".join(json.dumps(r, cls=BackupJSONEncoder, ensure_ascii=False) for r in records))
            handle.write("\n]\n")
        partial.replace(path)  # never leave a half-written backup under the final name
        self.stdout.write(self.style.SUCCESS(f"Backed up {len(records)} records to {path}"))
