"""No lost updates in the admin: a change form carries the version of the row it was opened
on (a hidden field), and saving is refused, with a message saying who changed what, when
the row was changed by someone else in the meantime.

The version is a hash of every stored column of the row (parents' columns included for
typed entities), read again under a row lock when the form is saved: two curators saving
at the same moment cannot both pass the check (PostgreSQL's SELECT … FOR UPDATE; SQLite
serialises write transactions, and the admin saves inside one)."""

from __future__ import annotations

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

VERSION_FIELD = "fb_version"


def row_version(model, pk, *, lock: bool = False) -> str | None:
    """A short fingerprint of the stored row, or None when it no longer exists."""
    queryset = model._base_manager.filter(pk=pk)
    if lock:
        queryset = queryset.select_for_update()
    columns = [field.attname for field in model._meta.concrete_fields]
    row = queryset.values_list(*columns).first()
    if row is None:
        return None
    return hashlib.sha256(repr(row).encode("utf-8")).hexdigest()[:32]


def _last_change(instance) -> str:
    history = getattr(instance, "history", None)
    record = history.select_related("history_user").first() if history is not None else None
    if record is None:
        return ""
    who = record.history_user.get_username() if record.history_user else "someone"
    when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M:%S")
    return f" (last change by {who} at {when})"


class VersionedFormMixin:
    """Adds the hidden version field to a change form and checks it on save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial[VERSION_FIELD] = row_version(type(self.instance), self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        opened = (self.cleaned_data.get(VERSION_FIELD) or "").strip()
        # A form posted without a version (an old tab, a script) is saved as before.
        if self.instance.pk is not None and opened:
            current = row_version(type(self.instance), self.instance.pk, lock=True)
            if current != opened:
                name = self.instance._meta.verbose_name
                raise ValidationError(
                    f"Someone else changed this {name} after you opened it{_last_change(self.instance)}. "
                    "Your changes were not saved: open it again to see theirs, then make yours.",
                    code="edit_conflict",
                )
        return cleaned


def versioned_form(form_class):
    return type(
        f"Versioned{form_class.__name__}",
        (VersionedFormMixin, form_class),
        {VERSION_FIELD: forms.CharField(widget=forms.HiddenInput, required=False)},
    )


class ConcurrencyGuardAdminMixin:
    """For ModelAdmin: change forms (not add forms) carry and check the row version."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or not fieldsets or not self.has_change_permission(request, obj):
            return fieldsets
        name, options = fieldsets[-1]
        # A line holding only a hidden field renders as a hidden row.
        return [*fieldsets[:-1], (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs.setdefault("form", versioned_form(self.form))
        return super().get_form(request, obj, change=change, **kwargs)
