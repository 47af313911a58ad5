from rest_framework import authentication, exceptions

from canvass.privacy.two_factor import second_factor_required
from canvass.services.tokens import api_token_for_key


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` for a live, unrevoked device token; loads the profile in the same query."""

    def authenticate_credentials(self, key):
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        # A token made before two-factor sign-in applied to this user (or was turned on) is not enough.
        if not token.second_factor and second_factor_required(token.user):
            raise exceptions.AuthenticationFailed(
                "This token was made without two-factor sign-in: ask for a new one, sending your code as `otp`."
            )
        return token.user, token
