"""What a job looks like (GET jobs/, GET jobs/{id}/, and the 202 that starts one)."""

from __future__ import annotations

from rest_framework import serializers

from factbase.models import Job


class JobProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(source="progress_done", help_text="Items done so far.")
    total = serializers.IntegerField(
        source="progress_total", allow_null=True, help_text="Items to do; null until the job has counted them."
    )


class JobSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", allow_null=True, default=None, help_text="Who started it.")
    progress = JobProgressSerializer(source="*")
    parameters = serializers.JSONField(help_text="What the job was asked to do.")
    result = serializers.JSONField(
        allow_null=True, help_text="What it did, once succeeded (counts and the first items, never every row)."
    )
    url = serializers.HyperlinkedIdentityField(view_name="job-detail")

    class Meta:
        model = Job
        fields = [
            "id",
            "url",
            "kind",
            "status",
            "owner",
            "progress",
            "parameters",
            "result",
            "error",
            "attempts",
            "created",
            "started",
            "finished",
            "updated",
        ]
        read_only_fields = fields
