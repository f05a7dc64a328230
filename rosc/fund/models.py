"""Recovery Fund data."""
