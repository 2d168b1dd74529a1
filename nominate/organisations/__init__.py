"""Organisations: the Ministry, provinces, cities, counties, 省直 groups and units."""
