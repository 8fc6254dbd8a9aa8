"""Writes on contacts and the reassignment rule shared with deals (API.md §4, §5). No DRF here."""

from django.db import transaction

from contacts.models import Contact
from contacts.selectors import contact_get_for_update
from crm_project.errors import AccessDenied, ContactHasActiveDeals, ContactNotFound, MemberNotFound
from deals.models import ACTIVE_STATUSES, Deal
from organizations.models import Membership, Role
from organizations.permissions import ensure_can_touch


def owner_reassign_check(*, organization, actor, user_id):
    """`owner_id` in a PATCH: manager or above, and the new owner is a member of the organization."""
    if not actor.has_role(Role.MANAGER):
        raise AccessDenied("Only a manager or above can reassign the owner.", field="owner_id")
    if not Membership.objects.filter(organization=organization, user_id=user_id).exists():
        raise MemberNotFound("The new owner is not a member of this organization.", field="owner_id")
    return user_id


def contact_lock(*, organization, actor, contact_id, field=None):
    """The contact locked for this transaction; 404 outside the organization, 403 for a member
    that does not own it. Every write that depends on a contact's deals takes this lock first."""
    contact = contact_get_for_update(organization=organization, contact_id=contact_id)
    if contact is None:
        raise ContactNotFound(field=field)
    ensure_can_touch(actor, contact.owner_id)
    return contact


def contact_create(*, organization, actor, name, email=None, phone=None):
    contact = Contact(organization=organization, owner_id=actor.user_id, name=name, email=email, phone=phone)
    contact.full_clean(exclude=["organization", "owner"])
    contact.save()
    return contact


def contact_update(*, organization, actor, contact_id, **changes):
    """Applies a PATCH completely or not at all."""
    with transaction.atomic():
        contact = contact_lock(organization=organization, actor=actor, contact_id=contact_id)
        if "owner_id" in changes and changes["owner_id"] != contact.owner_id:
            owner_reassign_check(organization=organization, actor=actor, user_id=changes["owner_id"])
        fields = [name for name, value in changes.items() if getattr(contact, name) != value]
        if not fields:
            return contact
        for name in fields:
            setattr(contact, name, changes[name])
        contact.full_clean(exclude=["organization", "owner"])
        contact.save(update_fields=[*fields, "updated_at"])
    return contact


def contact_delete(*, organization, actor, contact_id):
    """Deletes a contact with no active deal; its closed deals keep their history with no contact.

    The contact row is locked and the deals are read with a row lock, in one transaction, so a
    deal created, moved or reopened concurrently either blocks this delete or is seen by it."""
    with transaction.atomic():
        contact = contact_lock(organization=organization, actor=actor, contact_id=contact_id)
        statuses = set(
            Deal.objects.for_organization(organization)
            .select_for_update()
            .filter(contact=contact)
            .values_list("status", flat=True)
        )
        if statuses & set(ACTIVE_STATUSES):
            raise ContactHasActiveDeals()
        contact.delete()
