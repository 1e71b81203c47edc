"""Root fixtures shared by every test module."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _cache_as_by_default(settings):
    """Every test runs on the default local-memory cache, without the hot-read cache, even
    when REDIS_URL is set (it then only says where the Redis tests find Redis): a test that
    wants Redis asks for `shared_redis` and gets keys of its own, so parallel runs never
    share keys, and query counts stay those of the default set-up."""
    if settings.REDIS_URL:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        settings.FACTBASE_READ_CACHE = False


@pytest.fixture
def curator(db):
    return UserFactory(username="curator-1", is_staff=True, groups=["curators"])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer-1", is_staff=True, groups=["reviewers"])


@pytest.fixture
def administrator(db):
    """A staff administrator who is not a superuser: the `administrators` group's rights only."""
    return UserFactory(username="administrator-1", is_staff=True, groups=["administrators"])


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def curator_client(curator):
    client = APIClient()
    client.force_authenticate(curator)
    return client


@pytest.fixture
def reviewer_client(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


@pytest.fixture
def shared_redis(settings):
    """Django's default cache on the machine's Redis (skipped where there is none), under a key
    prefix of this test's own, deleted afterwards."""
    from tests.redis_support import REDIS_URL, cache_settings, delete_prefix, new_prefix, require_redis

    require_redis()
    prefix = new_prefix()
    settings.CACHES = cache_settings(REDIS_URL, prefix)
    yield prefix
    delete_prefix(REDIS_URL, prefix)


@pytest.fixture
def own_redis():
    """A Redis server of this test's own, which it may kill and start again."""
    from tests.redis_support import RedisServer

    server = RedisServer().start()
    yield server
    server.kill()
