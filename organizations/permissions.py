"""Role checks on `Membership.role` (member < manager < admin < owner) and the record rule:
a `member` touches only its own records."""

from rest_framework.permissions import BasePermission

from crm_project.errors import AccessDenied
from organizations.models import Role, role_at_least


class HasRequiredRole(BasePermission):
    """The view names a minimum role per action (`required_roles`), default `member`."""

    def has_permission(self, request, view):
        membership = getattr(request, "membership", None)
        if membership is None:
            return False
        minimum = view.required_roles.get(getattr(view, "action", None) or request.method.lower(), Role.MEMBER)
        if not role_at_least(membership.role, minimum):
            raise AccessDenied()
        return True


def sees_everything(membership):
    """Owners, admins and managers see every record of the organization."""
    return role_at_least(membership.role, Role.MANAGER)


def ensure_can_touch(membership, owner_id, exc_class=AccessDenied):
    """A `member` may touch a record only when it owns it (API.md §4)."""
    if not sees_everything(membership) and owner_id != membership.user_id:
        raise exc_class()
