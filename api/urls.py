"""/api/v1/ routes."""

from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse


@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request, format=None):
    return Response({"admin": request.build_absolute_uri(reverse("admin:index"))})


urlpatterns = [path("", api_root, name="api-root")]
