"""Facts across sources on a small corpus: the seed article (fixtures/seed_000.json) and
three test articles written for this suite (tests/data/facts_corpus/: not real articles),
curated here through the services as a curator and a reviewer would. They repeat some of the
seed's events, word some differently and contradict some; the facts, their independent
sources and the contradictions that result are asserted whole, and shown in
docs/curation.md."""

from pathlib import Path

import pytest

from factbase.enums import OrganisationType
from factbase.models import Claim, Contradiction, Document, Entity, Organisation, Person, Predicate
from factbase.partial_dates import PartialDate
from factbase.services.claims import claim_create, claim_publish
from factbase.services.documents import document_create
from factbase.services.entities import entity_create
from factbase.services.fixtures import fixtures_load

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "facts_corpus"


def entity(slug: str) -> Entity:
    return Entity.objects.get(slug=slug)


@pytest.fixture
def corpus(reviewer):
    fixtures_load([ROOT / "fixtures" / name for name in ("countries.json", "predicates.json", "seed_000.json")])
    ledger = entity_create(model=Organisation, name="Jakarta Ledger", org_type=OrganisationType.MEDIA_OUTLET)
    wire = entity_create(model=Organisation, name="Mekong Wire", org_type=OrganisationType.MEDIA_OUTLET)
    zakharova = entity_create(model=Person, name="Maria Zakharova")

    def article(name: str, publisher, published: str) -> Document:
        text = (CORPUS / name).read_text(encoding="utf-8")
        title = text.splitlines()[2]
        return document_create(title=title, text=text, publisher=publisher, published=PartialDate.parse(published))

    a = article("jakarta_ledger_2021-07-09.txt", ledger, "2021-07-09")
    b = article("mekong_wire_2021-07-10.txt", wire, "2021-07-10")
    c = article("mekong_wire_2021-07-12.txt", wire, "2021-07-12")

    def says(document, quote, subject, predicate, obj=None, *, date=None, **fields):
        made = claim_create(
            subject=entity(subject),
            predicate=Predicate.objects.get(slug=predicate),
            object=entity(obj) if obj else None,
            date=PartialDate.parse(date) if date else None,
            spans=[{"document": document, "exact": quote}],
            **fields,
        )
        return claim_publish(claim=made, by=reviewer)

    lavrov_visited = "Sergei Lavrov visited"
    # The Jakarta Ledger: the Indonesian leg as the seed tells it; the meeting at the
    # Secretariat and the interview in other words; the Secretariat in Bangkok, not Jakarta;
    # Zakharova quoted.
    says(
        a,
        "Sergei Lavrov visited Indonesia from July 6 to 8",
        "sergei-lavrov",
        "visited",
        "indonesia",
        date="2021-07-06/2021-07-08",
    )
    says(
        a,
        "met with Secretary-General Lim Jock Hoi",
        "sergei-lavrov",
        "met-with",
        "asean-secretariat",
        date="2021-07-06/2021-07-08",
        value="Secretary-General Lim Jock Hoi",
    )
    says(a, "the ASEAN Secretariat, which is based in Bangkok", "asean-secretariat", "headquartered-in", "thailand")
    says(
        a,
        "he gave an interview to Jakarta newspapers",
        "sergei-lavrov",
        "gave-interview-to",
        value="Jakarta newspapers",
    )
    says(
        a,
        "Maria Zakharova said Lavrov visited Laos",
        "sergei-lavrov",
        "visited",
        "laos",
        date="2021-07",
        attributed_to=zakharova,
        attribution="quotes",
    )
    # The Mekong Wire, twice: the Laos leg (and Zakharova again), Patrushev's conference denied,
    # Medvedev's meeting as the seed tells it.
    says(
        b,
        "Sergei Lavrov visited Laos from July 7 to 8",
        "sergei-lavrov",
        "visited",
        "laos",
        date="2021-07-07/2021-07-08",
    )
    says(
        b,
        "Maria Zakharova said Lavrov visited Laos",
        "sergei-lavrov",
        "visited",
        "laos",
        date="2021-07",
        attributed_to=zakharova,
        attribution="quotes",
    )
    says(
        b,
        "Nikolai Patrushev did not hold a video conference with ASEAN officials in June",
        "nikolai-patrushev",
        "held-video-conference-with",
        "asean",
        date="2021-06",
        polarity="negated",
    )
    says(c, lavrov_visited + " Laos this month", "sergei-lavrov", "visited", "laos", date="2021-07")
    says(
        c,
        "Dmitry Medvedev held a video conference with leaders of the ruling parties of ASEAN countries",
        "dmitry-medvedev",
        "held-video-conference-with",
        "asean",
        date="2021-06-29",
        value="leaders of the ruling parties of ASEAN countries",
    )
    return {"seed": Document.objects.get(publisher=None, title__startswith="Stepping Up"), "a": a, "b": b, "c": c}


def fact_row(subject, predicate, obj, *, polarity="affirmed", value=None):
    claims = Claim.objects.filter(subject__slug=subject, predicate__slug=predicate, polarity=polarity)
    claims = claims.filter(object__slug=obj) if obj else claims.filter(object=None)
    if value is not None:
        claims = claims.filter(value=value)
    facts = {c.fact for c in claims}
    assert len(facts) == 1, facts
    return facts.pop()


def documents_of(fact, corpus) -> list[str]:
    names = {d.pk: name for name, d in corpus.items()}
    cited = Claim.objects.filter(fact=fact).values_list("spans__document", flat=True)
    return sorted({names[pk] for pk in cited})


def test_the_corpus_makes_these_facts(corpus):
    table = {
        "Lavrov visited Indonesia": fact_row("sergei-lavrov", "visited", "indonesia"),
        "Lavrov visited Laos": fact_row("sergei-lavrov", "visited", "laos"),
        "Lavrov met the ASEAN secretary general (the seed's words)": fact_row(
            "sergei-lavrov", "met-with", "asean-secretariat", value="the ASEAN secretary general"
        ),
        "Lavrov met Secretary-General Lim Jock Hoi (the Ledger's words)": fact_row(
            "sergei-lavrov", "met-with", "asean-secretariat", value="Secretary-General Lim Jock Hoi"
        ),
        "Lavrov gave an interview to Indonesian media": fact_row(
            "sergei-lavrov", "gave-interview-to", None, value="Indonesian media"
        ),
        "Lavrov gave an interview to Jakarta newspapers": fact_row(
            "sergei-lavrov", "gave-interview-to", None, value="Jakarta newspapers"
        ),
        "The ASEAN Secretariat is in Indonesia": fact_row("asean-secretariat", "headquartered-in", "indonesia"),
        "The ASEAN Secretariat is in Thailand": fact_row("asean-secretariat", "headquartered-in", "thailand"),
        "Patrushev held a video conference with ASEAN": fact_row(
            "nikolai-patrushev", "held-video-conference-with", "asean"
        ),
        "Patrushev did not": fact_row("nikolai-patrushev", "held-video-conference-with", "asean", polarity="negated"),
        "Medvedev held a video conference with ASEAN": fact_row(
            "dmitry-medvedev", "held-video-conference-with", "asean"
        ),
    }
    assert {name: (documents_of(fact, corpus), fact.sources) for name, fact in table.items()} == {
        # The seed (a document without a publisher: a source of its own) and the Ledger.
        "Lavrov visited Indonesia": (["a", "seed"], 2),
        # The seed; Zakharova, quoted by the Ledger and the Wire (one speaker); the Wire,
        # in two articles (one publisher).
        "Lavrov visited Laos": (["a", "b", "c", "seed"], 3),
        # Values that differ (the same meeting in other words): two facts, until a curator
        # joins them.
        "Lavrov met the ASEAN secretary general (the seed's words)": (["seed"], 1),
        "Lavrov met Secretary-General Lim Jock Hoi (the Ledger's words)": (["a"], 1),
        "Lavrov gave an interview to Indonesian media": (["seed"], 1),
        "Lavrov gave an interview to Jakarta newspapers": (["a"], 1),
        "The ASEAN Secretariat is in Indonesia": (["seed"], 1),
        "The ASEAN Secretariat is in Thailand": (["a"], 1),
        "Patrushev held a video conference with ASEAN": (["seed"], 1),
        "Patrushev did not": (["b"], 1),
        "Medvedev held a video conference with ASEAN": (["c", "seed"], 2),
    }
    kinds = {(c.kind, frozenset({c.fact_id, c.other_id})) for c in Contradiction.objects.all()}
    names = {fact.pk: name for name, fact in table.items()}
    assert {(kind, frozenset(names.get(pk, pk) for pk in pair)) for kind, pair in kinds} == {
        (
            "single_value",  # headquartered in: one place at a time
            frozenset({"The ASEAN Secretariat is in Indonesia", "The ASEAN Secretariat is in Thailand"}),
        ),
        ("polarity", frozenset({"Patrushev held a video conference with ASEAN", "Patrushev did not"})),
    }
    contradicted = {name for name, fact in table.items() if type(fact).objects.get(pk=fact.pk).contradicted}
    assert contradicted == {
        "The ASEAN Secretariat is in Indonesia",
        "The ASEAN Secretariat is in Thailand",
        "Patrushev held a video conference with ASEAN",
        "Patrushev did not",
    }


def test_a_curator_joins_the_two_wordings(corpus, curator):
    from factbase.services.facts import fact_join

    seed_words = fact_row("sergei-lavrov", "gave-interview-to", None, value="Indonesian media")
    ledger_words = fact_row("sergei-lavrov", "gave-interview-to", None, value="Jakarta newspapers")
    fact_join(fact=seed_words, other=ledger_words, by=curator)
    seed_words.refresh_from_db()
    assert (documents_of(seed_words, corpus), seed_words.sources) == (["a", "seed"], 2)
