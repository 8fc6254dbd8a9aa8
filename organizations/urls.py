from django.urls import path

from organizations import views

organizations = views.OrganizationViewSet.as_view({"post": "create"})
my_organizations = views.OrganizationViewSet.as_view({"get": "me"})
members = views.MemberViewSet.as_view({"get": "list", "post": "create"})
member = views.MemberViewSet.as_view({"patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    path("organizations", organizations, name="organizations"),
    path("organizations/me", my_organizations, name="organizations-me"),
    path("organizations/<str:org_id>/members", members, name="organization-members"),
    path("organizations/<str:org_id>/members/<str:user_id>", member, name="organization-member"),
]
