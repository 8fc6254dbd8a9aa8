"""Writes on deals and their timeline. Business rules of API.md §5; no DRF here."""

from deals.models import Activity


def activity_record(*, organization, deal, author, type, payload):
    """Appends one entry to a deal's timeline; callers run it in their own transaction."""
    activity = Activity(organization=organization, deal=deal, author=author, type=type, payload=payload)
    activity.full_clean(exclude=["organization", "deal", "author"])
    activity.save()
    return activity
