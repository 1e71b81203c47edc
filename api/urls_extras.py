"""Routes of the curation and export endpoints (api/views/extras.py), included by api/urls.py
under /api/v1/ next to the resources they extend."""

from django.urls import path

from api.views import extras

urlpatterns = [
    path("documents/<int:pk>/suggestions/", extras.DocumentSuggestionsView.as_view(), name="document-suggestions"),
    path(
        "documents/<int:pk>/suggestions/accept/",
        extras.DocumentSuggestionsAcceptView.as_view(),
        name="document-suggestions-accept",
    ),
    path(
        "documents/<int:pk>/suggestions/reject/",
        extras.DocumentSuggestionsRejectView.as_view(),
        name="document-suggestions-reject",
    ),
    path("documents/<int:pk>/revise/", extras.DocumentReviseView.as_view(), name="document-revise"),
    path("documents/<int:pk>/annotations/", extras.DocumentAnnotationsView.as_view(), name="document-annotations"),
    path("entities/<int:pk>/timeline/", extras.EntityTimelineView.as_view(), name="entity-timeline"),
    path("exports/popolo/", extras.PopoloExportView.as_view(), name="export-popolo"),
]
