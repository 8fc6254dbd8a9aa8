from django.contrib import admin
from django.urls import include, path
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.negotiation import DefaultContentNegotiation

from crm_project.views import HealthcheckView


class SchemaView(SpectacularAPIView):
    """YAML by default, JSON with `?format=json` or `Accept: application/json`."""

    content_negotiation_class = DefaultContentNegotiation


class OpenAPIJSONView(SpectacularAPIView):
    renderer_classes = [OpenApiJsonRenderer]


class DocsView(SpectacularSwaggerView):
    content_negotiation_class = DefaultContentNegotiation


api_v1 = [
    path("", include("accounts.urls")),
    path("", include("organizations.urls")),
    path("", include("contacts.urls")),
    path("", include("deals.urls")),
    path("", include("tasks.urls")),
    path("", include("analytics.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("healthcheck", HealthcheckView.as_view(), name="healthcheck"),
    path("api/schema", SchemaView.as_view(), name="schema"),
    path("openapi.json", OpenAPIJSONView.as_view(), name="openapi-json"),
    path("api/docs", DocsView.as_view(url_name="openapi-json"), name="docs"),
    path("admin/", admin.site.urls),
]

handler400 = "crm_project.views.json_bad_request"
handler403 = "crm_project.views.json_forbidden"
handler404 = "crm_project.views.json_not_found"
handler500 = "crm_project.views.json_server_error"
