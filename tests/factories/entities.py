import datetime

import factory

from factbase import models


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Country
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Country {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    iso_alpha2 = factory.Sequence(lambda n: f"{chr(65 + (n // 26) % 26)}{chr(65 + n % 26)}")
    iso_alpha3 = factory.Sequence(lambda n: f"X{chr(65 + (n // 26) % 26)}{chr(65 + n % 26)}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    nationality = None


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    org_type = "ministry"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    name = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    event_type = "official_visit"
    status = "occurred"
    date_lower = datetime.date(2021, 7, 6)
    date_upper = datetime.date(2021, 7, 8)
    date_precision = "day"


class EventParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EventParticipant

    event = factory.SubFactory(EventFactory)
    entity = factory.SubFactory(PersonFactory)
    role = "visitor"


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Alias

    entity = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Role

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = "Minister"


class IdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Identifier

    entity = factory.SubFactory(PersonFactory)
    scheme = "other"
    value = factory.Sequence(lambda n: f"ID-{n}")
