"""Reads of the pre-computed statistics and target lists, for the dashboards and the API.

Callers check the user's access to the ward first (organisers see their wards only).
"""

import datetime as dt

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from canvass.models import ContactRecord, Household, RegisterImport, Voter
from canvass.rules import COUNCIL_ELECTOR
from canvass.sql import fetch, is_postgres
from wards.models import (
    AreaStatistics,
    Campaign,
    ContactRatePeriod,
    ContactRateSample,
    Council,
    PollingDistrict,
    Segment,
    TargetListEntry,
    TellerReturn,
    Village,
    Ward,
    Zone,
)

ELECTORS_COUNTED = "council electors on the register"
HOUSEHOLDS_COUNTED = "addresses with at least one council elector on the register"


def _per_place(voter_field: str, counted: str):
    """A correlated COUNT of council electors on the register per outer row: no join fan-out.

    No GROUP BY in the subquery: grouped, it joined the places back in and was planned (estimating one row) as a
    loop over the voters, 0.6 s for three districts; ungrouped, each place reads its own voters through their
    (polling district) or their households' (village) index, so the cost is what the ward holds."""
    electors = Voter.objects.on_register().council_electors().filter(**{voter_field: OuterRef("pk")}).order_by()
    template = "COUNT(%(expressions)s)" if counted == "id" else "COUNT(DISTINCT %(expressions)s)"
    aggregate = Func(F("id" if counted == "id" else f"{counted}_id"), template=template, output_field=IntegerField())
    return Coalesce(Subquery(electors.annotate(n=aggregate).values("n")), 0)


def with_elector_counts(places: QuerySet, *, voter_field: str) -> QuerySet:
    """Polling districts or villages with `n_electors` (council electors on the register) and `n_households`
    (their doors), counted as the ward's statistics count them: the one definition for the ward page's places
    and the API. `voter_field` reaches the place from a voter (`polling_district`, `household__village`)."""
    return places.annotate(n_electors=_per_place(voter_field, "id"), n_households=_per_place(voter_field, "household"))


def ward_place_counts(*, ward_id: int) -> dict[str, list[tuple[str, int, int]]]:
    """The ward's polling districts (by code) and villages (by name), each as (label, electors, households),
    counted as `with_elector_counts` counts them (council electors on the register, `COUNCIL_ELECTOR`, and
    their doors): one statement for both kinds of place.

    On PostgreSQL each place's voters are read once for both counts (a LATERAL subquery; a grouped join under
    UNION ALL was planned as a parallel append, whose workers cost more than the few thousand rows); SQLite has
    no LATERAL and reads them once a count."""
    elector, rule_params = COUNCIL_ELECTOR.sql("v")
    voter, household = Voter._meta.db_table, Household._meta.db_table
    parts, params = [], []
    for kind, table, label, voters in (
        ("district", PollingDistrict._meta.db_table, "code", f"FROM {voter} v WHERE v.polling_district_id = p.id"),
        (
            "village",
            Village._meta.db_table,
            "name",
            f"FROM {household} h JOIN {voter} v ON v.household_id = h.id WHERE h.village_id = p.id",
        ),
    ):
        if is_postgres():
            counts = f"SELECT COUNT(*) AS electors, COUNT(DISTINCT v.household_id) AS households {voters} AND {elector}"
            parts.append(
                f"SELECT %s, p.{label}, c.electors, c.households FROM {table} p CROSS JOIN LATERAL ({counts}) c"
                " WHERE p.ward_id = %s"
            )
            params += [kind, *rule_params, ward_id]
        else:
            parts.append(
                f"SELECT %s, p.{label}, (SELECT COUNT(*) {voters} AND {elector}),"
                f" (SELECT COUNT(DISTINCT v.household_id) {voters} AND {elector}) FROM {table} p WHERE p.ward_id = %s"
            )
            params += [kind, *rule_params, *rule_params, ward_id]
    places: dict[str, list[tuple[str, int, int]]] = {"district": [], "village": []}
    for kind, label, electors, households in fetch(" UNION ALL ".join(parts) + " ORDER BY 1, 2", params):
        places[kind].append((label, electors, households))
    return places


def with_ward_figures(wards: QuerySet) -> QuerySet:
    """Wards with the council electors and households of their last computed statistics (None before the first
    run): the figures the ward page's header and the overview show."""
    stats = AreaStatistics.objects.wards().filter(ward=OuterRef("pk"))
    return wards.annotate(
        council_electors=Subquery(stats.values("electors")[:1]),
        households=Subquery(stats.values("households")[:1]),
    )


# Figures count contacts "in the last 90 days", so a day-old set is out of date even with nothing new.
STATISTICS_MAX_AGE = dt.timedelta(days=1)


def ward_statistics_stale(*, ward_ids=None) -> bool:
    """True when a ward has no figures, or its figures predate a contact, a register import or yesterday."""
    wards = Ward.objects.all() if ward_ids is None else Ward.objects.filter(id__in=list(ward_ids))
    figures = (
        AreaStatistics.objects.wards().filter(ward__in=wards).aggregate(count=Count("id"), oldest=Min("computed_at"))
    )
    if figures["count"] < wards.count():
        return True
    oldest = figures["oldest"]
    if oldest is None:
        return False  # no wards: nothing to compute
    return (
        oldest < timezone.now() - STATISTICS_MAX_AGE
        or ContactRecord.objects.filter(ward__in=wards, recorded_at__gt=oldest).exists()
        or RegisterImport.objects.filter(finished_at__gt=oldest).exists()
    )


def wards_with_figures_behind_contacts() -> list[int]:
    """The wards with a contact recorded after their figures were computed (or with contacts and no figures)."""
    computed = AreaStatistics.objects.wards().filter(ward=OuterRef("pk")).values("computed_at")[:1]
    contacts = ContactRecord.objects.filter(ward=OuterRef("pk"))
    behind = Exists(contacts.filter(recorded_at__gt=OuterRef("computed")))
    wards = Ward.objects.annotate(computed=Subquery(computed)).filter(
        behind | (Q(computed__isnull=True) & Exists(contacts))
    )
    return list(wards.order_by("id").values_list("id", flat=True))


def ward_statistics(*, ward: Ward) -> AreaStatistics | None:
    return AreaStatistics.objects.wards().filter(ward=ward).select_related("ward").first()


def council_statistics(*, council: Council) -> AreaStatistics | None:
    return AreaStatistics.objects.councils().filter(council=council).first()


def zone_statistics(*, council: Council) -> QuerySet[AreaStatistics]:
    return AreaStatistics.objects.zones().filter(council=council).alias(rank=Zone.rank_expression()).order_by("rank")


def ward_ranking(*, council: Council) -> QuerySet[AreaStatistics]:
    """Wards for the campaign's next effort: zone by zone in rollout order, best chances first.

    Each row carries `zone_rank` and `is_open` (its zone is the current one or an earlier one).
    """
    campaign = Campaign.objects.filter(council=council).first()
    current = Zone.rollout_rank(campaign.current_zone) if campaign else 0
    return (
        AreaStatistics.objects.wards()
        .filter(council=council)
        .select_related("ward")
        .annotate(zone_rank=Zone.rank_expression("ward__zone"))
        .annotate(is_open=Case(When(zone_rank__lte=current, then=Value(True)), default=Value(False)))
        .order_by("zone_rank", F("winnability").desc(nulls_last=True), "ward__rollout_order", "ward__name")
    )


def contact_rate_series(
    *, council: Council, ward: Ward | None = None, period: str = ContactRatePeriod.DAY
) -> QuerySet[ContactRateSample]:
    """The contact-rate line: the council's own series when `ward` is None."""
    samples = ContactRateSample.objects.filter(council=council, period=period)
    samples = samples.filter(ward=ward) if ward else samples.filter(ward__isnull=True)
    return samples.order_by("period_start")


def target_list(*, ward: Ward, segment: str) -> QuerySet[TargetListEntry]:
    """A segment of the ward's list in walking order.

    Do-not-contact and off-register voters are filtered again at read time, so a request made
    since the last rebuild takes effect at once.
    """
    return (
        TargetListEntry.objects.filter(ward=ward, segment=segment, voter__do_not_contact=False, voter__on_register=True)
        .select_related("voter__polling_district", "household")
        .order_by("position")
    )


def knock_up_list(*, ward: Ward, election_date: dt.date) -> QuerySet[TargetListEntry]:
    """Promises who have not voted yet, by the tellers' numbers so far, in walking order.

    Postal voters are left out: their ballots do not pass the tellers (they are chased earlier).
    """
    voted = TellerReturn.objects.filter(
        election_date=election_date,
        polling_district_id=OuterRef("voter__polling_district_id"),
        elector_number=OuterRef("voter__elector_number"),
        elector_suffix=OuterRef("voter__elector_suffix"),
    )
    return target_list(ward=ward, segment=Segment.PROMISE).filter(voter__is_postal_voter=False).exclude(Exists(voted))
