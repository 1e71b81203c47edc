"""A small database that exercises every model a backup must carry: typed entities with
aliases, identifiers and roles, an event with participants, a document with a mention,
claims in every status with spans, a merge (history naming a deleted row), users in both
groups with API tokens. Built through the services, as curators would build it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from factbase.enums import ParticipantRole
from factbase.models import Country, Event, Identifier, Organisation, Person, Predicate, Role
from factbase.partial_dates import PartialDate
from factbase.services.claims import claim_create, claim_publish, claim_reject, claim_submit
from factbase.services.documents import document_create
from factbase.services.entities import entity_create, entity_merge
from factbase.services.mentions import mention_create

TEXT = (
    "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. "
    "He did not meet Putin’s critics. Kommersant reported that Myanmar buys Su-35 warplanes. 🙂 "
    "<script>alert('x')</script> stays text."
)


def _user(username, group):
    user = get_user_model().objects.create_user(username=username, password="correct horse battery staple")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=group))
    Token.objects.create(user=user)
    return user


def _predicate(slug, label, subject_kinds, object_kinds):
    predicate, _ = Predicate.objects.get_or_create(
        slug=slug, defaults={"label": label, "subject_kinds": subject_kinds, "object_kinds": object_kinds}
    )
    return predicate


def populate() -> None:
    curator = _user("rt-curator", "curators")
    reviewer = _user("rt-reviewer", "reviewers")
    russia = entity_create(model=Country, name="Russia", slug="rt-russia", iso_alpha2="QR", iso_alpha3="QRU")
    laos = entity_create(model=Country, name="Laos", slug="rt-laos", aliases=["Lao PDR"], iso_alpha2="QL")
    myanmar = entity_create(model=Country, name="Myanmar", slug="rt-myanmar", aliases=[{"name": "Burma"}])
    mfa = entity_create(model=Organisation, name="Ministry of Foreign Affairs", slug="rt-mfa", country=russia)
    kommersant = entity_create(model=Organisation, name="Kommersant", slug="rt-kommersant", org_type="media_outlet")
    lavrov = entity_create(
        model=Person, name="Sergei Lavrov", slug="rt-lavrov", nationality=russia, wikidata_qid="Q999999901"
    )
    duplicate = entity_create(model=Person, name="S. Lavrov", slug="rt-s-lavrov", aliases=["Lavrov"])
    Identifier.objects.create(entity=lavrov, scheme="wikidata", value="Q999999901")
    Role.objects.create(person=lavrov, organisation=mfa, title="Foreign Minister")
    trip = entity_create(
        model=Event,
        name="Lavrov's trip to Southeast Asia",
        slug="rt-trip",
        date=PartialDate.parse("2021-07-06/2021-07-08"),
        participants=[{"entity": lavrov, "role": ParticipantRole.VISITOR}, {"entity": laos, "role": "host"}],
    )
    document = document_create(
        title="Russia in Southeast Asia", text=TEXT, published=PartialDate.parse("2021-08-05"), publisher=kommersant
    )
    mention_create(document=document, entity=myanmar, exact="Myanmar", by=curator)
    visited = _predicate("visited", "visited", ["person"], ["country"])
    met = _predicate("met-with", "met with", ["person"], ["person"])
    buys = _predicate("buys-arms-from", "buys arms from", ["country"], [])
    published = claim_create(
        subject=lavrov,
        predicate=visited,
        object=laos,
        event=trip,
        date=PartialDate.parse("2021-07-06/2021-07-08"),
        spans=[{"document": document, "exact": "Sergei Lavrov visited Indonesia and Laos"}],
        by=curator,
    )
    claim_publish(claim=published, by=reviewer)
    claim_create(
        subject=duplicate,
        predicate=met,
        polarity="negated",
        notes="<b>bold</b> & notes",
        spans=[{"document": document, "exact": "He did not meet Putin’s critics."}],
        by=curator,
    )
    reported = claim_create(
        subject=myanmar,
        predicate=buys,
        value="Su-35 warplanes",
        attributed_to=kommersant,
        attribution="reports",
        spans=[{"document": document, "exact": "Myanmar buys Su-35 warplanes"}],
        by=curator,
    )
    claim_submit(claim=reported, by=curator)
    rejected = claim_create(
        subject=lavrov, predicate=visited, object=myanmar, spans=[{"document": document, "exact": "🙂"}], by=curator
    )
    claim_reject(claim=rejected, by=reviewer, reason="Not in the text.")
    entity_merge(survivor=lavrov, loser=duplicate, by=curator)
