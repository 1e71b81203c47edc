"""A URLconf for reliability tests: the real routes plus two views that fail on purpose."""

from django.http import JsonResponse
from django.urls import path

from factbase.models import Entity
from factbase.urls import handler400, handler403, handler404, handler500
from factbase.urls import urlpatterns as factbase_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def boom(request):
    raise RuntimeError("secret internal detail: /etc/passwd")


def entity_count(request):
    return JsonResponse({"count": Entity.objects.count()})


urlpatterns = [
    path("api/v1/test-boom/", boom),
    path("test-boom/", boom),
    path("api/v1/test-entity-count/", entity_count),
    *factbase_urlpatterns,
]
