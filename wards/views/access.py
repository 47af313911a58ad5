"""Who may open the organiser pages: organisers (for their wards) and admins (for all).

Volunteers and anyone without a role get 403 on the pages themselves; a ward, walk list or segment
outside an organiser's wards is simply not found (404), so its existence is not revealed.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from canvass.models import WalkList
from canvass.scoping import is_organising
from wards.models import Ward


def organiser_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_organising(request.user):
            raise PermissionDenied("The campaign pages are for organisers and admins.")
        return view(request, *args, **kwargs)

    return wrapper


def ward_in_scope(user, pk: int) -> Ward:
    return get_object_or_404(Ward.objects.visible_to(user).select_related("council"), pk=pk)


def walk_list_in_scope(user, pk: int) -> WalkList:
    return get_object_or_404(WalkList.objects.visible_to(user).select_related("ward"), pk=pk)
