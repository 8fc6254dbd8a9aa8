"""Writes on deals and their timeline. Business rules of API.md §5; no DRF here."""

from django.db import transaction

from contacts.services import contact_lock, owner_reassign_check
from crm_project.errors import CannotCloseDealWithZeroAmount, DealNotFound, DealStageRollbackNotAllowed
from deals.models import STAGE_ORDER, Activity, ActivityType, Deal, DealStatus
from deals.selectors import deal_get_for_update
from organizations.models import Role
from organizations.permissions import ensure_can_touch

# Roles that may move a deal's stage backwards.
STAGE_ROLLBACK_ROLES = (Role.OWNER, Role.ADMIN)
# The fields a PATCH sets directly on the row.
PLAIN_FIELDS = ("title", "amount", "currency", "status", "stage")


def activity_record(*, organization, deal, author, type, payload):
    """Appends one entry to a deal's timeline; callers run it in their own transaction."""
    activity = Activity(organization=organization, deal=deal, author=author, type=type, payload=payload)
    activity.full_clean(exclude=["organization", "deal", "author"])
    activity.save()
    return activity


def deal_create(*, organization, actor, contact_id, title, amount, currency):
    """A new deal of the caller on a contact of the organization (a `member`: its own contact).

    The contact row stays locked until the deal exists, so a concurrent delete of the contact
    either sees the new active deal or finishes first (and the contact is then not found)."""
    with transaction.atomic():
        contact = contact_lock(organization=organization, actor=actor, contact_id=contact_id, field="contact_id")
        deal = Deal(
            organization=organization,
            contact=contact,
            owner_id=actor.user_id,
            title=title,
            amount=amount,
            currency=currency,
        )
        deal.full_clean(exclude=["organization", "owner", "contact"])
        deal.save()
    return deal


def deal_lock(*, organization, actor, deal_id):
    """The deal locked for this transaction; 404 outside the organization, 403 for a member
    that does not own it."""
    deal = deal_get_for_update(organization=organization, deal_id=deal_id)
    if deal is None:
        raise DealNotFound()
    ensure_can_touch(actor, deal.owner_id)
    return deal


def deal_update(*, organization, actor, deal_id, **changes):
    """Applies a PATCH completely or not at all, under the deal's row lock.

    Rules: a stage moves backwards only for owner/admin; `won` needs an amount above zero after
    the change; `contact_id` names a contact of the organization (a `member`: its own);
    `owner_id` needs manager or above and a member of the organization. A changed status and a
    changed stage each write their activity with the caller as author."""
    with transaction.atomic():
        deal = deal_lock(organization=organization, actor=actor, deal_id=deal_id)
        old_status, old_stage = deal.status, deal.stage
        updates = {
            name: changes[name] for name in PLAIN_FIELDS if name in changes and changes[name] != getattr(deal, name)
        }

        backwards = "stage" in updates and STAGE_ORDER[updates["stage"]] < STAGE_ORDER[old_stage]
        if backwards and actor.role not in STAGE_ROLLBACK_ROLES:
            raise DealStageRollbackNotAllowed(field="stage")

        status = updates.get("status", old_status)
        amount = updates.get("amount", deal.amount)
        if status == DealStatus.WON and amount <= 0 and ("status" in updates or "amount" in updates):
            raise CannotCloseDealWithZeroAmount(field="status" if "status" in updates else "amount")

        if "contact_id" in changes and changes["contact_id"] != deal.contact_id:
            updates["contact"] = contact_lock(
                organization=organization, actor=actor, contact_id=changes["contact_id"], field="contact_id"
            )
        if "owner_id" in changes and changes["owner_id"] != deal.owner_id:
            updates["owner_id"] = owner_reassign_check(
                organization=organization, actor=actor, user_id=changes["owner_id"]
            )

        if not updates:
            return deal
        for name, value in updates.items():
            setattr(deal, name, value)
        deal.full_clean(exclude=["organization", "owner", "contact"])
        deal.save(update_fields=[*updates, "updated_at"])

        if deal.status != old_status:
            activity_record(
                organization=organization,
                deal=deal,
                author=actor.user,
                type=ActivityType.STATUS_CHANGED,
                payload={"old_status": old_status, "new_status": deal.status},
            )
        if deal.stage != old_stage:
            activity_record(
                organization=organization,
                deal=deal,
                author=actor.user,
                type=ActivityType.STAGE_CHANGED,
                payload={"old_stage": old_stage, "new_stage": deal.stage},
            )
    return deal


def comment_create(*, organization, actor, deal, text):
    """A `comment` on the deal's timeline; the caller may touch the deal (checked by the caller)."""
    return activity_record(
        organization=organization, deal=deal, author=actor.user, type=ActivityType.COMMENT, payload={"text": text}
    )
