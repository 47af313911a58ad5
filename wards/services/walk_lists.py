from collections.abc import Iterable

from canvass.models import WalkList
from canvass.services.walklists import walk_list_cut
from wards.models import Segment, Ward


def walk_list_cut_for_ward(
    *, ward: Ward, created_by, name: str, segment: str = "", streets: Iterable[str] = (), volunteers: Iterable = ()
) -> WalkList:
    """Cut a list from a target segment's doors (only those in `streets`, if any) or from whole streets.

    The segment is read through `wards.selectors.target_list`, so voters who asked not to be contacted
    since the last rebuild are already left out. Raises `WalkListCutError` when nothing matches.
    """
    streets = sorted(streets)
    described = [f"target segment: {Segment(segment).label}"] if segment else []
    if streets:
        described.append(f"streets: {', '.join(streets)}")
    walk_list = walk_list_cut(
        created_by=created_by,
        name=name,
        ward=ward,
        streets=streets,
        target_segment=segment or None,
        assign_to=volunteers,
        source="; ".join(described)[:255],
    )
    walk_list.doors = walk_list.stops.count()
    return walk_list
