"""Reads on contacts that more than one place needs."""

from contacts.models import Contact


def contact_get_for_update(*, organization, contact_id):
    """The contact with its row locked until the transaction ends, or None."""
    return Contact.objects.for_organization(organization).select_for_update().filter(pk=contact_id).first()
