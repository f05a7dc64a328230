"""Front door data."""
