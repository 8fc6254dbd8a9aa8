"""The tenant base for every endpoint that acts inside one organization.

`initial()` checks the `X-Organization-Id` header and the caller's membership after
authentication and puts both on the request; `get_queryset()` is the one place that scopes
rows to that organization, and applies the record rule of API.md §4 (a `member` lists only
its own records and gets 403 for anyone else's). Views extend it through `get_base_queryset()`.
"""

import uuid

from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from crm_project.errors import AccessDenied, InvalidInput, NotAMember
from crm_project.filters import StrictFilterBackend
from organizations.middleware import HEADER
from organizations.models import Membership
from organizations.permissions import HasRequiredRole, ensure_can_touch, sees_everything


def parse_uuid(value, field):
    """A path or query id that is not a UUID is a 400 naming the field. Only the canonical
    spelling counts, as for the header: `{...}`, `urn:uuid:` and bare hex are refused."""
    text = str(value)
    try:
        parsed = uuid.UUID(text)
    except (ValueError, TypeError, AttributeError):
        parsed = None
    if parsed is None or str(parsed) != text.lower():
        raise InvalidInput(f"`{field}` must be a UUID.", field=field)
    return parsed


def membership_from_header(request):
    if not request.organization_header:
        raise InvalidInput(f"The {HEADER} header is required.", field=HEADER)
    if request.organization_id is None:
        raise InvalidInput(f"The {HEADER} header must be a UUID.", field=HEADER)
    membership = (
        Membership.objects.select_related("organization")
        .filter(organization_id=request.organization_id, user_id=request.user.pk)
        .first()
    )
    if membership is None:
        # The same answer for an unknown organization and one the caller is not in.
        raise NotAMember()
    return membership


class TenantMixin:
    """Shared by tenant viewsets and plain tenant API views."""

    tenant_scoped = True
    permission_classes = [IsAuthenticated]
    tenant_permission_classes = [HasRequiredRole]
    required_roles = {}
    # The path from a row to the user who owns it, for the `member` record rule.
    owner_field = "owner_id"
    # Exception for a missing row; a row of another organization is missing too.
    not_found_error = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        request.membership = membership_from_header(request)
        request.organization = request.membership.organization
        for permission in self.tenant_permission_classes:
            if not permission().has_permission(request, self):
                raise AccessDenied()

    @property
    def membership(self):
        return self.request.membership

    @property
    def organization(self):
        return self.request.organization

    def scoped(self, model_or_queryset):
        """Rows of another model, scoped to this organization (for ids named in a body)."""
        queryset = getattr(model_or_queryset, "objects", model_or_queryset)
        return queryset.for_organization(self.request.organization)

    @property
    def actor(self):
        """The caller's membership, as services take it, with the already loaded user on it."""
        membership = self.request.membership
        membership.user = self.request.user
        return membership

    def narrow_to_own(self, queryset):
        """Lists and analytics: a `member` silently sees only its own records."""
        # An `owner_id` that is not a UUID is a 400, whoever asks.
        requested = [parse_uuid(value, "owner_id") for value in self.request.query_params.getlist("owner_id")]
        if sees_everything(self.request.membership):
            return queryset
        if any(value != self.request.user.pk for value in requested):
            raise AccessDenied("A member may filter only by its own `owner_id`.")
        return queryset.filter(**{self.owner_field: self.request.user.pk})


class TenantViewSet(TenantMixin, viewsets.GenericViewSet):
    lookup_value_regex = "[^/]+"
    filter_backends = [StrictFilterBackend]

    def get_base_queryset(self):
        """The hook: the view's own queryset before scoping (select_related and the like)."""
        return self.queryset.all()

    def get_queryset(self):
        queryset = self.get_base_queryset().for_organization(self.request.organization)
        if self.action == "list":
            for backend in self.filter_backends:
                backend().check_parameters(self.request, self)
            queryset = self.narrow_to_own(queryset)
        return queryset

    def path_id(self):
        """The record id in the path; not a UUID is a 400."""
        return parse_uuid(self.kwargs[self.lookup_url_kwarg or self.lookup_field], "id")

    def get_object(self):
        obj = self.get_queryset().filter(pk=self.path_id()).first()
        if obj is None:
            raise self.not_found_error()
        self.check_object_permissions(self.request, obj)
        ensure_can_touch(self.request.membership, self.record_owner_id(obj))
        return obj

    def record_owner_id(self, obj):
        value = obj
        for part in self.owner_field.split("__"):
            value = getattr(value, part)
        return value


class TenantAPIView(TenantMixin, APIView):
    """A plain view (analytics) under the same header, membership and role checks."""
