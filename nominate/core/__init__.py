"""Shared building blocks: errors, clock, enum columns, masking."""
