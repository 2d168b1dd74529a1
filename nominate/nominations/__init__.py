"""Nominations: windows and individuals, their fields, validation, permissions and operations."""
