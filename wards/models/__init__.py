from wards.models.council import Council, Party, PollingDistrict, Village, Ward, WardResult, Zone
from wards.models.elections import Candidate, Constituency, Contest, Election, ElectionKind
from wards.models.statistics import AreaStatistics, ContactRatePeriod, ContactRateSample, Scope
from wards.models.targets import Campaign, Reason, Segment, TargetListEntry, TellerReturn, ZoneOpening

__all__ = [
    "AreaStatistics",
    "Candidate",
    "Constituency",
    "Contest",
    "Election",
    "ElectionKind",
    "Campaign",
    "ContactRatePeriod",
    "ContactRateSample",
    "Council",
    "Party",
    "PollingDistrict",
    "Reason",
    "Scope",
    "Segment",
    "TargetListEntry",
    "TellerReturn",
    "Village",
    "Ward",
    "WardResult",
    "Zone",
    "ZoneOpening",
]
