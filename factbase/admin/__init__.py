"""Curator admin: every curated model registered with history (django-simple-history),
search by name and alias, autocomplete entity pickers, inlines, the document screen with
highlighted evidence, the review workflow, the merge of duplicate entities and its undoing.

Screens live by aggregate: entities.py, merges.py, documents.py, claims.py, facts.py, jobs.py; shared pieces in
mixins.py and highlight.py. Importing them registers every ModelAdmin."""

from factbase.admin import claims, documents, entities, facts, jobs, merges  # noqa: F401 - registers the ModelAdmins
