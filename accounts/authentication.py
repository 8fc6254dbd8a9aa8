"""JWT authentication from the `Authorization: Bearer` header or the `access_token` cookie."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

ACCESS_COOKIE = "access_token"
REFRESH_COOKIE = "refresh_token"


class JWTHeaderOrCookieAuthentication(JWTAuthentication):
    www_authenticate_realm = "api"

    def authenticate(self, request):
        header = self.get_header(request)
        if header is not None:
            raw_token = self.get_raw_token(header)
            if raw_token is None:
                raise InvalidToken("The Authorization header must be `Bearer <token>`.")
        else:
            raw_token = request.COOKIES.get(ACCESS_COOKIE)
            if not raw_token:
                return None
            raw_token = raw_token.encode()
        validated_token = self.get_validated_token(raw_token)
        return self.get_user(validated_token), validated_token

    def get_user(self, validated_token):
        try:
            return super().get_user(validated_token)
        except (DjangoValidationError, ValueError, TypeError) as exc:
            # A signed token whose user id is not a UUID: still only a bad token.
            raise InvalidToken("The token names no valid user.") from exc
