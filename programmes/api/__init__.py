"""The read-only open data API (/api/v1/) and its CSV downloads."""
