"""Serializer fields that take JSON as it is typed (API.md §1: wrong types are a 400).

DRF's own fields are lenient: a CharField turns `12` into `"12"` and lets control characters
through, a UUIDField takes a JSON integer (`true` is UUID 1). These refuse both.
"""

import unicodedata
import uuid

from rest_framework import serializers

# Where a field is `multiline`, these stay: text has lines and may be indented.
TEXT_CONTROLS = frozenset("\t\n\r")


class StrictCharField(serializers.CharField):
    default_error_messages = {
        "invalid": "Not a valid string.",
        "control_characters": "Control characters are not allowed.",
    }

    def __init__(self, *, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        allowed = TEXT_CONTROLS if self.multiline else frozenset()
        if any(unicodedata.category(char) == "Cc" and char not in allowed for char in data):
            self.fail("control_characters")
        return super().to_internal_value(data)


class StrictUUIDField(serializers.UUIDField):
    """A UUID string; DRF's own field would also take a JSON integer."""

    def to_internal_value(self, data):
        if not isinstance(data, (str, uuid.UUID)):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)
