"""Essex demo data for Front door."""


def seed_demo(stdout) -> None:
    return None
