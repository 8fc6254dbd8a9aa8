"""Writes on users and tokens. No DRF here."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
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
    except DjangoValidationError as exc:
        # Or `full_clean()` saw the other registration's row between our check and our insert.
        if User.objects.filter(email__iexact=email).exists():
            raise UserAlreadyExists(field="email") from exc
        raise


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
