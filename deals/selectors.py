"""Reads on deals and their timeline."""

from deals.models import Deal


def deal_get_for_update(*, organization, deal_id):
    """The deal with its row locked until the transaction ends (PostgreSQL), or None.

    Concurrent PATCHes of one deal queue here, so each reads the value the previous one wrote."""
    return Deal.objects.for_organization(organization).select_for_update().filter(pk=deal_id).first()
