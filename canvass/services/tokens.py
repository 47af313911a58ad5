"""API tokens, one per device: made at sign-in, listed and revoked by their owner, expiring on their own."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.utils import timezone

from canvass.models import ApiToken
from canvass.models.tokens import token_digest

# last_used_at is written at most this often, so an API call does not cost a write each time.
LAST_USED_EVERY = dt.timedelta(minutes=5)


def api_token_create(*, user, device: str = "", second_factor: bool = False) -> tuple[ApiToken, str]:
    """A new token and its key (shown to the caller once; only its digest is kept). `second_factor`: the
    user gave their authenticator code for it (canvass/privacy/two_factor.py)."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        digest=token_digest(key),
        device=device.strip()[:100],
        second_factor=second_factor,
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
    )
    return token, key


def api_token_for_key(key: str) -> ApiToken | None:
    token = ApiToken.objects.live().select_related("user", "user__profile").filter(digest=token_digest(key)).first()
    if token is not None and (token.last_used_at is None or timezone.now() - token.last_used_at > LAST_USED_EVERY):
        token.last_used_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token


def api_tokens_revoke(*, user, token_id: int | None = None) -> int:
    """Revoke one of the user's tokens, or all of them; how many went."""
    tokens = ApiToken.objects.filter(user=user)
    if token_id is not None:
        tokens = tokens.filter(pk=token_id)
    deleted, _ = tokens.delete()
    return deleted


@receiver(user_logged_out)
def _web_logout_revokes_api_tokens(sender, request, user, **kwargs):
    if user is not None:
        api_tokens_revoke(user=user)
