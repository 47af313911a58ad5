from rest_framework.permissions import SAFE_METHODS, BasePermission

from canvass.models import Role
from canvass.scoping import role_of


class HasRole(BasePermission):
    """Signed-in users with a campaign role (a profile, or superuser); everyone else gets nothing."""

    def has_permission(self, request, view):
        return role_of(request.user) is not None


class OrganiserWrites(BasePermission):
    """Anyone with a role may read; only organisers and admins may change. Scope is the queryset's job."""

    message = "Only organisers and admins may change this."

    def has_permission(self, request, view):
        role = role_of(request.user)
        if role is None:
            return False
        return request.method in SAFE_METHODS or role in (Role.ORGANISER, Role.ADMIN)


class AdminOnly(BasePermission):
    def has_permission(self, request, view):
        return role_of(request.user) == Role.ADMIN


class OrganiserOnly(BasePermission):
    """Organisers and admins: lists built for planning, not for the doorstep."""

    def has_permission(self, request, view):
        return role_of(request.user) in (Role.ORGANISER, Role.ADMIN)
