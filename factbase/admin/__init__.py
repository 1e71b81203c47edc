"""Curator admin. Every curated model is registered here with history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from factbase import models

for model in [
    models.Country,
    models.Person,
    models.Organisation,
    models.Event,
    models.EventParticipant,
    models.Alias,
    models.Identifier,
    models.Role,
    models.Document,
    models.Mention,
    models.Predicate,
    models.Claim,
    models.SourceSpan,
]:
    admin.site.register(model, SimpleHistoryAdmin)
