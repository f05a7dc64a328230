"""Community Voice data."""
