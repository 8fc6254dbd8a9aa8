"""Row snapshots for "nothing changed" assertions: every column of every row in scope."""

from django.apps import apps

from organizations.models import Membership, Organization


def _rows(queryset):
    model = queryset.model
    columns = [field.attname for field in model._meta.concrete_fields]
    return sorted(queryset.values_list(*columns), key=repr)


def database_snapshot():
    """Every row of every table."""
    return {
        model._meta.db_table: _rows(model._default_manager.all())
        for model in apps.get_models(include_auto_created=True)
    }


def organization_snapshot(organization):
    """Every row that belongs to `organization`, through its own id, its `organization`
    column, or its users (members of the organization); tables with none of these whole."""
    organization_id = getattr(organization, "pk", organization)
    user_ids = list(Membership.objects.filter(organization_id=organization_id).values_list("user_id", flat=True))
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        manager = model._default_manager
        field_names = {field.name for field in model._meta.concrete_fields}
        if model is Organization:
            queryset = manager.filter(pk=organization_id)
        elif "organization" in field_names:
            queryset = manager.filter(organization_id=organization_id)
        elif model._meta.label == apps.get_model("accounts", "User")._meta.label:
            queryset = manager.filter(pk__in=user_ids)
        elif "user" in field_names:
            queryset = manager.filter(user_id__in=user_ids)
        else:
            queryset = manager.all()
        snapshot[model._meta.db_table] = _rows(queryset)
    return snapshot


def assert_unchanged(before, after):
    changed = {table: (before[table], after.get(table)) for table in before if before[table] != after.get(table)}
    assert not changed, f"rows changed: {changed}"
