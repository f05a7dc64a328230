"""Peer mentors: profiles, checks, supervision, matching and peer sessions."""
