from django.contrib.auth import authenticate, logout
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from canvass.models import ApiToken, Role
from canvass.models.people import display_name
from canvass.privacy.two_factor import SecondFactorRefused, second_factor_check, second_factor_required
from canvass.scoping import role_of, ward_ids_visible_to
from canvass.services.logins import (
    client_address,
    login_attempt_begin,
    login_attempt_failed,
    login_attempt_succeeded,
)
from canvass.services.tokens import api_token_create, api_tokens_revoke
from wards.models import Ward


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    device = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    otp = serializers.CharField(
        max_length=12,
        required=False,
        default="",
        allow_blank=True,
        help_text="The six-digit code of the authenticator app: required of admins and organisers when "
        "two-factor sign-in is on.",
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "device", "created_at", "last_used_at", "expires_at"]
        read_only_fields = fields


class TokenView(APIView):
    """A token for a device. Throttled by the same rule as the web login (canvass/services/logins.py)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse",
                {
                    "token": serializers.CharField(),
                    "id": serializers.IntegerField(),
                    "expires_at": serializers.DateTimeField(),
                },
            ),
            429: OpenApiResponse(description="Too many failed logins from this address: wait Retry-After seconds."),
        },
    )
    def post(self, request):
        credentials = TokenRequestSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        who = {"username": credentials.validated_data["username"], "address": client_address(request.META)}
        refused = login_attempt_begin(**who)
        if refused:
            raise Throttled(wait=refused)
        device = credentials.validated_data.pop("device")
        code = credentials.validated_data.pop("otp")
        user = authenticate(request, **credentials.validated_data)
        if user is None or role_of(user) is None:
            login_attempt_failed(**who)
            raise ValidationError({"non_field_errors": ["Unknown username or wrong password."]})
        second_factor = second_factor_required(user)
        if second_factor:
            try:
                second_factor_check(user=user, code=code)
            except SecondFactorRefused as refusal:
                if refusal.guessed:
                    login_attempt_failed(**who)
                raise ValidationError({"otp": [str(refusal)]}) from None
        login_attempt_succeeded(username=who["username"])
        token, key = api_token_create(user=user, device=device, second_factor=second_factor)
        return Response({"token": key, "id": token.pk, "expires_at": token.expires_at})


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        """Sign this device out: its token is revoked (a session logout revokes every token)."""
        if isinstance(request.auth, ApiToken):
            api_tokens_revoke(user=request.user, token_id=request.auth.pk)
        else:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    """The caller's device tokens, newest first, without their keys."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ApiTokenSerializer(many=True)})
    def get(self, request):
        tokens = ApiToken.objects.live().filter(user=request.user)
        return Response(ApiTokenSerializer(tokens, many=True).data)


class TokenRevokeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None, 404: None})
    def delete(self, request, pk):
        if not api_tokens_revoke(user=request.user, token_id=pk):
            raise NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField(help_text="Full name, falling back to the username.")
    role = serializers.ChoiceField(choices=Role.choices)
    wards = serializers.ListField(child=serializers.IntegerField())


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        user = request.user
        ward_ids = ward_ids_visible_to(user)
        wards = Ward.objects.all() if ward_ids is None else Ward.objects.filter(id__in=ward_ids)
        return Response(
            {
                "id": user.pk,
                "username": user.get_username(),
                "display_name": display_name(user),
                # Without a profile a user has no reach at all, which is what a volunteer without lists sees.
                "role": role_of(user) or Role.VOLUNTEER,
                "wards": list(wards.order_by("id").values_list("id", flat=True)),
            }
        )
