from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.authentication import ACCESS_COOKIE, REFRESH_COOKIE
from accounts.serializers import (
    LoginSerializer,
    RefreshSerializer,
    RegisterSerializer,
    TokenPairSerializer,
    UserSerializer,
)
from crm_project.errors import MissingToken
from crm_project.throttling import AuthRateThrottle

REFRESH_COOKIE_PATH = "/api/v1/auth"


def set_token_cookies(response, tokens):
    access_lifetime, refresh_lifetime = services.token_lifetimes()
    common = {"httponly": True, "secure": settings.AUTH_COOKIE_SECURE, "samesite": settings.AUTH_COOKIE_SAMESITE}
    response.set_cookie(
        ACCESS_COOKIE, tokens["access_token"], max_age=int(access_lifetime.total_seconds()), path="/", **common
    )
    response.set_cookie(
        REFRESH_COOKIE,
        tokens["refresh_token"],
        max_age=int(refresh_lifetime.total_seconds()),
        path=REFRESH_COOKIE_PATH,
        **common,
    )


def clear_token_cookies(response):
    response.delete_cookie(ACCESS_COOKIE, path="/", samesite=settings.AUTH_COOKIE_SAMESITE)
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_COOKIE_PATH, samesite=settings.AUTH_COOKIE_SAMESITE)


def refresh_token_from(request):
    serializer = RefreshSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    token = serializer.validated_data.get("refresh_token") or request.COOKIES.get(REFRESH_COOKIE)
    if not token:
        raise MissingToken("A refresh token is required in the body or the `refresh_token` cookie.")
    return token


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AuthRateThrottle]
    schema_error_statuses = {"post": [409]}

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer}, summary="Register a user")
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(**serializer.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AuthRateThrottle]
    schema_error_statuses = {"post": [401]}

    @extend_schema(
        request=LoginSerializer,
        responses={200: TokenPairSerializer},
        summary="Log in",
        description="Returns the token pair in the body and sets both as HttpOnly cookies.",
    )
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_login(**serializer.validated_data)
        tokens = services.tokens_for_user(user)
        response = Response(tokens)
        set_token_cookies(response, tokens)
        return response


class RefreshView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AuthRateThrottle]
    schema_error_statuses = {"post": [401]}

    @extend_schema(
        request=RefreshSerializer,
        responses={200: TokenPairSerializer},
        summary="Rotate the refresh token",
        description=(
            "Takes `refresh_token` from the body or, if absent, the cookie. The old token stops working; "
            "presenting it again revokes every refresh token of the user."
        ),
    )
    def post(self, request):
        tokens = services.token_refresh(raw=refresh_token_from(request))
        response = Response(tokens)
        set_token_cookies(response, tokens)
        return response


class LogoutView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    schema_error_statuses = {"post": [401]}

    @extend_schema(request=RefreshSerializer, responses={204: None}, summary="Log out (revoke the refresh token)")
    def post(self, request):
        services.token_revoke(raw=refresh_token_from(request))
        response = Response(status=status.HTTP_204_NO_CONTENT)
        clear_token_cookies(response)
        return response


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: UserSerializer}, summary="The current user")
    def get(self, request):
        return Response(UserSerializer(request.user).data)
