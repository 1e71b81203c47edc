"""Every GET route of the API, read from the URLconf: the tests and benchmarks that must
cover all of them (tests/api/test_bounded.py, bench/worst.py) walk this list, so a new
route is covered, or makes them fail, without anyone remembering to add it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from factbase.metrics import route_template

API_PREFIX = "api/v1/"


@dataclass(frozen=True)
class Route:
    name: str  # the URL name: `claim-list`, `entity-timeline`
    template: str  # `/api/v1/entities/{pk}/timeline/`
    view: type  # the view class
    action: str | None  # a viewset's action for GET (`list`, `retrieve`), else None

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.template)

    def path(self, **values) -> str:
        return self.template.format(**values)


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


@dataclass(frozen=True)
class Endpoint:
    """A route with every method it answers (tests/test_permission_matrix.py walks these)."""

    name: str
    template: str
    view: type
    methods: frozenset[str]  # lower case: `get`, `post`, …
    initkwargs: dict  # a viewset action's (`permission_action`, …)
    get_action: str | None = None  # a viewset's action for GET (`list`, `retrieve`)


def get_endpoints() -> list[Endpoint]:
    """Every API route with the methods it answers, in URLconf order."""
    found = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if not route.startswith(API_PREFIX):
            continue
        callback = pattern.callback
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        actions = getattr(callback, "actions", None)
        if actions is not None:
            methods = frozenset(actions)
        elif view is not None:
            methods = frozenset(m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m))
        else:
            continue
        initkwargs = getattr(callback, "initkwargs", {})
        get_action = actions.get("get") if actions is not None else None
        found.append(Endpoint(pattern.name, route_template(route), view, methods, initkwargs, get_action))
    return found


def get_routes() -> list[Route]:
    """The API's routes that answer GET, in URLconf order."""
    found = []
    for endpoint in get_endpoints():
        if "get" not in endpoint.methods:
            continue
        found.append(Route(endpoint.name, endpoint.template, endpoint.view, endpoint.get_action))
    return found
