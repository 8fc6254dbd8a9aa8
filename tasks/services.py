"""Writes on tasks and their business rules (API.md §5). No DRF here."""

from django.db import transaction
from django.utils import timezone

from crm_project.errors import DealNotFound, InvalidTaskDueDate
from deals.models import ActivityType
from deals.services import activity_record
from tasks.models import Task

UPDATABLE_FIELDS = ("title", "description", "due_date", "is_done")


def ensure_due_date_not_past(due_date):
    """A due date may not lie before today, in the server's `TIME_ZONE` (API.md §5)."""
    if due_date is not None and due_date < timezone.localdate():
        raise InvalidTaskDueDate(field="due_date")


@transaction.atomic
def task_create(*, organization, actor, deal, title, description=None, due_date=None):
    """Creates a task on `deal` and its `task_created` activity in one transaction: when the
    activity cannot be written, the task does not exist either."""
    if deal.organization_id != organization.pk:
        raise DealNotFound(field="deal_id")
    ensure_due_date_not_past(due_date)
    task = Task(organization=organization, deal=deal, title=title, description=description, due_date=due_date)
    # The deal was resolved through the organization's scoped queryset; no second look-up.
    task.full_clean(exclude=["organization", "deal"])
    task.save()
    activity_record(
        organization=organization,
        deal=deal,
        author=actor,
        type=ActivityType.TASK_CREATED,
        payload={"task_id": str(task.pk), "title": task.title},
    )
    return task


def task_update(*, organization, actor, task, **changes):
    """Applies the given fields only. A due date is checked against today only when it changes,
    so an overdue task can still be renamed or completed; `None` clears a nullable field."""
    if task.organization_id != organization.pk:
        raise ValueError("The task belongs to another organization.")
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(f"Fields that cannot be updated: {sorted(unknown)}")
    if not changes:
        return task
    if "due_date" in changes and changes["due_date"] != task.due_date:
        ensure_due_date_not_past(changes["due_date"])
    for field, value in changes.items():
        setattr(task, field, value)
    task.full_clean(exclude=["organization", "deal"])
    task.save(update_fields=[*changes, "updated_at"])
    return task


def task_delete(*, organization, actor, task):
    if task.organization_id != organization.pk:
        raise ValueError("The task belongs to another organization.")
    task.delete()
