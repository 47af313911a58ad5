from collections.abc import Iterable

from django.db import transaction

from canvass.models import Household, WalkList, WalkListHousehold
from wards.models import Segment, Ward


class WalkListCutError(ValueError):
    """The requested cut cannot make a walk list; the message says why."""


def _households_for_cut(*, ward, polling_district, streets, village, households):
    queryset = Household.objects.all()
    if ward is not None:
        queryset = queryset.filter(polling_district__ward=ward)
    if polling_district is not None:
        queryset = queryset.filter(polling_district=polling_district)
    if village is not None:
        queryset = queryset.filter(village=village)
    if streets:
        queryset = queryset.filter(street__in=list(streets))
    if households is not None:
        queryset = queryset.filter(pk__in=[getattr(h, "pk", h) for h in households])
    return queryset


def _describe_cut(*, polling_district, streets, village, households) -> str:
    parts = []
    if polling_district is not None:
        parts.append(f"polling district {polling_district.code}")
    if village is not None:
        parts.append(f"village {village.name}")
    if streets:
        parts.append("streets: " + ", ".join(sorted(streets)))
    if households is not None:
        parts.append("chosen households")
    return "; ".join(parts)[:255]


@transaction.atomic
def walk_list_cut(
    *,
    created_by,
    name: str,
    ward=None,
    polling_district=None,
    streets: Iterable[str] | None = None,
    village=None,
    households=None,
    target_segment: str | None = None,
    assign_to: Iterable = (),
    source: str = "",
) -> WalkList:
    """Cut a walk list from a polling district, streets, a village, a target list or chosen households.

    `target_segment` takes the doors of the ward's target list segment (do-not-contact voters already
    left out), so it needs `ward`.

    The households are fixed at cut time with their position (street, odd side, even side, number), so the
    list a volunteer walks does not reshuffle when the register changes.
    """
    if ward is None and polling_district is None and village is None and households is None:
        raise WalkListCutError("Choose a ward, a polling district, a village or households to cut a list from.")
    if target_segment:
        if ward is None:
            raise WalkListCutError("A target list belongs to a ward: choose the ward too.")
        from wards.selectors import target_list

        households = target_list(ward=ward, segment=target_segment).values_list("household_id", flat=True)
        source = source or f"target list: {target_segment}"
    streets = list(streets or [])
    chosen = _households_for_cut(
        ward=ward, polling_district=polling_district, streets=streets, village=village, households=households
    )
    ordered = list(chosen.in_walking_order().values_list("pk", "polling_district__ward_id"))
    if not ordered:
        raise WalkListCutError("No household matches this cut.")
    ward_ids = {ward_id for _, ward_id in ordered}
    if len(ward_ids) > 1:
        raise WalkListCutError("A walk list stays inside one ward; these households span several.")
    ward_id = ward.pk if ward is not None else ward_ids.pop()
    walk_list = WalkList.objects.create(
        name=name,
        ward_id=ward_id,
        created_by=created_by,
        segment=target_segment or "",
        source=source
        or _describe_cut(polling_district=polling_district, streets=streets, village=village, households=households),
    )
    WalkListHousehold.objects.bulk_create(
        WalkListHousehold(walk_list=walk_list, household_id=pk, position=position)
        for position, (pk, _) in enumerate(ordered, start=1)
    )
    if assign_to:
        walk_list.assigned_to.set(assign_to)
    return walk_list


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


def walk_list_assign(*, walk_list: WalkList, users: Iterable) -> WalkList:
    walk_list.assigned_to.set(users)
    return walk_list
