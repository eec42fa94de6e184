"""Plein: the platform-neutral core of a community-building bot."""
