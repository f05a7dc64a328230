"""Community research data."""
