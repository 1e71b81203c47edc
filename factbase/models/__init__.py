"""All Factbase models, re-exported: `from factbase.models import Claim`."""

from factbase.models.aliases import Alias, Identifier
from factbase.models.claims import Claim, Predicate, SourceSpan
from factbase.models.documents import Document, Mention, RejectedSuggestion, text_sha256
from factbase.models.entities import Country, Entity, Event, EventParticipant, Organisation, Person, normalise_name
from factbase.models.facts import Contradiction, Fact, value_key
from factbase.models.jobs import Job
from factbase.models.merges import EntityMerge, entity_or_merge
from factbase.models.roles import Role

__all__ = [
    "Alias",
    "Claim",
    "Contradiction",
    "Country",
    "Document",
    "Entity",
    "EntityMerge",
    "Event",
    "EventParticipant",
    "Fact",
    "Identifier",
    "Job",
    "Mention",
    "Organisation",
    "Person",
    "Predicate",
    "RejectedSuggestion",
    "Role",
    "SourceSpan",
    "entity_or_merge",
    "normalise_name",
    "text_sha256",
    "value_key",
]
