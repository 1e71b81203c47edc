"""Who may do what through the API.

- Anyone may read (anonymous clients see published claims only: that is the QuerySets'
  `visible_to(user)`, not a permission).
- Writes need the model permissions the `curators` group holds (add/change/delete); an
  anonymous write is 401 (with `WWW-Authenticate`), a logged-in user without them gets 403.
- Publishing and rejecting need `factbase.publish_claim` (the `reviewers` group): asked
  here of the claim service's own predicate, so that a curator's attempt is refused before
  the claim is even looked up. Changing a claim that is already published is reviewers'
  too; that rule is the service's alone (factbase.services.claims.claim_update answers 403).
- A method the endpoint does not offer is 405 for everyone, before any permission check.
"""

from __future__ import annotations

from rest_framework import permissions

from factbase.services.claims import is_reviewer


def method_not_allowed(request, view) -> bool:
    """The view will answer 405: a method it lacks is not a permission question."""
    return request.method not in getattr(view, "allowed_methods", ())


class CanWriteOrReadOnly(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Read for everyone; write with the model's add/change/delete permission."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            # Reads need no model permission (DRF's map is empty for them); deciding here
            # spares building the view's queryset just to learn its model on every GET.
            return True
        return method_not_allowed(request, view) or super().has_permission(request, view)


class CanPublish(permissions.BasePermission):
    """Reviewers only: publish or reject a claim."""

    message = "Only reviewers may publish or reject claims."

    def has_permission(self, request, view):
        if request.method == "OPTIONS" or method_not_allowed(request, view):
            return True  # describing the action, or a 405, is not publishing
        return is_reviewer(request.user)
