from django import forms
from django.contrib import admin
from django.utils import timezone

from deals.models import ActivityType
from deals.services import activity_record
from organizations.admin_tools import DealFilter, OrganizationFilter, TenantAdmin, UserFilter
from tasks.models import Task


class DealOwnerFilter(UserFilter):
    """A task is its deal owner's."""

    title = "owner"
    parameter_name = "owner"
    field_name = "deal__owner"


class DueFilter(admin.SimpleListFilter):
    title = "due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return (("overdue", "Overdue"), ("today", "Today"), ("upcoming", "Upcoming"), ("none", "No due date"))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "overdue":
            return queryset.filter(is_done=False, due_date__lt=today)
        if value == "today":
            return queryset.filter(due_date=today)
        if value == "upcoming":
            return queryset.filter(due_date__gt=today)
        if value == "none":
            return queryset.filter(due_date__isnull=True)
        return queryset


class TaskChangeForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ("title", "description", "due_date", "is_done")


class TaskAddForm(TaskChangeForm):
    """A new task takes its organization from its deal."""

    class Meta(TaskChangeForm.Meta):
        fields = ("deal", *TaskChangeForm.Meta.fields)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deal") is not None:
            self.instance.organization_id = cleaned["deal"].organization_id
        return cleaned


@admin.register(Task)
class TaskAdmin(TenantAdmin):
    form = TaskChangeForm
    add_form = TaskAddForm
    list_display = ("title", "deal", "organization", "due_date", "is_done", "created_at")
    list_select_related = ("deal", "organization")
    list_filter = (OrganizationFilter, DealOwnerFilter, DealFilter, "is_done", DueFilter)
    search_fields = ("title", "deal__title", "=id")
    autocomplete_fields = ("deal",)
    readonly_fields = ("id", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "deal") if obj is not None else fields

    def save_model(self, request, obj, form, change):
        """A new task writes `task_created` on its deal's timeline in the same transaction."""
        super().save_model(request, obj, form, change)
        if not change:
            activity_record(
                organization=obj.deal.organization,
                deal=obj.deal,
                author=request.user,
                type=ActivityType.TASK_CREATED,
                payload={"task_id": str(obj.pk), "title": obj.title},
            )
