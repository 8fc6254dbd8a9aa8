"""Admin building blocks for tenant tables that hold millions of rows.

- `EstimatedCountPaginator`: never a full-table COUNT(*). An unfiltered changelist on PostgreSQL
  reads the planner's row estimate; any other list counts at most `cap` rows.
- Query-string filters (`OrganizationFilter`, `OwnerFilter`, `DealFilter`): a text box and the
  current value, instead of a link per organization or user loaded from the database.
- `TenantAdmin`: the settings every tenant changelist shares.
"""

import uuid
from functools import cached_property

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters, ShowFacets
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet

from accounts.models import User, normalize_email
from organizations.models import Membership, Organization

PAGE_VAR = "p"


def estimated_row_count(model, using):
    """The planner's estimate of a table's rows (pg_class.reltuples), or None when unknown."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    """A paginator whose count costs at most `cap` rows.

    Filtered or searched lists count up to `cap` rows (`SELECT COUNT(*) FROM (... LIMIT cap)`),
    so pages past `cap / per_page` are not offered: a filter narrows further. An unfiltered list
    on PostgreSQL shows the table's estimated size when it is above the cap.
    """

    cap = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        if not queryset.query.where:
            estimate = estimated_row_count(queryset.model, queryset.db)
            if estimate is not None and estimate > self.cap:
                return estimate
        return queryset.order_by()[: self.cap].count()


class QueryStringFilter(admin.ListFilter):
    """A filter typed into a text box and carried in the query string.

    Subclasses set `parameter_name`, `title`, `placeholder` and implement `lookup(value)` (the
    filter kwargs, or None for a value that names nothing) and optionally `label(value)`.
    """

    parameter_name = None
    placeholder = ""
    template = "admin/crm_input_filter.html"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        if self.parameter_name in params:
            value = params.pop(self.parameter_name)
            value = (value[-1] if isinstance(value, list) else value).strip()
            if value:
                self.used_parameters[self.parameter_name] = value

    def value(self):
        return self.used_parameters.get(self.parameter_name)

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name]

    def lookup(self, value):
        raise NotImplementedError

    def label(self, value):
        return value

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        lookup = self.lookup(value)
        if lookup is None:
            raise IncorrectLookupParameters(f"Nothing matches {self.parameter_name}={value}.")
        return queryset.filter(**lookup)

    def choices(self, changelist):
        value = self.value()
        hidden = [
            (name, item)
            for name, items in changelist.filter_params.items()
            if name not in (self.parameter_name, PAGE_VAR)
            for item in items
        ]
        yield {
            "selected": value is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "current_query_string": changelist.get_query_string(),
            "display": "All",
            "label": self.label(value) if value is not None else None,
            "value": value,
            "hidden": hidden,
            "parameter_name": self.parameter_name,
            "placeholder": self.placeholder,
        }


def _as_uuid(value):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class OrganizationFilter(QueryStringFilter):
    """?organization=<id or exact name>."""

    title = "organization"
    parameter_name = "organization"
    placeholder = "id or name"

    def lookup(self, value):
        organization_id = _as_uuid(value)
        if organization_id is not None:
            return {"organization_id": organization_id}
        return {"organization__in": Organization.objects.filter(name__iexact=value).values("pk")}

    def label(self, value):
        organization_id = _as_uuid(value)
        if organization_id is None:
            return value
        name = Organization.objects.filter(pk=organization_id).values_list("name", flat=True).first()
        return name or value


class UserFilter(QueryStringFilter):
    """?<parameter>=<user id or email>, on the user field `field_name`."""

    placeholder = "id or email"
    field_name = None

    def lookup(self, value):
        user_id = _as_uuid(value)
        if user_id is None:
            # Emails are stored lower-cased, so an exact match uses the unique index.
            user_id = User.objects.filter(email=normalize_email(value)).values_list("pk", flat=True).first()
        return {f"{self.field_name}_id": user_id} if user_id is not None else None


class OwnerFilter(UserFilter):
    title = "owner"
    parameter_name = "owner"
    field_name = "owner"


class DealFilter(QueryStringFilter):
    """?deal=<id>: a deal's tasks or timeline, linked from the deal page."""

    title = "deal"
    parameter_name = "deal"
    placeholder = "deal id"

    def lookup(self, value):
        deal_id = _as_uuid(value)
        return {"deal_id": deal_id} if deal_id is not None else None


class TenantAdmin(admin.ModelAdmin):
    """What every tenant changelist shares: no full counts, no facet counts, a stable order."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        # A row's tenant is fixed when it is created.
        return ("organization", *fields) if obj is not None and "organization" not in fields else fields

    #: The form of the add view, when it differs from `form` (e.g. it names the organization).
    add_form = None

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and self.add_form is not None:
            kwargs.setdefault("form", self.add_form)
        return super().get_form(request, obj, **kwargs)


def organization_field(model):
    """A required organization chooser with autocomplete, for add forms of tenant rows."""
    return forms.ModelChoiceField(
        label="Organization",
        queryset=Organization.objects.all(),
        widget=AutocompleteSelect(model._meta.get_field("organization"), admin.site),
    )


def is_member(organization, user):
    return Membership.objects.filter(organization=organization, user=user).exists()


class LimitedInlineFormSet(BaseInlineFormSet):
    """An inline formset showing the first `limit` rows in the inline's order (newest first), so
    a deal with thousands of tasks or activities still opens fast."""

    limit = 20

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            self._queryset = super().get_queryset()[: self.limit]
        return self._queryset
