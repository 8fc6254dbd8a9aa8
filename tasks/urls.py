from django.urls import path

from tasks import views

tasks = views.TaskViewSet.as_view({"get": "list", "post": "create"})
task = views.TaskViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    path("tasks", tasks, name="tasks"),
    path("tasks/<str:pk>", task, name="task"),
]
