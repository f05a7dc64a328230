"""Closed-loop referrals capabilities, on the shared permission layer."""
