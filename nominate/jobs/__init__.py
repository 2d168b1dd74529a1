"""Background jobs on huey: an in-process worker thread by default, `flask worker` in production."""
