"""Member services: the rules hold against stale reads and concurrent requests."""

import threading

import pytest
from django.db import connection

from crm_project.errors import AccessDenied, LastOwner, NotAMember
from organizations import services
from organizations.models import Membership, Role
from organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_an_actor_demoted_meanwhile_acts_with_its_current_role(organization, owner_member, member):
    stale = Membership.objects.get(pk=owner_member.pk)
    MembershipFactory(organization=organization, role=Role.OWNER)
    Membership.objects.filter(pk=owner_member.pk).update(role=Role.MEMBER)

    with pytest.raises(AccessDenied):
        services.member_change_role(organization=organization, actor=stale, user_id=member.user_id, role=Role.ADMIN)
    with pytest.raises(AccessDenied):
        services.member_remove(organization=organization, actor=stale, user_id=member.user_id)
    with pytest.raises(AccessDenied):
        services.member_add(organization=organization, actor=stale, email=member.user.email, role=Role.MEMBER)
    assert Membership.objects.get(pk=member.pk).role == Role.MEMBER


def test_an_actor_removed_meanwhile_is_not_a_member(organization, owner_member, member):
    stale = Membership.objects.get(pk=owner_member.pk)
    MembershipFactory(organization=organization, role=Role.OWNER)
    Membership.objects.filter(pk=owner_member.pk).delete()

    with pytest.raises(NotAMember):
        services.member_remove(organization=organization, actor=stale, user_id=member.user_id)
    assert Membership.objects.filter(pk=member.pk).exists()


def test_demoting_the_last_owner_raises_and_changes_nothing(organization, owner_member):
    with pytest.raises(LastOwner):
        services.member_change_role(
            organization=organization, actor=owner_member, user_id=owner_member.user_id, role=Role.ADMIN
        )
    assert Membership.objects.get(pk=owner_member.pk).role == Role.OWNER


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_at_once_leave_one_owner(organization):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    first = MembershipFactory(organization=organization, role=Role.OWNER)
    second = MembershipFactory(organization=organization, role=Role.OWNER)
    barrier = threading.Barrier(2)
    outcomes = []

    def demote(actor, target):
        barrier.wait()
        try:
            services.member_change_role(
                organization=organization, actor=actor, user_id=target.user_id, role=Role.MEMBER
            )
            outcomes.append("done")
        except (LastOwner, AccessDenied) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(first, second)),
        threading.Thread(target=demote, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes)[0] != "done" or sorted(outcomes)[1] != "done"
    assert Membership.objects.filter(organization=organization, role=Role.OWNER).count() == 1
