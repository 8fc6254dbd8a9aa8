from django.urls import path

from analytics import views

urlpatterns = [
    path("analytics/deals/summary", views.DealSummaryView.as_view(), name="analytics-deals-summary"),
    path("analytics/deals/funnel", views.DealFunnelView.as_view(), name="analytics-deals-funnel"),
]
