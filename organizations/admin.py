"""The staff console: organizations with their members, figures and pipeline chart, and the
actions staff need to run a tenant (transfer ownership; deactivating users is on the user admin).

The chart is drawn by the server as inline SVG from the analytics selectors, so the page needs
no script and no asset from the internet.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from analytics import selectors as analytics_selectors
from contacts.models import Contact
from deals.models import Deal, DealStage, DealStatus
from organizations.models import ROLE_RANK, Membership, Organization, Role
from organizations.services import organization_transfer_ownership
from tasks.models import Task

# Members listed on the organization page; the rest are counted and reachable through the
# membership changelist.
CONSOLE_MEMBER_LIMIT = 50

CHART_WIDTH = 720
FUNNEL_LABEL_WIDTH = 120
FUNNEL_BAR_WIDTH = 360
FUNNEL_ROW_HEIGHT = 38
MONEY_LABEL_WIDTH = 70
MONEY_BAR_WIDTH = 380
MONEY_BAR_HEIGHT = 16
MONEY_GROUP_HEIGHT = 50
NO_MONEY = Decimal("0.00")


def _px(value):
    return f"{value:.1f}"


def funnel_chart(funnel):
    """Geometry of the funnel: one centred bar per stage, as wide as the deals that reached it,
    with the deals now at the stage as a darker core."""
    stages = funnel["stages"]
    widest = max((stage["reached"] for stage in stages), default=0) or 1
    labels = dict(DealStage.choices)
    rows = []
    for index, stage in enumerate(stages):
        reached_width = FUNNEL_BAR_WIDTH * stage["reached"] / widest
        count_width = FUNNEL_BAR_WIDTH * stage["count"] / widest
        y = index * FUNNEL_ROW_HEIGHT
        conversion = stage["conversion_to_next"]
        rows.append(
            {
                "stage": stage["stage"],
                "label": labels.get(stage["stage"], stage["stage"]),
                "count": stage["count"],
                "reached": stage["reached"],
                "conversion": conversion,
                "y": _px(y + 4),
                "text_y": _px(y + FUNNEL_ROW_HEIGHT / 2 + 4),
                "reached_x": _px(FUNNEL_LABEL_WIDTH + (FUNNEL_BAR_WIDTH - reached_width) / 2),
                "reached_width": _px(reached_width),
                "count_x": _px(FUNNEL_LABEL_WIDTH + (FUNNEL_BAR_WIDTH - count_width) / 2),
                "count_width": _px(count_width),
                "bar_height": _px(FUNNEL_ROW_HEIGHT - 8),
                "note": f"{stage['reached']} reached" + (f" · {conversion}% to next" if conversion is not None else ""),
            }
        )
    return {
        "rows": rows,
        "width": CHART_WIDTH,
        "height": FUNNEL_ROW_HEIGHT * len(rows),
        "label_x": FUNNEL_LABEL_WIDTH - 10,
        "note_x": FUNNEL_LABEL_WIDTH + FUNNEL_BAR_WIDTH + 12,
        "empty": not any(stage["reached"] for stage in stages),
    }


def won_lost_chart(won_summary, lost_summary):
    """Geometry of won and lost money per currency. Currencies are never added together or
    compared: each currency's two bars share a scale of their own."""
    won = {row["currency"]: row for row in won_summary["by_currency"]}
    lost = {row["currency"]: row for row in lost_summary["by_currency"]}
    groups = []
    for index, currency in enumerate(sorted(set(won) | set(lost))):
        won_row = won.get(currency, {"count": 0, "total_amount": NO_MONEY})
        lost_row = lost.get(currency, {"count": 0, "total_amount": NO_MONEY})
        largest = max(won_row["total_amount"], lost_row["total_amount"]) or 1
        top = index * MONEY_GROUP_HEIGHT
        bars = []
        for offset, (kind, row) in enumerate((("won", won_row), ("lost", lost_row))):
            width = MONEY_BAR_WIDTH * float(row["total_amount"] / largest)
            y = top + offset * (MONEY_BAR_HEIGHT + 2)
            bars.append(
                {
                    "kind": kind,
                    "count": row["count"],
                    "amount": row["total_amount"],
                    "y": _px(y),
                    "text_y": _px(y + MONEY_BAR_HEIGHT - 4),
                    "width": _px(max(width, 1.0) if row["count"] else 0),
                    "note_x": _px(MONEY_LABEL_WIDTH + max(width, 1.0) + 8),
                }
            )
        groups.append({"currency": currency, "label_y": _px(top + MONEY_BAR_HEIGHT + 4), "bars": bars})
    return {
        "groups": groups,
        "width": CHART_WIDTH,
        "height": max(MONEY_GROUP_HEIGHT * len(groups) - 12, 0),
        "bar_x": MONEY_LABEL_WIDTH,
        "label_x": MONEY_LABEL_WIDTH - 10,
        "bar_height": MONEY_BAR_HEIGHT,
    }


def organization_console(organization):
    """What the organization page shows above its form: members, figures and the pipeline."""
    role_order = Case(
        *[When(role=role, then=Value(-rank)) for role, rank in ROLE_RANK.items()],
        output_field=IntegerField(),
    )
    members = list(
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by(role_order, "user__email")[: CONSOLE_MEMBER_LIMIT + 1]
    )
    funnel = analytics_selectors.deal_funnel(organization=organization)
    won = analytics_selectors.deal_summary(organization=organization, status_list=[DealStatus.WON])
    lost = analytics_selectors.deal_summary(organization=organization, status_list=[DealStatus.LOST])
    return {
        "members": members[:CONSOLE_MEMBER_LIMIT],
        "more_members": len(members) > CONSOLE_MEMBER_LIMIT,
        "member_count": Membership.objects.filter(organization=organization).count(),
        "members_url": reverse("admin:organizations_membership_changelist")
        + "?"
        + urlencode({"organization__id__exact": organization.pk}),
        "contact_count": Contact.objects.for_organization(organization).count(),
        "deal_count": Deal.objects.for_organization(organization).count(),
        "open_task_count": Task.objects.for_organization(organization).filter(is_done=False).count(),
        "funnel": funnel_chart(funnel),
        "won_lost": won_lost_chart(won, lost),
    }


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("organization", "user", "role")

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk and instance.role == Role.OWNER and cleaned.get("role") != Role.OWNER:
            owners = Membership.objects.filter(organization_id=instance.organization_id, role=Role.OWNER)
            if not owners.exclude(pk=instance.pk).exists():
                raise ValidationError(
                    "This is the organization's last owner: transfer the ownership to another member first."
                )
        return cleaned


class TransferOwnershipForm(forms.Form):
    new_owner = forms.ModelChoiceField(queryset=Membership.objects.none(), label="New owner")
    previous_owners_role = forms.ChoiceField(
        label="Current owners become",
        choices=[
            (Role.ADMIN, "Admin"),
            (Role.MANAGER, "Manager"),
            (Role.MEMBER, "Member"),
            (Role.OWNER, "Owner (they stay owners too)"),
        ],
        initial=Role.ADMIN,
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["new_owner"]
        field.queryset = (
            Membership.objects.filter(organization=organization)
            .exclude(role=Role.OWNER)
            .select_related("user")
            .order_by("user__email")
        )
        field.label_from_instance = lambda membership: f"{membership.user.email} ({membership.get_role_display()})"


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "created_at")
    search_fields = ("name", "=id")
    readonly_fields = ("id", "created_at")
    show_full_result_count = False
    actions = ["transfer_ownership"]
    change_form_template = "admin/organizations/organization/change_form.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not add:
            context["console"] = organization_console(obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    @admin.action(description="Transfer ownership to another member", permissions=["change"])
    def transfer_ownership(self, request, queryset):
        organizations = list(queryset[:2])
        if len(organizations) != 1:
            self.message_user(request, "Select exactly one organization to transfer.", messages.ERROR)
            return None
        organization = organizations[0]
        if "apply" in request.POST:
            form = TransferOwnershipForm(request.POST, organization=organization)
            if form.is_valid():
                new_owner = organization_transfer_ownership(
                    organization=organization,
                    new_owner=form.cleaned_data["new_owner"],
                    previous_owners_role=form.cleaned_data["previous_owners_role"],
                )
                self.message_user(request, f"{new_owner.user.email} now owns {organization.name}.", messages.SUCCESS)
                return None
        else:
            form = TransferOwnershipForm(organization=organization)
            if not form.fields["new_owner"].queryset.exists():
                self.message_user(
                    request, f"{organization.name} has no member who is not already an owner.", messages.WARNING
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Transfer ownership of {organization.name}",
            "opts": self.model._meta,
            "organization": organization,
            "owners": Membership.objects.filter(organization=organization, role=Role.OWNER)
            .select_related("user")
            .order_by("user__email"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/organizations/organization/transfer_ownership.html", context)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organization__name")
    list_select_related = ("user", "organization")
    autocomplete_fields = ("user", "organization")
    show_full_result_count = False
    form = MembershipAdminForm
