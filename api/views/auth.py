"""`auth/token/`: trade a username and password for an API token."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken


class TokenView(ObtainAuthToken):
    """POST `{username, password}` → `{token}`; then send `Authorization: Token <token>`.
    The same token is returned until it is deleted in the admin."""

    authentication_classes = []  # a stale token header must not stop anyone from logging in

    @extend_schema(summary="Get an API token", tags=["auth"])
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
