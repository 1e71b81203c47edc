"""The admin's one-time messages (factbase.middleware.MessageMiddleware): the storage is made
when a request first uses it, and a message one request adds is read by the next."""

from django.contrib import messages
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.functional import empty

from factbase.middleware import MessageMiddleware


def _through_middleware(view, cookies=None):
    request = RequestFactory().get("/admin/")
    request.session = {}
    request.COOKIES.update(cookies or {})
    response = MessageMiddleware(lambda request: view(request) or HttpResponse())(request)
    return request, response


def test_a_request_that_uses_no_message_makes_no_storage_and_sets_no_cookie():
    request, response = _through_middleware(lambda request: None)
    assert request._messages._wrapped is empty
    assert "messages" not in response.cookies


def test_a_message_added_by_one_request_is_read_by_the_next():
    _, response = _through_middleware(lambda request: messages.success(request, "Saved “Lavrov”."))
    cookie = response.cookies["messages"].value
    read = []
    request, response = _through_middleware(
        lambda request: read.extend(str(message) for message in messages.get_messages(request)),
        cookies={"messages": cookie},
    )
    assert read == ["Saved “Lavrov”."]
    # Read, so the next response clears it (as Django's middleware does).
    assert response.cookies["messages"].value == ""
