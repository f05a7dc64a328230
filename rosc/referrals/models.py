"""Closed-loop referrals data."""
