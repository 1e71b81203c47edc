"""Admin test clients: a curator and a reviewer logged into the admin (session auth)."""

import pytest
from django.test import Client


@pytest.fixture
def curator_admin(curator):
    client = Client()
    client.force_login(curator)
    return client


@pytest.fixture
def reviewer_admin(reviewer):
    client = Client()
    client.force_login(reviewer)
    return client
