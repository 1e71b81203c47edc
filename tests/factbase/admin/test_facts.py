"""The admin's facts and contradictions: curators join facts and split claims out of them,
reviewers rank them and resolve contradictions with a note, through the same services as
the API; the lists cost the same whatever their rows."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from factbase.models import Claim, Contradiction, Fact
from factbase.services.claims import claim_create, claim_publish
from tests.factories import CountryFactory, DocumentFactory, PersonFactory, PredicateFactory

pytestmark = pytest.mark.django_db

FACTS = reverse("admin:factbase_fact_changelist")
CLAIMS = reverse("admin:factbase_claim_changelist")
CONTRADICTIONS = reverse("admin:factbase_contradiction_changelist")


def claim(subject, obj, *, reviewer=None, **fields):
    made = claim_create(
        subject=subject,
        predicate=PredicateFactory(),
        object=obj,
        spans=[{"document": DocumentFactory(), "exact": "Sergei Lavrov visited Indonesia"}],
        **fields,
    )
    made = claim_publish(claim=made, by=reviewer) if reviewer else made
    made.refresh_from_db()
    return made


def act(client, url, action, ids, **extra):
    response = client.post(url, {"action": action, "_selected_action": ids, **extra})
    return response, [str(message) for message in get_messages(response.wsgi_request)]


def test_curators_join_facts_and_split_claims(curator_admin):
    lavrov = PersonFactory(name="Sergei Lavrov")
    first, second = claim(lavrov, CountryFactory(name="Indonesia")), claim(lavrov, CountryFactory(name="RI"))
    response, messages = act(curator_admin, FACTS, "join_facts", [first.fact_id, second.fact_id])
    assert messages == [f"Joined 1 fact(s) into fact #{first.fact_id}."]
    assert Claim.objects.get(pk=second.pk).fact_id == first.fact_id
    response, messages = act(curator_admin, CLAIMS, "split_from_facts", [second.pk])
    assert messages[-1] == "1 claim(s) split out of their facts."
    moved = Claim.objects.get(pk=second.pk)
    assert moved.fact_id != first.fact_id and moved.fact_pinned


def test_only_reviewers_are_offered_the_ranks(curator_admin, reviewer_admin):
    made = claim(PersonFactory(), CountryFactory())
    offered = set(dict(curator_admin.get(FACTS).context["action_form"].fields["action"].choices))
    assert "rank_preferred" not in offered and "join_facts" in offered
    response, messages = act(reviewer_admin, FACTS, "rank_preferred", [made.fact_id])
    assert Fact.objects.get(pk=made.fact_id).rank == "preferred"
    response, messages = act(reviewer_admin, CLAIMS, "rank_deprecated", [made.pk])
    assert Claim.objects.get(pk=made.pk).rank == "deprecated"


def test_reviewers_resolve_a_contradiction_with_a_note(reviewer_admin, reviewer):
    lavrov, laos = PersonFactory(), CountryFactory(name="Laos")
    claim(lavrov, laos, reviewer=reviewer)
    claim(lavrov, laos, reviewer=reviewer, polarity="negated")
    found = Contradiction.objects.get()
    page = reviewer_admin.get(reverse("admin:factbase_contradiction_change", args=[found.pk]))
    assert "Sergei Lavrov visited Indonesia" in page.content.decode()  # the evidence on each side
    url = reverse("admin:factbase_contradiction_change", args=[found.pk])
    refused = reviewer_admin.post(url, {"note": "", "_concurrency_version": ""})
    assert refused.status_code == 200  # the service's error on the note
    saved = reviewer_admin.post(url, {"note": "The denial is the later one."})
    assert saved.status_code == 302, saved.content[:2000]
    found.refresh_from_db()
    assert (found.resolved, found.note) == (True, "The denial is the later one.")


@pytest.mark.parametrize("rows", [1, 3])
def test_the_lists_cost_the_same_whatever_rows(reviewer_admin, reviewer, django_assert_num_queries, rows):
    for _ in range(rows):
        lavrov, laos = PersonFactory(), CountryFactory()
        claim(lavrov, laos, reviewer=reviewer)
        claim(lavrov, laos, reviewer=reviewer, polarity="negated")
    # session, user, the user's and the groups' permissions, the capped count, the page
    with django_assert_num_queries(6):
        response = reviewer_admin.get(FACTS)
        response.render()
    assert response.context["cl"].result_count == 2 * rows
    with django_assert_num_queries(6):
        response = reviewer_admin.get(CONTRADICTIONS)
        response.render()
    assert response.context["cl"].result_count == rows
