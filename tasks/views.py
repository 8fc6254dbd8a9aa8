from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from crm_project.errors import CannotCreateTaskForOtherUserDeal, DealNotFound, TaskNotFound
from deals.models import Deal
from organizations.permissions import ensure_can_touch
from organizations.tenancy import TenantViewSet
from tasks import selectors, services
from tasks.filters import TaskFilterSet
from tasks.serializers import TaskCreateSerializer, TaskSerializer, TaskUpdateSerializer

TASK_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Task id.")


@extend_schema_view(
    list=extend_schema(summary="List tasks", responses={200: TaskSerializer(many=True)}),
    create=extend_schema(summary="Create a task", request=TaskCreateSerializer, responses={201: TaskSerializer}),
    retrieve=extend_schema(summary="Get a task", parameters=[TASK_ID], responses={200: TaskSerializer}),
    partial_update=extend_schema(
        summary="Update a task", parameters=[TASK_ID], request=TaskUpdateSerializer, responses={200: TaskSerializer}
    ),
    destroy=extend_schema(summary="Delete a task", parameters=[TASK_ID], responses={204: None}),
)
class TaskViewSet(TenantViewSet):
    """Tasks of the organization's deals. A task is a `member`'s own when its deal is."""

    queryset = selectors.task_queryset()
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    owner_field = "deal__owner_id"
    not_found_error = TaskNotFound

    def get_base_queryset(self):
        return selectors.task_queryset(with_deal=self.action != "list")

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(TaskSerializer(page, many=True).data)

    def create(self, request):
        serializer = TaskCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        deal = self.scoped(Deal).filter(pk=data.pop("deal_id")).first()
        if deal is None:
            raise DealNotFound(field="deal_id")
        ensure_can_touch(self.membership, deal.owner_id, exc_class=CannotCreateTaskForOtherUserDeal)
        task = services.task_create(organization=self.organization, actor=request.user, deal=deal, **data)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, pk=None):
        return Response(TaskSerializer(self.get_object()).data)

    def partial_update(self, request, pk=None):
        task = self.get_object()
        serializer = TaskUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = services.task_update(
            organization=self.organization, actor=request.user, task=task, **serializer.validated_data
        )
        return Response(TaskSerializer(task).data)

    def destroy(self, request, pk=None):
        services.task_delete(organization=self.organization, actor=request.user, task=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
