"""The representations of facts and contradictions: the one definition of what `facts/`,
`facts/{id}/`, `contradictions/`, their `?format=csv`, ETags and OpenAPI schema show, and the
`{id, sources, contradicted}` a claim shows of its fact (`FactRefSerializer`).

A fact keeps no statement of its own (factbase/models/facts.py): `describe()` reads a page
of facts' claims, documents and contradictions in a constant number of queries (one each,
whatever the page's size) and assembles the dicts the serializers below declare. Nested
lists stop at NESTED_CAP rows each: a fact repeated by thousands of claims lists its first
ones, and `claims/?fact=` pages through them all."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, Max, Min, Q, Window
from django.db.models.functions import RowNumber
from rest_framework import serializers

from factbase.enums import ClaimStatus, ContradictionKind, EntityKind, Polarity, Rank
from factbase.models import Claim, Contradiction, Fact, SourceSpan
from factbase.models.claims import sees_unpublished

from .common import EntityRefSerializer

NESTED_CAP = 100  # rows of each nested list of a fact (claims, documents, publishers, contradictions)
SIDE_SPANS = 10  # quoted spans shown on each side of a contradiction


class FactRefSerializer(serializers.ModelSerializer):
    """What a claim shows of its fact: `GET /api/v1/facts/{id}/` has the rest."""

    sources = serializers.IntegerField(
        read_only=True, help_text="Independent sources among the fact's published claims."
    )
    contradicted = serializers.BooleanField(read_only=True, help_text="Another fact contradicts it (unresolved).")

    class Meta:
        model = Fact
        fields = ["id", "sources", "contradicted"]
        read_only_fields = fields


class PredicateRefField(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class DateRangeSerializer(serializers.Serializer):
    """The first and last day the fact's claims can mean, together; null when none is dated."""

    lower = serializers.DateField(read_only=True)
    upper = serializers.DateField(read_only=True)


class FactClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)
    rank = serializers.ChoiceField(choices=Rank.choices, read_only=True)
    attributed_to = EntityRefSerializer(
        read_only=True, allow_null=True, help_text="Who asserts it; null: the document."
    )
    documents = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="Ids of the documents its spans quote."
    )


class FactDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    published = serializers.DateField(
        read_only=True, allow_null=True, help_text="First day its publication date can mean."
    )
    publisher = EntityRefSerializer(read_only=True, allow_null=True)


class ContradictionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    fact = serializers.IntegerField(read_only=True, help_text="The fact on the other side.")
    kind = serializers.ChoiceField(choices=ContradictionKind.choices, read_only=True)
    resolved = serializers.BooleanField(read_only=True)


class FactSerializer(serializers.Serializer):
    """A fact: the statement its claims make (read from its first claim), its claims, the
    documents and publishers behind them, and how many independent sources that is."""

    id = serializers.IntegerField(read_only=True)
    subject = EntityRefSerializer(read_only=True, allow_null=True)
    predicate = PredicateRefField(read_only=True, allow_null=True)
    object = EntityRefSerializer(read_only=True, allow_null=True)
    value = serializers.CharField(read_only=True)
    polarity = serializers.ChoiceField(choices=Polarity.choices, read_only=True)
    date = DateRangeSerializer(read_only=True, allow_null=True)
    rank = serializers.ChoiceField(choices=Rank.choices, read_only=True)
    sources = serializers.IntegerField(
        read_only=True,
        help_text="Independent sources among the published claims: a publisher counts once however many of its "
        "documents repeat it, a document without a publisher is a source of its own, and an attributed claim "
        "counts for its speaker.",
    )
    contradicted = serializers.BooleanField(read_only=True)
    first_published = serializers.DateField(
        read_only=True, allow_null=True, help_text="The earliest publication date of its documents."
    )
    last_published = serializers.DateField(
        read_only=True, allow_null=True, help_text="The latest publication date of its documents."
    )
    claims = FactClaimSerializer(
        many=True, read_only=True, help_text=f"Its claims you may see, the first {NESTED_CAP} (`claims/?fact=`)."
    )
    documents = FactDocumentSerializer(many=True, read_only=True)
    publishers = EntityRefSerializer(many=True, read_only=True)
    contradictions = ContradictionRefSerializer(many=True, read_only=True)


def _entity(pk, kind, name) -> dict | None:
    return None if pk is None else {"id": pk, "kind": kind, "name": name}


def describe(facts: list[Fact], user) -> list[dict]:
    """The representations of `facts` (in their order) as `user` may see them: five queries
    (claims, their dates, their documents, the contradictions), whatever their number."""
    ids = [fact.pk for fact in facts]
    if not ids:
        return []
    claims = Claim.objects.filter(fact_id__in=ids)
    if not sees_unpublished(user):
        claims = claims.published()
    numbered = claims.annotate(n=Window(RowNumber(), partition_by=[F("fact_id")], order_by=[F("id").asc()]))
    rows = list(
        numbered.filter(n__lte=NESTED_CAP)
        .order_by("fact_id", "id")
        .values(
            "id",
            "fact_id",
            "status",
            "rank",
            *STATEMENT_FIELDS,
            "attributed_to_id",
            "attributed_to__kind",
            "attributed_to__name",
        )
    )
    dates = {
        row["fact_id"]: row
        for row in claims.order_by().values("fact_id").annotate(lower=Min("date_lower"), upper=Max("date_upper"))
    }
    shown = [row["id"] for row in rows]
    documents_of = defaultdict(list)
    documents = {}
    for span in (
        SourceSpan.objects.filter(claim_id__in=shown)
        .order_by("claim_id", "document_id")
        .values(
            "claim_id",
            "document_id",
            "document__title",
            "document__date_lower",
            "document__publisher_id",
            "document__publisher__name",
        )
        .distinct()
    ):
        if span["document_id"] not in documents_of[span["claim_id"]]:
            documents_of[span["claim_id"]].append(span["document_id"])
        documents[span["document_id"]] = {
            "id": span["document_id"],
            "title": span["document__title"],
            "published": span["document__date_lower"],
            "publisher": _entity(
                span["document__publisher_id"], EntityKind.ORGANISATION, span["document__publisher__name"]
            ),
        }
    against = defaultdict(list)
    for c in Contradiction.objects.filter(Q(fact_id__in=ids) | Q(other_id__in=ids)).order_by("id"):
        for mine, theirs in ((c.fact_id, c.other_id), (c.other_id, c.fact_id)):
            if mine in ids:
                against[mine].append({"id": c.pk, "fact": theirs, "kind": c.kind, "resolved": c.resolved})
    by_fact = defaultdict(list)
    for row in rows:
        by_fact[row["fact_id"]].append(row)
    return [
        _fact(fact, by_fact[fact.pk], dates.get(fact.pk), documents_of, documents, against[fact.pk]) for fact in facts
    ]


STATEMENT_FIELDS = (
    "value",
    "polarity",
    "subject_id",
    "subject__kind",
    "subject__name",
    "predicate__slug",
    "predicate__label",
    "object_id",
    "object__kind",
    "object__name",
)


def _statement(first: dict | None) -> dict:
    """The statement a fact's claims share, read from its first shown claim (None: none shown)."""
    if first is None:
        return {"subject": None, "predicate": None, "object": None, "value": "", "polarity": Polarity.AFFIRMED}
    return {
        "subject": _entity(first["subject_id"], first["subject__kind"], first["subject__name"]),
        "predicate": {"slug": first["predicate__slug"], "label": first["predicate__label"]},
        "object": _entity(first["object_id"], first["object__kind"], first["object__name"]),
        "value": first["value"],
        "polarity": first["polarity"],
    }


def _fact(fact: Fact, rows: list[dict], dates, documents_of, documents, against) -> dict:
    first = rows[0] if rows else None
    cited = []
    for row in rows:
        for pk in documents_of[row["id"]]:
            if pk not in cited:
                cited.append(pk)
    cited_documents = [documents[pk] for pk in sorted(cited)][:NESTED_CAP]
    publishers = {d["publisher"]["id"]: d["publisher"] for d in cited_documents if d["publisher"] is not None}
    published = [d["published"] for d in cited_documents if d["published"] is not None]
    return {
        "id": fact.pk,
        **_statement(first),
        "date": None if not dates or dates["lower"] is None else {"lower": dates["lower"], "upper": dates["upper"]},
        "rank": fact.rank,
        "sources": fact.sources,
        "contradicted": fact.contradicted,
        "first_published": min(published, default=None),
        "last_published": max(published, default=None),
        "claims": [
            {
                "id": row["id"],
                "status": row["status"],
                "rank": row["rank"],
                "attributed_to": _entity(
                    row["attributed_to_id"], row["attributed_to__kind"], row["attributed_to__name"]
                ),
                "documents": documents_of[row["id"]],
            }
            for row in rows
        ],
        "documents": cited_documents,
        "publishers": [publishers[pk] for pk in sorted(publishers)],
        "contradictions": against[:NESTED_CAP],
    }


class SideSpanSerializer(serializers.Serializer):
    claim = serializers.IntegerField(read_only=True)
    document = serializers.IntegerField(read_only=True)
    start = serializers.IntegerField(read_only=True)
    end = serializers.IntegerField(read_only=True)
    exact = serializers.CharField(read_only=True)


class ContradictionSideSerializer(serializers.Serializer):
    fact = serializers.IntegerField(read_only=True)
    subject = EntityRefSerializer(read_only=True, allow_null=True)
    predicate = PredicateRefField(read_only=True, allow_null=True)
    object = EntityRefSerializer(read_only=True, allow_null=True)
    value = serializers.CharField(read_only=True)
    polarity = serializers.ChoiceField(choices=Polarity.choices, read_only=True)
    date = DateRangeSerializer(read_only=True, allow_null=True)
    sources = serializers.IntegerField(read_only=True)
    spans = SideSpanSerializer(
        many=True, read_only=True, help_text=f"The published evidence on this side, the first {SIDE_SPANS}."
    )


class ContradictionSerializer(serializers.Serializer):
    """Two facts that cannot both hold, with the evidence on each side."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=ContradictionKind.choices, read_only=True)
    resolved = serializers.BooleanField(read_only=True)
    note = serializers.CharField(read_only=True)
    resolved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    sides = ContradictionSideSerializer(many=True, read_only=True)


def describe_contradictions(contradictions: list[Contradiction]) -> list[dict]:
    """The representations of `contradictions`: each side's statement and its published
    evidence (contradictions are found among published claims only, so everyone sees the
    same). Three queries, whatever their number: each side's fact with its first published
    claim and the dates of all of them, then the first SIDE_SPANS spans of each side. A side
    reads what `describe()` would show of its fact, not the fact's whole representation."""
    fact_ids = {pk for c in contradictions for pk in (c.fact_id, c.other_id)}
    if not fact_ids:
        return []
    sources = dict(Fact.objects.filter(pk__in=fact_ids).values_list("pk", "sources"))
    published = Claim.objects.published().filter(fact_id__in=fact_ids)
    by_fact = [F("fact_id")]
    firsts = {
        row["fact_id"]: row
        for row in published.annotate(
            n=Window(RowNumber(), partition_by=by_fact, order_by=[F("id").asc()]),
            lower=Window(Min("date_lower"), partition_by=by_fact),
            upper=Window(Max("date_upper"), partition_by=by_fact),
        )
        .filter(n=1)
        .values(*STATEMENT_FIELDS, "fact_id", "lower", "upper")
    }
    spans = defaultdict(list)
    for span in (
        SourceSpan.objects.filter(claim__fact_id__in=fact_ids, claim__status=ClaimStatus.PUBLISHED)
        .annotate(
            n=Window(
                RowNumber(),
                partition_by=[F("claim__fact_id")],
                order_by=[F("claim_id").asc(), F("start").asc(), F("id").asc()],
            )
        )
        .filter(n__lte=SIDE_SPANS)
        .order_by("claim__fact_id", "claim_id", "start", "id")
        .values("claim_id", "document_id", "start", "end", "exact", "claim__fact_id")
    ):
        spans[span["claim__fact_id"]].append(
            {
                "claim": span["claim_id"],
                "document": span["document_id"],
                "start": span["start"],
                "end": span["end"],
                "exact": span["exact"],
            }
        )

    def side(pk):
        first = firsts.get(pk)
        return {
            "fact": pk,
            **_statement(first),
            "date": None
            if first is None or first["lower"] is None
            else {"lower": first["lower"], "upper": first["upper"]},
            "sources": sources[pk],
            "spans": spans[pk],
        }

    return [
        {
            "id": c.pk,
            "kind": c.kind,
            "resolved": c.resolved,
            "note": c.note,
            "resolved_at": c.resolved_at,
            "sides": [side(c.fact_id), side(c.other_id)],
        }
        for c in contradictions
    ]
