import datetime

from rest_framework import serializers

from crm_project.fields import StrictCharField, StrictUUIDField
from crm_project.filters import DATE_RE
from crm_project.serializers import FastOutputMixin
from tasks.models import Task


class StrictDateField(serializers.DateField):
    """A JSON string written exactly `YYYY-MM-DD` (API.md §1)."""

    def to_internal_value(self, value):
        if isinstance(value, str) and DATE_RE.match(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail("invalid", format="YYYY-MM-DD")


class StrictBooleanField(serializers.BooleanField):
    """JSON `true` or `false` only; no strings or numbers."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)


class TaskSerializer(FastOutputMixin, serializers.ModelSerializer):
    deal_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "deal_id", "title", "description", "due_date", "is_done", "created_at", "updated_at"]
        read_only_fields = fields


class TaskCreateSerializer(serializers.Serializer):
    deal_id = StrictUUIDField()
    title = StrictCharField(max_length=255)
    description = StrictCharField(
        required=False, allow_null=True, allow_blank=True, trim_whitespace=False, multiline=True, max_length=10000
    )
    due_date = StrictDateField(required=False, allow_null=True)


class TaskUpdateSerializer(serializers.Serializer):
    """Every field optional; only the fields sent change. `null` clears description and due_date."""

    title = StrictCharField(required=False, max_length=255)
    description = StrictCharField(
        required=False, allow_null=True, allow_blank=True, trim_whitespace=False, multiline=True, max_length=10000
    )
    due_date = StrictDateField(required=False, allow_null=True)
    is_done = StrictBooleanField(required=False)
