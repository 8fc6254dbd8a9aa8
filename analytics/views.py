"""GET /analytics/deals/summary and /analytics/deals/funnel (API.md §6).

The views validate the query, pick the owner scope and call the selector; the figures are
computed in `analytics.selectors` only.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from analytics import selectors
from analytics.serializers import (
    DealFunnelQuerySerializer,
    DealFunnelSerializer,
    DealSummaryQuerySerializer,
    DealSummarySerializer,
)
from organizations.permissions import sees_everything
from organizations.tenancy import TenantAPIView

REPEATABLE = {"status_list"}


class DealAnalyticsView(TenantAPIView):
    query_serializer_class = None

    def validated_query(self):
        """The query parameters, checked: unknown names, repeats of single values and bad values
        are each a 400 naming the parameter."""
        params = self.request.query_params
        serializer = self.query_serializer_class(data=params)
        errors = {}
        for name in params:
            if name not in serializer.fields:
                errors[name] = [f"Unknown query parameter `{name}`."]
            elif name not in REPEATABLE and len(params.getlist(name)) > 1:
                errors[name] = [f"`{name}` may be given only once."]
        if errors:
            raise ValidationError(errors)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def owner_scope(self):
        """API.md §4, as `narrow_to_own` applies it to lists: a `member` sees only its own deals."""
        return None if sees_everything(self.membership) else self.request.user.pk


class DealSummaryView(DealAnalyticsView):
    """Counts by status and money per currency of the organization's deals (a `member`: its own).
    Amounts of different currencies are never added: see `by_currency` for exact figures."""

    query_serializer_class = DealSummaryQuerySerializer

    @extend_schema(
        parameters=[DealSummaryQuerySerializer],
        responses={200: DealSummarySerializer},
        summary="Deal summary: counts by status and money per currency",
    )
    def get(self, request):
        summary = selectors.deal_summary(
            organization=self.organization, owner_id=self.owner_scope(), **self.validated_query()
        )
        return Response(DealSummarySerializer(summary).data)


class DealFunnelView(DealAnalyticsView):
    """Deals per stage, how many reached each stage, and the conversion to the next one."""

    query_serializer_class = DealFunnelQuerySerializer

    @extend_schema(
        parameters=[DealFunnelQuerySerializer],
        responses={200: DealFunnelSerializer},
        summary="Sales funnel: deals per stage, reached and conversion",
    )
    def get(self, request):
        funnel = selectors.deal_funnel(
            organization=self.organization, owner_id=self.owner_scope(), **self.validated_query()
        )
        return Response(DealFunnelSerializer(funnel).data)
