"""Writes on users and tokens. No DRF here."""

import functools
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, UntypedToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from accounts.models import User, normalize_email
from crm_project.errors import InvalidCredentials, InvalidToken, UserAlreadyExists


def user_register(*, email, password, name):
    email = normalize_email(email)
    if User.objects.with_email(email).exists():
        raise UserAlreadyExists(field="email")
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, name=name)
    except IntegrityError as exc:
        # Two registrations of one email at once: the unique index decides.
        raise UserAlreadyExists(field="email") from exc
    except DjangoValidationError:
        # Or the other registration committed between the check above and full_clean().
        if User.objects.with_email(email).exists():
            raise UserAlreadyExists(field="email") from None
        raise


@functools.cache
def _dummy_password_hash():
    """A hash made by the default hasher, checked when the email is unknown."""
    return make_password(secrets.token_urlsafe(16))


def user_login(*, email, password):
    """Checks the credentials.

    An unknown email, a wrong password and an inactive account all run the same password
    check once (against a dummy hash when there is no user) and give the same error, so the
    answer and its timing do not tell which emails are registered.
    """
    user = User.objects.with_email(email).first()
    if user is None:
        check_password(password, _dummy_password_hash())
        raise InvalidCredentials()
    if not user.check_password(password) or not user.is_active:
        raise InvalidCredentials()
    return user


def user_deactivate(*, user):
    """Cuts the user's access at once: access tokens stop working on the next request (the
    user is loaded on every request) and every refresh token is revoked."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    tokens_revoke_all(user_id=user.pk)
    return user


def tokens_for_user(user):
    refresh = RefreshToken.for_user(user)
    return {"access_token": str(refresh.access_token), "refresh_token": str(refresh)}


def token_lifetimes():
    jwt = settings.SIMPLE_JWT
    return jwt["ACCESS_TOKEN_LIFETIME"], jwt["REFRESH_TOKEN_LIFETIME"]


def tokens_revoke_all(*, user_id):
    """Blacklists every unexpired refresh token of the user."""
    outstanding = OutstandingToken.objects.filter(
        user_id=user_id, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    ).values_list("pk", flat=True)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token_id=pk) for pk in outstanding],
        ignore_conflicts=True,
    )


def _decode_refresh(raw):
    """The verified claims of a refresh token (signature, expiry, id, type), blacklist aside."""
    try:
        token = UntypedToken(raw)
    except TokenError as exc:
        raise InvalidToken() from exc
    if token.get(jwt_settings.TOKEN_TYPE_CLAIM) != RefreshToken.token_type:
        raise InvalidToken("A refresh token is required.")
    try:
        user_id = uuid.UUID(str(token.get(jwt_settings.USER_ID_CLAIM)))
    except ValueError as exc:
        raise InvalidToken() from exc
    return token, user_id


def _outstanding_for_update(token, user_id):
    """The token's outstanding row, locked so that one token rotates only once at a time."""
    jti = token[jwt_settings.JTI_CLAIM]
    outstanding = OutstandingToken.objects.order_by().select_for_update().filter(jti=jti).first()
    if outstanding is None:
        OutstandingToken.objects.get_or_create(
            jti=jti,
            defaults={
                "user_id": user_id if User.objects.filter(pk=user_id).exists() else None,
                "token": str(token.token),
                "created_at": timezone.now(),
                "expires_at": datetime_from_epoch(token["exp"]),
            },
        )
        outstanding = OutstandingToken.objects.order_by().select_for_update().get(jti=jti)
    return outstanding


def _blacklist_once(outstanding):
    """True when this call blacklisted the token, False when it already was."""
    try:
        with transaction.atomic():
            _, created = BlacklistedToken.objects.get_or_create(token=outstanding)
    except IntegrityError:
        return False
    return created


def token_refresh(*, raw):
    """Rotates a refresh token: the presented one is blacklisted and a new pair is issued.

    Reuse detection: presenting a refresh token that was already rotated or revoked means
    it leaked (or a client replays it), so every outstanding refresh token of that user is
    revoked and the request fails. The token row is locked while it rotates, so two
    concurrent refreshes of one token cannot both succeed.
    """
    token, user_id = _decode_refresh(raw)
    reused, user, tokens = False, None, None
    with transaction.atomic():
        outstanding = _outstanding_for_update(token, user_id)
        if not _blacklist_once(outstanding):
            reused = True
            tokens_revoke_all(user_id=user_id)
        else:
            user = User.objects.filter(pk=user_id, is_active=True).first()
            if user is not None:
                tokens = tokens_for_user(user)
    # Outside the transaction, so that a reuse revocation is committed.
    if reused:
        raise InvalidToken("The refresh token was already used or revoked.")
    if user is None:
        raise InvalidToken("The token names no active user.")
    return tokens


def token_revoke(*, raw):
    """Logout: blacklists the refresh token. An already revoked one is a 401."""
    token, user_id = _decode_refresh(raw)
    with transaction.atomic():
        outstanding = _outstanding_for_update(token, user_id)
        revoked = _blacklist_once(outstanding)
    if not revoked:
        raise InvalidToken("The refresh token was already used or revoked.")


def users_deactivate(*, actor, users):
    """Deactivates `users` (a queryset), never `actor` itself, with `user_deactivate`'s effect:
    access is cut at once and every refresh token is revoked. Returns how many were deactivated."""
    with transaction.atomic():
        targets = list(users.filter(is_active=True).exclude(pk=actor.pk))
        for user in targets:
            user_deactivate(user=user)
    return len(targets)
