"""One factory per model; Traits for states (ClaimFactory(published=True))."""

from tests.factories.claims import ClaimFactory, MentionFactory, PredicateFactory, SourceSpanFactory
from tests.factories.documents import DocumentFactory
from tests.factories.entities import (
    AliasFactory,
    CountryFactory,
    EventFactory,
    EventParticipantFactory,
    IdentifierFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
)
from tests.factories.jobs import JobFactory
from tests.factories.users import UserFactory

__all__ = [
    "AliasFactory",
    "ClaimFactory",
    "CountryFactory",
    "DocumentFactory",
    "EventFactory",
    "EventParticipantFactory",
    "IdentifierFactory",
    "JobFactory",
    "MentionFactory",
    "OrganisationFactory",
    "PersonFactory",
    "PredicateFactory",
    "RoleFactory",
    "SourceSpanFactory",
    "UserFactory",
]
