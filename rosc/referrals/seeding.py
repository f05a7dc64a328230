"""Essex demo data for Closed-loop referrals."""


def seed_demo(stdout) -> None:
    return None
