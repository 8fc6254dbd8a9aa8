"""Reads of tasks. Scoping to the organization and the `member` rule stay in the tenant base
(organizations/tenancy.py); these give it the queryset to scope."""

from tasks.models import Task


def task_queryset(*, with_deal=False):
    """Tasks in the order of every list (newest first, ties by id).

    `with_deal` joins the deal in the same query, for the record rule of API.md §4 on one task
    (a task is a member's own when its deal is): reading `task.deal.owner_id` then costs nothing.
    Lists need no join for it: the member filter `deal__owner_id` is a join inside their one query.
    """
    queryset = Task.objects.order_by("-created_at", "-id")
    if with_deal:
        queryset = queryset.select_related("deal")
    return queryset
