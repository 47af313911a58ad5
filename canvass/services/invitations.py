"""Inviting volunteers: an organiser makes the account, the volunteer sets its password from a one-time link.

The link's key is shown once (and emailed when `INVITATION_EMAILS` is on); only its SHA-256 digest is stored,
so a copy of the database opens no account. A link works once, and not after `INVITATION_LIFETIME_DAYS`.
"""

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from canvass.models import Invitation, Profile, Role
from canvass.models.people import display_name
from canvass.models.tokens import token_digest


class InvitationError(ValueError):
    """The invitation cannot be made or used; the message says why."""


def _new_invitation(*, user, by) -> tuple[Invitation, str]:
    key = secrets.token_urlsafe(32)
    expires = timezone.now() + dt.timedelta(days=settings.INVITATION_LIFETIME_DAYS)
    invitation = Invitation.objects.create(user=user, digest=token_digest(key), created_by=by, expires_at=expires)
    return invitation, key


@transaction.atomic
def volunteer_invite(
    *, by, username: str, first_name: str = "", last_name: str = "", email: str = "", wards: Iterable = ()
) -> tuple[Invitation, str]:
    """A new volunteer's account (no usable password yet) with the wards they canvass, and its invitation key."""
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise InvitationError(f"The username “{username}” is taken: choose another.")
    user = user_model(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_unusable_password()
    user.save()
    profile = Profile.objects.create(user=user, role=Role.VOLUNTEER)
    profile.wards.set(wards)
    return _new_invitation(user=user, by=by)


@transaction.atomic
def invitation_renew(*, user, by) -> tuple[Invitation, str]:
    """A fresh link for someone who has not set a password yet: earlier links stop working.

    Refused for an account with a password: the link sets a new one, so whoever asked for it could sign in as
    them (an organiser as any volunteer, whatever their wards)."""
    if user.has_usable_password():
        raise InvitationError(f"{display_name(user)} has set a password already: no new invitation link is needed.")
    Invitation.objects.filter(user=user, used_at__isnull=True).update(expires_at=timezone.now())
    return _new_invitation(user=user, by=by)


def invitation_find(*, key: str) -> Invitation | None:
    """The live (unused, unexpired) invitation with this key, or None."""
    return Invitation.objects.live().select_related("user").filter(digest=token_digest(key)).first()


@transaction.atomic
def invitation_accept(*, key: str, password: str):
    """Set the invited user's password and spend the link. Raises `InvitationError` if it is spent or expired."""
    invitation = (
        Invitation.objects.live().select_for_update().select_related("user").filter(digest=token_digest(key)).first()
    )
    if invitation is None:
        raise InvitationError("This invitation link has expired or was already used: ask your organiser for a new one.")
    user = invitation.user
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return user


def invitation_email(*, invitation: Invitation, link: str) -> bool:
    """Email the link when an email backend is configured (`INVITATION_EMAILS`); True if it was sent."""
    user = invitation.user
    if not settings.INVITATION_EMAILS or not user.email:
        return False
    inviter = display_name(invitation.created_by) or "Your organiser"
    send_mail(
        subject="Your canvassing account",
        message=(
            f"Hello {display_name(user)},\n\n{inviter} has invited you to canvass with us. Set your password here "
            f"(the link works once, until {invitation.expires_at:%-d %B %Y}):\n\n{link}\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
    Invitation.objects.filter(pk=invitation.pk).update(emailed=True)
    return True
