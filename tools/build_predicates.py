"""Build `fixtures/predicates.json`: the controlled vocabulary of relation types that claims use.

    python -m tools.build_predicates           # rewrite the fixture
    python -m tools.build_predicates --check   # exit 1 if the committed fixture is stale

Each predicate has a label that reads between subject and object ("met with"), a description
for curators, and the entity kinds it accepts. An empty `object_kinds` means the claim takes
no object entity: its object is a literal in `value`. Predicates whose object is optional
(a claim may name the object or give only a literal, as in "the leaders of both countries")
list the kinds it accepts when present. Curators can add predicates in the admin; a slug
is never renamed once claims use it.
"""

from __future__ import annotations

from tools.fixturelib import FIXTURES, TIMESTAMP, run_builder

TARGET = FIXTURES / "predicates.json"

PERSON, COUNTRY, ORG, EVENT = "person", "country", "organisation", "event"
ACTORS = [PERSON, COUNTRY, ORG]

# (slug, label, description, subject kinds, object kinds)
VOCABULARY: list[tuple[str, str, str, list[str], list[str]]] = [
    # Contact and diplomacy
    (
        "visited",
        "visited",
        "The subject travelled to the object country. `value` may name the places or hosts "
        "(“a number of military facilities”); a visit that was only planned has modality planned.",
        ACTORS,
        [COUNTRY],
    ),
    (
        "met-with",
        "met with",
        "An in-person meeting. When the other side is unnamed (“the leaders of both countries”), "
        "the object is their country or organisation and `value` says who.",
        ACTORS,
        ACTORS,
    ),
    (
        "held-video-conference-with",
        "held video conference with",
        "A meeting held by video link; `value` says who took part when they are unnamed.",
        ACTORS,
        ACTORS,
    ),
    (
        "held-phone-call-with",
        "held phone call with",
        "A telephone conversation; `value` says who took part when they are unnamed.",
        ACTORS,
        ACTORS,
    ),
    (
        "discussed-with",
        "discussed with",
        "The subject discussed the topic in `value` with the object (optional when the other side is not named).",
        ACTORS,
        ACTORS,
    ),
    (
        "gave-interview-to",
        "gave interview to",
        "The subject gave an interview to a media outlet (the object), or to outlets described in `value`.",
        [PERSON],
        [ORG],
    ),
    (
        "accompanied",
        "accompanied",
        "The subject travelled with the object person (a journalist on an official trip).",
        [PERSON, ORG],
        [PERSON],
    ),
    (
        "attended",
        "attended",
        "The subject took part in the object event (a conference, a meeting).",
        ACTORS,
        [EVENT],
    ),
    (
        "hosted",
        "hosted",
        "The subject hosted or organised the object event.",
        ACTORS,
        [EVENT],
    ),
    (
        "participated-in",
        "participated in",
        "The subject took part in the object event in a broader sense (a war, a programme).",
        ACTORS,
        [EVENT],
    ),
    (
        "commented-on",
        "commented on",
        "The subject publicly commented on the object (usually an event); what it said is "
        "recorded as separate claims attributed to it.",
        [PERSON, ORG],
        [PERSON, COUNTRY, ORG, EVENT],
    ),
    # Speech and reporting
    (
        "said",
        "said",
        "The subject said what `value` gives. Prefer a claim about the content, attributed to "
        "the speaker; use this only when the statement has no subject-predicate-object shape.",
        [PERSON, ORG],
        [],
    ),
    (
        "reported",
        "reported",
        "The subject (an outlet or correspondent) reported what `value` gives. Prefer claims about "
        "the content, attributed to the outlet with attribution “reports”.",
        [PERSON, ORG],
        [],
    ),
    (
        "advocates",
        "advocates",
        "The subject argues for the course of action given in `value` (“Russia should avoid total "
        "dependence on China”).",
        ACTORS,
        [],
    ),
    (
        "described-as",
        "described as",
        "A characterisation of the subject, as written in `value` (“highly isolated”, "
        "“pro-Russian”). Use a more specific predicate when one fits.",
        [PERSON, COUNTRY, ORG, EVENT],
        [],
    ),
    # Positions and membership
    (
        "holds-position",
        "holds position",
        "The subject holds the position named in `value` (as the source writes it) in the object "
        "organisation or country. The curated position with its dates is a Role.",
        [PERSON],
        [ORG, COUNTRY],
    ),
    (
        "leads",
        "leads",
        "The subject heads the object organisation or country; `value` may give the wording (“military leader”).",
        [PERSON, ORG],
        [ORG, COUNTRY],
    ),
    (
        "member-of",
        "member of",
        "The subject is a member of the object organisation or grouping.",
        ACTORS,
        [ORG],
    ),
    (
        "chairs",
        "chairs",
        "The subject holds the (rotating) chair of the object organisation.",
        [PERSON, COUNTRY, ORG],
        [ORG],
    ),
    (
        "governs",
        "governs",
        "The subject (a party or government) is in power in the object country (“the ruling party”).",
        [PERSON, ORG],
        [COUNTRY],
    ),
    # Place
    (
        "headquartered-in",
        "headquartered in",
        "The subject organisation has its seat in the object country.",
        [ORG],
        [COUNTRY],
    ),
    (
        "located-in",
        "located in",
        "The subject (an event or organisation) takes place or sits in the object country; `value` "
        "keeps the place as written.",
        [ORG, EVENT],
        [COUNTRY],
    ),
    (
        "neighbours",
        "neighbours",
        "The subject country borders or is described as a neighbour of the object country.",
        [COUNTRY],
        [COUNTRY],
    ),
    # Relations
    (
        "relations-with",
        "has relations with",
        "The state of relations between subject and object, described in `value` (“deteriorating”, "
        "“close”, “a long history of involvement”).",
        ACTORS,
        ACTORS,
    ),
    (
        "cooperates-with",
        "cooperates with",
        "The subject cooperates with the object; `value` gives the field or degree.",
        ACTORS,
        ACTORS,
    ),
    (
        "competes-with",
        "is in rivalry with",
        "Rivalry, competition or confrontation between subject and object; `value` describes it.",
        ACTORS,
        ACTORS,
    ),
    (
        "confronts",
        "confronts",
        "The subject opposes or is aimed against the object.",
        ACTORS,
        ACTORS,
    ),
    (
        "supports",
        "supports",
        "The subject politically supports the object (a person, government, position or event); "
        "`value` says what exactly.",
        ACTORS,
        [PERSON, COUNTRY, ORG, EVENT],
    ),
    (
        "legitimises",
        "legitimises",
        "The subject lends legitimacy to the object (typically a government whose standing is contested).",
        ACTORS,
        ACTORS,
    ),
    (
        "influences",
        "influences",
        "The subject has or exerts influence over the object (optional); `value` describes it.",
        ACTORS,
        ACTORS,
    ),
    (
        "in-sphere-of-influence-of",
        "is in the sphere of influence of",
        "The subject lies in the object's sphere of influence (“China’s backyard”).",
        [COUNTRY, ORG],
        [COUNTRY, ORG],
    ),
    (
        "depends-on",
        "depends on",
        "The subject depends on the object (economically, militarily, by debt).",
        ACTORS,
        ACTORS,
    ),
    (
        "looks-to",
        "looks to",
        "The subject turns to the object in the capacity given in `value` (“as a counterweight”).",
        ACTORS,
        ACTORS,
    ),
    (
        "seeks-role",
        "seeks a role as",
        "The subject aims to play the role given in `value` (“third force in Southeast Asia”).",
        ACTORS,
        [],
    ),
    (
        "plays-role-in",
        "plays a role in",
        "The subject plays the role given in `value`, in the object when one is named.",
        ACTORS,
        [COUNTRY, ORG, EVENT],
    ),
    (
        "intends",
        "intends",
        "The purpose given in `value` is ascribed to the subject (“to send tough signals to the West”).",
        ACTORS,
        [],
    ),
    (
        "under-sanctions",
        "is under sanctions of",
        "The subject is under sanctions, imposed by the object when one is named; `value` describes them.",
        ACTORS,
        [COUNTRY, ORG],
    ),
    # Military and arms
    (
        "sells-arms-to",
        "sells arms to",
        "The subject sells weapons to the object; `value` names them when the source does.",
        [COUNTRY, ORG],
        [COUNTRY, ORG],
    ),
    (
        "buys-arms-from",
        "buys arms from",
        "The subject buys weapons from the object.",
        [COUNTRY, ORG],
        [COUNTRY, ORG],
    ),
    (
        "negotiating-sale-of",
        "is negotiating sale of arms to",
        "The subject negotiates selling the weapons named in `value` (“Su-35 warplanes”) to the object.",
        [COUNTRY, ORG],
        [COUNTRY, ORG],
    ),
    (
        "ranks-as-buyer",
        "ranks as buyer from",
        "The subject's rank among buyers of the object's weapons: `value` as written (“second "
        "largest … in Southeast Asia”), `value_number` the rank.",
        [COUNTRY, ORG],
        [COUNTRY, ORG],
    ),
    (
        "uses-weapons-from",
        "uses weapons made in",
        "The subject's forces use weapons and equipment made in the object country.",
        [COUNTRY, ORG],
        [COUNTRY],
    ),
    (
        "trained",
        "trained",
        "The subject trained people of the object (`value`: who, how many: “officers”, “demining experts”).",
        [COUNTRY, ORG],
        [COUNTRY, ORG],
    ),
    (
        "held-joint-exercise-with",
        "held joint exercise with",
        "The subject's forces held a joint military exercise with the object's.",
        [COUNTRY, ORG],
        [COUNTRY, ORG],
    ),
    (
        "uses-facilities-in",
        "uses facilities in",
        "The subject uses (or could use) facilities in the object country; `value` names them.",
        [COUNTRY, ORG],
        [COUNTRY],
    ),
    # Aid, trade and investment
    (
        "gave",
        "gave",
        "The subject gave the object what `value` says; an approximate quantity stays as written "
        "(“dozens of T-34 tanks”) and `value_number` stays empty.",
        ACTORS,
        ACTORS,
    ),
    (
        "assists",
        "assists",
        "The subject provides help or assistance to the object; `value` says what kind.",
        ACTORS,
        ACTORS,
    ),
    (
        "supplies-to",
        "supplies to",
        "The subject supplies goods (`value`: vaccines, equipment) to the object.",
        [COUNTRY, ORG],
        ACTORS,
    ),
    (
        "produced-in",
        "produced in",
        "The subject (a product) is manufactured in the object country.",
        [ORG],
        [COUNTRY],
    ),
    (
        "invests-in",
        "invests in",
        "The subject builds, finances or develops projects in the object country (`value`: "
        "infrastructure, a railroad).",
        [COUNTRY, ORG],
        [COUNTRY],
    ),
    (
        "benefits",
        "benefits",
        "The subject (or its project, in `value`) brings benefit to the object.",
        [COUNTRY, ORG, EVENT],
        ACTORS,
    ),
    # Events
    (
        "cancelled",
        "was cancelled because of",
        "The subject event was cancelled, because of the object event when one is named; `value` "
        "keeps the wording (“temporarily canceled upon his arrival”).",
        [EVENT],
        [EVENT],
    ),
]

# Predicates that hold one object at a time (Wikidata's single-value constraint): two
# claims with different objects or values over overlapping dates contradict each other.
# "holds position" is not among them: a person holds several positions at once.
SINGLE_VALUED = {"chairs", "governs", "headquartered-in", "ranks-as-buyer"}


def build() -> list[dict]:
    from factbase.enums import EntityKind

    allowed = set(EntityKind.values)
    records = []
    for slug, label, description, subject_kinds, object_kinds in sorted(VOCABULARY):
        unknown = (set(subject_kinds) | set(object_kinds)) - allowed
        if unknown:
            raise SystemExit(f"Predicate {slug}: unknown kinds {sorted(unknown)}")
        records.append(
            {
                "model": "factbase.predicate",
                "fields": {
                    "slug": slug,
                    "label": label,
                    "description": description,
                    "subject_kinds": subject_kinds,
                    "object_kinds": object_kinds,
                    "single_valued": slug in SINGLE_VALUED,
                    "created": TIMESTAMP,
                    "updated": TIMESTAMP,
                },
            }
        )
    slugs = [record["fields"]["slug"] for record in records]
    if SINGLE_VALUED - set(slugs):
        raise SystemExit(f"Single-valued predicates not in the vocabulary: {sorted(SINGLE_VALUED - set(slugs))}")
    if len(slugs) != len(set(slugs)):
        raise SystemExit("Duplicate predicate slugs.")
    return records


if __name__ == "__main__":
    raise SystemExit(run_builder(build, TARGET, __doc__.splitlines()[0]))
