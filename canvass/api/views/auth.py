from django.contrib.auth import authenticate, logout
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from canvass.models import Role
from canvass.scoping import role_of, ward_ids_visible_to
from canvass.services.logins import (
    client_address,
    login_attempt_begin,
    login_attempt_failed,
    login_attempt_succeeded,
)
from wards.models import Ward


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class TokenView(APIView):
    """A token for a device. Throttled by the same rule as the web login (canvass/services/logins.py)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request):
        credentials = TokenRequestSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        who = {"username": credentials.validated_data["username"], "address": client_address(request.META)}
        refused = login_attempt_begin(**who)
        if refused:
            raise Throttled(wait=refused)
        user = authenticate(request, **credentials.validated_data)
        if user is None or role_of(user) is None:
            login_attempt_failed(**who)
            raise ValidationError({"non_field_errors": ["Unknown username or wrong password."]})
        login_attempt_succeeded(username=who["username"])
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
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
                # Without a profile a user has no reach at all, which is what a volunteer without lists sees.
                "role": role_of(user) or Role.VOLUNTEER,
                "wards": list(wards.order_by("id").values_list("id", flat=True)),
            }
        )
