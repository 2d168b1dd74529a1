"""Shared web pieces: layout, error pages."""
