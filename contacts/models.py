from django.conf import settings
from django.db import models

from organizations.models import TenantModel


class Contact(TenantModel):
    """A person or company the organization sells to."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=255)
    email = models.EmailField(max_length=254, null=True, blank=True)
    phone = models.CharField(max_length=32, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # GET /contacts: newest first inside one organization.
            models.Index(fields=["organization", "-created_at", "-id"], name="contact_org_created_idx"),
            # The admin's changelist across organizations, newest first.
            models.Index(fields=["-created_at", "-id"], name="contact_created_idx"),
            # GET /contacts?owner_id= and every `member` list.
            models.Index(fields=["organization", "owner", "-created_at", "-id"], name="contact_org_owner_idx"),
        ]

    def __str__(self):
        return self.name
