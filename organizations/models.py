import uuid

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MANAGER = "manager", "Manager"
    MEMBER = "member", "Member"


ROLE_RANK = {Role.MEMBER: 0, Role.MANAGER: 1, Role.ADMIN: 2, Role.OWNER: 3}


def role_at_least(role, minimum):
    return ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum)]


class Organization(models.Model):
    """A tenant. Every tenant row points at exactly one organization."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's role in one organization."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="organizations_membership_unique"),
        ]
        indexes = [
            # The member list of an organization, newest first.
            models.Index(fields=["organization", "-created_at", "-id"], name="membership_org_created_idx"),
            # Ownership counts for the last-owner guard.
            models.Index(fields=["organization", "role"], name="membership_org_role_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} is {self.role} of {self.organization_id}"

    def has_role(self, minimum):
        return role_at_least(self.role, minimum)


class TenantQuerySet(models.QuerySet):
    def for_organization(self, organization):
        """The one filter that scopes tenant rows; `organization` is an instance or an id."""
        organization_id = getattr(organization, "pk", organization)
        if organization_id is None:
            raise ValueError("A tenant query needs an organization.")
        return self.filter(organization_id=organization_id)


class TenantModel(models.Model):
    """Base of every tenant-owned model: a non-null, indexed organization on every row, so
    that every query is scoped (and the data could be sharded) without a join."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=True, editable=False
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
