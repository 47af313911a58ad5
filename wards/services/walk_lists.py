from collections.abc import Iterable

from canvass.models import WalkList
from canvass.services.walklists import WalkListCutError, walk_list_cut
from wards.models import Segment, TargetListEntry, Ward


def walk_list_cut_for_ward(
    *, ward: Ward, created_by, name: str, segment: str = "", streets: Iterable[str] = (), volunteers: Iterable = ()
) -> WalkList:
    """Cut a list from a target segment's households (optionally only in some streets) or from streets.

    Doors whose every segment voter has since asked not to be contacted are left out.
    """
    streets = list(streets)
    households = None
    source = ""
    if segment:
        entries = TargetListEntry.objects.filter(ward=ward, segment=segment, voter__do_not_contact=False)
        if streets:
            entries = entries.filter(household__street__in=streets)
        households = entries.values_list("household_id", flat=True).distinct()
        if not households.exists():
            raise WalkListCutError(f"The segment “{Segment(segment).label}” has no doors to knock here.")
        source = f"target segment: {Segment(segment).label}"
        if streets:
            source += f"; streets: {', '.join(sorted(streets))}"
        streets = []
    walk_list = walk_list_cut(
        created_by=created_by,
        name=name,
        ward=ward,
        streets=streets,
        households=households,
        assign_to=volunteers,
        source=source[:255],
    )
    walk_list.doors = walk_list.stops.count()
    return walk_list
