"""Organizations and memberships: creation, and the member rules of API.md §3."""

from django.db import IntegrityError, transaction

from accounts.models import User
from crm_project.errors import AccessDenied, LastOwner, MemberAlreadyExists, MemberNotFound, NotAMember
from organizations.models import Membership, Organization, Role

# What an admin may manage: managers and members, into managers and members.
ADMIN_MANAGEABLE = {Role.MANAGER, Role.MEMBER}


def organization_create(*, actor, name):
    """Creates the organization and makes `actor` its owner, in one transaction."""
    with transaction.atomic():
        organization = Organization(name=name)
        organization.full_clean()
        organization.save()
        Membership.objects.create(organization=organization, user=actor, role=Role.OWNER)
    return organization


def _ensure_can_manage(actor, target_role, new_role=None):
    if actor.role == Role.OWNER:
        return
    if (
        actor.role == Role.ADMIN
        and target_role in ADMIN_MANAGEABLE
        and (new_role is None or new_role in ADMIN_MANAGEABLE)
    ):
        return
    raise AccessDenied("Your role cannot manage this member.")


def _lock_organization(organization, actor=None):
    """Serializes membership changes of one organization (a row lock on PostgreSQL) and
    answers the actor's membership as it is now: a role changed by a concurrent request
    decides, not the one read before the lock."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    if actor is None:
        return None
    current = Membership.objects.filter(pk=actor.pk).first()
    if current is None:
        raise NotAMember()
    return current


def _ensure_not_last_owner(organization, target):
    if target.role != Role.OWNER:
        return
    owners = Membership.objects.filter(organization=organization, role=Role.OWNER).count()
    if owners <= 1:
        raise LastOwner()


def member_add(*, organization, actor, email, role):
    _ensure_can_manage(actor, role, role)
    user = User.objects.with_email(email).first()
    if user is None:
        raise MemberNotFound("No registered user has this email.", field="email")
    try:
        with transaction.atomic():
            actor = _lock_organization(organization, actor)
            _ensure_can_manage(actor, role, role)
            if Membership.objects.filter(organization=organization, user=user).exists():
                raise MemberAlreadyExists(field="email")
            return Membership.objects.create(organization=organization, user=user, role=role)
    except IntegrityError as exc:
        raise MemberAlreadyExists(field="email") from exc


def member_get(*, organization, user_id):
    membership = Membership.objects.select_related("user").filter(organization=organization, user_id=user_id).first()
    if membership is None:
        raise MemberNotFound("This user is not a member of the organization.")
    return membership


def member_change_role(*, organization, actor, user_id, role):
    with transaction.atomic():
        actor = _lock_organization(organization, actor)
        target = member_get(organization=organization, user_id=user_id)
        _ensure_can_manage(actor, target.role, role)
        if target.role == role:
            return target
        if role != Role.OWNER:
            _ensure_not_last_owner(organization, target)
        target.role = role
        target.full_clean()
        target.save(update_fields=["role"])
    return target


def member_remove(*, organization, actor, user_id):
    with transaction.atomic():
        actor = _lock_organization(organization, actor)
        target = member_get(organization=organization, user_id=user_id)
        if target.user_id != actor.user_id:
            _ensure_can_manage(actor, target.role)
        _ensure_not_last_owner(organization, target)
        target.delete()


def organization_transfer_ownership(*, organization, new_owner, previous_owners_role=Role.ADMIN):
    """Makes `new_owner` (a Membership of `organization`) an owner and gives every other owner
    `previous_owners_role`, in one transaction. There is always at least one owner: the new
    one is promoted before anyone is demoted, and the organization row is locked so two
    transfers cannot interleave."""
    if new_owner.organization_id != organization.pk:
        raise MemberNotFound("This user is not a member of the organization.")
    with transaction.atomic():
        _lock_organization(organization)
        new_owner = Membership.objects.select_for_update().get(pk=new_owner.pk)
        if new_owner.role != Role.OWNER:
            new_owner.role = Role.OWNER
            new_owner.full_clean()
            new_owner.save(update_fields=["role"])
        if previous_owners_role != Role.OWNER:
            Membership.objects.filter(organization=organization, role=Role.OWNER).exclude(pk=new_owner.pk).update(
                role=previous_owners_role
            )
    return new_owner
