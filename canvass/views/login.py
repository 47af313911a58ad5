"""Throttled session login (the site's and the admin's): the rule is canvass/services/logins.py."""

from functools import wraps

from django.shortcuts import render

from canvass.services.logins import (
    client_address,
    login_attempt_begin,
    login_attempt_failed,
    login_attempt_succeeded,
)


def login_throttled(view):
    """Refuse a login POST from an address that failed too often; slow down one aimed at a failing account."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        who = {"username": str(request.POST.get("username", "")), "address": client_address(request.META)}
        refused = login_attempt_begin(**who)
        if refused:
            response = render(request, "registration/throttled.html", {"seconds": refused}, status=429)
            response["Retry-After"] = str(refused)
            return response
        response = view(request, *args, **kwargs)
        if 300 <= response.status_code < 400:
            login_attempt_succeeded(username=who["username"])
        else:
            login_attempt_failed(**who)
        return response

    return wrapper
