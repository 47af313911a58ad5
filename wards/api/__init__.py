"""The wards app's REST endpoints (wards, polling districts, villages, parties, ward statistics, target
lists), routed under /api/v1/ by canvass/api/urls.py with the shared permissions, pagination and audit."""
