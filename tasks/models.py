from django.db import models

from organizations.models import TenantModel


class Task(TenantModel):
    """A to-do on a deal. Carries `organization` so it is scoped without a join."""

    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    is_done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # GET /tasks newest first.
            models.Index(fields=["organization", "-created_at", "-id"], name="task_org_created_idx"),
            # ?deal_id= and the tasks of a deal.
            models.Index(fields=["organization", "deal", "-created_at", "-id"], name="task_org_deal_idx"),
            # The admin's changelist across organizations, newest first.
            models.Index(fields=["-created_at", "-id"], name="task_created_idx"),
            # ?only_open / ?is_done with due-date ranges.
            models.Index(fields=["organization", "is_done", "due_date"], name="task_org_open_due_idx"),
        ]

    def __str__(self):
        return self.title
