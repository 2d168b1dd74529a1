"""Campaigns: one recommendation round, its rules read from a file in workflows/campaigns/."""
