"""Shared recovery record data."""
