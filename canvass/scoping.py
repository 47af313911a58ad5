"""Who may see which rows: every read of personal data goes through these filters.

A volunteer sees the households and voters on walk lists assigned to them, an organiser the wards
in their profile, an admin (role admin or superuser) everything, anyone else nothing. Scoping is a
queryset filter built from subqueries, so it costs no extra query and an out-of-scope row is simply
not found (404), never shown.

The models' `visible_to` methods call in here; this module names the walk-list models through the app
registry rather than importing them, so the two never import each other.
"""

from collections.abc import Callable

from django.apps import apps
from django.db.models import Q, QuerySet

from canvass.models.people import Profile, Role


def role_of(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    try:
        return user.profile.role
    except Profile.DoesNotExist:
        return None


ORGANISING_ROLES = {Role.ORGANISER, Role.ADMIN}


def is_organising(user) -> bool:
    """Organisers and admins run the campaign pages; volunteers walk."""
    return role_of(user) in ORGANISING_ROLES


def may_advance_rollout(user) -> bool:
    """Opening the next zone changes the whole council's plan: admins, and organisers given that right."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.ORGANISER and user.profile.may_advance_rollout


def organiser_ward_ids(user) -> QuerySet:
    return Profile.wards.through.objects.filter(profile__user_id=user.pk).values("ward_id")


def assigned_household_ids(user) -> QuerySet:
    # A leaflet deliverer needs the addresses of their delivery rounds, not who lives there.
    return (
        apps.get_model("canvass", "WalkListHousehold")
        .objects.filter(walk_list__assigned_to=user)
        .exclude(walk_list__kind="delivery")
        .values("household_id")
    )


def assigned_walk_list_ids(user) -> QuerySet:
    return (
        apps.get_model("canvass", "WalkList").assigned_to.through.objects.filter(user_id=user.pk).values("walklist_id")
    )


def assigned_ward_ids(user) -> QuerySet:
    return apps.get_model("canvass", "WalkList").objects.filter(id__in=assigned_walk_list_ids(user)).values("ward_id")


def ward_ids_visible_to(user):
    """The wards a user works in: None means every ward (admin)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return None
    if role == Role.ORGANISER:
        return organiser_ward_ids(user)
    if role == Role.VOLUNTEER:
        return assigned_ward_ids(user)
    return []


def _by_ward(queryset: QuerySet, user, ward_field: str) -> QuerySet:
    ward_ids = ward_ids_visible_to(user)
    if ward_ids is None:
        return queryset
    return queryset.filter(**{f"{ward_field}__in": ward_ids})


def wards_visible_to(queryset: QuerySet, user) -> QuerySet:
    return _by_ward(queryset, user, "id")


def polling_districts_visible_to(queryset: QuerySet, user) -> QuerySet:
    return _by_ward(queryset, user, "ward_id")


def villages_visible_to(queryset: QuerySet, user) -> QuerySet:
    return _by_ward(queryset, user, "ward_id")


def _own_or_by_ward(queryset: QuerySet, user, *, ward_field: str, own_field: str, own: Callable) -> QuerySet:
    """A volunteer sees their own rows (`own_field` matching `own(user)`, built only for a volunteer);
    organisers their wards' rows; admins all; anyone else nothing."""
    if role_of(user) == Role.VOLUNTEER:
        return queryset.filter(**{own_field: own(user)})
    return _by_ward(queryset, user, ward_field)


def households_visible_to(queryset: QuerySet, user) -> QuerySet:
    return _own_or_by_ward(
        queryset, user, ward_field="polling_district__ward_id", own_field="id__in", own=assigned_household_ids
    )


def voters_visible_to(queryset: QuerySet, user) -> QuerySet:
    return _own_or_by_ward(
        queryset, user, ward_field="polling_district__ward_id", own_field="household_id__in", own=assigned_household_ids
    )


def contacts_visible_to(queryset: QuerySet, user) -> QuerySet:
    """A volunteer sees the contacts they made."""
    return _own_or_by_ward(queryset, user, ward_field="ward_id", own_field="volunteer_id", own=lambda u: u.pk)


def contacts_correctable_by(queryset: QuerySet, user) -> QuerySet:
    """The contacts a user may correct ("change" at the door, a record that supersedes): a volunteer their own,
    an organiser their own and any in their wards, an admin any. Seeing a contact is not enough: a volunteer
    sees the doors of their lists, and corrects only what they recorded there."""
    role = role_of(user)
    if role == Role.ADMIN:
        return queryset
    if role == Role.ORGANISER:
        return queryset.filter(Q(volunteer_id=user.pk) | Q(ward_id__in=organiser_ward_ids(user)))
    if role is None:
        return queryset.none()
    return queryset.filter(volunteer_id=user.pk)


def walk_lists_visible_to(queryset: QuerySet, user) -> QuerySet:
    return _own_or_by_ward(queryset, user, ward_field="ward_id", own_field="id__in", own=assigned_walk_list_ids)


def polling_stations_visible_to(queryset: QuerySet, user) -> QuerySet:
    """Polling day: a teller sees the stations they tell at; organisers their wards'; admins all."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.ORGANISER):
        return _by_ward(queryset, user, "ward_id")
    if role is None:
        return queryset.none()
    return queryset.filter(tellers=user)


def knock_up_rounds_visible_to(queryset: QuerySet, user) -> QuerySet:
    """Polling day: a volunteer sees the knock-up rounds given to them; organisers their wards'."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.ORGANISER):
        return _by_ward(queryset, user, "ward_id")
    if role is None:
        return queryset.none()
    return queryset.filter(assigned_to=user)
