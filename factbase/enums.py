"""Controlled vocabularies used across Factbase, as Django TextChoices. Imports nothing from the project."""

from django.db import models


class EntityKind(models.TextChoices):
    PERSON = "person", "Person"
    COUNTRY = "country", "Country"
    ORGANISATION = "organisation", "Organisation"
    EVENT = "event", "Event"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class AliasKind(models.TextChoices):
    OFFICIAL = "official", "Official name"
    COMMON = "common", "Common name"
    HISTORICAL = "historical", "Historical name"
    AS_WRITTEN = "as_written", "As written in a source"
    ABBREVIATION = "abbreviation", "Abbreviation"


class OrganisationType(models.TextChoices):
    GOVERNMENT_BODY = "government_body", "Government body"
    MINISTRY = "ministry", "Ministry"
    ARMED_FORCES = "armed_forces", "Armed forces"
    POLITICAL_PARTY = "political_party", "Political party"
    INTERGOVERNMENTAL_BODY = "intergovernmental_body", "Intergovernmental body"
    MEDIA_OUTLET = "media_outlet", "Media outlet"
    COMPANY = "company", "Company"
    RESEARCH_INSTITUTE = "research_institute", "Research institute"
    ARMED_GROUP = "armed_group", "Armed group"
    PRODUCT = "product", "Product or programme"
    OTHER = "other", "Other"


class EventType(models.TextChoices):
    OFFICIAL_VISIT = "official_visit", "Official visit"
    TRIP = "trip", "Trip (several legs)"
    MEETING = "meeting", "Meeting"
    VIDEO_CONFERENCE = "video_conference", "Video conference"
    PHONE_CALL = "phone_call", "Telephone call"
    CONFERENCE = "conference", "Conference"
    INTERVIEW = "interview", "Interview"
    MILITARY_EXERCISE = "military_exercise", "Military exercise"
    ARMS_TRANSFER = "arms_transfer", "Arms transfer"
    AGREEMENT = "agreement", "Agreement"
    WAR = "war", "War or conflict"
    POLITICAL_CHANGE = "political_change", "Political or constitutional change"
    OTHER = "other", "Other"


class EventStatus(models.TextChoices):
    OCCURRED = "occurred", "Occurred"
    PLANNED = "planned", "Planned"
    CANCELLED = "cancelled", "Cancelled"


class ParticipantRole(models.TextChoices):
    VISITOR = "visitor", "Visitor"
    HOST = "host", "Host"
    ATTENDEE = "attendee", "Attendee"
    ORGANISER = "organiser", "Organiser"


class AttributionMode(models.TextChoices):
    STATES = "states", "States"
    REPORTS = "reports", "Reports"
    QUOTES = "quotes", "Quotes"
    OPINES = "opines", "Opines"


class Modality(models.TextChoices):
    ASSERTED = "asserted", "Asserted"
    PLANNED = "planned", "Planned"
    EXPECTED = "expected", "Expected"
    POSSIBLE = "possible", "Possible"


class Polarity(models.TextChoices):
    AFFIRMED = "affirmed", "Affirmed"
    NEGATED = "negated", "Negated"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"


class Confidence(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class AnchorStatus(models.TextChoices):
    """Where a span or mention stands after its document's text was revised (re-anchoring)."""

    OK = "ok", "Anchored"
    MOVED = "moved", "Moved to a new revision"
    NEEDS_REVIEW = "needs_review", "Needs review (quote not found in the new revision)"


class IdentifierScheme(models.TextChoices):
    WIKIDATA = "wikidata", "Wikidata QID"
    ISO3166_NUMERIC = "iso3166_numeric", "ISO 3166-1 numeric"
    URL = "url", "Official website"
    OTHER = "other", "Other"


class Rank(models.TextChoices):
    """Wikidata's statement ranks: the preferred statement is the current or best one, the
    deprecated one is known to be wrong but kept (it was said)."""

    PREFERRED = "preferred", "Preferred"
    NORMAL = "normal", "Normal"
    DEPRECATED = "deprecated", "Deprecated"


class ContradictionKind(models.TextChoices):
    POLARITY = "polarity", "Opposite polarity (one says it happened, the other that it did not)"
    SINGLE_VALUE = "single_value", "Different objects of a single-valued predicate"


class JobKind(models.TextChoices):
    """Long work run as a job (factbase/services/jobs.py), by a Celery worker or in-process."""

    SUGGESTION_SCAN = "suggestion_scan", "Scan documents for mention suggestions"
    INDEX_REBUILD = "index_rebuild", "Rebuild the search and date indexes"
    FACT_REGROUP = "fact_regroup", "Group claims into facts"
    REANCHOR = "reanchor", "Revise a document and re-anchor its spans and mentions"
    IMPORT = "import", "Bulk import"


class JobStatus(models.TextChoices):
    """Where a job stands: queued → running → succeeded, failed or cancelled."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class CurationState(models.TextChoices):
    """Where a document stands in the curators' queue (factbase/services/queues.py)."""

    NEW = "new", "New"
    IN_CURATION = "in_curation", "In curation"
    READY_FOR_REVIEW = "ready_for_review", "Ready for review"
    DONE = "done", "Done"
