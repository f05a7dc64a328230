"""Essex demo data for Community research."""


def seed_demo(stdout) -> None:
    return None
