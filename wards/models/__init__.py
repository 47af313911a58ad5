from wards.models.council import Council, Party, PollingDistrict, Village, Ward, WardResult, Zone

__all__ = ["Council", "Party", "PollingDistrict", "Village", "Ward", "WardResult", "Zone"]
