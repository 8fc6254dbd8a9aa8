import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from crm_project.envelope import json_error_response

logger = logging.getLogger("crm_project.health")


def database_status():
    """`ok` when the database answers; `unavailable` otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return "unavailable"
    return "ok"


class HealthcheckView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    @extend_schema(
        responses={
            200: inline_serializer("Health", {"status": serializers.CharField(), "database": serializers.CharField()}),
        },
        summary="Liveness and readiness",
    )
    def get(self, request):
        database = database_status()
        if database != "ok":
            response = json_error_response(503, "The database is unavailable.", "ServiceUnavailable")
            return response
        return Response({"status": "ok", "database": database})


def json_not_found(request, exception=None):
    return json_error_response(404, "Not found.", "NotFound")


def json_server_error(request):
    return json_error_response(500, "Internal server error", "InternalServerError")


def json_bad_request(request, exception=None):
    return json_error_response(400, "Bad request.", "ValidationError")


def json_forbidden(request, exception=None):
    return json_error_response(403, "You do not have permission to perform this action.", "AccessDeniedException")


__all__ = ["HealthcheckView", "JsonResponse"]
