import datetime
import re

from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analytics.selectors import period_start
from deals.models import DealStage, DealStatus

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATETIME_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?",
    re.IGNORECASE,
)
CREATED_AFTER_HELP = (
    "Only deals created at or after this moment (inclusive). A date (`YYYY-MM-DD`) means the start "
    "of that day in the server's time zone; a datetime (ISO 8601) without an offset is read in that "
    "zone too. Encode `+` in an offset as `%2B`."
)


@extend_schema_field({"oneOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]})
class CreatedAfterField(serializers.Field):
    """A date or an ISO 8601 datetime; the value is the aware instant it stands for."""

    default_error_messages = {
        "invalid": "`created_after` must be a date (YYYY-MM-DD) or an ISO 8601 datetime; encode `+` as %2B.",
    }

    def get_value(self, dictionary):
        # An empty `created_after=` is a mistake to report, not an absent filter.
        return dictionary.get(self.field_name, serializers.empty)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        value = data.strip()
        try:
            if DATE_RE.fullmatch(value):
                parsed = parse_date(value)
            elif DATETIME_RE.fullmatch(value):
                parsed = parse_datetime(value)
            else:
                parsed = None
            if parsed is None:
                self.fail("invalid")
            start = period_start(parsed)
            # An instant outside what a datetime can hold in UTC cannot be queried.
            start.astimezone(datetime.UTC)
        except (ValueError, OverflowError):
            self.fail("invalid")
        return start

    def to_representation(self, value):
        return value.isoformat()


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": DealStatus.values}})
class StatusListField(serializers.ListField):
    """`status_list` may repeat; every value must be a deal status."""

    child = serializers.CharField(allow_blank=True, trim_whitespace=False)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        invalid = [value for value in values if value not in DealStatus.values]
        if invalid:
            raise serializers.ValidationError(
                f"Invalid status {', '.join(repr(v) for v in invalid)}; "
                f"expected one of: {', '.join(DealStatus.values)}."
            )
        return values


class DealFunnelQuerySerializer(serializers.Serializer):
    status_list = StatusListField(
        required=False,
        help_text=f"Only deals with one of these statuses ({', '.join(DealStatus.values)}); repeat to add more.",
    )


class DealSummaryQuerySerializer(DealFunnelQuerySerializer):
    created_after = CreatedAfterField(required=False, help_text=CREATED_AFTER_HELP)


def money_field(help_text, allow_null=False):
    return serializers.DecimalField(
        max_digits=None, decimal_places=2, coerce_to_string=False, allow_null=allow_null, help_text=help_text
    )


class DealCurrencySummarySerializer(serializers.Serializer):
    currency = serializers.CharField(help_text="ISO 4217 code.")
    count = serializers.IntegerField(help_text="Filtered deals in this currency.")
    total_amount = money_field("Sum of their amounts.")
    won_amount = money_field("Sum of the amounts of the won ones (0 when none).")
    average_amount = money_field("Mean amount, rounded half-up to 2 decimals.")


class DealSummarySerializer(serializers.Serializer):
    total_count = serializers.IntegerField()
    new_count = serializers.IntegerField()
    in_progress_count = serializers.IntegerField()
    won_count = serializers.IntegerField()
    lost_count = serializers.IntegerField()
    total_won_amount = money_field(
        "Sum of the won deals' amounts when they share one currency; 0 when none is won; "
        "null when they span currencies (see by_currency).",
        allow_null=True,
    )
    average_amount = money_field(
        "Mean amount of all filtered deals (half-up, 2 decimals) when they share one currency; "
        "null when there is no deal or they span currencies (see by_currency).",
        allow_null=True,
    )
    new_deals_count = serializers.IntegerField(
        help_text="Filtered deals created from created_after (else the last 30 days) to now."
    )
    by_currency = DealCurrencySummarySerializer(many=True, help_text="Exact figures per currency, by code.")


class DealFunnelStageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=DealStage.choices)
    count = serializers.IntegerField(help_text="Deals now at this stage.")
    reached = serializers.IntegerField(help_text="Deals at this stage or a later one.")
    conversion_to_next = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text="reached(next) / reached(this) in percent, half-up; null for the last stage or when reached is 0.",
    )


class DealFunnelSerializer(serializers.Serializer):
    qualification_count = serializers.IntegerField()
    proposal_count = serializers.IntegerField()
    negotiation_count = serializers.IntegerField()
    closed_count = serializers.IntegerField()
    stages = DealFunnelStageSerializer(many=True)
