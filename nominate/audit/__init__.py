"""The append-only audit trail: one row per change, written in the same transaction."""
