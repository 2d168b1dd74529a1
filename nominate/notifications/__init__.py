"""Notifications: in-app records, the outbox of e-mail/SMS deliveries, reminders before deadlines."""
