"""Essex demo data for Recovery Fund."""


def seed_demo(stdout) -> None:
    return None
