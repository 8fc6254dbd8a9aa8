from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from deals.currencies import currency_codes
from deals.models import Activity, ActivityType, Deal, DealStatus
from deals.services import activity_record
from organizations.admin_tools import (
    DealFilter,
    LimitedInlineFormSet,
    OrganizationFilter,
    OwnerFilter,
    TenantAdmin,
    UserFilter,
    is_member,
)
from tasks.models import Task

COMMON_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD")


class CurrencyFilter(admin.SimpleListFilter):
    """The common currencies as links; any other ISO 4217 code works from the query string."""

    title = "currency"
    parameter_name = "currency"

    def lookups(self, request, model_admin):
        codes = list(COMMON_CURRENCIES)
        value = (self.value() or "").upper()
        if value and value not in codes:
            codes.append(value)
        return [(code, code) for code in codes]

    def queryset(self, request, queryset):
        value = (self.value() or "").upper()
        if not value:
            return queryset
        if value not in currency_codes():
            raise admin.options.IncorrectLookupParameters(f"{value} is not an ISO 4217 code.")
        return queryset.filter(currency=value)


class AuthorFilter(UserFilter):
    title = "author"
    parameter_name = "author"
    field_name = "author"


class TaskInline(admin.TabularInline):
    model = Task
    formset = LimitedInlineFormSet
    fields = ("title", "due_date", "is_done", "created_at")
    readonly_fields = ("created_at",)
    extra = 0
    show_change_link = True
    verbose_name_plural = f"tasks (newest {LimitedInlineFormSet.limit})"


class ActivityInline(admin.TabularInline):
    """The latest entries of the timeline, read-only: history is written by the changes themselves."""

    model = Activity
    formset = LimitedInlineFormSet
    fields = ("type", "author", "payload", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = f"activities (newest {LimitedInlineFormSet.limit})"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DealChangeForm(forms.ModelForm):
    """Keeps a deal inside its organization and the `won` rule of the API."""

    class Meta:
        model = Deal
        fields = ("title", "contact", "owner", "amount", "currency", "status", "stage")

    def organization_id(self):
        return self.instance.organization_id

    def clean(self):
        cleaned = super().clean()
        organization_id = self.organization_id()
        contact, owner = cleaned.get("contact"), cleaned.get("owner")
        if organization_id is not None:
            if contact is not None and contact.organization_id != organization_id:
                self.add_error("contact", "The contact belongs to another organization.")
            if owner is not None and not is_member(organization_id, owner):
                self.add_error("owner", "The owner must be a member of the deal's organization.")
        amount = cleaned.get("amount")
        if cleaned.get("status") == DealStatus.WON and amount is not None and amount <= 0:
            self.add_error("amount", "A won deal needs an amount above zero.")
        return cleaned


class DealAddForm(DealChangeForm):
    """A new deal takes its organization from its contact."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].required = True

    def organization_id(self):
        contact = self.cleaned_data.get("contact")
        return contact.organization_id if contact is not None else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact") is not None:
            self.instance.organization_id = cleaned["contact"].organization_id
        return cleaned


@admin.register(Deal)
class DealAdmin(TenantAdmin):
    form = DealChangeForm
    add_form = DealAddForm
    list_display = ("title", "organization", "owner", "contact", "amount", "currency", "status", "stage", "created_at")
    list_select_related = ("organization", "owner", "contact")
    list_filter = (OrganizationFilter, OwnerFilter, "status", "stage", CurrencyFilter)
    search_fields = ("title", "contact__name", "=id")
    autocomplete_fields = ("contact", "owner")
    readonly_fields = ("id", "timeline", "created_at", "updated_at")
    inlines = (TaskInline, ActivityInline)

    @admin.display(description="All rows")
    def timeline(self, obj):
        if obj.pk is None:
            return "-"
        tasks = reverse("admin:tasks_task_changelist") + f"?deal={obj.pk}"
        activities = reverse("admin:deals_activity_changelist") + f"?deal={obj.pk}"
        return format_html('<a href="{}">every task</a> · <a href="{}">the whole timeline</a>', tasks, activities)

    def save_model(self, request, obj, form, change):
        """Status and stage changes write their timeline entries, as through the API."""
        super().save_model(request, obj, form, change)
        if not change:
            return
        for name, kind in (("status", ActivityType.STATUS_CHANGED), ("stage", ActivityType.STAGE_CHANGED)):
            if name in form.changed_data:
                activity_record(
                    organization=obj.organization,
                    deal=obj,
                    author=request.user,
                    type=kind,
                    payload={f"old_{name}": form.initial[name], f"new_{name}": getattr(obj, name)},
                )

    def save_formset(self, request, form, formset, change):
        """New inline tasks join the deal's organization and write `task_created`."""
        deal = form.instance
        for instance in formset.save(commit=False):
            created = instance._state.adding
            if created:
                instance.organization_id = deal.organization_id
            instance.save()
            if created and isinstance(instance, Task):
                activity_record(
                    organization=deal.organization,
                    deal=deal,
                    author=request.user,
                    type=ActivityType.TASK_CREATED,
                    payload={"task_id": str(instance.pk), "title": instance.title},
                )
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()


class ActivityChangeForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ("type", "author", "payload")


class ActivityAddForm(ActivityChangeForm):
    """A new entry takes its organization from its deal."""

    class Meta(ActivityChangeForm.Meta):
        fields = ("deal", *ActivityChangeForm.Meta.fields)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deal") is not None:
            self.instance.organization_id = cleaned["deal"].organization_id
        return cleaned


@admin.register(Activity)
class ActivityAdmin(TenantAdmin):
    form = ActivityChangeForm
    add_form = ActivityAddForm
    list_display = ("type", "deal", "author", "organization", "created_at")
    list_select_related = ("deal", "author", "organization")
    list_filter = (OrganizationFilter, DealFilter, AuthorFilter, "type")
    search_fields = ("deal__title", "=id", "=deal__id")
    autocomplete_fields = ("deal", "author")
    readonly_fields = ("id", "created_at")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "deal") if obj is not None else fields
