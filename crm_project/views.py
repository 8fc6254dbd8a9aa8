import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from crm_project.envelope import json_error_response

logger = logging.getLogger("crm_project.health")

# Once every migration is applied it stays so for the life of the process (a deployment
# migrates before it starts the new code), so the migration graph is read only until then.
_migrations_applied = False


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


def migrations_status():
    """`ok` when no migration is unapplied; `pending` otherwise. Cached once `ok`."""
    global _migrations_applied
    if _migrations_applied:
        return "ok"
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.warning("Health check: the migration state cannot be read", exc_info=True)
        return "unavailable"
    if plan:
        logger.warning("Health check: %d migration(s) not applied", len(plan))
        return "pending"
    _migrations_applied = True
    return "ok"


class HealthcheckView(APIView):
    """Readiness for orchestrators: 200 only when the database answers and is migrated."""

    permission_classes = [AllowAny]
    authentication_classes = []
    schema_error_statuses = {"get": [503]}
    throttle_classes = []

    @extend_schema(
        responses={
            200: inline_serializer(
                "Health",
                {
                    "status": serializers.CharField(),
                    "database": serializers.CharField(),
                    "migrations": serializers.CharField(),
                },
            ),
        },
        summary="Liveness and readiness",
        description="200 when the database answers and every migration is applied, else 503.",
    )
    def get(self, request):
        database = database_status()
        if database != "ok":
            return json_error_response(503, "The database is unavailable.", "ServiceUnavailable")
        migrations = migrations_status()
        if migrations != "ok":
            return json_error_response(503, "The database has unapplied migrations.", "ServiceUnavailable")
        return Response({"status": "ok", "database": database, "migrations": migrations})


def json_not_found(request, exception=None):
    return json_error_response(404, "Not found.", "NotFound")


def json_server_error(request):
    return json_error_response(500, "Internal server error", "InternalServerError")


def json_bad_request(request, exception=None):
    return json_error_response(400, "Bad request.", "ValidationError")


def json_forbidden(request, exception=None):
    return json_error_response(403, "You do not have permission to perform this action.", "AccessDeniedException")


__all__ = ["HealthcheckView", "JsonResponse"]
