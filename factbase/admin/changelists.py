"""What every changelist of the curator admin shares so that it stays bounded at a million
claims: a paginator that never counts a whole table, and a sidebar filter that picks one row
of a big relation (a document, a speaker, a publisher) through a search box instead of
listing every row.

- `CappedPaginator`: a page counts the rows no further than COUNT_CAP (“1,000+ claims”),
  as the API's pages do (ClaimQuerySet.capped_count where the queryset has it). A page
  deeper than that reads its ids and one more from the list's order (an index walk) and its
  rows by id, so neither the count nor the page's joins run over the rows before it.
- `AutocompleteFilter`: the admin's own select2 autocomplete (/admin/autocomplete/, answered
  by the related model admin's search), which navigates to ?<parameter>=<id>; the chosen
  row is shown with a link that clears it. A link per row took a DISTINCT over the big table
  and rendered thousands of links (5 MB for the claims' documents and speakers).
- `CommonChoicesFilter`: Django's choices filter for a field of a few values, each held by
  many rows (a claim's status, an event's), that walks the list's own order when the chosen
  value is common instead of reading all its rows through the value's index and sorting them."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Func
from django.utils.functional import cached_property

COUNT_CAP = 1_000  # changelists, inlines and delete pages count up to this many rows, as the API's pages do
MAX_ID = 2**63 - 1  # the largest BigAutoField value: anything larger is no row's id
# A page deeper than this many rows is not looked for (an OFFSET past the table walks all of
# it): it gets Django's “invalid page” handling.
MAX_OFFSET = 10_000_000
# A choice held by more rows than this is tested on each row of the list, in the list's order
# (CommonChoicesFilter): the page is then found within a few rows, and the capped count
# within a few thousand.
COMMON_CHOICE = 20_000


def capped_count(queryset, cap: int = COUNT_CAP) -> int:
    """How many rows `queryset` has, counting no further than cap + 1: the QuerySet's own
    `capped_count` when it has one (claims: from the claim text index where it can)."""
    counter = getattr(queryset, "capped_count", None)
    if counter is not None:
        return counter(cap)
    return queryset.order_by()[: cap + 1].count()


def requested_page(request) -> int:
    """The changelist's page number (?p=), as ChangeList reads it."""
    try:
        return int(request.GET.get(PAGE_VAR, 1))
    except ValueError:
        return 1


class CappedPaginator(Paginator):
    """Django's Paginator with a count that stops at COUNT_CAP rows, or, on a page beyond
    them, at the page's end and one more row (module docstring). `capped` says that more
    rows exist than `count` tells; `counted` is how many are known to exist."""

    def __init__(
        self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, number: int = 1, ids_first=False
    ):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.number = number  # the page about to be shown: rows are counted as far as it
        # Every page reads its ids, then its rows by id from `rows` (a list whose joins
        # mislead the planner: the spans joined to the claim text index, see SourceSpanAdmin).
        self.ids_first = ids_first
        # The count and the page's ids from one walk of the first COUNT_CAP + 1 ids, for a
        # list whose every statement pays a fixed price first (a search that builds its
        # match lists: see FactbaseAdmin.search_counts_with_ids).
        self.count_with_ids = False
        self.rows = None
        self.capped = False
        self._page_ids = None

    def validate_number(self, number):
        # The autocomplete view asks for its page before anything counts: count as far as it.
        if "count" not in self.__dict__ and isinstance(number, (int, str)) and str(number).isdigit():
            self.number = int(number)
        return super().validate_number(number)

    @cached_property
    def count(self) -> int:
        offset = (self.number - 1) * self.per_page
        if COUNT_CAP <= offset <= MAX_OFFSET:
            ids = self._ids(offset, self.per_page + 1)
            if ids:
                self._page_ids = ids[: self.per_page]
                self.capped = len(ids) > self.per_page
                return offset + len(ids)
        if self.count_with_ids and offset + self.per_page <= COUNT_CAP:
            ids = self._ids(0, COUNT_CAP + 1)
            self._page_ids = ids[offset : offset + self.per_page]
            self.capped = len(ids) > COUNT_CAP
            return len(ids)
        counted = capped_count(self.object_list, COUNT_CAP)
        self.capped = counted > COUNT_CAP
        return counted

    @property
    def counted(self) -> int:
        """The rows known to exist (“1,000+” when `capped`)."""
        return self.count - 1 if self.capped else self.count

    def _ids(self, offset: int, limit: int) -> list:
        """Ids in the list's order, walked without the rows' columns and joins (prefetches
        are for rows)."""
        return list(self.object_list.prefetch_related(None).values_list("pk", flat=True)[offset : offset + limit])

    def page(self, number):
        number = self.validate_number(number)
        if self.ids_first and (self._page_ids is None or number != self.number):
            bottom = (number - 1) * self.per_page
            self._page_ids, self.number = self._ids(bottom, self.per_page), number
        if self._page_ids is not None and number == self.number:
            # The rows of a deep page by id: no OFFSET over the joins of every row before it.
            if self.rows is not None:
                found = {row.pk: row for row in self.rows.filter(pk__in=self._page_ids)}
                return self._get_page([found[pk] for pk in self._page_ids if pk in found], number, self)
            return self._get_page(self.object_list.filter(pk__in=self._page_ids), number, self)
        return super().page(number)


class FactbaseChangeList(ChangeList):
    """The count in words (“more than 1,000 claims” when it stopped), links to the previous
    and next page (the page numbers stop where the count does), and `?o=` honoured only for
    the columns the admin lets sort (`sortable_by`): Django sorts by any column asked for,
    and a column without an index sorted the whole table (8 s at a million claims)."""

    def _get_deterministic_ordering(self, ordering):
        # Django breaks ties with `-pk` whatever the direction of the column before it:
        # `updated, -id` cannot walk the (updated, id) index and sorted a million claims
        # (4.6 s). The tie goes the column's way instead.
        ordering = super()._get_deterministic_ordering(ordering)
        if len(ordering) > 1 and ordering[-1] == "-pk":
            before = ordering[-2]
            if isinstance(before, str) and not before.startswith("-"):
                ordering[-1] = "pk"
        return ordering

    def get_ordering_field(self, field_name):
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        if field_name in getattr(self.model_admin, "sorted_by_id", ()):
            # A column that holds another row, sorted by that row's id through the foreign
            # key's index, which groups each one's rows (FactbaseAdmin.sorted_by_id).
            return self.lookup_opts.get_field(field_name).attname
        return super().get_ordering_field(field_name)

    def get_ordering(self, request, queryset):
        # Columns that may not sort are dropped from ?o= (Django would then fall back to
        # `-pk` rather than the list's own ordering).
        requested = self.params.get(ORDER_VAR)
        if requested is not None:
            kept = ".".join(part for part in requested.split(".") if self._sorts(part))
            if kept:
                self.params[ORDER_VAR] = kept
                if all(self._by_id(part) for part in kept.split(".")):
                    # A column sorted through an index (by id through its foreign key's index,
                    # or declared in `walked_sorts`) ties on the id in
                    # its own direction (_get_deterministic_ordering), not on the list's own
                    # ordering, which Django appends: `event_id DESC, id` walked no index and
                    # sorted 400,000 participations (1.8 s). Not a column that is sorted
                    # anyway: SQLite's sort of `wikidata_qid DESC, id DESC` over rows read in
                    # id order replaced its top rows at every row (0.6 s, against 0.1 s).
                    queryset = queryset.order_by()
            else:
                del self.params[ORDER_VAR]
        return super().get_ordering(request, queryset)

    def _column(self, part: str) -> str | None:
        """The list_display name a part of ?o= points at, or None for a malformed one."""
        index = part.rpartition("-")[2]
        if not (index.isascii() and index.isdigit()) or int(index) >= len(self.list_display):
            return None
        return self.list_display[int(index)]

    def _by_id(self, part: str) -> bool:
        admin = self.model_admin
        walked = (*getattr(admin, "sorted_by_id", ()), *getattr(admin, "walked_sorts", ()))
        return self._column(part) in walked

    def _sorts(self, part: str) -> bool:
        column = self._column(part)
        if column is None:
            return True  # Django's own handling of a malformed ?o= (it skips it)
        return bool(self.get_ordering_field(column))

    def get_results(self, request):
        super().get_results(request)
        paginator = self.paginator
        number = self.page_num
        if getattr(paginator, "count_with_ids", False) and not self.multi_page and not self.show_all:
            # Django lists a one-page result from the whole queryset, which would run the
            # search a second time: the page's rows by id instead.
            self.result_list = paginator.page(number).object_list
        self.previous_page_url = self.get_query_string({PAGE_VAR: number - 1}) if number > 1 else ""
        self.next_page_url = (
            self.get_query_string({PAGE_VAR: number + 1}) if self.multi_page and number < paginator.num_pages else ""
        )
        capped = self.count_is_capped = getattr(paginator, "capped", False)
        counted = paginator.counted if capped else self.result_count
        opts = self.opts
        name = opts.verbose_name if counted == 1 and not capped else opts.verbose_name_plural
        self.count_text = f"{'more than ' if capped else ''}{counted:,} {name}"
        self.results_text = (
            f"{'more than ' if capped else ''}{counted:,} result{'' if counted == 1 and not capped else 's'}"
        )


class AutocompleteFilter(admin.SimpleListFilter):
    """A filter on one row of a big relation, picked in a search box (module docstring).

    Subclasses say which relation's autocomplete picks the row: `field_name` on the
    changelist's model (a foreign key: ?publisher=<id> keeps the documents it published),
    or `source` = (model, field name) elsewhere, with `narrow()` saying what the chosen id
    keeps (the claims citing a document). A value that is no id keeps nothing."""

    template = "admin/factbase/autocomplete_filter.html"
    field_name = ""
    source: tuple | None = None
    # (value, label) links shown under the box, for values that are not a row (“The document itself”).
    extra_choices: tuple[tuple[str, str], ...] = ()

    @classmethod
    def on(cls, field_name: str, title: str | None = None) -> type[AutocompleteFilter]:
        """The filter on a foreign key of the changelist's model: ?<field_name>=<id>."""
        return type(
            f"{field_name.title()}AutocompleteFilter",
            (cls,),
            {"field_name": field_name, "parameter_name": field_name, "title": title or field_name},
        )

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        source_model, name = self.source or (model, self.field_name)
        self.source_field = source_model._meta.get_field(name)
        self.admin_site = model_admin.admin_site

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def selected_id(self) -> int | None:
        value = self.value()
        if value and value.isascii() and value.isdigit() and int(value) <= MAX_ID:
            return int(value)
        return None

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        pk = self.selected_id()
        return queryset.none() if pk is None else self.narrow(queryset, pk)

    def narrow(self, queryset, pk: int):
        return queryset.filter(**{self.source_field.attname: pk})

    def widget_html(self):
        remote = self.source_field.remote_field.model
        # The chosen row's label in one query, without its big columns (a document's text).
        label_fields = [field for field in ("name", "title") if any(f.name == field for f in remote._meta.fields)]
        rows = remote._default_manager.only(remote._meta.pk.name, *label_fields)
        widget = AutocompleteSelect(self.source_field, self.admin_site)
        field = forms.ModelChoiceField(queryset=rows, widget=widget, required=False)
        pk = self.selected_id()
        return field.widget.render(
            self.parameter_name,
            pk,
            attrs={"class": "fb-autocomplete-filter", "id": f"fb-filter-{self.parameter_name}", "style": "width: 100%"},
        )

    def choices(self, changelist):
        value = self.value()
        yield {
            "widget": self.widget_html(),
            "selected": value is not None and not any(value == extra for extra, _ in self.extra_choices),
            "clear_url": changelist.get_query_string(remove=[self.parameter_name, PAGE_VAR])
            if value is not None
            else "",
            "extra": [
                {
                    "selected": value == extra,
                    "query_string": changelist.get_query_string({self.parameter_name: extra}, [PAGE_VAR]),
                    "display": label,
                }
                for extra, label in self.extra_choices
            ],
        }

    @classmethod
    def media(cls, admin_site) -> forms.Media:
        # The widget's own scripts (jQuery, select2, the admin's autocomplete.js), then ours.
        widget = AutocompleteSelect(None, admin_site)
        return widget.media + forms.Media(
            js=["admin/js/jquery.init.js", "factbase/admin/autocomplete_filter.js"],
            css={"all": ["factbase/admin/factbase.css"]},
        )


class WithoutIndex(Func):
    """A column that no index may answer a condition on: on SQLite, the column behind a unary
    `+` (SQLite's own way to keep its planner off an index); elsewhere the column itself."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"+{sql}", params


class CommonChoicesFilter(admin.ChoicesFieldListFilter):
    """Django's filter on a field with choices, for a field of a few values each held by many
    rows. SQLite reads a value's rows through the field's index and sorts them all for the
    page, even when the value is most of the table: spans by their claim's status (800,000
    published claims) took 8.6 s at a million claims, events by status 0.7 s. When the value
    is held by more than COMMON_CHOICE rows (counted that far in the field's own index), the
    condition is tested on each row as the list walks its own order's index instead, and a
    page is found in a millisecond; a rarer value is still read through its index."""

    def queryset(self, request, queryset):
        values = self.used_parameters.get(self.lookup_kwarg)
        if set(self.used_parameters) != {self.lookup_kwarg} or not values or len(values) != 1:
            return super().queryset(request, queryset)
        rows = self.field.model._default_manager.filter(**{self.field.name: values[0]})
        try:
            common = rows.order_by()[: COMMON_CHOICE + 1].count() > COMMON_CHOICE
        except (ValueError, ValidationError) as error:
            raise IncorrectLookupParameters(error) from error
        if not common:
            return super().queryset(request, queryset)
        return queryset.alias(_walked_choice=WithoutIndex(F(self.field_path))).filter(_walked_choice=values[0])
