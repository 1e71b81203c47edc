"""Who may do what through the API: every view asks factbase/permissions.py.

A view names the model it works on (`permission_model`, a label such as `factbase.claim`);
the action is the method's (GET, HEAD and OPTIONS view; POST adds; PUT and PATCH change;
DELETE deletes) unless the view, or the viewset's extra action, names its own
(`permission_action`: `submit`, `publish`, `suggest`, `revise`). Refused: 401 with
`WWW-Authenticate` when no credentials came, else 403 saying who may.

- What a client may read of a model it may view is the QuerySet's `visible_to(user)`
  (anonymous clients see published claims only), not a permission.
- Rules of state (a published claim is changed by reviewers only, never deleted; anything
  still cited is not deleted) are the services' (403 and 409 from there).
- A method the endpoint does not offer is 405 for everyone, before any permission check.
- Routes that touch no model (`NO_MODEL_ROUTES`: the root, the token, the schema and its
  docs) are open to everyone; tests/test_permission_matrix.py fails on any other route
  whose view declares no model.
"""

from __future__ import annotations

from rest_framework import permissions

from factbase.permissions import allows, refusal

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}
NO_MODEL_ROUTES = frozenset({"api-root", "api-token", "api-schema", "api-docs", "api-redoc"})


def method_not_allowed(request, view) -> bool:
    """The view will answer 405: a method it lacks is not a permission question."""
    return request.method not in getattr(view, "allowed_methods", ())


def declared_action(view, method: str) -> tuple[str, str]:
    """(model label, action) that `method` on `view` needs, as factbase/permissions.py names them."""
    action = METHOD_ACTIONS[method]
    own = getattr(view, "permission_action", None)
    if own is not None and method != "OPTIONS":  # describing an action is not doing it
        action = own
    return view.permission_model, action


class Declared(permissions.BasePermission):
    """The declaration's answer for the view's model and the request's action."""

    def has_permission(self, request, view):
        if method_not_allowed(request, view):
            return True
        label, action = declared_action(view, request.method)
        if allows(request.user, action, label):
            return True
        self.message = refusal(action, label)
        return False
