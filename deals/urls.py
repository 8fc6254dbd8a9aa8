from django.urls import path

from deals.views import DealActivityViewSet, DealViewSet

deals = DealViewSet.as_view({"get": "list", "post": "create"})
deal = DealViewSet.as_view({"get": "retrieve", "patch": "partial_update"})
activities = DealActivityViewSet.as_view({"get": "list", "post": "create"})

urlpatterns = [
    path("deals", deals, name="deals"),
    path("deals/<str:pk>", deal, name="deal"),
    path("deals/<str:deal_id>/activities", activities, name="deal-activities"),
]
