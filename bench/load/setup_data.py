"""Run inside `manage.py shell` by the load drill: users with tokens, documents to quote,
entities to make claims about. Prints what the clients need as one JSON line."""

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from factbase.models import Country, Person
from factbase.services.documents import document_create
from factbase.services.entities import entity_create

SENTENCES = [f"Minister {n} visited the capital on day {n} and met officials there." for n in range(200)]
# A document holds at most FACTBASE_MAX_SPANS_PER_DOCUMENT (1,000) spans: one source filled
# up in 60 s once the clients created more than 1,000 claims. Claims quote one of these at random.
SOURCES = 16


def user(username, group):
    account, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    account.groups.add(Group.objects.get(name=group))
    return Token.objects.get_or_create(user=account)[0].key


people = [entity_create(model=Person, name=f"Load Person {n}", slug=f"load-person-{n}").pk for n in range(20)]
countries = list(Country.objects.order_by("id").values_list("pk", flat=True)[:20])
documents = [
    document_create(title=f"Load drill source {n}", text=" ".join(SENTENCES) + f" Source {n}.").pk
    for n in range(SOURCES)
]
print(
    json.dumps(
        {
            "reviewer_token": user("load-reviewer", "reviewers"),
            "curator_token": user("load-curator", "curators"),
            "documents": documents,
            "people": people,
            "countries": countries,
            "quotes": SENTENCES,
        }
    )
)
