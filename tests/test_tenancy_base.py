"""Behaviour of the tenant viewset base shared by every tenant list."""

import pytest

from deals.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def test_a_member_may_name_itself_in_owner_id_in_any_letter_case(member, client_for):
    own = DealFactory(contact__organization=member.organization, contact__owner=member.user)
    DealFactory(contact__organization=member.organization)

    response = client_for(member).get("/api/v1/deals", {"owner_id": str(member.user_id).upper()})

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["data"]["items"]] == [str(own.pk)]


def test_an_owner_id_that_is_not_a_uuid_is_a_400_for_every_role(member, manager_member, client_for):
    for membership in (member, manager_member):
        response = client_for(membership).get("/api/v1/contacts", {"owner_id": "nope"})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "owner_id"


def test_an_unknown_parameter_is_a_400_before_a_member_list_is_narrowed(member, client_for):
    response = client_for(member).get("/api/v1/tasks", {"owner_id": "00000000-0000-0000-0000-000000000001"})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"message": "`owner_id` is not a known query parameter.", "type": "ValidationError", "field": "owner_id"}
    ]


def test_a_list_without_its_own_filter_set_still_refuses_unknown_parameters(rf):
    from types import SimpleNamespace

    from rest_framework.exceptions import ValidationError
    from rest_framework.request import Request

    from contacts.models import Contact
    from crm_project.filters import StrictFilterBackend

    view = SimpleNamespace(filterset_class=None, get_base_queryset=lambda: Contact.objects.all())
    request = Request(rf.get("/api/v1/anything", {"bogus": "1", "page": "2"}))

    with pytest.raises(ValidationError) as raised:
        StrictFilterBackend().check_parameters(request, view)

    assert set(raised.value.detail) == {"bogus"}
