from rest_framework import serializers

from crm_project.fields import StrictCharField
from organizations.models import Membership, Organization, Role


class OrganizationSerializer(serializers.ModelSerializer):
    name = StrictCharField(min_length=1, max_length=255)

    class Meta:
        model = Organization
        fields = ["id", "name", "created_at"]
        read_only_fields = ["id", "created_at"]


class MyMembershipSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["organization_id", "role", "organization"]
        read_only_fields = fields


class MyOrganizationsSerializer(serializers.Serializer):
    organizations = MyMembershipSerializer(many=True)


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    joined_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Membership
        fields = ["user_id", "email", "name", "role", "joined_at"]
        read_only_fields = fields


class MemberCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices)


class MemberUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
