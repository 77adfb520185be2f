"""Screens over the main one: help, gaps, compare."""
