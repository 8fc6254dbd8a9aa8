from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from accounts.models import User, normalize_email
from accounts.services import users_deactivate
from organizations.models import Membership


class EmailUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])


class MembershipOfUserInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("organization", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("organization",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ("email",)
    list_display = ("email", "name", "is_active", "is_staff", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "name")
    readonly_fields = ("date_joined", "last_login")
    inlines = [MembershipOfUserInline]
    actions = ["deactivate_users"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),)
    show_full_result_count = False

    @admin.action(description="Deactivate selected users (cuts their access at once)", permissions=["change"])
    def deactivate_users(self, request, queryset):
        count = users_deactivate(actor=request.user, users=queryset)
        skipped = " Your own account was left active." if queryset.filter(pk=request.user.pk).exists() else ""
        self.message_user(request, f"Deactivated {count} user(s).{skipped}", messages.SUCCESS)


__all__ = ["UserAdmin", "forms"]
