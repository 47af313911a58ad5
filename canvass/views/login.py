"""Throttled session login: failed attempts are counted in the shared cache, per address and username."""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def login_rate() -> tuple[int, int]:
    """LOGIN_THROTTLE_RATE as (attempts, seconds): '10/min' is ten failed attempts a minute."""
    attempts, period = settings.LOGIN_THROTTLE_RATE.split("/")
    return int(attempts), PERIODS[period]


def _attempts_key(request) -> str:
    username = request.POST.get("username", "").strip().lower()
    # Hashed so the cache never holds a username or an address in clear.
    who = hashlib.sha256(f"{request.META.get('REMOTE_ADDR', '')}|{username}".encode()).hexdigest()
    return f"login-attempts:{who}"


def login_throttled(view):
    """Refuse a login POST once too many have failed recently; a successful login redirects and is not counted."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        limit, seconds = login_rate()
        key = _attempts_key(request)
        if cache.get(key, 0) >= limit:
            return render(request, "registration/throttled.html", {"seconds": seconds}, status=429)
        response = view(request, *args, **kwargs)
        failed = not 300 <= response.status_code < 400
        if failed and not cache.add(key, 1, seconds):
            cache.incr(key)
        return response

    return wrapper
