import re

from rest_framework import serializers

from contacts.models import Contact
from crm_project.fields import StrictCharField, StrictUUIDField
from crm_project.serializers import FastOutputMixin

PHONE_CHARACTERS = re.compile(r"\+?[0-9 ()\-]+")
PHONE_MIN_DIGITS = 10
PHONE_MAX_DIGITS = 15


def normalize_phone(value):
    """10 to 15 digits, with an optional leading `+`, spaces, `-`, `(` and `)` between them."""
    value = value.strip()
    digits = sum(character.isdigit() for character in value)
    if not PHONE_CHARACTERS.fullmatch(value) or not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
        raise serializers.ValidationError(
            f"Enter a phone number of {PHONE_MIN_DIGITS} to {PHONE_MAX_DIGITS} digits; only a leading `+`, "
            "spaces, `-`, `(` and `)` may accompany them."
        )
    return value


class ContactSerializer(FastOutputMixin, serializers.ModelSerializer):
    organization_id = serializers.UUIDField(read_only=True)
    owner_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Contact
        fields = ["id", "organization_id", "owner_id", "name", "email", "phone", "created_at", "updated_at"]
        read_only_fields = fields


class ContactWriteSerializer(serializers.Serializer):
    """POST and PATCH bodies. An empty `email` or `phone` is stored as null."""

    name = StrictCharField(min_length=1, max_length=255)
    email = serializers.EmailField(max_length=254, required=False, allow_null=True, allow_blank=True)
    phone = StrictCharField(max_length=32, required=False, allow_null=True, allow_blank=True)

    def validate_email(self, value):
        return value or None

    def validate_phone(self, value):
        return normalize_phone(value) if value else None


class ContactUpdateSerializer(ContactWriteSerializer):
    """PATCH: any of the fields; `owner_id` reassigns the contact (manager or above)."""

    name = StrictCharField(min_length=1, max_length=255, required=False)
    owner_id = StrictUUIDField(required=False)
