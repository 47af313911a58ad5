"""The whole refresh after contacts arrive: statistics, target lists and the rollout, together."""

from django.db import transaction

from wards.models import Council, Ward
from wards.services.campaign import campaign_rollout
from wards.services.statistics import ward_statistics_recompute
from wards.services.targets import target_lists_rebuild_many


@transaction.atomic
def wards_recompute(*, ward_ids=None) -> list[int]:
    """Recompute statistics and target lists of the given wards (all when None) in one transaction.

    Incremental by design: one ward's sync costs that ward plus its council's totals.
    Returns the ids of the wards recomputed.
    """
    wards = Ward.objects.order_by("id")
    if ward_ids is not None:
        wards = wards.filter(id__in=list(ward_ids))
    ids = list(wards.values_list("id", flat=True))
    if not ids:
        return []
    ward_statistics_recompute(ward_ids=ward_ids)
    target_lists_rebuild_many(ward_ids=ward_ids)
    for council in Council.objects.filter(wards__id__in=ids).distinct().order_by("id"):
        campaign_rollout(council=council)
    return ids
