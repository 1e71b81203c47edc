"""The worst-case suite: every GET route of the API, asked with the heaviest parameters a
client could send, found from the data itself.

    .venv/bin/python bench/worst.py [--claims 1000000[,10000]] [--engines sqlite,postgresql]
                                    [--repeat 7] [--no-streams] [--only SUBSTRING]

For each size and engine it
1. builds (or reuses) the benchmark databases exactly as bench/run.py does;
2. finds the cases (`worst.py find OUT.json`, run inside Django against that database): it
   walks every GET route of the URLconf (api/routes.py) and, for each list, every filter of
   its filterset, `q` (one letter, the commonest word, two common words, two common words
   that no row has together, a word that matches nothing), every `ordering` both ways, the
   largest page, the last page in page mode, a cursor deep in the table, and pairs of the
   heaviest filters; each value is taken from the data (the busiest entity, document,
   participant, event, the commonest predicate, year and word). Each detail route gets its
   busiest object; nested routes get the busiest parent, and the timeline is also followed
   20 pages deep. A route or filter it cannot fill stops the suite with a message, so a new
   one cannot go unmeasured;
3. serves Factbase under gunicorn exactly as `make serve-prod` does (the default settings,
   throttling off, as bench/run.py), and asks every case one at a time on a kept-alive
   connection: six warm-ups (one when the first takes 0.5 s or more: PostgreSQL may plan a
   prepared statement anew after five runs), then `repeat` timed requests (2 when the
   warm-up took over 2 s);
4. reports p50, p90, status and body size per case, the cases over the target (p50 > 100 ms),
   and, with more than one size, the p50 growth between the smallest and the largest;
   streaming exports are reported apart (time to first byte, total time, size): they send
   every visible row by design, in keyset chunks with flat memory.

Results: bench/results/worst-<timestamp>.md and .json (git-ignored).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TARGET_MS = 100.0
FOLLOW_PAGES = 20  # the timeline's deep page: follow `next` this many times
# Warm-up runs of a case under 0.5 s: PostgreSQL plans a prepared statement for its values for
# five runs on a connection, then may switch to a generic plan; the timed runs come after.
WARM_UPS = 6
NO_MATCH = "zzyzxq"  # a word in no name and no text
# The commonest words asked each, alone and with every facet: which is the heaviest depends on
# the route (a search's facets with `with` at a million claims took 2-4 times `ministry`'s,
# the commonest word, whose walk happens to settle the facets' values sooner).
COMMON_WORDS = 3
# Words further down the same list, asked with every facet: a word of middling frequency
# leaves more values with few matches, which a facet count must find all of (at a million
# claims `republic`, 10th in the claims' sample, took twice `with`'s time on PostgreSQL).
RANKED_WORDS = (10, 20)


# --- finding the cases (runs inside Django, against one database) ---------------------------


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factbase.settings")
    import django

    django.setup()


def _busiest(queryset, field: str):
    """The value of `field` with the most rows in `queryset`."""
    from django.db.models import Count

    row = queryset.exclude(**{f"{field}__isnull": True}).values(field).annotate(n=Count("pk")).order_by("-n", field)
    found = row.first()
    return found[field] if found else None


def _common_words(texts, *, skip=()) -> list[str]:
    from factbase.indexes.search import words

    counts = Counter(word for text in texts for word in words(text) if len(word) >= 4 and word not in skip)
    return [word for word, _ in counts.most_common(max(COMMON_WORDS, *RANKED_WORDS))]


def _disjoint(words: list[str], search) -> str | None:
    """The first pair of `words` (by the sum of their ranks) that `search(q)` finds nothing
    for, as a `q`; None when every pair of the first ten is found together."""
    pairs = sorted(((i, j) for i in range(min(10, len(words))) for j in range(i + 1, min(10, len(words)))), key=sum)
    for i, j in pairs:
        q = f"{words[i]} {words[j]}"
        if not search(q).exists():
            return q
    return None


def _values() -> dict:
    """The heaviest value of every kind, from the data."""
    from django.db.models import Count

    from factbase.models import (
        Claim,
        Contradiction,
        Country,
        Document,
        Entity,
        Event,
        EventParticipant,
        Fact,
        Mention,
        Organisation,
        Person,
        Predicate,
        Role,
        SourceSpan,
    )

    published = Claim.objects.filter(status="published")
    busiest_subject = _busiest(published, "subject")
    year = _busiest(Claim.objects.all(), "date_lower__year")
    doc_year = _busiest(Document.objects.all(), "date_lower__year")
    sample_quotes = SourceSpan.objects.order_by("pk").values_list("exact", flat=True)[:3000]
    names = Entity.objects.order_by("pk").values_list("name", flat=True)[:5000]
    titles = Document.objects.order_by("pk").values_list("title", flat=True)[:3000]
    busiest_event = _busiest(EventParticipant.objects.all(), "event") or Event.objects.values_list("pk", flat=True)[0]
    values = {
        "subject": busiest_subject,
        "object": _busiest(published, "object"),
        "entity": busiest_subject,
        "attributed_to": _busiest(published, "attributed_to"),
        "event": _busiest(published, "event"),
        "document": _busiest(SourceSpan.objects.all(), "document"),
        "participant": _busiest(EventParticipant.objects.all(), "entity"),
        "nationality": _busiest(Person.objects.all(), "nationality"),
        "organisation": _busiest(Role.objects.all(), "organisation"),
        "org_country": _busiest(Organisation.objects.all(), "country"),
        "event_country": _busiest(Event.objects.all(), "location_country"),
        "predicate": Predicate.objects.get(pk=_busiest(published, "predicate")).slug,
        "year": str(year or 2021),
        "doc_year": str(doc_year or 2021),
        "claim_words": _common_words(sample_quotes),
        "name_words": _common_words(names),
        # A typed list is searched with its own kind's commonest words: the entities' commonest
        # (`between`, of events, at 10k claims) may match no person at all.
        "kind_words": {
            kind: _common_words(Entity.objects.filter(kind=kind).order_by("pk").values_list("name", flat=True)[:5000])
            for kind in Entity.objects.order_by().values_list("kind", flat=True).distinct()
        },
        "document_words": _common_words(titles),
        # Two common words that no row has both of: each word's matches are many, the pair's
        # none, where a planner that takes the words as independent expects some.
        "disjoint_words": {
            "claims": _disjoint(_common_words(sample_quotes), Claim.objects.search),
            "documents": _disjoint(_common_words(titles), Document.objects.search),
            "names": _disjoint(_common_words(names), Entity.objects.matching),
        },
        "iso": Country.objects.order_by("pk").values_list("iso_alpha2", flat=True).first() or "RU",
        # Detail pages: the biggest object of each kind.
        "claim": _busiest(SourceSpan.objects.filter(claim__status="published"), "claim"),
        "person": _busiest(Role.objects.all(), "person"),
        "country": _busiest(Person.objects.all(), "nationality"),
        "organisation_detail": _busiest(Role.objects.all(), "organisation"),
        "event_detail": busiest_event,
        "document_detail": _busiest(SourceSpan.objects.all(), "document"),
        "mentioned_document": _busiest(Mention.objects.all(), "document"),
        "timeline_entity": _busiest(published, "subject"),
        "max_claim": Claim.objects.order_by("-pk").values_list("pk", flat=True).first(),
        # Facts: the one with the most claims (its detail, `claims/?fact=`), the most
        # contradicted one (`contradictions/?fact=`) and a contradiction of it.
        "fact": _busiest(published.exclude(fact=None), "fact"),
        "contradicted_fact": _busiest(Contradiction.objects.all(), "fact"),
        "contradiction": Contradiction.objects.order_by("fact", "pk").values_list("pk", flat=True).first(),
        "min_sources": 2,  # the corroborated facts: the filter's common use
        "counts": {
            "claims": Claim.objects.count(),
            "published claims": published.count(),
            "entities": Entity.objects.count(),
            "documents": Document.objects.count(),
            "people": Person.objects.count(),
            "organisations": Organisation.objects.count(),
            "events": Event.objects.count(),
            "countries": Country.objects.count(),
            "facts": Fact.objects.filter(sources__gt=0).count(),
            "contradictions": Contradiction.objects.count(),
        },
    }
    # The entity with the longest timeline: claims in any role plus events it takes part in.
    by_entity = Counter()
    for field in ("subject", "object", "attributed_to", "event"):
        for row in Claim.objects.values(field).annotate(n=Count("pk")).order_by("-n")[:20]:
            by_entity[row[field]] += row["n"]
    for row in EventParticipant.objects.values("entity").annotate(n=Count("pk")).order_by("-n")[:20]:
        by_entity[row["entity"]] += row["n"]
    by_entity.pop(None, None)
    values["timeline_entity"] = by_entity.most_common(1)[0][0]
    return values


def _filter_value(name: str, flt, resource: str, v: dict):
    """The heaviest value for filter `name` of a list, or raise: a new filter must be taught."""
    import django_filters

    from api.filters import PartialDateFilter, PredicateFilter, ReferenceFilter

    if isinstance(flt, PartialDateFilter):
        return v["doc_year"] if resource == "documents" else v["year"]
    if isinstance(flt, PredicateFilter):
        return v["predicate"]
    if isinstance(flt, ReferenceFilter):
        key = {
            ("events", "country"): "event_country",
            ("organisations", "country"): "org_country",
            ("contradictions", "fact"): "contradicted_fact",
        }.get((resource, name), name)
        if key not in v:
            raise SystemExit(f"bench/worst.py: no heaviest value for the reference filter {resource}?{name}=")
        return v[key]
    if isinstance(flt, django_filters.TypedChoiceFilter):  # true/false (api/filters.py, strict_boolean)
        return str(_commonest_choice(resource, flt) == "True").lower()
    if isinstance(flt, django_filters.ChoiceFilter):
        return _commonest_choice(resource, flt)
    if name == "iso":
        return v["iso"]
    if name == "min_sources":
        return v["min_sources"]
    if name == "assignee":
        return "none"  # nobody's: the documents no curator holds, most of them
    raise SystemExit(f"bench/worst.py: teach it the heaviest value for {resource}?{name}= ({type(flt).__name__})")


def _commonest_choice(resource: str, flt) -> str:
    from api.routes import get_routes

    view = next(r.view for r in get_routes() if r.action == "list" and r.template == f"/api/v1/{resource}/")
    model = view.filterset_class._meta.model
    value = _busiest(model.objects.all(), flt.field_name)
    if value is None:
        return str(flt.extra["choices"][0][0])
    return str(value)


def _cursor(position: int) -> str:
    return base64.b64encode(f"p={position}".encode()).decode()


def _list_cases(resource: str, filterset_class, v: dict, facets: tuple[str, ...] = ()) -> list[dict]:
    from api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PAGE_DEPTH

    base = f"/api/v1/{resource}/"
    cases = [
        {"label": "first page", "params": {}},
        {"label": f"page_size={MAX_PAGE_SIZE}", "params": {"page_size": MAX_PAGE_SIZE}},
    ]
    filters = filterset_class.base_filters
    # facts/?q= searches its claims' text, as claims/?q= does.
    words = (
        v["claim_words"]
        if resource in ("claims", "facts")
        else v["document_words"]
        if resource == "documents"
        else None
    )
    words = words or v["kind_words"].get(getattr(filterset_class._meta.model, "KIND", "")) or v["name_words"]
    disjoint = v["disjoint_words"][
        "claims" if resource in ("claims", "facts") else "documents" if resource == "documents" else "names"
    ]
    # A list of every kind is also searched with each kind's commonest word: the entities'
    # commonest (of the first ids: people) match all over the name order, where an event's
    # (`between`, in "Talks between …") match names that cluster in it.
    kinds_own = []
    if not getattr(filterset_class._meta.model, "KIND", "") and resource not in ("claims", "facts", "documents"):
        kinds_own = [
            (kind, found[0]) for kind, found in sorted(v["kind_words"].items()) if found and found[0] not in words[:1]
        ]
    heavy = {}
    for name, flt in filters.items():
        if name == "ordering":
            for param in flt.param_map:
                cases.append({"label": f"ordering={param}", "params": {"ordering": param}})
                cases.append({"label": f"ordering=-{param}", "params": {"ordering": f"-{param}"}})
            continue
        if name == "q":
            cases += [
                {"label": "q=<one letter>", "params": {"q": "a"}},
                {"label": "q=<commonest word>", "params": {"q": words[0]}},
                {"label": "q=<two common words>", "params": {"q": " ".join(words[:2])}},
                {"label": "q=<no match>", "params": {"q": NO_MATCH}},
                *([{"label": "q=<two common words, never together>", "params": {"q": disjoint}}] if disjoint else []),
                {"label": "q=<commonest word>&ordering=-id", "params": {"q": words[0], "ordering": "-id"}},
            ]
            cases += [
                {"label": f"q=<common word {rank}>", "params": {"q": word}}
                for rank, word in enumerate(words[1:COMMON_WORDS], start=2)
            ]
            cases += [{"label": f"q=<commonest {kind} word>", "params": {"q": word}} for kind, word in kinds_own]
            continue
        value = _filter_value(name, flt, resource, v)
        heavy[name] = value
        cases.append({"label": f"{name}=<heaviest>", "params": {name: value}})
        if name == "rank":  # Wikidata's best rank: a correlated question per row
            cases.append({"label": "rank=best", "params": {"rank": "best"}})
    # Pairs a client sends: the busiest reference within the commonest year, and newest first.
    dates = [name for name in ("date_from", "published_from") if name in heavy]
    for name, value in heavy.items():
        flt = filters[name]
        if type(flt).__name__ == "ReferenceFilter":
            if dates:
                low = dates[0]
                high = low.replace("from", "to")
                cases.append(
                    {
                        "label": f"{name}=<heaviest>&{low}&{high}=<commonest year>",
                        "params": {name: value, low: heavy[low], high: heavy[low]},
                    }
                )
            if "ordering" in filters:
                first = next(iter(filters["ordering"].param_map))
                cases.append(
                    {"label": f"{name}=<heaviest>&ordering=-{first}", "params": {name: value, "ordering": f"-{first}"}}
                )
    # Every facet the list offers, over everything and over the heaviest filters: the counts
    # cover every matching row, not the page.
    if facets:
        every = ",".join(facets)
        cases.append({"label": "facets=<all>", "params": {"facets": every}})
        if "q" in filters:
            cases.append({"label": "facets=<all>&q=<one letter>", "params": {"facets": every, "q": "a"}})
            cases.append({"label": "facets=<all>&q=<commonest word>", "params": {"facets": every, "q": words[0]}})
            cases += [
                {"label": f"facets=<all>&q=<common word {rank}>", "params": {"facets": every, "q": word}}
                for rank, word in enumerate(words[1:COMMON_WORDS], start=2)
            ]
            cases += [
                {"label": f"facets=<all>&q=<word ranked {rank}>", "params": {"facets": every, "q": words[rank - 1]}}
                for rank in RANKED_WORDS
                if rank <= len(words)
            ]
            cases += [
                {"label": f"facets=<all>&q=<commonest {kind} word>", "params": {"facets": every, "q": word}}
                for kind, word in kinds_own
            ]
        if dates:
            low, high = dates[0], dates[0].replace("from", "to")
            cases.append(
                {
                    "label": f"facets=<all>&{low}&{high}=<commonest year>",
                    "params": {"facets": every, low: heavy[low], high: heavy[low]},
                }
            )
        for name, value in heavy.items():
            if type(filters[name]).__name__ == "ReferenceFilter":
                cases.append({"label": f"facets=<all>&{name}=<heaviest>", "params": {"facets": every, name: value}})
                break
        # A search narrowed by a value of one of its facets, the heaviest, with every facet: a
        # client's next request once the first facets are shown (the value clicked).
        if "q" in filters:
            for name in facets:
                if name in heavy:
                    cases += [
                        {
                            "label": f"facets=<all>&q=<{label}>&{name}=<heaviest>",
                            "params": {"facets": every, "q": q, name: heavy[name]},
                        }
                        for label, q in (("one letter", "a"), ("commonest word", words[0]))
                    ]
    # Deep pages in both modes: page mode as deep as it reaches (PAGE_DEPTH rows), cursor mode anywhere.
    total = v["counts"].get("published claims" if resource == "claims" else resource)  # what anonymous clients see
    if total:
        last = max(1, min(-(-total // DEFAULT_PAGE_SIZE), PAGE_DEPTH // DEFAULT_PAGE_SIZE))
        cases.append({"label": "page=<deepest>", "params": {"page": last}})
        deepest_large = max(1, min(-(-total // MAX_PAGE_SIZE), PAGE_DEPTH // MAX_PAGE_SIZE))
        cases.append(
            {
                "label": f"page=<deepest>&page_size={MAX_PAGE_SIZE}",
                "params": {"page": deepest_large, "page_size": MAX_PAGE_SIZE},
            }
        )
    cases.append({"label": "cursor=<start>", "params": {"cursor": ""}})
    if resource == "claims" and v["max_claim"]:
        cases.append({"label": "cursor=<90% deep>", "params": {"cursor": _cursor(int(v["max_claim"] * 0.9))}})
    for case in cases:
        case["path"] = base + ("?" + urlencode(case["params"]) if case["params"] else "")
        case["route"] = f"{resource}/"
    return cases


# The reconciliation service's heaviest asks: a batch of the most queries, each a common
# word, a misspelling (the fallback look-ups) or a name in another word order, as a GET
# (`?queries=` answers as the POST does); suggestions of the commonest prefix, deepest page.
RECONCILE_BATCH = ["a", "maria", "Sergei Lavorv", "Smith John", "zzzz qqqq"] * 10


def _reconcile_cases(route, v) -> list[dict]:
    if route.name == "reconcile":
        batch = {f"q{n}": {"query": text} for n, text in enumerate(RECONCILE_BATCH)}
        return [
            {"route": route.template, "label": "manifest", "path": route.path()},
            {
                "route": route.template,
                "label": "batch of 50",
                "path": route.path() + "?" + urlencode({"queries": json.dumps(batch)}),
            },
        ]
    if route.name == "reconcile-suggest-entity":
        return [
            {"route": route.template, "label": f"prefix=a{cursor}", "path": route.path() + "?prefix=a" + cursor}
            for cursor in ("", "&cursor=1000")
        ]
    if route.name == "reconcile-preview":
        return [{"route": route.template, "label": "busiest", "path": route.path() + f"?id={v['subject']}"}]
    return [{"route": route.template, "label": "prefix=p", "path": route.path() + "?prefix=p"}]


def _job_cases(route, user) -> list[dict]:
    """A user's own jobs (everyone else's are 404): the list as the curator, and the detail of
    their newest job, made if they have none (a scan's result, as long as a result gets)."""
    from api.pagination import MAX_PAGE_SIZE
    from factbase.models import Job

    if route.name == "job-list":
        return [
            {"route": route.template, "label": label, "path": route.template + query, "curator": True}
            for label, query in (("own jobs", ""), (f"page_size={MAX_PAGE_SIZE}", f"?page_size={MAX_PAGE_SIZE}"))
        ]
    job = Job.objects.filter(owner=user).order_by("-id").first()
    if job is None:
        busiest = [{"document": n, "suggestions": n} for n in range(20)]
        job = Job.objects.create(
            owner=user, kind="suggestion_scan", status="succeeded", result={"documents": 20, "busiest": busiest}
        )
    return [{"route": route.template, "label": "own job", "path": route.path(pk=job.pk), "curator": True}]


def find_cases() -> dict:
    """Every case for the database the process is connected to."""
    _setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from api.routes import get_routes

    v = _values()
    cases: list[dict] = []
    # The curator the cases marked `curator` ask as (drafts; their own jobs).
    user, _ = get_user_model().objects.get_or_create(username="bench-curator")
    user.groups.add(Group.objects.get(name="curators"))
    details = {
        "country-detail": v["country"],
        "person-detail": v["person"],
        "organisation-detail": v["organisation_detail"],
        "event-detail": v["event_detail"],
        "claim-detail": v["claim"],
        "document-detail": v["document_detail"],
        "entity-detail": v["subject"],
        "predicate-detail": v["predicate"],
        "fact-detail": v["fact"],
        "contradiction-detail": v["contradiction"],
    }
    for route in get_routes():
        name = route.name
        if name in ("job-list", "job-detail"):
            cases += _job_cases(route, user)
        elif route.action == "list":
            resource = route.template.removeprefix("/api/v1/").strip("/")
            if not getattr(route.view, "filterset_class", None):
                cases.append({"route": f"{resource}/", "label": "all", "path": route.template})
                continue
            cases += _list_cases(
                resource, route.view.filterset_class, v, tuple(getattr(route.view, "facets", None) or ())
            )
        elif name in details:
            if details[name] is None:
                raise SystemExit(f"bench/worst.py: no row for {route.template} in this database (build it with synth)")
            key = route.params[0]
            cases.append({"route": route.template, "label": "busiest", "path": route.path(**{key: details[name]})})
        elif name == "entity-timeline":
            entity = v["timeline_entity"]
            path = route.path(pk=entity)
            year = v["year"]
            for label, params in [
                ("busiest entity", {}),
                ("page_size=200", {"page_size": 200}),
                ("type=claim", {"type": "claim"}),
                ("type=event", {"type": "event"}),
                ("date_from&date_to=<commonest year>", {"date_from": year, "date_to": year}),
                ("predicate=<commonest>", {"predicate": v["predicate"]}),
            ]:
                cases.append(
                    {
                        "route": route.template,
                        "label": label,
                        "path": path + ("?" + urlencode(params) if params else ""),
                    }
                )
            cases.append(
                {
                    "route": route.template,
                    "label": f"page {FOLLOW_PAGES + 1} (next)",
                    "path": path,
                    "follow": FOLLOW_PAGES,
                }
            )
        elif name == "document-annotations":
            cases.append({"route": route.template, "label": "busiest", "path": route.path(pk=v["document_detail"])})
        elif name == "document-suggestions":
            doc = v["mentioned_document"] or v["document_detail"]
            cases.append({"route": route.template, "label": "busiest", "path": route.path(pk=doc), "curator": True})
        elif name in ("export-claims-jsonl", "export-claims-csv", "export-popolo"):
            cases.append({"route": route.template, "label": "everything", "path": route.path(), "stream": True})
            if name != "export-popolo":
                cases.append(
                    {
                        "route": route.template,
                        "label": "subject=<heaviest>",
                        "path": route.path() + "?" + urlencode({"subject": v["subject"]}),
                        "stream": True,
                    }
                )
        elif name.startswith("reconcile"):
            cases += _reconcile_cases(route, v)
        elif not route.params:
            cases.append({"route": route.template, "label": "plain", "path": route.path()})
        else:
            raise SystemExit(f"bench/worst.py: teach it the busiest object for {route.template} ({name})")
    # A curator sees drafts too: the claims' heaviest lists again, as a curator.
    for case in [c for c in cases if c["route"] == "claims/" and c["label"] in ("first page", "subject=<heaviest>")]:
        cases.append({**case, "label": case["label"] + " (curator)", "curator": True})
    token, _ = Token.objects.get_or_create(user=user)
    counts = v.pop("counts")
    return {"vendor": connection.vendor, "counts": counts, "values": v, "token": token.key, "cases": cases}


# --- asking ---------------------------------------------------------------------------------


class Client:
    def __init__(self, base: str, token: str):
        parts = urlsplit(base)
        self.host, self.port, self.token = parts.hostname, parts.port, token
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=600)

    def get(self, path: str, *, curator: bool = False) -> tuple[int, bytes, float, float]:
        """(status, body, seconds to the first byte, seconds in all)."""
        headers = {"Accept": "*/*"}
        if curator:
            headers["Authorization"] = f"Token {self.token}"
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=600)
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
        first = response.read(1)
        ttfb = time.perf_counter() - started
        body = first + response.read()
        return response.status, body, ttfb, time.perf_counter() - started


def _follow(client: Client, path: str, pages: int, curator: bool) -> str:
    for _ in range(pages):
        status, body, *_ = client.get(path, curator=curator)
        nxt = json.loads(body).get("next") if status == 200 else None
        if not nxt:
            break
        parts = urlsplit(nxt)
        path = parts.path + ("?" + parts.query if parts.query else "")
    return path


def ask(client: Client, case: dict, repeat: int) -> dict:
    curator = case.get("curator", False)
    path = case["path"]
    if case.get("follow"):
        path = _follow(client, path, case["follow"], curator)
    if case.get("stream"):
        status, body, ttfb, total = client.get(path, curator=curator)
        return {**case, "asked": path, "status": status, "bytes": len(body), "ttfb_ms": ttfb * 1e3, "total_s": total}
    status, body, _, seconds = client.get(path, curator=curator)  # warm-up
    for _ in range(WARM_UPS - 1 if seconds < 0.5 else 0):
        status, body, _, seconds = client.get(path, curator=curator)
    times = []
    for _ in range(repeat if seconds < 2 else 2):
        status, body, _, seconds = client.get(path, curator=curator)
        times.append(seconds * 1e3)
    times.sort()
    return {
        **case,
        "asked": path,
        "status": status,
        "bytes": len(body),
        "p50": statistics.median(times),
        "p90": times[min(len(times) - 1, int(len(times) * 0.9))],
    }


# --- reporting ------------------------------------------------------------------------------


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB" if n >= 1e3 else f"{n} B"


def key(row: dict) -> str:
    return f"{row['route']} {row['label']}"


def report(runs: dict) -> str:
    """runs[(claims, vendor)] = {"results": [...], ...} -> markdown."""
    lines = []
    for (claims, vendor), run in runs.items():
        results = run["results"]
        over = [r for r in results if "p50" in r and (r["p50"] > TARGET_MS or r["status"] != 200)]
        lines += [
            f"### {vendor}, {claims:,} claims",
            "",
            f"{sum('p50' in r for r in results)} requests, {len(over)} over {TARGET_MS:.0f} ms or not 200.",
            "",
            "| route | case | status | p50 ms | p90 ms | body |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for r in results:
            if "p50" not in r:
                continue
            flag = " ⚠" if r in over else ""
            lines.append(
                f"| `{r['route']}` | {r['label']} | {r['status']} | {r['p50']:.1f}{flag} | {r['p90']:.1f} | "
                f"{_size(r['bytes'])} |"
            )
        streams = [r for r in results if "ttfb_ms" in r]
        if streams:
            lines += [
                "",
                "| stream | case | status | first byte ms | total s | body |",
                "|---|---|---:|---:|---:|---:|",
            ]
            for r in streams:
                lines.append(
                    f"| `{r['route']}` | {r['label']} | {r['status']} | {r['ttfb_ms']:.1f} | {r['total_s']:.1f} | "
                    f"{_size(r['bytes'])} |"
                )
        lines.append("")
    sizes = sorted({claims for claims, _ in runs})
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for vendor in sorted({vendor for _, vendor in runs}):
            if (small, vendor) not in runs or (large, vendor) not in runs:
                continue
            before = {key(r): r for r in runs[(small, vendor)]["results"] if "p50" in r}
            after = {key(r): r for r in runs[(large, vendor)]["results"] if "p50" in r}
            lines += [
                f"### Growth, {vendor}: p50 at {large:,} ÷ p50 at {small:,} claims",
                "",
                "| route | case | p50 small ms | p50 large ms | growth |",
                "|---|---|---:|---:|---:|",
            ]
            for name, row in after.items():
                if name in before:
                    growth = row["p50"] / max(before[name]["p50"], 0.01)
                    flag = " ⚠" if growth >= 2 else ""
                    lines.append(
                        f"| `{row['route']}` | {row['label']} | {before[name]['p50']:.1f} | {row['p50']:.1f} | "
                        f"{growth:.2f}×{flag} |"
                    )
            lines.append("")
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------------------


def main() -> None:
    sys.path.insert(0, str(BENCH))
    import run as bench  # bench/run.py: the databases and the servers, built and started the same way
    import suite

    parser = suite.arguments(__doc__.split("\n\n")[0], repeat=7)
    parser.add_argument("--no-streams", action="store_true", help="skip the streaming exports")
    parser.add_argument("--only", default="", help="only the cases whose route or label contains this")
    parser.add_argument("--skip", default="", help="leave out the cases whose route or label contains this")
    args = parser.parse_args()
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = suite.stamp()
    runs = {}
    for engine, url in suite.targets(args, bench):
        found = suite.find(bench, __file__, "worst", engine, url, stamp)
        cases = [
            c
            for c in found["cases"]
            if (not args.no_streams or not c.get("stream"))
            and args.only in f"{c['route']} {c['label']}"
            and not (args.skip and args.skip in f"{c['route']} {c['label']}")
        ]
        claims = found["counts"]["claims"]
        bench.log(f"{engine}, {claims:,} claims: {len(cases)} cases")
        server = bench.gunicorn(f"Factbase worst {engine}", bench.production_env(url), args.workers, "/api/v1/")
        try:
            client = Client(server.base, found["token"])
            results = []
            for case in cases:
                result = ask(client, case, args.repeat)
                results.append(result)
                shown = f"{result['p50']:.1f} ms" if "p50" in result else f"{result['total_s']:.1f} s (stream)"
                print(f"  {result['status']} {shown:>14} {_size(result['bytes']):>9}  {key(result)}", flush=True)
        finally:
            server.stop()
        runs[(claims, found["vendor"])] = {"results": results, "values": found["values"], "counts": found["counts"]}
    suite.write(bench, "worst", stamp, runs, report(runs))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "find":
        Path(sys.argv[2]).write_text(json.dumps(find_cases(), indent=1, default=str))
    elif len(sys.argv) > 1 and sys.argv[1] == "find":
        raise SystemExit("usage: worst.py find OUT.json")
    else:
        main()
