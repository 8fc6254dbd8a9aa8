from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from crm_project.fields import StrictCharField, StrictUUIDField
from crm_project.serializers import FastOutputMixin
from deals.currencies import validate_currency
from deals.models import Activity, Deal, DealStage, DealStatus

AMOUNT_MAX_DIGITS = 15
AMOUNT_DECIMAL_PLACES = 2


class MoneyField(serializers.DecimalField):
    """Exact money: at most 13 integer digits and 2 decimals, never negative, never rounded.
    Sent as a JSON number."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", AMOUNT_MAX_DIGITS)
        kwargs.setdefault("decimal_places", AMOUNT_DECIMAL_PLACES)
        kwargs.setdefault("coerce_to_string", False)
        super().__init__(**kwargs)


class CurrencyField(StrictCharField):
    """An ISO 4217 code, upper-cased on input; one error for anything else."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_length", 3)
        kwargs.setdefault("max_length", 3)
        super().__init__(**kwargs)
        # The ISO check below covers the length; keep a single message per problem.
        self.validators = []

    def to_internal_value(self, data):
        code = super().to_internal_value(data).upper()
        if len(code) != 3:
            # Never echo a long input back in the message.
            raise serializers.ValidationError("A currency is a 3-letter ISO 4217 code.")
        try:
            validate_currency(code)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return code


class DealSerializer(FastOutputMixin, serializers.ModelSerializer):
    organization_id = serializers.UUIDField(read_only=True)
    contact_id = serializers.UUIDField(read_only=True, allow_null=True)
    owner_id = serializers.UUIDField(read_only=True)
    amount = MoneyField(read_only=True)

    class Meta:
        model = Deal
        fields = [
            "id",
            "organization_id",
            "contact_id",
            "owner_id",
            "title",
            "amount",
            "currency",
            "status",
            "stage",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DealCreateSerializer(serializers.Serializer):
    contact_id = StrictUUIDField()
    title = StrictCharField(min_length=1, max_length=255)
    amount = MoneyField(min_value=0)
    currency = CurrencyField()


class DealUpdateSerializer(serializers.Serializer):
    """PATCH: any of the fields. Applied completely or not at all."""

    status = serializers.ChoiceField(choices=DealStatus.choices, required=False)
    stage = serializers.ChoiceField(choices=DealStage.choices, required=False)
    title = StrictCharField(min_length=1, max_length=255, required=False)
    amount = MoneyField(min_value=0, required=False)
    currency = CurrencyField(required=False)
    contact_id = StrictUUIDField(required=False)
    owner_id = StrictUUIDField(required=False)


class ActivitySerializer(FastOutputMixin, serializers.ModelSerializer):
    deal_id = serializers.UUIDField(read_only=True)
    author_id = serializers.UUIDField(read_only=True, allow_null=True)
    payload = serializers.JSONField(read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "deal_id", "author_id", "type", "payload", "created_at"]
        read_only_fields = fields


class CommentCreateSerializer(serializers.Serializer):
    text = StrictCharField(max_length=10000, trim_whitespace=False, multiline=True)

    def validate_text(self, value):
        if not value.strip():
            raise serializers.ValidationError("The text must not be blank.")
        return value
