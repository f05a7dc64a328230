"""Continuing care: check-in schedules, check-ins by signed link, early-warning alerts and escalation."""
