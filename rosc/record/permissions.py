"""Shared recovery record capabilities, on the shared permission layer."""
