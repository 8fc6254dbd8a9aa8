from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from crm_project.errors import NotAMember
from organizations import services
from organizations.models import Membership
from organizations.serializers import (
    MemberCreateSerializer,
    MemberSerializer,
    MemberUpdateSerializer,
    MyOrganizationsSerializer,
    OrganizationSerializer,
)
from organizations.tenancy import parse_uuid


class OrganizationViewSet(viewsets.GenericViewSet):
    serializer_class = OrganizationSerializer

    @extend_schema(
        request=OrganizationSerializer, responses={201: OrganizationSerializer}, summary="Create an organization"
    )
    def create(self, request):
        serializer = OrganizationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = services.organization_create(actor=request.user, **serializer.validated_data)
        return Response(OrganizationSerializer(organization).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: MyOrganizationsSerializer}, summary="The caller's organizations and roles")
    @action(detail=False, methods=["get"], url_path="me")
    def me(self, request):
        memberships = (
            Membership.objects.select_related("organization").filter(user=request.user).order_by("-created_at", "-id")
        )
        return Response(MyOrganizationsSerializer({"organizations": memberships}).data)


ORG_ID = OpenApiParameter("org_id", str, OpenApiParameter.PATH, description="Organization id (UUID).")
USER_ID = OpenApiParameter("user_id", str, OpenApiParameter.PATH, description="The member's user id (UUID).")


@extend_schema_view(
    list=extend_schema(parameters=[ORG_ID], summary="List the members"),
    create=extend_schema(
        parameters=[ORG_ID],
        request=MemberCreateSerializer,
        responses={201: MemberSerializer},
        summary="Add a registered user",
    ),
    partial_update=extend_schema(
        parameters=[ORG_ID, USER_ID],
        request=MemberUpdateSerializer,
        responses={200: MemberSerializer},
        summary="Change a member's role",
    ),
    destroy=extend_schema(parameters=[ORG_ID, USER_ID], responses={204: None}, summary="Remove a member"),
)
class MemberViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Members of the organization in the path; the caller must be one of them."""

    serializer_class = MemberSerializer
    lookup_field = "user_id"
    lookup_value_regex = "[^/]+"
    schema_error_statuses = {"create": [409], "partial_update": [409], "destroy": [409]}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        org_id = parse_uuid(kwargs["org_id"], "org_id")
        self.actor = (
            Membership.objects.select_related("organization").filter(organization_id=org_id, user=request.user).first()
        )
        if self.actor is None:
            raise NotAMember()
        self.organization = self.actor.organization

    def list(self, request, *args, **kwargs):
        # Like every other list: a query parameter it does not know is a 400, not ignored.
        unknown = sorted(set(request.query_params) - {"page", "page_size"})
        if unknown:
            raise ValidationError({name: [f"`{name}` is not a known query parameter."] for name in unknown})
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        return (
            Membership.objects.select_related("user")
            .filter(organization=self.organization)
            .order_by("-created_at", "-id")
        )

    def create(self, request, *args, **kwargs):
        serializer = MemberCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.member_add(organization=self.organization, actor=self.actor, **serializer.validated_data)
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        user_id = parse_uuid(kwargs["user_id"], "user_id")
        serializer = MemberUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.member_change_role(
            organization=self.organization, actor=self.actor, user_id=user_id, **serializer.validated_data
        )
        return Response(MemberSerializer(membership).data)

    def destroy(self, request, *args, **kwargs):
        user_id = parse_uuid(kwargs["user_id"], "user_id")
        services.member_remove(organization=self.organization, actor=self.actor, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
