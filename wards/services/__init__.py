from wards.services.campaign import CampaignError, RoadToMajority, campaign_rollout, road_to_majority, rollout_next_zone
from wards.services.polling_day import TellerReturnError, teller_return_record
from wards.services.recompute import wards_recompute
from wards.services.statistics import ward_statistics_recompute
from wards.services.targets import target_lists_rebuild, target_lists_rebuild_many

__all__ = [
    "CampaignError",
    "RoadToMajority",
    "TellerReturnError",
    "campaign_rollout",
    "road_to_majority",
    "rollout_next_zone",
    "target_lists_rebuild",
    "target_lists_rebuild_many",
    "teller_return_record",
    "ward_statistics_recompute",
    "wards_recompute",
]
