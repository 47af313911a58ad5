from collections.abc import Iterable

from django.db import transaction

from canvass import sql
from canvass.models import Household, Leaflet, WalkList, WalkListCut, WalkListHousehold, WalkListKind
from canvass.walklists.rounds import DEFAULT_ROUND_SIZE, Door, Round, plan_rounds
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


def _cut_doors(*, ward: Ward, segment: str = "", streets: Iterable[str] = ()) -> list[Door]:
    """The doors of a cut (a target segment's, in `streets` if any, or the streets' every door): two queries.

    The ward's few districts are read first and named by id, so the doors' query joins no district row (joined,
    PostgreSQL probed the households once per district)."""
    from wards.models import PollingDistrict
    from wards.selectors import target_list

    districts = dict(PollingDistrict.objects.filter(ward=ward).values_list("pk", "code"))
    queryset = Household.objects.filter(polling_district_id__in=list(districts))
    streets = list(streets)
    if streets:
        queryset = queryset.filter(street__in=streets)
    if segment:
        queryset = queryset.filter(pk__in=target_list(ward=ward, segment=segment).values("household_id"))
    rows = queryset.order_by().values_list("pk", "street", "house_number", "address", "postcode", "polling_district_id")
    return [Door(pk, street, number, address, postcode, districts[district_id])
            for pk, street, number, address, postcode, district_id in rows]  # fmt: skip


def walk_list_rounds_preview(
    *, ward: Ward, segment: str = "", streets: Iterable[str] = (), size: int = DEFAULT_ROUND_SIZE
) -> list[Round]:
    """The rounds a cut would make, without saving them. Raises `WalkListCutError` when nothing matches."""
    doors = _cut_doors(ward=ward, segment=segment, streets=streets)
    if not doors:
        raise WalkListCutError("No household matches this cut.")
    return plan_rounds(doors, size=size)


def _describe(segment: str, streets: list[str]) -> str:
    described = [f"target segment: {Segment(segment).label}"] if segment else []
    if streets:
        described.append(f"streets: {', '.join(streets)}")
    return "; ".join(described)[:255]


@transaction.atomic
def walk_list_rounds_cut(
    *,
    ward: Ward,
    created_by,
    name: str,
    segment: str = "",
    streets: Iterable[str] = (),
    size: int = DEFAULT_ROUND_SIZE,
    volunteers: Iterable = (),
    leaflet: Leaflet | None = None,
) -> WalkListCut:
    """Cut a segment or streets into rounds of at most `size` doors, each a walk list named by its streets.

    The doors are read in one query and planned in one pass (`canvass.walklists.rounds`); the rounds and their
    stops are written with one insert each. `volunteers`, if any, are given every round. With a `leaflet`, the
    rounds are delivery rounds of it.
    """
    streets = sorted(streets)
    rounds = walk_list_rounds_preview(ward=ward, segment=segment, streets=streets, size=size)
    source = _describe(segment, streets)
    cut = WalkListCut.objects.create(name=name, ward=ward, created_by=created_by, source=source, round_size=size)
    kind = WalkListKind.DELIVERY if leaflet is not None else WalkListKind.CANVASS
    lists = WalkList.objects.bulk_create(
        WalkList(
            name=round_.name(), ward=ward, created_by=created_by, source=source, cut=cut, kind=kind, leaflet=leaflet
        )
        for round_ in rounds
    )
    _insert_stops(
        [
            (walk_list.pk, door.id, position)
            for walk_list, round_ in zip(lists, rounds, strict=True)
            for position, door in enumerate(round_.doors, start=1)
        ]
    )
    volunteers = list(volunteers)
    if volunteers:
        through = WalkList.assigned_to.through
        through.objects.bulk_create(
            through(walklist_id=walk_list.pk, user_id=getattr(user, "pk", user))
            for walk_list in lists
            for user in volunteers
        )
    return cut


@transaction.atomic
def walk_list_rounds_assign(*, assignments: Iterable[tuple[WalkList, int | None]]) -> None:
    """Give each round its one volunteer (or nobody): one delete and one insert for the whole cut."""
    assignments = list(assignments)
    through = WalkList.assigned_to.through
    through.objects.filter(walklist_id__in=[walk_list.pk for walk_list, _ in assignments]).delete()
    through.objects.bulk_create(
        through(walklist_id=walk_list.pk, user_id=user_id) for walk_list, user_id in assignments if user_id
    )


DELIVERY_ROUND_SIZE = 150


@transaction.atomic
def leaflet_rounds_cut(
    *, ward: Ward, created_by, name: str, streets: Iterable[str] = (), size: int = DELIVERY_ROUND_SIZE
) -> Leaflet:
    """A leaflet for every household of `streets` (the whole ward without any), cut into delivery rounds."""
    leaflet = Leaflet.objects.create(name=name, ward=ward, created_by=created_by)
    walk_list_rounds_cut(ward=ward, created_by=created_by, name=name, streets=streets, size=size, leaflet=leaflet)
    return leaflet


def _insert_stops(stops: list[tuple[int, int, int]]) -> None:
    """(walk list, household, position) rows in one statement on PostgreSQL (three arrays unnested), without
    building a model instance per door; elsewhere through `bulk_create`."""
    if not stops:
        return
    if sql.is_postgres():
        table = WalkListHousehold._meta.db_table
        lists, households, positions = (list(column) for column in zip(*stops, strict=True))
        sql.execute(
            f"INSERT INTO {table} (walk_list_id, household_id, position) "
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::integer[])",
            [lists, households, positions],
        )
        return
    WalkListHousehold.objects.bulk_create(
        (WalkListHousehold(walk_list_id=w, household_id=h, position=p) for w, h, p in stops), batch_size=2000
    )
