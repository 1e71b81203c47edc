"""Shapes of `POST imports/`: the ways a file comes (JSON Lines as the body, a JSON object
with its lines, or a multipart upload), the modes, and the report that answers. Shape and
type checks only: every line is checked by factbase/services/imports.py."""

from __future__ import annotations

from rest_framework import serializers

from factbase.services.imports import LINE_TYPES, MODES


class ImportOptionsSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(default=False, help_text="Check every line and write nothing.")
    on_error = serializers.ChoiceField(
        choices=MODES,
        default="abort",
        help_text="`abort`: any refused line writes nothing (422); `continue`: the good lines are written.",
    )


class ImportLinesSerializer(serializers.Serializer):
    """The file as JSON: its lines, each an object with a `type` (docs/api.md, "Imports")."""

    lines = serializers.ListField(
        child=serializers.JSONField(allow_null=True),
        allow_empty=False,
        help_text="The lines, each a JSON object with a `type`.",
    )
    dry_run = serializers.BooleanField(required=False, help_text="As the query parameter.")
    on_error = serializers.ChoiceField(choices=MODES, required=False, help_text="As the query parameter.")


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The JSON Lines file, UTF-8, one object per line.")


class ImportCountsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ImportLineErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The line's number in the file, from 1.")
    type = serializers.CharField(allow_null=True, help_text="The line's type, when it could be read.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field, as the API's 400 answers word them (`non_field_errors`: the whole line).",
    )


class ImportReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    on_error = serializers.ChoiceField(choices=MODES)
    written = serializers.BooleanField(help_text="Whether anything was written (false: dry run, or refused lines).")
    lines = serializers.IntegerField(help_text="Lines read (blank lines are not counted).")
    counts = serializers.DictField(
        child=ImportCountsSerializer(),
        help_text=f"Per line type ({', '.join(LINE_TYPES)}): rows created, updated and found unchanged.",
    )
    errors = ImportLineErrorSerializer(many=True, help_text="Every refused line, in file order.")
