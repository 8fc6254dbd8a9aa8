from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from contacts import services
from contacts.filters import ContactFilterSet
from contacts.models import Contact
from contacts.serializers import ContactSerializer, ContactUpdateSerializer, ContactWriteSerializer
from crm_project.errors import ContactNotFound
from organizations.tenancy import TenantViewSet

PATH_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The record's id.")


@extend_schema_view(
    list=extend_schema(summary="List contacts", description="Newest first. A `member` sees only its own contacts."),
    create=extend_schema(
        summary="Create a contact",
        request=ContactWriteSerializer,
        responses={201: ContactSerializer},
        description="The caller becomes the owner.",
    ),
    retrieve=extend_schema(summary="Get a contact", parameters=[PATH_ID]),
    partial_update=extend_schema(
        summary="Change a contact",
        parameters=[PATH_ID],
        request=ContactUpdateSerializer,
        responses={200: ContactSerializer},
        description="`owner_id` needs manager or above and must name a member of the organization.",
    ),
    destroy=extend_schema(
        summary="Delete a contact",
        parameters=[PATH_ID],
        responses={204: None},
        description="Refused with 409 while the contact has an active deal (`new` or `in_progress`); "
        "its closed deals keep their history with `contact_id: null`.",
    ),
)
class ContactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    queryset = Contact.objects.order_by("-created_at", "-id")
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    not_found_error = ContactNotFound
    schema_error_statuses = {"destroy": [409]}

    def create(self, request, *args, **kwargs):
        serializer = ContactWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_create(organization=self.organization, actor=self.actor, **serializer.validated_data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        contact_id = self.path_id()
        serializer = ContactUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_update(
            organization=self.organization, actor=self.actor, contact_id=contact_id, **serializer.validated_data
        )
        return Response(ContactSerializer(contact).data)

    def destroy(self, request, *args, **kwargs):
        services.contact_delete(organization=self.organization, actor=self.actor, contact_id=self.path_id())
        return Response(status=status.HTTP_204_NO_CONTENT)
