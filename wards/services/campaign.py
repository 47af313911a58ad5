"""The rollout (north, then south, then villages) and the road to a council majority."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from wards.models import Campaign, Council, Scope, Ward, Zone, ZoneOpening


class CampaignError(Exception):
    """A rollout action that cannot be done, e.g. advancing past the last zone."""


def zones_taken(*, council: Council) -> dict[str, bool]:
    """Each zone with wards: taken when every ward is fully held or projected won."""
    taken = Q(seats_held__gte=F("seats")) | Q(statistics__scope=Scope.WARD, statistics__winnability__gte=1)
    rows = council.wards.values("zone").annotate(
        wards=Count("id", distinct=True), done=Count("id", filter=taken, distinct=True)
    )
    return {row["zone"]: row["wards"] == row["done"] for row in rows}


def _current_and_next(*, council: Council, advanced_to: str) -> tuple[str, str | None]:
    taken = zones_taken(council=council)
    zones = [zone for zone in Zone.values if zone in taken] or [Zone.NORTH.value]
    automatic = next((zone for zone in zones if not taken.get(zone)), zones[-1])
    current = max(automatic, advanced_to or automatic, key=Zone.rollout_rank)
    later = [zone for zone in zones if Zone.rollout_rank(zone) > Zone.rollout_rank(current)]
    return current, (later[0] if later else None)


def rollout_next_zone(*, council: Council) -> tuple[str, str | None]:
    """The zone the campaign is in and the one an advance would open (None in the last zone); changes nothing."""
    campaign = Campaign.objects.filter(council=council).first()
    return _current_and_next(council=council, advanced_to=campaign.advanced_to_zone if campaign else "")


@transaction.atomic
def campaign_rollout(*, council: Council, advance: bool = False, by=None) -> Campaign:
    """Work out the zone the campaign is in; with `advance`, an organiser opens the next zone now.

    The current zone is the first in rollout order not yet taken, unless an organiser has
    already advanced further: a manual advance is never undone by a recompute. Each advance is
    written to the rollout's trail (ZoneOpening): who opened which zone, from which, and when.
    """
    campaign, _ = Campaign.objects.select_for_update().get_or_create(council=council)
    current, following = _current_and_next(council=council, advanced_to=campaign.advanced_to_zone)
    if advance:
        if following is None:
            raise CampaignError(f"{council}: the campaign is already in its last zone ({current})")
        previous, current = current, following
        ZoneOpening.objects.create(
            campaign=campaign,
            from_zone=previous,
            to_zone=current,
            opened_by=by,
            username=by.get_username() if by is not None else "",
        )
        campaign.advanced_to_zone, campaign.advanced_by, campaign.advanced_at = current, by, timezone.now()
    campaign.current_zone = current
    campaign.save()
    return campaign


@dataclass(frozen=True)
class RoadToMajority:
    total_seats: int
    majority: int
    seats_held: int
    seats_projected_gain: int

    @property
    def seats_after_next_election(self) -> int:
        return self.seats_held + self.seats_projected_gain

    @property
    def gap_after_next_election(self) -> int:
        return max(0, self.majority - self.seats_after_next_election)


def road_to_majority(*, council: Council) -> RoadToMajority:
    """Seats held, seats projected to gain at the next election, and the gap to a majority."""
    totals = Ward.objects.filter(council=council).aggregate(
        held=Sum("seats_held"),
        gain=Sum("statistics__seats_projected_gain", filter=Q(statistics__scope=Scope.WARD)),
    )
    return RoadToMajority(
        total_seats=council.total_seats,
        majority=council.majority,
        seats_held=totals["held"] or 0,
        seats_projected_gain=totals["gain"] or 0,
    )
