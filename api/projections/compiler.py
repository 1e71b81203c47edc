"""The fast path of a projection, generated from its read serializer.

A resource's read serializer (its fields, their sources, nested serializers) is the one
definition of its representation: the JSON of lists and details, the OpenAPI schema, the
CSV columns and the ETag all follow it. Building representations through it costs a model
instance per row and per related row plus DRF's per-field machinery, which dominated the
hot reads (a page of claims, an entity's detail). `Projection` walks the serializer's
fields once per process and derives from them:

- the columns of one `values_list()` statement over the resource's table, with a JOIN for
  each nested reference (`subject__name`), and one statement per nested list (spans,
  aliases, roles...) ordered as the resource's `for_api()` prefetch orders it;
- the statements' SQL, written by the ORM (same joins, same quoting, every vendor) but
  compiled once per process and IN-list size, then run on the raw cursor; a detail on
  PostgreSQL runs them as the arms of one UNION ALL (`Projection.one`);
- a Python function, generated as source text and compiled, that turns one row into the
  representation: a dict literal with the row's values converted as DRF's fields convert
  them (api/projections/values.py).

Supported fields: plain model fields (numbers, text, choices, booleans, dates, datetimes,
decimals, UUIDs, primary keys of related rows), nested serializers over a foreign key or
over the same row (`source="*"`), nested lists over a reverse foreign key, and serializers
that assemble their fields' values themselves (`from_values`, as PartialDateSerializer). A
field the compiler does not know is an error when the projection is first used, never a
silent difference: tests/api/projections/ compares both paths on every shape.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from operator import itemgetter

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import Prefetch, TextField, Window
from django.db.models.functions import Cast, RowNumber
from rest_framework import serializers

from .values import value_converters

SLOTS = (1, 10, 50, 200, 1000)  # IN-list sizes compiled; a list is padded with its last id


@dataclass
class _Plan:
    """The statement and shaping of one table: the main row, or a nested list."""

    model: type
    columns: list[str] = dataclasses.field(default_factory=list)
    # Paths that read the same column as another (`object__id` is `object_id`): read once.
    aliases: dict[str, str] = dataclasses.field(default_factory=dict)
    namespace: dict = dataclasses.field(default_factory=dict)
    lists: list[_List] = dataclasses.field(default_factory=list)
    # Paths of dates and datetimes: read as their text on SQLite (`Projection._query`).
    texts: set[str] = dataclasses.field(default_factory=set)
    # Generated (_function): the main row's shape(r, lists, v); a nested list's shape(rows, v)
    # for one parent's rows and group(rows, v) for many parents' ({parent id: list}).
    shape: object = None
    group: object = None

    def column(self, path: str) -> str:
        path = self.aliases.get(path, path)
        if path not in self.columns:
            self.columns.append(path)
        return f"r[{self.columns.index(path)}]"

    def constant(self, value) -> str:
        name = f"c{len(self.namespace)}"
        self.namespace[name] = value
        return name


@dataclass
class _List:
    """A nested list: rows of `plan.model` whose foreign key `key` (column 0) is the parent's id."""

    name: str
    key: str
    queryset: object
    plan: _Plan


@dataclass
class _Detail:
    """The one statement of a detail: its SQL, the main row's columns (the first `width`)
    and each nested list's columns, (start, end), its `list_position` last. Its arms each
    take the id once."""

    sql: str
    width: int
    spans: list[tuple[int, int]]


def _pk_names(model) -> set[str]:
    """The names that read a row's primary key: `pk`, its field, and `id` on a child table
    (multi-table inheritance), whose `id` is its parent's and equals its parent link."""
    names = {"pk", model._meta.pk.name}
    try:
        if model._meta.get_field("id").primary_key:
            names.add("id")
    except FieldDoesNotExist:
        pass
    return names


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist as exc:
        raise TypeError(f"{model.__name__} has no field {name!r} for the compiled projection") from exc


def _expression(plan: _Plan, field, prefix: str, model, prefetches: dict) -> str:
    """Python source computing `field`'s representation from the row `r`, the nested lists
    `lists` and the value converters `v`."""
    source = list(field.source_attrs)
    if isinstance(field, serializers.ListSerializer):
        if prefix or len(source) != 1:
            raise TypeError(f"{field.field_name}: nested lists are compiled on the main row only")
        relation = _model_field(model, source[0])
        if not relation.one_to_many:
            raise TypeError(f"{field.field_name}: only reverse foreign keys are compiled as lists")
        prefetch = prefetches.get(source[0])
        if prefetch is None:
            raise TypeError(f"{field.field_name}: the for_api() queryset has no Prefetch({source[0]!r}) to order it")
        key = relation.field.attname
        child = _Plan(model=relation.related_model)
        child.column(key)
        child_code = _object(child, field.child, "", relation.related_model, {})
        child.shape, child.group = _function(child, child_code, "lists")
        plan.lists.append(_List(name=field.field_name, key=key, queryset=prefetch.queryset, plan=child))
        return f"lists[{len(plan.lists) - 1}].get(r[0], [])"
    if isinstance(field, serializers.BaseSerializer):
        if not source:  # source="*": the same row
            return _object(plan, field, prefix, model, prefetches)
        relation = _model_field(model, source[0])
        if len(source) != 1 or not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
            raise TypeError(f"{field.field_name}: nested objects are compiled over a foreign key only")
        nested = f"{prefix}{source[0]}__"
        for name in _pk_names(relation.related_model):
            plan.aliases[nested + name] = prefix + relation.attname
        code = _object(plan, field, nested, relation.related_model, prefetches)
        if relation.null:
            return f"(None if {plan.column(prefix + relation.attname)} is None else {code})"
        return code
    if not source:
        raise TypeError(f"{field.field_name}: a plain field with source='*' is not compiled")
    path = prefix + "__".join(source)
    value = plan.column(path)
    if isinstance(field, serializers.UUIDField):
        return f"v.uid({value})"
    if isinstance(field, serializers.DateTimeField | serializers.DateField):
        plan.texts.add(plan.aliases.get(path, path))
        return f"v.{'datetime' if isinstance(field, serializers.DateTimeField) else 'date'}({value})"
    if isinstance(field, serializers.DecimalField):
        if field.coerce_to_string:
            raise TypeError(f"{field.field_name}: decimals as strings are not compiled")
        quantum = plan.constant(Decimal(1).scaleb(-field.decimal_places))
        return f"v.number({value}, {quantum})"
    if isinstance(field, serializers.BooleanField):
        return f"(None if {value} is None else bool({value}))"
    if isinstance(field, serializers.IntegerField | serializers.CharField | serializers.ChoiceField):
        return value  # the driver's int or str, as DRF would give it back
    if isinstance(field, serializers.PrimaryKeyRelatedField) and len(source) == 1:
        return value  # values_list("document") is the foreign key's id
    raise TypeError(f"{field.field_name}: {type(field).__name__} is not compiled")


def _object(plan: _Plan, serializer, prefix: str, model, prefetches: dict) -> str:
    """A dict of the serializer's fields; or, when the serializer assembles its fields' values
    itself (`from_values`, as PartialDateSerializer), a call to that with them in order."""
    fields = {name: field for name, field in serializer.fields.items() if not field.write_only}
    values = {name: _expression(plan, field, prefix, model, prefetches) for name, field in fields.items()}
    assemble = getattr(serializer, "from_values", None)
    if assemble is not None:
        return f"{plan.constant(assemble)}({', '.join(values.values())})"
    return "{" + ", ".join(f"{name!r}: {code}" for name, code in values.items()) + "}"


def _function(plan: _Plan, code: str, kind: str):
    """Compile `code` (a representation of the row `r`) into the shaping functions: for the
    main row `shape(r, lists, v)`; for a nested list `shape(rows, v)`, the list of one
    parent's rows, and `group(rows, v)`, {parent id: list} (key in column 0). Loops and
    dict literals are inline: no call per row."""
    if kind == "row":
        source = f"def shape(r, lists, v):\n    return {code}\n"
    else:
        source = (
            f"def shape(rows, v):\n    return [{code} for r in rows]\n"
            f"def group(rows, v):\n    grouped = {{}}\n    for r in rows:\n"
            f"        grouped.setdefault(r[0], []).append({code})\n    return grouped\n"
        )
    namespace = dict(plan.namespace)
    exec(source, namespace)  # noqa: S102 - the source is built above from the serializer's field names
    return namespace["shape"], namespace.get("group")


def _prefetches(queryset) -> dict[str, Prefetch]:
    """The Prefetch objects of a `for_api()` queryset, by the attribute they fill: their
    querysets order the nested lists (Django keeps them in `_prefetch_related_lookups`)."""
    return {lookup.prefetch_to: lookup for lookup in queryset._prefetch_related_lookups if isinstance(lookup, Prefetch)}


def csv_columns(serializer, prefix: str = "") -> list[str]:
    """The flattened columns of a representation (`subject.name`, `spans.exact`), in order:
    what api/renderers.flatten gives for a row whose references are all set."""
    columns: list[str] = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            columns += csv_columns(field, f"{prefix}{name}.")
        else:
            columns.append(prefix + name)
    return columns


@functools.cache
def _preparing_cursor_class():
    import psycopg  # only with PostgreSQL
    from psycopg._queries import PostgresQuery

    converted: dict[tuple, tuple] = {}  # the compiled statements only: a bounded set

    class CompiledQuery(PostgresQuery):
        # psycopg turns each statement's `%s` into `$1…` with a regular expression over its
        # text, and keeps the result only for statements of at most 4 KiB: a person's
        # detail (one UNION ALL of four tables) is longer, and was converted again on every
        # request, about 0.1 ms of CPU. A compiled statement is converted once per process;
        # only its parameters are dumped on each run.
        def convert(self, query, vars):
            key = (query, self._tx.encoding) if isinstance(query, str) and vars is not None else None
            found = converted.get(key) if key else None
            if found is None:
                super().convert(query, vars)
                if key:
                    converted[key] = (self.query, self._want_formats, self._order, self._parts)
                return
            self.query, self._want_formats, self._order, self._parts = found
            self.dump(vars)

    # psycopg's own timestamptz loader, in C where psycopg's binary package is installed:
    # Django's, registered on every connection, is a subclass of the pure-Python loader that
    # then replaces the value's time zone, about 15 µs a value, 100 values on a page of 50
    # claims. Both give an aware datetime in the connection's time zone, which the compiled
    # reads only turn into text (api/projections/values.py, DriverValues.datetime).
    timestamptz = psycopg.adapters.get_loader(psycopg.postgres.types["timestamptz"].oid, psycopg.pq.Format.TEXT)

    class PreparingCursor(psycopg.Cursor):
        _query_cls = CompiledQuery

        def __init__(self, connection, **kwargs):
            super().__init__(connection, **kwargs)
            self.adapters.register_loader("timestamptz", timestamptz)

        # Django's query log (tests, DEBUG) reads the statement from `_query`, psycopg's
        # debugging attribute, which psycopg leaves unset when it runs a prepared statement.
        def _send_query_prepared(self, name, pgq, *, binary=None):
            self._query = pgq
            super()._send_query_prepared(name, pgq, binary=binary)

    return PreparingCursor


@functools.cache
def _converting_cursor_class():
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper  # only with SQLite

    converted: dict[str, str] = {}  # the compiled statements only: a bounded set

    class ConvertingCursor(SQLiteCursorWrapper):
        # Django's SQLite cursor turns each statement's `%s` into SQLite's `?` with a regular
        # expression over the whole text, on every run: for a person's detail that cost
        # about 0.1 ms of CPU, more than SQLite took to run its statements. A compiled
        # statement is converted once per process.
        def convert_query(self, query, *, param_names=None):
            if param_names is not None:
                return super().convert_query(query, param_names=param_names)
            if query not in converted:
                converted[query] = super().convert_query(query)
            return converted[query]

    return ConvertingCursor


def _prepares(using: str) -> bool:
    """Whether statements on `using` are prepared (PostgreSQL with the `prepare_threshold`
    option, set in settings)."""
    connection = connections[using]
    return (
        connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None
    )


def _cursor(using: str):
    """A cursor for the compiled statements. On PostgreSQL with prepared statements on (the
    `prepare_threshold` option, set in settings), one that binds parameters on the server, so
    that psycopg prepares each statement on first use and the server plans it once per
    connection; Django's own cursors bind on the client and are never prepared. On SQLite,
    one that converts each statement's placeholders once per process, not once per run."""
    connection = connections[using]
    connection.ensure_connection()
    with connection.wrap_database_errors:
        if connection.vendor == "sqlite":
            cursor = connection.connection.cursor(factory=_converting_cursor_class())
        elif _prepares(using):
            cursor = _preparing_cursor_class()(connection.connection)
        else:
            return connection.cursor()
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)


class Projection:
    """One resource's representation, by its read serializer `serializer_class`, with a
    compiled fast path. `queryset` (a callable: the model's `for_api()` shape) names the
    model and orders the nested lists by its Prefetch objects."""

    def __init__(self, serializer_class, *, queryset):
        self.serializer_class = serializer_class
        self._queryset = queryset
        self._plan: _Plan | None = None
        self._statements: dict[tuple, str | _Detail] = {}

    @property
    def plan(self) -> _Plan:
        if self._plan is None:  # compiled on first use: the models and serializer fields are ready then
            queryset = self._queryset()
            plan = _Plan(model=queryset.model)
            plan.column("pk")
            for name in _pk_names(queryset.model):
                plan.aliases[name] = "pk"
            code = _object(plan, self.serializer_class(), "", queryset.model, _prefetches(queryset))
            plan.shape, _ = _function(plan, code, "row")
            self._plan = plan
        return self._plan

    @property
    def csv_columns(self) -> list[str]:
        return csv_columns(self.serializer_class())

    def _query(self, index: int, slots: int, vendor: str):
        """The query of the main row (index -1) or of nested list `index`, for `slots` ids.

        On SQLite, dates and datetimes are read as their text, `CAST(… AS text)`: a column
        read whole has a declared type, for which Django's converters parse each value into
        a date or datetime that the row's shaping then turns back into text (100 datetimes
        and 84 dates on a page of 50 claims, about 7% of its CPU). The value converters take
        the text as it is stored (api/projections/values.py, SQLiteValues)."""
        ids = list(range(1, slots + 1))
        plan = self.plan
        # One id (a detail) is compared with `=`, more with an IN list.
        column = "pk" if index < 0 else plan.lists[index].key
        lookup = {column: ids[0]} if slots == 1 else {f"{column}__in": ids}
        read = plan if index < 0 else plan.lists[index].plan
        columns = [
            Cast(path, TextField()) if vendor == "sqlite" and path in read.texts else path for path in read.columns
        ]
        if index < 0:
            return plan.model._default_manager.filter(**lookup).order_by().values_list(*columns)
        return plan.lists[index].queryset.filter(**lookup).values_list(*columns)

    def _sql(self, query, index: int, slots: int) -> str:
        sql, params = query.sql_with_params()
        if list(params) != list(range(1, slots + 1)):  # the ORM added a parameter: this shortcut no longer fits
            raise LookupError(f"{self.serializer_class.__name__}: statement {index} has parameters {params}")
        return sql

    def _statement(self, index: int, using: str, slots: int) -> str:
        """The SQL of the main row (index -1) or of nested list `index`, for `slots` ids."""
        key = (index, using, slots)
        if key not in self._statements:
            self._statements[key] = self._sql(
                self._query(index, slots, connections[using].vendor).using(using).query, index, slots
            )
        return self._statements[key]

    def _detail_statement(self, using: str) -> _Detail:
        """One statement for one id's row and every nested list: each table's query is an
        arm of a UNION ALL, in columns of its own (NULL in the other arms' rows, so that no
        column mixes types), a nested list's rows numbered in its order (`list_position`)."""
        key = ("detail", using)
        if key not in self._statements:
            connection = connections[using]
            arms, fields = [], []
            for index in range(-1, len(self.plan.lists)):
                queryset = self._query(index, 1, connection.vendor)
                if index >= 0:
                    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
                    numbered = Window(RowNumber(), order_by=ordering)
                    queryset = queryset.annotate(list_position=numbered).order_by()
                    queryset = queryset.values_list(*self.plan.lists[index].plan.columns, "list_position")
                query = queryset.using(using).query
                arms.append(self._sql(query, index, 1))
                fields.append([col.output_field for col in query.select])
                fields[-1] += [expression.output_field for expression in query.annotation_select.values()]
            nulls = [_null(field, connection) for field in chain.from_iterable(fields)]
            selects, start, spans = [], 0, []
            for position, (sql, arm) in enumerate(zip(arms, fields, strict=True)):
                end = start + len(arm)
                if position:
                    spans.append((start, end))
                # The arms come from the ORM, the NULLs' types from its fields.
                columns = [*nulls[:start], "s.*", *nulls[end:]]
                selects.append(f"SELECT {', '.join(columns)} FROM ({sql}) s")  # noqa: S608
                start = end
            self._statements[key] = _Detail(sql=" UNION ALL ".join(selects), width=len(fields[0]), spans=spans)
        return self._statements[key]

    def _fetch(self, cursor, index: int, ids: list[int], using: str) -> list[tuple]:
        rows: list[tuple] = []
        for start in range(0, len(ids), SLOTS[-1]):
            part = ids[start : start + SLOTS[-1]]
            slots = next(size for size in SLOTS if size >= len(part))
            cursor.execute(self._statement(index, using, slots), part + [part[-1]] * (slots - len(part)))
            rows.extend(cursor.fetchall())
        return rows

    def many(self, ids: list[int], *, using: str = "default") -> list[dict]:
        """The representations of the rows `ids`, in that order (missing ids left out): one
        query for the rows and one per nested list, whatever their number."""
        if not ids:
            return []
        plan = self.plan
        values = value_converters(using)
        with _cursor(using) as cursor:
            found = {row[0]: row for row in self._fetch(cursor, -1, ids, using)}
            if not found:
                return []
            lists = [
                nested.plan.group(self._fetch(cursor, index, ids, using), values)
                for index, nested in enumerate(plan.lists)
            ]
        shape = plan.shape
        return [shape(found[pk], lists, values) for pk in ids if pk in found]

    def one(self, pk: int, *, using: str = "default") -> dict | None:
        """The representation of the row `pk`, or None when there is none (a detail: each
        statement compares with `=`, no grouping). On PostgreSQL, where each statement is a
        round trip to the server, one statement reads the row and its nested lists; on
        SQLite, in the process, one per table costs less than the wider rows of one."""
        plan = self.plan
        values = value_converters(using)
        with _cursor(using) as cursor:
            if connections[using].vendor == "postgresql":
                row, nested = self._detail_rows(cursor, pk, using)
            else:
                cursor.execute(self._statement(-1, using, 1), [pk])
                row, nested = cursor.fetchone(), []
                if row is not None:
                    for index in range(len(plan.lists)):
                        cursor.execute(self._statement(index, using, 1), [pk])
                        nested.append(cursor.fetchall())
        if row is None:
            return None
        lists = [{pk: part.plan.shape(rows, values)} for part, rows in zip(plan.lists, nested, strict=True)]
        return plan.shape(row, lists, values)

    def _detail_rows(self, cursor, pk: int, using: str) -> tuple[tuple | None, list[list[tuple]]]:
        """The row `pk` (None when there is none) and its nested lists' rows, in their order
        (each row with a last column, its `list_position`), from the one detail statement."""
        statement = self._detail_statement(using)
        cursor.execute(statement.sql, [pk] * (len(statement.spans) + 1))
        main, width = None, statement.width
        nested: list[list[tuple]] = [[] for _ in statement.spans]
        for row in cursor.fetchall():
            if row[0] is not None:  # the main row's primary key
                main = row[:width]
                continue
            for rows, (begin, end) in zip(nested, statement.spans, strict=True):
                if row[end - 1] is not None:
                    rows.append(row[begin:end])
                    break
        for rows in nested:
            rows.sort(key=itemgetter(-1))
        return main, nested


def _null(field, connection) -> str:
    """The NULL that stands for a column of `field` in the rows of the other arms of a UNION
    ALL. PostgreSQL types each column from its arms, pairwise: a NULL typed by nothing would
    make the column text, which the arm that reads it may not be."""
    return f"CAST(NULL AS {field.db_type(connection)})"


def ids_of(queryset):
    """What the paginator walks before `Projection.many()` reads a page: `{"pk": id}` rows
    only, in the queryset's order. Neither select_related nor prefetch_related apply to them.

    They run on Django's cursor, never prepared, as `capped_count()` does: the best plan for a
    page's ids and its count depends on the filters' values (an entity in three claims or in
    twenty thousand). After five runs of a prepared statement PostgreSQL may switch to a
    generic plan, made for no value in particular: the busiest participant's events were then
    gathered and sorted as if it had a handful, 75-90 ms at a million claims against 3 ms
    planned for it. Planned on every run, they cost well under a millisecond more at worst;
    the statements that read the page's rows by id, whose plans do not depend on the ids, stay
    prepared."""
    return queryset.select_related(None).prefetch_related(None).values("pk")


def capped_count(queryset, cap: int) -> int:
    """How many rows `queryset` has, counting no further than cap + 1: `SELECT COUNT(*)
    FROM (… LIMIT cap + 1)`, planned for its filters' values (see `ids_of()`)."""
    return queryset.order_by().values("pk")[: cap + 1].count()
