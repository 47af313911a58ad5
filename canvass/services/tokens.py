"""API tokens, one per device: made at sign-in, listed and revoked by their owner, expiring on their own."""

import datetime as dt
import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db import connection
from django.db.models.expressions import Col
from django.dispatch import receiver
from django.utils import timezone

from canvass import sql
from canvass.models import ApiToken, Profile
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
    """The live token with this key, with its user and the user's profile loaded: one SELECT, its SQL made once
    per process (every API request authenticates: building the ORM query cost more than running it)."""
    rows = sql.fetch(_token_statement(), [token_digest(key), timezone.now()])
    token = _token_from_row(rows[0]) if rows else None
    if token is not None and (token.last_used_at is None or timezone.now() - token.last_used_at > LAST_USED_EVERY):
        token.last_used_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token


def _loaded(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


@functools.cache
def _token_statement() -> str:
    user_model = get_user_model()
    tables = ((ApiToken, "t"), (user_model, "u"), (Profile, "p"))
    columns = ", ".join(f"{alias}.{connection.ops.quote_name(str(field.column))}" for model, alias in tables
                        for field in model._meta.concrete_fields)  # fmt: skip
    return (
        f"SELECT {columns} FROM {ApiToken._meta.db_table} t"
        f" JOIN {user_model._meta.db_table} u ON u.id = t.user_id"
        f" LEFT JOIN {Profile._meta.db_table} p ON p.user_id = u.id"
        " WHERE t.digest = %s AND t.expires_at > %s"
    )


@functools.cache
def _converters() -> list[tuple[list, Col]]:
    """For each column of the row, what the ORM would apply to its value (SQLite's datetimes and booleans)."""
    found = []
    for model in (ApiToken, get_user_model(), Profile):
        for field in model._meta.concrete_fields:
            column = field.get_col(model._meta.db_table)
            found.append((connection.ops.get_db_converters(column) + field.get_db_converters(connection), column))
    return found


def _token_from_row(row: tuple) -> ApiToken:
    """The token, its user and profile from one row, linked as `select_related("user", "user__profile")` would."""
    user_model = get_user_model()
    converted = []
    for value, (converters, column) in zip(row, _converters(), strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        converted.append(value)
    row = tuple(converted)
    token_fields, user_fields, profile_fields = _loaded(ApiToken), _loaded(user_model), _loaded(Profile)
    first_user, first_profile = len(token_fields), len(token_fields) + len(user_fields)
    token = ApiToken.from_db(connection.alias, token_fields, row[:first_user])
    user = user_model.from_db(connection.alias, user_fields, row[first_user:first_profile])
    profile_row = row[first_profile:]
    profile = Profile.from_db(connection.alias, profile_fields, profile_row) if profile_row[0] is not None else None
    ApiToken._meta.get_field("user").set_cached_value(token, user)
    user_link = Profile._meta.get_field("user")
    user_link.remote_field.set_cached_value(user, profile)  # user.profile (None: raises DoesNotExist as usual)
    if profile is not None:
        user_link.set_cached_value(profile, user)
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
