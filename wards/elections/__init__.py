"""Elections: results history, the cycle's seats up, by-elections and constituencies (models in wards.models)."""
