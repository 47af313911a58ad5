"""Two-factor sign-in (TOTP, django-otp) for admins and organisers, when `PRIVACY_REQUIRE_2FA` is on.

On by default with production settings (a DATABASE_URL set), off on the embedded laptop setup and in tests.
After the password, an admin or organiser is sent to /accounts/two-factor/: the first time to enrol an
authenticator app (the key is shown once, on that page), then for a six-digit code at every sign-in.
"""

import base64

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from canvass.models.people import Role
from canvass.scoping import role_of

NEEDS_2FA = (Role.ADMIN, Role.ORGANISER)
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/sw.js")


def second_factor_required(user) -> bool:
    """Whether this user must give a second factor, on the web and for an API token."""
    return bool(settings.PRIVACY_REQUIRE_2FA) and role_of(user) in NEEDS_2FA


def needs_second_factor(user) -> bool:
    return second_factor_required(user) and not user.is_verified()


class SecondFactorRefused(Exception):
    """Why a sign-in without a session (the API token endpoint) was refused its second factor.
    `guessed` says whether a wrong code was tried (which counts as a failed sign-in)."""

    def __init__(self, message: str, *, guessed: bool = False):
        super().__init__(message)
        self.guessed = guessed


def second_factor_check(*, user, code: str) -> None:
    """For the token endpoint: an admin or organiser must send the current code of their confirmed
    authenticator app. Enrolment happens on the web page only, where the key is shown once."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise SecondFactorRefused(
            "Two-factor sign-in is required for organisers and admins: add an authenticator app at "
            "/accounts/two-factor/ first, then send its code as `otp`."
        )
    code = code.strip()
    if not code:
        raise SecondFactorRefused("Two-factor sign-in is required: send the six-digit code your app shows as `otp`.")
    if not device.verify_token(code):
        raise SecondFactorRefused(
            "That code is not right (or has expired): send the six digits your app shows now.", guessed=True
        )


class RequireTwoFactorMiddleware:
    """After django_otp's OTPMiddleware: an admin or organiser without a verified device reaches nothing but
    the sign-in pages. API clients get a 403 that says why; pages redirect to the code form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user) and not request.path.startswith(OPEN_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Two-factor sign-in required: enter your code at /accounts/two-factor/."}, status=403
                )
            return redirect(f"{reverse('two-factor')}?next={request.get_full_path()}")
        return self.get_response(request)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


@login_required
def two_factor(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    error = ""
    if request.method == "POST":
        if device.verify_token(request.POST.get("token", "").strip()):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next(request))
        error = "That code is not right (or has expired): enter the six digits your app shows now."
    context = {"enrolling": enrolling, "error": error, "next": _next(request)}
    if enrolling:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["config_url"] = device.config_url
    return render(request, "privacy/two_factor.html", context)
