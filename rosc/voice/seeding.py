"""Essex demo data for Community Voice."""


def seed_demo(stdout) -> None:
    return None
