from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from contacts.views import PATH_ID
from crm_project.errors import DealNotFound
from deals import services
from deals.filters import ActivityFilterSet, DealFilterSet
from deals.models import Activity, Deal
from deals.serializers import (
    ActivitySerializer,
    CommentCreateSerializer,
    DealCreateSerializer,
    DealSerializer,
    DealUpdateSerializer,
)
from organizations.permissions import ensure_can_touch
from organizations.tenancy import TenantViewSet, parse_uuid


@extend_schema_view(
    list=extend_schema(
        summary="List deals",
        description="Newest first unless `order_by`/`order` say otherwise. A `member` sees only its own deals.",
    ),
    create=extend_schema(
        summary="Create a deal",
        request=DealCreateSerializer,
        responses={201: DealSerializer},
        description="Status `new`, stage `qualification`, the caller as owner. A `member` may use only its "
        "own contacts.",
    ),
    retrieve=extend_schema(summary="Get a deal", parameters=[PATH_ID]),
    partial_update=extend_schema(
        summary="Change a deal",
        parameters=[PATH_ID],
        request=DealUpdateSerializer,
        responses={200: DealSerializer},
        description="One transaction: applied completely or not at all. `won` needs an amount above zero; "
        "a stage moves backwards only for owner and admin; `owner_id` needs manager or above. Status and "
        "stage changes write `status_changed` / `stage_changed` activities.",
    ),
)
class DealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    queryset = Deal.objects.order_by("-created_at", "-id")
    serializer_class = DealSerializer
    filterset_class = DealFilterSet
    not_found_error = DealNotFound

    def create(self, request, *args, **kwargs):
        serializer = DealCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deal = services.deal_create(organization=self.organization, actor=self.actor, **serializer.validated_data)
        return Response(DealSerializer(deal).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        deal_id = self.path_id()
        serializer = DealUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        deal = services.deal_update(
            organization=self.organization, actor=self.actor, deal_id=deal_id, **serializer.validated_data
        )
        return Response(DealSerializer(deal).data)


DEAL_ID = OpenApiParameter("deal_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The deal's id.")


@extend_schema_view(
    list=extend_schema(summary="A deal's timeline", description="Newest first.", parameters=[DEAL_ID]),
    create=extend_schema(
        summary="Comment on a deal",
        parameters=[DEAL_ID],
        request=CommentCreateSerializer,
        responses={201: ActivitySerializer},
    ),
)
class DealActivityViewSet(mixins.ListModelMixin, TenantViewSet):
    """The activities of the deal in the path; the caller must be allowed to touch the deal."""

    queryset = Activity.objects.order_by("-created_at", "-id")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    not_found_error = DealNotFound
    # A `member`'s list narrows through the deal's owner (it owns the deal anyway).
    owner_field = "deal__owner_id"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        deal_id = parse_uuid(kwargs["deal_id"], "deal_id")
        self.deal = self.scoped(Deal).filter(pk=deal_id).first()
        if self.deal is None:
            raise DealNotFound()
        ensure_can_touch(request.membership, self.deal.owner_id)

    def get_base_queryset(self):
        return super().get_base_queryset().filter(deal=self.deal)

    def create(self, request, *args, **kwargs):
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = services.comment_create(
            organization=self.organization, actor=self.actor, deal=self.deal, **serializer.validated_data
        )
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)
