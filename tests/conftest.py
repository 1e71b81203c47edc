"""Root fixtures shared by every test module."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
