"""Accounts: users with one role and one organisation, and hashed API tokens."""
