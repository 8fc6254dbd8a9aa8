from django.urls import path

from contacts.views import ContactViewSet

contacts = ContactViewSet.as_view({"get": "list", "post": "create"})
contact = ContactViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    path("contacts", contacts, name="contacts"),
    path("contacts/<str:pk>", contact, name="contact"),
]
