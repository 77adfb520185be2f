"""Hostile input, interruption and concurrency tests (issue 6)."""
