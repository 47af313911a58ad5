from rest_framework import authentication, exceptions

from canvass.services.tokens import api_token_for_key


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` for a live, unrevoked device token; loads the profile in the same query."""

    def authenticate_credentials(self, key):
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return token.user, token
