"""The change feed under concurrent writers, on PostgreSQL: a change committed after a reader
moved past a later one is not skipped, and a mirror that follows the feed while four writers
make random changes ends equal to a fresh read of every object, for anonymous clients and
for curators.

SQLite has one writer at a time (a position is its row's id, stamped as it is written), so
there is nothing concurrent to test there."""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import connection, connections, transaction
from rest_framework.test import APIClient

from factbase.models import Claim, Document, Entity, EntityMerge, Mention, Person, RejectedSuggestion, SourceSpan
from factbase.models.aliases import Alias
from factbase.services import claims as claim_services
from factbase.services import entities as entity_services
from factbase.services import mentions as mention_services
from factbase.services.documents import document_delete, document_update
from factbase.services.ingest import document_ingest
from factbase.services.merges import entity_unmerge
from tests.api.conftest import build_world
from tests.factories import DocumentFactory, PersonFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has one writer at a time: commits cannot come out of order there",
    ),
]

URL = "/api/v1/changes/"


def latest(client) -> int:
    return client.get(URL).json()["latest"]


def changes_after(client, after: int) -> list[dict]:
    items, url = [], f"{URL}?after={after}&page_size=200"
    while url:
        body = client.get(url).json()
        items += body["results"]
        url = body["next"]
    return items


def in_thread(work):
    """Run `work` on its own thread (so on its own database connection), closing it after."""

    def run():
        try:
            work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_change_committed_late_is_not_skipped():
    reader = APIClient()
    start = latest(reader)
    written, commit = threading.Event(), threading.Event()
    created = {}

    def slow_writer():
        with transaction.atomic():
            created["slow"] = DocumentFactory(text="Written first, committed last.").pk
            written.set()  # its change is logged, not yet committed
            assert commit.wait(30)

    slow = in_thread(slow_writer)
    assert written.wait(30)
    # Documents: entity names would queue on the suggestions' counter row (name_changes.py).
    fast = in_thread(lambda: created.setdefault("fast", DocumentFactory(text="Written last, committed first.").pk))
    fast.join(30)
    seen = changes_after(reader, start)
    assert [(item["type"], item["id"]) for item in seen] == [("document", created["fast"])]
    cursor = seen[-1]["cursor"]
    commit.set()
    slow.join(30)
    assert [(item["action"], item["type"], item["id"]) for item in changes_after(reader, cursor)] == [
        ("create", "document", created["slow"])
    ]


def test_a_commit_runs_its_foreign_key_checks_before_it_takes_the_feeds_lock():
    """A transaction's deferred foreign-key checks queued after its last change (here a
    rejected suggestion's) wait for a row that another transaction holds `FOR UPDATE`; that
    one then commits a change of its own. Were the first holding the feed's lock while it
    checks, each would wait for the other (a deadlock, one of them failed)."""
    reader = APIClient()
    start = latest(reader)
    person, document = PersonFactory(name="Held Row"), DocumentFactory(text="Locked and checked.")
    locked, checking, failures, created = threading.Event(), threading.Event(), [], {}

    def holder():  # locks the person, then commits a change of its own
        try:
            with transaction.atomic():
                list(Entity.objects.select_for_update().filter(pk=person.pk))
                locked.set()
                assert checking.wait(30)
                time.sleep(0.5)  # the other is now committing, waiting for this row
                created["holder"] = DocumentFactory(text="Committed by the holder.").pk
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    def checker():  # a change, then a row whose foreign key names the locked person
        try:
            assert locked.wait(30)
            with transaction.atomic():
                created["checker"] = DocumentFactory(text="Committed by the checker.").pk
                RejectedSuggestion.objects.create(document=document, entity_id=person.pk, start=0, end=6)
                checking.set()
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [in_thread(holder), in_thread(checker)]
    for thread in threads:
        thread.join(60)
    assert failures == []
    found = {(item["type"], item["id"]) for item in changes_after(reader, start)}
    assert {("document", created["holder"]), ("document", created["checker"])} <= found


# --- the mirror ---------------------------------------------------------------------------------

TEXT_WORDS = "Lavrov visited Indonesia and met the foreign ministers of Laos and Brunei in July".split()


class Writer:
    """Random changes through the services, on its own connection."""

    def __init__(self, seed: int, reviewer, curator, count: int):
        self.random = random.Random(seed)
        self.reviewer, self.curator, self.count = reviewer, curator, count
        self.done = self.failed = 0

    def pick(self, queryset):
        ids = list(queryset.values_list("pk", flat=True)[:50])
        if not ids:
            raise LookupError
        return queryset.model.objects.get(pk=self.random.choice(ids))

    def run(self):
        operations = [
            self.create_person,
            self.rename,
            self.add_alias,
            self.change_alias,
            self.delete_alias,
            self.create_document,
            self.edit_document,
            self.delete_document,
            self.create_claim,
            self.add_span,
            self.move_span,
            self.delete_span,
            self.submit,
            self.publish,
            self.reject,
            self.delete_claim,
            self.mention,
            self.move_mention,
            self.delete_mention,
            self.merge,
            self.unmerge,
            self.delete_person,
        ]
        while self.done < self.count:
            operation = self.random.choice(operations)
            try:
                operation()
                self.done += 1
            except Exception:  # noqa: BLE001 - a refusal or a conflict with another writer: try something else
                self.failed += 1

    def create_person(self):
        entity_services.entity_create(model=Person, name=f"Person {self.random.randrange(10**6)}", by=self.curator)

    def rename(self):
        # Half the time an entity that claims, documents or other entities name.
        named = Claim.objects.values_list("subject_id", flat=True).union(
            Mention.objects.values_list("entity_id", flat=True), Person.objects.values_list("nationality_id", flat=True)
        )
        entities = Entity.objects.filter(pk__in=list(named)) if self.random.random() < 0.5 else Entity.objects
        entity = self.pick(entities.order_by("?")).typed
        entity_services.entity_update(entity=entity, name=f"Renamed {self.random.randrange(10**6)}", by=self.curator)

    def add_alias(self):
        entity = self.pick(Entity.objects.order_by("?"))
        entity_services.alias_add(entity=entity, name=f"Alias {self.random.randrange(10**6)}")

    def change_alias(self):
        alias = self.pick(Alias.objects.order_by("?"))
        entity_services.alias_update(alias=alias, name=f"Changed {self.random.randrange(10**6)}", by=self.curator)

    def delete_alias(self):
        entity_services.alias_delete(alias=self.pick(Alias.objects.order_by("?")), by=self.curator)

    def create_document(self):
        words = self.random.sample(TEXT_WORDS, 8)
        text = " ".join(words) + f" {self.random.randrange(10**9)}."
        document_ingest(text=text, title=words[0], by=self.curator)

    def edit_document(self):
        document = self.pick(Document.objects.order_by("?"))
        document_update(document=document, title=f"Title {self.random.randrange(10**6)}", by=self.curator)

    def delete_document(self):
        document_delete(document=self.pick(Document.objects.order_by("?")), by=self.curator)

    def _span(self, document):
        start = self.random.randrange(0, len(document.text) - 5)
        return {"document": document, "start": start, "end": start + 5}

    def create_claim(self):
        subject = self.pick(Person.objects.order_by("?"))
        document = self.pick(Document.objects.order_by("?"))
        predicate = Claim.objects.values_list("predicate", flat=True).first()
        claim_services.claim_create(
            subject=subject,
            predicate_id=predicate,
            value=f"value {self.random.randrange(10**6)}",
            spans=[self._span(document)],
            by=self.curator,
        )

    def add_span(self):
        claim = self.pick(Claim.objects.exclude(status="published").order_by("?"))
        document = self.pick(Document.objects.order_by("?"))
        claim_services.span_add(claim=claim, specs=[self._span(document)], by=self.reviewer)

    def move_span(self):
        span = self.pick(SourceSpan.objects.order_by("?"))
        start = self.random.randrange(0, len(span.document.text) - 5)
        claim_services.span_update(span=span, start=start, end=start + 5, by=self.reviewer)

    def delete_span(self):
        claim_services.span_delete(span=self.pick(SourceSpan.objects.order_by("?")), by=self.reviewer)

    def submit(self):
        claim_services.claim_submit(
            claim=self.pick(Claim.objects.filter(status="draft").order_by("?")), by=self.curator
        )

    def publish(self):
        claim = self.pick(Claim.objects.filter(status__in=["draft", "in_review"]).order_by("?"))
        claim_services.claim_publish(claim=claim, by=self.reviewer)

    def reject(self):
        claim_services.claim_reject(claim=self.pick(Claim.objects.order_by("?")), by=self.reviewer)

    def delete_claim(self):
        claim = self.pick(Claim.objects.exclude(status="published").order_by("?"))
        claim_services.claim_delete(claim=claim, by=self.curator)

    def mention(self):
        document = self.pick(Document.objects.order_by("?"))
        entity = self.pick(Entity.objects.order_by("?"))
        start = self.random.randrange(0, len(document.text) - 5)
        mention_services.mention_create(document=document, entity=entity, start=start, end=start + 5, by=self.curator)

    def move_mention(self):
        mention = self.pick(Mention.objects.order_by("?"))
        entity = self.pick(Entity.objects.order_by("?"))
        mention_services.mention_update(mention=mention, entity=entity, by=self.curator)

    def delete_mention(self):
        mention_services.mention_delete(mention=self.pick(Mention.objects.order_by("?")), by=self.curator)

    def merge(self):
        survivor, loser = self.pick(Person.objects.order_by("?")), self.pick(Person.objects.order_by("?"))
        entity_services.entity_merge(survivor=survivor, loser=loser, by=self.reviewer)

    def unmerge(self):
        record = self.pick(EntityMerge.objects.order_by("-pk"))
        entity_unmerge(merged_id=record.merged_id, by=self.reviewer)

    def delete_person(self):
        entity_services.entity_delete(entity=self.pick(Person.objects.order_by("?")), by=self.curator)


PATHS = {"entity": "entities", "claim": "claims", "document": "documents"}


class Mirror:
    """What a client following the feed knows: each object's detail, by its URL."""

    def __init__(self, client, cursor: int):
        self.client, self.cursor, self.objects, self.items = client, cursor, {}, 0

    def follow(self) -> None:
        while True:
            body = self.client.get(f"{URL}?after={self.cursor}&page_size=200").json()
            # Within a page only an object's last change matters: its detail is read now.
            last = {}
            for item in body["results"]:
                if item["url"] is not None:
                    last[item["url"]] = item
                elif item["type"] in PATHS:  # a delete or a merge
                    last[self.url(item["type"], item["id"])] = item
                # an alias's or a mention's delete: its owner's update follows
            for url, item in last.items():
                self.read(url) if item["url"] is not None else self.objects.pop(url, None)
            self.items += len(body["results"])
            if body["results"]:
                self.cursor = body["results"][-1]["cursor"]
            if body["next"] is None:
                return

    @staticmethod
    def url(type_: str, pk: int) -> str:
        return f"http://testserver/api/v1/{PATHS[type_]}/{pk}/"

    def read(self, url: str) -> None:
        response = self.client.get(url)
        if response.status_code == 200:
            self.objects[url] = response.json()
        else:
            assert response.status_code in (404, 308), (url, response.status_code)
            self.objects.pop(url, None)


def full_read(client) -> dict:
    objects = {}
    for type_, model in (("entity", Entity), ("claim", Claim), ("document", Document)):
        for pk in model.objects.values_list("pk", flat=True):
            url = Mirror.url(type_, pk)
            response = client.get(url)
            if response.status_code == 200:
                objects[url] = response.json()
    return objects


def test_a_mirror_following_the_feed_equals_a_fresh_read():
    build_world()
    reviewer = UserFactory(username="mirror-reviewer", groups=["reviewers"])
    curator = UserFactory(username="mirror-curator", groups=["curators"])
    anonymous, signed_in = APIClient(), APIClient()
    signed_in.force_authenticate(curator)
    mirrors = [Mirror(client, latest(client)) for client in (anonymous, signed_in)]
    for mirror in mirrors:  # the full export, taken after the cursor
        mirror.objects = full_read(mirror.client)

    writers = [Writer(seed, reviewer, curator, count=125) for seed in range(4)]
    threads = [in_thread(writer.run) for writer in writers]
    following = threading.Event()

    def follow_while_writing():
        while not following.is_set():
            for mirror in mirrors:
                mirror.follow()
            time.sleep(0.05)

    follower = in_thread(follow_while_writing)
    for thread in threads:
        thread.join(120)
    following.set()
    follower.join(120)
    # Still following, it would race the last follow below on the same mirror: a detail it
    # read before a later change could be stored after that change's.
    assert not follower.is_alive(), "the follower did not stop within 120 s"
    assert sum(writer.done for writer in writers) == 500
    for mirror in mirrors:
        mirror.follow()
        assert mirror.items > 0
        fresh = full_read(mirror.client)
        differences = _differences(mirror.objects, fresh)
        assert differences == {}, f"what the mirror got wrong: {differences}"
        assert mirror.objects == fresh


def _differences(followed: dict, fresh: dict) -> dict:
    """{url: the fields that differ} between a mirror's objects and a fresh read, to say what
    a failure missed (a whole object absent from one side: None)."""
    found = {}
    for url in followed.keys() | fresh.keys():
        mine, theirs = followed.get(url), fresh.get(url)
        if mine != theirs:
            both = mine is not None and theirs is not None
            found[url] = (
                sorted(k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k)) if both else None
            )
    return found
