"""A volunteer opens their invitation link and sets a password, once, before it expires (services.invitations)."""

from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from canvass.services.invitations import InvitationError, invitation_accept, invitation_find


@never_cache
def invitation(request):
    # The key rides in the query string, which the request logs leave out (canvass.middleware.scrub_query).
    key = request.GET.get("key", "")
    found = invitation_find(key=key) if key else None
    if found is None:
        return render(request, "registration/invitation_spent.html", status=410)
    form = SetPasswordForm(found.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(key=key, password=form.cleaned_data["new_password1"])
        except InvitationError:
            return render(request, "registration/invitation_spent.html", status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("doorstep-lists")
    return render(request, "registration/invitation.html", {"form": form, "invited": found.user})
