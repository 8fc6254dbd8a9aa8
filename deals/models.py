from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from organizations.models import TenantModel

from .currencies import validate_currency


class DealStatus(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    WON = "won", "Won"
    LOST = "lost", "Lost"


ACTIVE_STATUSES = (DealStatus.NEW, DealStatus.IN_PROGRESS)


class DealStage(models.TextChoices):
    QUALIFICATION = "qualification", "Qualification"
    PROPOSAL = "proposal", "Proposal"
    NEGOTIATION = "negotiation", "Negotiation"
    CLOSED = "closed", "Closed"


# qualification < proposal < negotiation < closed
STAGE_ORDER = {stage: index for index, stage in enumerate(DealStage.values)}


class Deal(TenantModel):
    """A sale in progress. `amount` is exact money in `currency` (ISO 4217)."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="deals"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=255)
    amount = models.DecimalField(max_digits=15, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, validators=[validate_currency])
    status = models.CharField(max_length=16, choices=DealStatus.choices, default=DealStatus.NEW)
    stage = models.CharField(max_length=16, choices=DealStage.choices, default=DealStage.QUALIFICATION)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="deal_amount_not_negative"),
        ]
        indexes = [
            # GET /deals default order, and analytics scans of one organization.
            models.Index(fields=["organization", "-created_at", "-id"], name="deal_org_created_idx"),
            # ?owner_id= and every `member` list and analytics.
            models.Index(fields=["organization", "owner", "-created_at", "-id"], name="deal_org_owner_idx"),
            # ?status= (the most common filter), newest first.
            models.Index(fields=["organization", "status", "-created_at", "-id"], name="deal_org_status_idx"),
            # ?stage=
            models.Index(fields=["organization", "stage", "-created_at", "-id"], name="deal_org_stage_idx"),
            # ?min_amount/max_amount and order_by=amount.
            models.Index(fields=["organization", "amount", "id"], name="deal_org_amount_idx"),
            # order_by=updated_at
            models.Index(fields=["organization", "-updated_at", "-id"], name="deal_org_updated_idx"),
            # The admin's changelist across organizations, newest first.
            models.Index(fields=["-created_at", "-id"], name="deal_created_idx"),
            # ?contact_id= and the active-deals check when a contact is deleted.
            models.Index(fields=["organization", "contact", "status"], name="deal_org_contact_idx"),
            # Analytics (analytics/selectors.py): leads with the organization, serves status_list
            # and created_after, and holds every column the aggregates read, so the summary and
            # the funnel are index-only scans of one organization's entries.
            models.Index(
                fields=["organization", "status", "created_at", "currency", "stage", "owner", "amount"],
                name="deal_org_analytics_idx",
            ),
        ]

    def __str__(self):
        return self.title


class ActivityType(models.TextChoices):
    COMMENT = "comment", "Comment"
    STATUS_CHANGED = "status_changed", "Status changed"
    STAGE_CHANGED = "stage_changed", "Stage changed"
    TASK_CREATED = "task_created", "Task created"
    SYSTEM = "system", "System"


class Activity(TenantModel):
    """One entry of a deal's timeline. Carries `organization` so it is scoped without a join."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="activities")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    type = models.CharField(max_length=32, choices=ActivityType.choices)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "activities"
        indexes = [
            # GET /deals/{id}/activities, newest first.
            models.Index(fields=["organization", "deal", "-created_at", "-id"], name="activity_org_deal_idx"),
            # The admin's changelist across organizations, newest first.
            models.Index(fields=["-created_at", "-id"], name="activity_created_idx"),
        ]

    def __str__(self):
        return f"{self.type} on {self.deal_id}"
