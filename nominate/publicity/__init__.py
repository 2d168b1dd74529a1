"""Publicity periods (公示) at unit, province and national level, and objections (异议)."""
