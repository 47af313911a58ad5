"""Demo walk lists: each demo volunteer gets a round of a few streets in the ward they canvass.

Idempotent: a list is found again by its name and ward, so a second run adds nothing.
"""

from django.contrib.auth import get_user_model

from canvass.models import Household, WalkList
from canvass.walklists.services import walk_list_cut
from wards.models import Ward

# (volunteer, ward, organiser cutting it, streets per list, lists)
DEMO_ROUNDS = (("vera", "Popley", "olivia", 3, 2), ("victor", "South Ham", "oscar", 3, 1))


def demo_walk_lists_build() -> int:
    """Cut the demo rounds that are missing; returns how many lists were created."""
    users = {user.username: user for user in get_user_model().objects.filter(username__in=_usernames())}
    created = 0
    for volunteer, ward_name, organiser, streets_per_list, lists in DEMO_ROUNDS:
        ward = Ward.objects.filter(name=ward_name).first()
        if ward is None or volunteer not in users:
            continue
        streets = list(Household.objects.in_ward(ward).order_by("street").values_list("street", flat=True).distinct())
        for number in range(lists):
            chosen = streets[number * streets_per_list : (number + 1) * streets_per_list]
            name = f"{ward_name} round {number + 1}"
            if not chosen or WalkList.objects.filter(ward=ward, name=name).exists():
                continue
            walk_list_cut(
                created_by=users.get(organiser),
                name=name,
                ward=ward,
                streets=chosen,
                assign_to=[users[volunteer]],
            )
            created += 1
    return created


def _usernames() -> set[str]:
    return {name for round_ in DEMO_ROUNDS for name in (round_[0], round_[2])}
