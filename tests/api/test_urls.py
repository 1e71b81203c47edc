"""Every API route is reached by its own URLs: no pattern tried before it in the URLconf
matches them. The URLconf lists the resources' routes first (the busiest requests resolve
after the fewest tries), so a new route whose URLs one of theirs would also match, or the
reverse, fails here instead of answering from the wrong view."""

import re

import pytest
from django.urls import resolve

from api.routes import get_endpoints

ENDPOINTS = get_endpoints()
# Values for each kind of parameter: a number for ids, a word (that is also a resource's name,
# the likeliest to be caught by a pattern meant for another route) for slugs.
VALUES = {"pk": ["7", "123456789012345678"], "slug": ["holds-position", "people"]}


def urls(template: str) -> list[str]:
    names = re.findall(r"{(\w+)}", template)
    if not names:
        return [template]
    return [template.format(**dict.fromkeys(names, VALUES[names[0]][i])) for i in range(2)]


def test_every_route_has_a_value_for_each_parameter():
    for endpoint in ENDPOINTS:
        assert set(re.findall(r"{(\w+)}", endpoint.template)) <= set(VALUES), endpoint.template


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[endpoint.name for endpoint in ENDPOINTS])
def test_each_route_resolves_to_itself(endpoint):
    for url in urls(endpoint.template):
        assert resolve(url).url_name == endpoint.name, url
