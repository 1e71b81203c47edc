"""The admin benchmark: every screen of the curator admin, logged in as a curator (or as a
reviewer where only reviewers go), with the busiest objects and the heaviest changelist
variants, found from the data. The admin's sibling of bench/worst.py (the API's).

    .venv/bin/python bench/admin.py [--claims 1000000[,10000]] [--engines sqlite,postgresql]
                                    [--repeat 5] [--timeout 120] [--only SUBSTRING]
                                    [--database-url URL ...]

For each size and engine it
1. builds (or reuses) the benchmark databases exactly as bench/run.py does (or measures the
   databases given with --database-url);
2. finds the cases (`admin.py find OUT.json`, run inside Django against that database): it
   walks every URL pattern of the admin site (`admin.site.get_urls()`) and of every
   registered ModelAdmin (`admin.site._registry`, each one's `get_urls()`, so the custom
   screens too) and fills each with the busiest object of its kind: the entity with the most
   claims (as subject, object or attribution), the most event participations, the person
   and the organisation with the most roles, the country with the most people and with the
   most participations, the event with the most participants, the document with the most
   spans and with the most mentions, the claim with the most spans. Every changelist is also
   asked with `?q=` (one letter, the commonest word of its search fields), a deep page
   (`?p=`, page 1000 or the last), every sidebar filter with its heaviest value and every
   sortable column both ways (`?o=`); every autocomplete (the pickers) with one letter and
   the commonest word; the merge confirmation (the merge_entities action posted without
   `post=yes`, which only renders the confirmation) with the two busiest entities of a kind.
   A URL pattern or filter it cannot fill stops the run with a message saying which, so a
   new screen cannot go unmeasured; what it deliberately leaves out (POST-only screens,
   redirects, screens only staff administrators see, actions that write) is listed as
   skipped, with the reason;
3. serves Factbase under gunicorn exactly as `make serve-prod` does (collectstatic, the
   default settings, throttling off, as bench/run.py), logs in through /admin/login/ (the
   CSRF token from the login page, then the session cookie) and asks every case one at a
   time on a kept-alive connection: a warm-up, then `repeat` timed requests (2 when the
   warm-up took over 2 s, 1 over 10 s). A request that takes longer than `--timeout`
   seconds is reported as TIMEOUT, the server is restarted (its worker would still be
   busy) and the run goes on;
4. reports p50, p90, status and HTML size per case, marking the rows over the target
   (p50 > 300 ms, HTML > 500 KB, or an unexpected status).

It writes to the database it measures, and only this: the users `bench-curator` (group
curators) and `bench-reviewer` (group reviewers), staff, with a fresh random password each
run (get_or_create), and, for a busiest object that has no edit history (synthetic rows have
none), one history row like those `manage.py populate_history` makes, so that the version
view has a version to show. Run it on the benchmark's own databases or on copies of shared
ones, never on a database that others treat as read-only.

Results: bench/results/admin-<timestamp>.md and .json (git-ignored).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
from collections import Counter
from math import ceil
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TARGET_MS = 300.0
TARGET_BYTES = 500_000
DEEP_PAGE = 1000
ROLES = {"curator": ("bench-curator", "curators"), "reviewer": ("bench-reviewer", "reviewers")}
MAX_CHOICES = 30  # a filter whose heaviest value is found by counting each of its choices
SAMPLE = 3000  # rows sampled per search field for the commonest word

# Screens of a ModelAdmin, by the suffix of their URL name (`<app>_<model>_<screen>`).
OBJECT_SCREENS = ("change", "history", "delete", "simple_history")


class Unfilled(SystemExit):
    """A URL pattern, filter or object the benchmark cannot fill: teach it."""

    def __init__(self, message: str):
        super().__init__(f"bench/admin.py: {message}")


# --- finding the cases (runs inside Django, against one database) ---------------------------


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factbase.settings")
    import django

    django.setup()


def _busiest(queryset, field: str, n: int = 1):
    """The `n` values of `field` with the most rows in `queryset` (one value, or None, for n=1)."""
    from django.db.models import Count

    rows = (
        queryset.exclude(**{f"{field}__isnull": True}).values(field).annotate(n=Count("pk")).order_by("-n", field)[:n]
    )
    values = [row[field] for row in rows]
    return (values[0] if values else None) if n == 1 else values


def ensure_users() -> dict[str, dict]:
    """The benchmark's curator and reviewer, staff, each with a fresh password (a write)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    users = {}
    for role, (username, group) in ROLES.items():
        user, _ = get_user_model().objects.get_or_create(username=username)
        password = secrets.token_urlsafe(16)
        user.is_staff, user.is_active = True, True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=group))
        users[role] = {"user": user, "username": username, "password": password}
    return users


def _entities_by_claims(kind: str | None = None, n: int = 1) -> list[int]:
    """The entities (of `kind`) with the most claims as subject, object or attribution."""
    from django.db.models import Count

    from factbase.models import Claim

    counts = Counter()
    for field in ("subject", "object", "attributed_to"):
        rows = Claim.objects.exclude(**{f"{field}__isnull": True})
        if kind:
            rows = rows.filter(**{f"{field}__kind": kind})
        for row in rows.values(field).annotate(n=Count("pk")).order_by("-n", field)[: 20 + n]:
            counts[row[field]] += row["n"]
    return [pk for pk, _ in counts.most_common(n)]


def busiest_objects() -> dict[str, list[tuple[str, object]]]:
    """label -> [(why, pk)], busiest first: the objects whose pages are measured."""
    from django.db.models import TextField
    from django.db.models.functions import Cast, Length

    from factbase.models import (
        Alias,
        Claim,
        Contradiction,
        Entity,
        EntityMerge,
        EventParticipant,
        Identifier,
        Job,
        Mention,
        Person,
        Role,
        SourceSpan,
    )

    found: dict[str, list[tuple[str, object]]] = {}

    def add(label: str, why: str, pk) -> None:
        if pk is not None and pk not in [p for _, p in found.setdefault(label, [])]:
            found[label].append((why, pk))

    def add_entity(why: str, pk) -> None:
        if pk is not None:
            add(f"factbase.{Entity.objects.get(pk=pk).kind}", why, pk)

    by_claims = (_entities_by_claims() or [None])[0]
    add_entity("most claims", by_claims)
    add("factbase.entity", "most claims (redirects to its kind's page)", by_claims)
    add_entity("most participations", _busiest(EventParticipant.objects.all(), "entity"))
    add("factbase.person", "most roles", _busiest(Role.objects.all(), "person"))
    add("factbase.organisation", "most roles", _busiest(Role.objects.all(), "organisation"))
    add("factbase.country", "most people", _busiest(Person.objects.all(), "nationality"))
    add(
        "factbase.country",
        "most participations",
        _busiest(EventParticipant.objects.filter(entity__kind="country"), "entity"),
    )
    add("factbase.event", "most participants", _busiest(EventParticipant.objects.all(), "event"))
    busiest_claim = _busiest(SourceSpan.objects.all(), "claim")
    add("factbase.claim", "most spans", busiest_claim)
    # A claim a curator may still change (published ones are read-only to curators): its
    # spans are editable inline forms, and it may be deleted.
    add(
        "factbase.claim", "most spans among drafts", _busiest(SourceSpan.objects.filter(claim__status="draft"), "claim")
    )
    add("factbase.document", "most spans", _busiest(SourceSpan.objects.all(), "document"))
    busiest_mentioned = _busiest(Mention.objects.all(), "document")
    add("factbase.document", "most mentions", busiest_mentioned)
    add(
        "factbase.sourcespan",
        "a span of the claim with the most spans",
        SourceSpan.objects.filter(claim=busiest_claim).order_by("pk").values_list("pk", flat=True).first(),
    )
    add(
        "factbase.mention",
        "a mention in the document with the most mentions",
        Mention.objects.filter(document=busiest_mentioned).order_by("pk").values_list("pk", flat=True).first(),
    )
    add("factbase.predicate", "the commonest in claims", _busiest(Claim.objects.all(), "predicate"))
    for label, model, field, why in (
        ("factbase.alias", Alias, "entity", "an alias of the entity with the most aliases"),
        ("factbase.identifier", Identifier, "entity", "an identifier of the entity with the most identifiers"),
        ("factbase.role", Role, "person", "a role of the person with the most roles"),
        ("factbase.eventparticipant", EventParticipant, "event", "a participation in the busiest event"),
    ):
        parent = _busiest(model.objects.all(), field)
        pk = model.objects.filter(**{field: parent}).order_by("pk").values_list("pk", flat=True).first()
        add(label, why, pk)
    add("factbase.fact", "the fact of the most claims", _busiest(Claim.objects.exclude(fact=None), "fact"))
    add(
        "factbase.contradiction",
        "a contradiction of the most contradicted fact",
        Contradiction.objects.filter(fact=_busiest(Contradiction.objects.all(), "fact"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
    )
    add(
        "factbase.entitymerge",
        "the merge that moved the most rows (the largest record)",
        EntityMerge.objects.order_by(Length(Cast("snapshot", TextField())).desc(), "pk")
        .values_list("pk", flat=True)
        .first(),
    )
    add(
        "factbase.job",
        "the job with the largest result",
        Job.objects.order_by(Length(Cast("result", TextField())).desc(nulls_last=True), "pk")
        .values_list("pk", flat=True)
        .first(),
    )
    return found


def _request(user, path: str = "/admin/", params: dict | None = None):
    from django.test import RequestFactory

    request = RequestFactory().get(path, params or {})
    request.user = user
    return request


def _role_for(model_admin, users: dict, check: str = "view", obj=None) -> str | None:
    """The first of the benchmark's roles that the admin lets do `check` (view, add, delete)."""
    for role, info in users.items():
        request = _request(info["user"])
        if check == "view":
            allowed = model_admin.has_view_or_change_permission(request, obj)
        elif check == "add":
            allowed = model_admin.has_add_permission(request)
        else:
            allowed = model_admin.has_delete_permission(request, obj)
        if allowed:
            return role
    return None


def common_words(model, fields, n: int = 1) -> list[str]:
    """The commonest words (four letters or more) of a sample of the model's search fields."""
    from factbase.indexes.search import words

    counts = Counter()
    for field in fields:
        name = field.lstrip("=^@")
        rows = model._default_manager.exclude(**{f"{name}__isnull": True}).order_by("pk")
        for text in rows.values_list(name, flat=True)[:SAMPLE]:
            counts.update(word for word in words(str(text)) if len(word) >= 4 and not word.isdigit())
    return [word for word, _ in counts.most_common(n)]


def _busiest_cited_document():
    from factbase.models import SourceSpan

    return _busiest(SourceSpan.objects.all(), "document")


def _busiest_entity():
    return _entities_by_claims()[0]


# The heaviest value of a SimpleListFilter over a relation that is not a field of the model:
# (model, parameter) -> (what it is, how to find it).
HEAVIEST = {
    ("factbase.claim", "document"): ("the document with the most spans", _busiest_cited_document),
    ("factbase.claim", "entity"): ("the entity with the most claims", _busiest_entity),
}


def _heaviest_filters(model_admin, changelist, request) -> list[tuple[str, dict]]:
    """(label, params) of every sidebar filter of the changelist, with its heaviest value."""
    from django.db.models import Count

    queryset = model_admin.get_queryset(request)
    label = model_admin.model._meta.label_lower
    cases = []
    for spec in changelist.filter_specs:
        if hasattr(spec, "field_path"):  # a FieldListFilter: the params are ORM lookups
            expected = spec.expected_parameters()
            values = [p for p in expected if not p.endswith("__isnull")]
            if len(values) == 1:
                value = _busiest(queryset, spec.field_path)
                if isinstance(value, bool):
                    value = int(value)
                if value is None:
                    nulls = [p for p in expected if p.endswith("__isnull")]
                    if not nulls:
                        raise Unfilled(f"no value for the filter {values[0]} of {label}'s changelist")
                    cases.append((f"{nulls[0]}=True (no value in the data)", {nulls[0]: "True"}))
                else:
                    cases.append((f"{values[0]}=<heaviest>", {values[0]: value}))
                continue
            choices = [
                {k: v for k, v in parse_qsl(c["query_string"].lstrip("?")) if k in expected}
                for c in spec.choices(changelist)
            ]
            choices = [c for c in choices if c]
            if not choices or len(choices) > MAX_CHOICES:
                raise Unfilled(f"teach it the heaviest value of the filter {expected} of {label}'s changelist")
            counts = [queryset.filter(**c).aggregate(n=Count("pk"))["n"] for c in choices]
            heaviest = choices[counts.index(max(counts))]
            cases.append((f"{'&'.join(heaviest)}=<heaviest>", heaviest))
        elif hasattr(spec, "parameter_name"):  # a SimpleListFilter
            name = spec.parameter_name
            fields = {f.name for f in model_admin.model._meta.concrete_fields}
            if (label, name) in HEAVIEST:  # a relation the filter follows: the busiest object
                cases.append((f"{name}=<{HEAVIEST[(label, name)][0]}>", {name: HEAVIEST[(label, name)][1]()}))
                continue
            if name in fields and model_admin.model._meta.get_field(name).is_relation:
                cases.append((f"{name}=<heaviest>", {name: _busiest(queryset, name)}))
                continue
            lookups = list(spec.lookup_choices)  # a few choices: count each
            if not lookups or len(lookups) > MAX_CHOICES:
                raise Unfilled(f"teach it the heaviest value of the filter {name} of {label} (HEAVIEST)")
            counts = []
            for value, _ in lookups:
                one = type(spec)(request, {spec.parameter_name: [str(value)]}, model_admin.model, model_admin)
                counts.append((one.queryset(request, queryset) or queryset).count())
            value = lookups[counts.index(max(counts))][0]
            cases.append((f"{spec.parameter_name}=<heaviest>", {spec.parameter_name: value}))
        else:
            raise Unfilled(f"teach it the filter {type(spec).__name__} of {label}'s changelist")
    return cases


def _changelist_cases(model_admin, request) -> list[tuple[str, dict]]:
    changelist = model_admin.get_changelist_instance(request)
    model = model_admin.model
    cases = [("plain", {})]
    search_fields = model_admin.get_search_fields(request)
    if search_fields:
        word = common_words(model, search_fields) or ["a"]
        cases += [("q=<one letter>", {"q": "a"}), (f"q=<commonest word: {word[0]}>", {"q": word[0]})]
    pages = ceil(changelist.result_count / changelist.list_per_page) if changelist.list_per_page else 1
    if pages > 1:
        deep = min(DEEP_PAGE, pages)
        cases.append((f"p={deep} (page {'1000' if deep == DEEP_PAGE else 'last'})", {"p": deep}))
    cases += _heaviest_filters(model_admin, changelist, request)
    for index, name in enumerate(changelist.list_display):
        if changelist.get_ordering_field(name) is not None:
            cases += [(f"o={index} ({name})", {"o": index}), (f"o=-{index} ({name}, descending)", {"o": f"-{index}"})]
    return cases


def _latest_version(model, pk):
    """The object's latest history row; one like `populate_history` makes if it has none (a write)."""
    from simple_history.utils import get_history_manager_for_model

    obj = model._default_manager.get(pk=pk)
    manager = getattr(obj, model._meta.simple_history_manager_attribute)
    record = manager.order_by("-history_date", "-history_id").first()
    if record is None:
        get_history_manager_for_model(model).bulk_history_create(
            [obj], default_change_reason="bench/admin.py: a version to show (synthetic rows have no history)"
        )
        record = manager.order_by("-history_date", "-history_id").first()
    return record


def _merge_pair(model, user) -> tuple[str, list[int]]:
    """The two entities with the most claims of a kind `user` may merge: the model's own kind,
    or for the all-kinds list the kind of the busiest entity, else the first kind they may."""
    from django.contrib import admin

    from factbase.enums import EntityKind
    from factbase.models import Entity

    kinds = [model.KIND] if hasattr(model, "KIND") else []
    if model is Entity:
        busiest = Entity.objects.get(pk=_entities_by_claims()[0]).kind
        kinds = sorted(EntityKind.values, key=lambda kind: kind != busiest)
    for kind in kinds:
        typed = next(m for m in admin.site._registry if getattr(m, "KIND", None) == kind)
        if "merge_entities" in admin.site._registry[typed].get_actions(_request(user)):
            pair = _entities_by_claims(kind, 2)
            if len(pair) < 2:
                pair = list(typed._default_manager.order_by("pk").values_list("pk", flat=True)[:2])
            return f"the two {typed._meta.verbose_name_plural} with the most claims", pair
    raise Unfilled(f"no kind of entity the merger may merge in {model._meta.label_lower}")


def _may_review(user) -> bool:
    from factbase.services.claims import is_reviewer

    return is_reviewer(user)


def pattern_key(model_admin, url) -> str:
    prefix = model_admin.model._meta.label_lower if model_admin else "site"
    return f"{prefix}:{url.name or url.pattern}"


def admin_patterns() -> list[str]:
    """Every URL pattern of the admin: the site's own and every registered ModelAdmin's."""
    from django.contrib import admin
    from django.urls import URLPattern

    keys = [pattern_key(None, url) for url in admin.site.get_urls() if isinstance(url, URLPattern)]
    for model_admin in admin.site._registry.values():
        keys += [pattern_key(model_admin, url) for url in model_admin.get_urls()]
    return keys


def find_cases() -> dict:
    """Every case for the database Django is connected to (call inside a configured Django)."""
    from django.contrib import admin
    from django.db import connection
    from django.urls import URLPattern, reverse

    from factbase.models import Claim, Document, Entity

    users = ensure_users()
    busiest = busiest_objects()
    cases: list[dict] = []
    skipped: list[dict] = []

    def case(key: str, screen: str, label: str, path: str, role: str, **extra) -> None:
        cases.append({"pattern": key, "screen": screen, "label": label, "path": path, "role": role, **extra})

    def skip(key: str, why: str) -> None:
        skipped.append({"pattern": key, "why": why})

    # The site's own screens.
    visible_apps = sorted(
        {
            model._meta.app_label
            for model, model_admin in admin.site._registry.items()
            if _role_for(model_admin, {"curator": users["curator"]})
        }
    )
    for url in admin.site.get_urls():
        if not isinstance(url, URLPattern):
            continue
        key = pattern_key(None, url)
        name = url.name
        if name in ("index", "password_change", "password_change_done", "jsi18n"):
            case(key, name, "plain", reverse(f"admin:{name}"), "curator")
        elif name == "app_list":
            for app_label in visible_apps:
                case(key, f"app {app_label}", "plain", reverse("admin:app_list", args=[app_label]), "curator")
        elif name == "autocomplete":
            for label, params in _autocomplete_cases():
                case(key, "autocomplete", label, reverse("admin:autocomplete") + "?" + urlencode(params), "curator")
        elif name == "login":
            skip(key, "logged in through it (not timed)")
        elif name == "logout":
            skip(key, "POST only; ends the session")
        elif name == "view_on_site":
            skip(key, "a redirect to the object's public page")
        elif name is None and "(?P<url>.*)" in str(url.pattern):
            skip(key, "the catch-all: 404 for an unknown admin URL")
        else:
            raise Unfilled(f"teach it the admin site's URL {url.pattern} ({name})")

    # Every registered ModelAdmin's screens.
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        role = _role_for(model_admin, users)
        urls = model_admin.get_urls()
        if role is None:
            for url in urls:
                skip(pattern_key(model_admin, url), "staff administrators only")
            continue
        if label not in busiest and any((url.name or "").removeprefix(prefix) in OBJECT_SCREENS for url in urls):
            if model._default_manager.exists():
                raise Unfilled(f"teach it the busiest object of {label}")
        objects = busiest.get(label, [])
        user = users[role]["user"]
        for url in urls:
            key = pattern_key(model_admin, url)
            screen = (url.name or "").removeprefix(prefix)
            if url.name is None:
                skip(key, "redirects to the change form")
            elif screen == "changelist":
                path = reverse(f"admin:{url.name}")
                for case_label, params in _changelist_cases(model_admin, _request(user)):
                    query = "?" + urlencode(params) if params else ""
                    case(key, f"{label} changelist", case_label, path + query, role)
                for _func, action, _ in model_admin._get_base_actions():
                    if action == "merge_entities":
                        merger = next(
                            (
                                r
                                for r, info in users.items()
                                if action in model_admin.get_actions(_request(info["user"]))
                            ),
                            None,
                        )
                        if merger is None:
                            skip(f"{label}:action {action}", "staff administrators only")
                            continue
                        which, pair = _merge_pair(model, users[merger]["user"])
                        case(
                            key,
                            f"{label} merge confirmation",
                            which,
                            path,
                            merger,
                            method="POST",
                            form={"action": action, "_selected_action": pair, "index": "0", "select_across": "0"},
                        )
                    else:
                        skip(f"{label}:action {action}", "an action that writes (not timed)")
            elif screen == "add":
                adder = _role_for(model_admin, users, "add")
                if adder:
                    case(key, f"{label} add", "empty form", reverse(f"admin:{url.name}"), adder)
                else:
                    skip(key, "no curator or reviewer may add")
            elif screen in ("change", "history", "delete"):
                if not objects:
                    skip(key, "no row in this database")
                for why, pk in objects:
                    obj = model._default_manager.get(pk=pk)
                    path = reverse(f"admin:{url.name}", args=[pk])
                    if screen == "delete":
                        deleter = _role_for(model_admin, users, "delete", obj)
                        if deleter:
                            case(key, f"{label} delete", why, path, deleter)
                        else:
                            skip(key, f"{why}: no curator or reviewer may delete it")
                        continue
                    expect = 302 if screen == "change" and label == "factbase.entity" else 200
                    case(key, f"{label} {screen}", why, path, role, expect=expect)
            elif screen == "simple_history":
                if not objects:
                    skip(key, "no row in this database")
                    continue
                why, pk = objects[0]
                record = _latest_version(model, pk)
                path = reverse(f"admin:{url.name}", args=[pk, record.history_id])
                case(key, f"{label} version", f"{why}, latest version", path, role)
            elif url.name in ("factbase_document_suggestions", "factbase_document_revise"):
                for why, pk in objects:
                    case(key, f"{label} {screen}", why, reverse(f"admin:{url.name}", args=[pk]), role)
            elif url.name == "factbase_claim_transition":
                skip(key, "POST only (submit, publish, reject write)")
            elif url.name in ("factbase_claim_review_step", "factbase_document_queue"):
                skip(key, "POST only (the queues' steps write)")
            elif url.name == "factbase_claim_review":
                reviewer = next((r for r, info in users.items() if _may_review(info["user"])), None)
                if reviewer is None:
                    skip(key, "no reviewer")
                    continue
                path = reverse(f"admin:{url.name}")
                case(key, "claim review queue", "the oldest claim in review", path, reviewer)
                for why, pk in busiest.get("factbase.document", []):
                    case(key, "claim review queue", f"{why}: its claims", f"{path}?document={pk}", reviewer)
            else:
                raise Unfilled(f"teach it the admin screen {url.name} ({url.pattern}) of {label}")

    covered = {c["pattern"] for c in cases} | {s["pattern"] for s in skipped}
    missing = [key for key in admin_patterns() if key not in covered]
    if missing:
        raise Unfilled(f"admin URL patterns not measured: {', '.join(missing)}")
    counts = {
        "claims": Claim.objects.count(),
        "entities": Entity.objects.count(),
        "documents": Document.objects.count(),
    }
    logins = {role: {"username": info["username"], "password": info["password"]} for role, info in users.items()}
    return {
        "vendor": connection.vendor,
        "counts": counts,
        "busiest": busiest,
        "logins": logins,
        "cases": cases,
        "skipped": skipped,
    }


def _autocomplete_cases() -> list[tuple[str, dict]]:
    """The pickers: for every model an autocomplete field points at, the first field that
    does (on a registered ModelAdmin), with one letter and the commonest word."""
    from django.contrib import admin

    cases, seen = [], set()
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.get_autocomplete_fields(_request(None)):
            remote = model._meta.get_field(field_name).remote_field.model
            if remote in seen:
                continue
            seen.add(remote)
            remote_admin = admin.site._registry[remote]
            word = common_words(remote, remote_admin.get_search_fields(_request(None))) or ["a"]
            base = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name}
            name = remote._meta.model_name
            cases += [
                (f"{name}: term=<one letter>", {**base, "term": "a"}),
                (f"{name}: term=<commonest word: {word[0]}>", {**base, "term": word[0]}),
            ]
    return cases


# --- asking ---------------------------------------------------------------------------------


class Timeout(Exception):
    pass


class Client:
    """One kept-alive connection with a cookie jar, logged in through /admin/login/."""

    def __init__(self, base: str, timeout: float):
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.cookies: dict[str, str] = {}
        self.connection = self._connect()

    def _connect(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes, float, dict]:
        """(status, body, seconds, headers); raises Timeout."""
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except TimeoutError as exc:
                self.connection.close()
                self.connection = self._connect()
                raise Timeout(path) from exc
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = self._connect()
                if attempt == 2:
                    raise
                started = time.perf_counter()
        seconds = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data, seconds, dict(response.getheaders())

    def login(self, username: str, password: str) -> None:
        status, body, _, _ = self.request("GET", "/admin/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not token:
            raise SystemExit(f"bench/admin.py: /admin/login/ answered {status} without a CSRF token")
        form = {
            "username": username,
            "password": password,
            "next": "/admin/",
            "csrfmiddlewaretoken": token.group(1).decode(),
        }
        status, _, _, _ = self.request("POST", "/admin/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"bench/admin.py: logging in as {username} failed ({status})")


def ask(client: Client, case: dict, repeat: int) -> dict:
    method, path, form = case.get("method", "GET"), case["path"], case.get("form")
    try:
        status, body, seconds, _ = client.request(method, path, form)  # warm-up
    except Timeout:
        return {**case, "status": "TIMEOUT", "bytes": 0, "warmup_s": client.timeout}
    times = []
    repeats = repeat if seconds < 2 else 2 if seconds < 10 else 1
    try:
        for _ in range(repeats):
            status, body, seconds, _ = client.request(method, path, form)
            times.append(seconds * 1e3)
    except Timeout:
        return {**case, "status": "TIMEOUT", "bytes": len(body), "warmup_s": seconds}
    times.sort()
    return {
        **case,
        "status": status,
        "bytes": len(body),
        "p50": statistics.median(times),
        "p90": times[min(len(times) - 1, int(len(times) * 0.9))],
        "repeats": len(times),
    }


def over(row: dict) -> bool:
    return (
        row["status"] != row.get("expect", 200)
        or row.get("p50", float("inf")) > TARGET_MS
        or row["bytes"] > TARGET_BYTES
    )


# --- reporting ------------------------------------------------------------------------------


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB" if n >= 1e3 else f"{n} B"


def _cell(r: dict) -> tuple[str, str, str]:
    p50 = "TIMEOUT ⚠" if r["status"] == "TIMEOUT" else f"{r['p50']:.0f}" + (" ⚠" if r["p50"] > TARGET_MS else "")
    size = _size(r["bytes"]) + (" ⚠" if r["bytes"] > TARGET_BYTES else "")
    status = f"{r['status']}" + (" ⚠" if r["status"] not in ("TIMEOUT", r.get("expect", 200)) else "")
    return status, p50, size


def summary(results: list[dict]) -> list[str]:
    """One row per screen: its slowest case and its largest page."""
    by_screen: dict[str, list[dict]] = {}
    for r in results:
        by_screen.setdefault(r["screen"], []).append(r)
    lines = [
        "| screen | cases | over | slowest case | status | p50 ms | largest HTML |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for screen, rows in by_screen.items():
        slowest = max(rows, key=lambda r: float("inf") if r["status"] == "TIMEOUT" else r["p50"])
        largest = max(rows, key=lambda r: r["bytes"])
        status, p50, _ = _cell(slowest)
        size = _cell(largest)[2]
        lines.append(
            f"| {screen} | {len(rows)} | {sum(over(r) for r in rows)} | {slowest['label']} | {status} | {p50} | "
            f"{size} |"
        )
    return lines


def report(runs: dict) -> str:
    lines = []
    for (claims, vendor), run in runs.items():
        results = run["results"]
        bad = [r for r in results if over(r)]
        lines += [
            f"### {vendor}, {claims:,} claims",
            "",
            f"{len(results)} pages, {len(bad)} over target (p50 > {TARGET_MS:.0f} ms, HTML > "
            f"{TARGET_BYTES // 1000} KB, a timeout or an unexpected status: ⚠).",
            "",
            "Per screen, the slowest case and the largest page:",
            "",
            *summary(results),
            "",
            "Every case:",
            "",
            "| screen | case | as | status | p50 ms | p90 ms | HTML |",
            "|---|---|---|---:|---:|---:|---:|",
        ]
        for r in results:
            status, p50, size = _cell(r)
            p90 = f"{r['p90']:.0f}" if "p90" in r else "–"
            lines.append(f"| {r['screen']} | {r['label']} | {r['role']} | {status} | {p50} | {p90} | {size} |")
        lines += ["", "Not timed:", "", "| URL pattern | why |", "|---|---|"]
        lines += [f"| `{s['pattern']}` | {s['why']} |" for s in run["skipped"]]
        lines.append("")
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------------------


def main() -> None:
    sys.path.insert(0, str(BENCH))
    import run as bench  # bench/run.py: the databases and the servers, built and started the same way
    import suite

    parser = suite.arguments(
        __doc__.split("\n\n")[0], repeat=5, database_help=", and the benchmark writes its users to it"
    )
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a request counts as TIMEOUT")
    parser.add_argument("--only", default="", help="only the cases whose screen, case or path contains this")
    args = parser.parse_args()
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = suite.stamp()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    runs = {}
    for engine, url in suite.targets(args, bench):
        bench.log(f"{engine}: finding the cases")
        found = suite.find(bench, __file__, "admin", engine, url, stamp)
        cases = [c for c in found["cases"] if args.only in f"{c['screen']} {c['label']} {c['path']}"]
        claims = found["counts"]["claims"]
        bench.log(f"{engine}, {claims:,} claims: {len(cases)} cases, {len(found['skipped'])} skipped")
        env = bench.production_env(url)
        # What `make serve-prod` runs before gunicorn (the admin's pages name their static files).
        for step in (["check", "--deploy", "--fail-level", "WARNING"], ["collectstatic", "--noinput", "-v", "0"]):
            bench.run([bench.PY, "manage.py", *step], env, stdout=subprocess.DEVNULL)

        def start(engine=engine, env=env, found=found):
            server = bench.gunicorn(f"Factbase admin {engine}", env, args.workers, "/admin/login/")
            clients = {}
            for role, login in found["logins"].items():
                clients[role] = Client(server.base, args.timeout)
                clients[role].login(login["username"], login["password"])
            return server, clients

        server, clients = start()
        results = []
        partial = bench.RESULTS / f"admin-{stamp}-{engine}-partial.json"
        try:
            for case in cases:
                result = ask(clients[case["role"]], case, args.repeat)
                results.append(result)
                shown = f"{result['p50']:.0f} ms" if "p50" in result else "–"
                bench.log(
                    f"  {result['status']} {shown:>9} {_size(result['bytes']):>9}  {case['screen']}: {case['label']}"
                )
                # Kept as it goes, so that a long run stopped early keeps what it measured.
                partial.write_text(json.dumps({"engine": engine, "results": results}, indent=1, default=str))
                if result["status"] == "TIMEOUT":  # its worker is still at it: start afresh
                    server.stop()
                    server, clients = start()
        finally:
            server.stop()
        runs[(claims, found["vendor"])] = {
            "results": results,
            "skipped": found["skipped"],
            "busiest": found["busiest"],
            "counts": found["counts"],
        }
    text = f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC at commit {commit.strip()}.\n\n" + report(runs)
    suite.write(bench, "admin", stamp, runs, text)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "report":  # the markdown again, from a results .json
        saved = json.loads(Path(sys.argv[2]).read_text())
        print(report({(int(k.split()[0]), k.split()[1]): run for k, run in saved.items()}))
    elif len(sys.argv) == 3 and sys.argv[1] == "find":
        _setup_django()
        Path(sys.argv[2]).write_text(json.dumps(find_cases(), indent=1, default=str))
    elif len(sys.argv) > 1 and sys.argv[1] == "find":
        raise SystemExit("usage: admin.py find OUT.json | admin.py report RESULTS.json")
    else:
        main()
