"""Writes on users and tokens. No DRF here."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User, normalize_email
from crm_project.errors import InvalidCredentials, UserAlreadyExists


def user_register(*, email, password, name):
    email = normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise UserAlreadyExists(field="email")
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, name=name)
    except IntegrityError as exc:
        # Two registrations of one email at once: the unique index decides.
        raise UserAlreadyExists(field="email") from exc


def user_login(*, request, email, password):
    """Checks the credentials; unknown email and wrong password take the same path and time."""
    user = authenticate(request, email=normalize_email(email), password=password)
    if user is None:
        raise InvalidCredentials()
    return user


def tokens_for_user(user):
    refresh = RefreshToken.for_user(user)
    return {"access_token": str(refresh.access_token), "refresh_token": str(refresh)}


def token_lifetimes():
    jwt = settings.SIMPLE_JWT
    return jwt["ACCESS_TOKEN_LIFETIME"], jwt["REFRESH_TOKEN_LIFETIME"]


def users_deactivate(*, actor, users):
    """Deactivates `users` (a queryset), never `actor` itself, and revokes their refresh tokens.

    Access is cut at once: authentication (JWT and admin sessions alike) rejects an inactive
    user on its next request, and the revoked refresh tokens cannot mint new access tokens.
    Returns the number of users deactivated.
    """
    with transaction.atomic():
        targets = list(users.filter(is_active=True).exclude(pk=actor.pk).values_list("pk", flat=True))
        User.objects.filter(pk__in=targets).update(is_active=False)
        outstanding = OutstandingToken.objects.filter(user_id__in=targets, blacklistedtoken__isnull=True)
        BlacklistedToken.objects.bulk_create(
            [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
        )
    return len(targets)
