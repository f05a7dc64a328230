"""Essex demo data for Shared recovery record."""


def seed_demo(stdout) -> None:
    return None
