from django import forms
from django.contrib import admin

from contacts.models import Contact
from organizations.admin_tools import OrganizationFilter, OwnerFilter, TenantAdmin, is_member, organization_field


class ContactChangeForm(forms.ModelForm):
    """The owner must be a member of the contact's organization."""

    class Meta:
        model = Contact
        fields = ("owner", "name", "email", "phone")

    def organization(self):
        return self.instance.organization

    def clean(self):
        cleaned = super().clean()
        organization, owner = self.organization(), cleaned.get("owner")
        if organization is not None and owner is not None and not is_member(organization, owner):
            self.add_error("owner", "The owner must be a member of the contact's organization.")
        return cleaned


class ContactAddForm(ContactChangeForm):
    """Adding a contact names its organization, which is fixed afterwards."""

    tenant = organization_field(Contact)

    class Meta(ContactChangeForm.Meta):
        fields = ("tenant", *ContactChangeForm.Meta.fields)

    def organization(self):
        return self.cleaned_data.get("tenant")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("tenant") is not None:
            self.instance.organization = cleaned["tenant"]
        return cleaned


@admin.register(Contact)
class ContactAdmin(TenantAdmin):
    form = ContactChangeForm
    add_form = ContactAddForm
    list_display = ("name", "email", "phone", "owner", "organization", "created_at")
    list_select_related = ("owner", "organization")
    list_filter = (OrganizationFilter, OwnerFilter)
    search_fields = ("name", "email", "phone", "=id")
    autocomplete_fields = ("owner",)
    readonly_fields = ("id", "created_at", "updated_at")
