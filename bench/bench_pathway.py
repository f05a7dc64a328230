"""Front door benchmark: building a pathway against a national-scale directory.

    python bench/bench_pathway.py --services 50000            # SQLite (a scratch database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rosc_bench \\
        python bench/bench_pathway.py --services 50000        # PostgreSQL (database is recreated)

It builds a fresh database, loads the Essex demo directory plus N synthetic
services over every English postcode district, keeps one pathway for each of
several sets of answers (a family member in Basildon, a student in Colchester,
someone in danger with every other need near Chelmsford, someone online only,
and people in central London and Manchester, where the synthetic directory is
densest), then times the pathway page end to end through Django's request
cycle (test client: middleware, session, view, templates) and counts its SQL
queries at a small and at the full size. Prints one table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Each: (label, answers as the question pages store them, with a place looked up by name).
ANSWER_SETS = [
    (
        "family member, heroin, Basildon",
        {"who": "someone", "relationship": "parent", "age": "26-49", "substances": ["opiates"], "urgency": "days"},
        "Basildon",
    ),
    (
        "student, alcohol, Colchester",
        {
            "who": "me",
            "age": "18-25",
            "substances": ["alcohol"],
            "other_needs": ["student"],
            "evenings_weekends": True,
            "lived_experience": True,
        },
        "Colchester",
    ),
    (
        "in danger, every need, Chelmsford",
        {
            "who": "me",
            "danger": ["overdose", "suicide", "harm"],
            "substances": ["opiates", "alcohol", "crack-cocaine"],
            "other_needs": [
                "mental-health",
                "housing",
                "money-work",
                "family-children",
                "legal",
                "physical-health",
                "pregnancy",
                "veteran",
            ],
            "modes": ["in_person", "phone"],
            "language": "pl",
            "worker_gender": "woman",
        },
        "CM1",
    ),
    ("online only, no place", {"who": "me", "substances": ["cannabis"], "online_ok": True}, ""),
    (
        "central London, every need",
        {
            "who": "someone",
            "relationship": "partner",
            "substances": ["cocaine", "alcohol"],
            "other_needs": ["mental-health", "housing", "money-work", "legal"],
        },
        "E1",
    ),
    ("Manchester, opioids", {"who": "me", "substances": ["opiates"], "other_needs": ["housing"]}, "M1"),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def prepare_database(url: str | None, var_dir: str) -> None:
    os.environ["ROSC_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rosc.settings")
    os.environ["ROSC_FRONTDOOR_PATHWAY_LIMIT"] = "1000000/m"
    # Plain static storage: a fresh clone has not run collectstatic, and the manifest lookup is not what is measured.
    os.environ.setdefault("ROSC_MANIFEST_STATIC", "0")
    if url:
        os.environ["DATABASE_URL"] = url
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')


def keep_pathways() -> dict[str, str]:
    """One kept pathway for each answer set: label -> the path of its page."""
    from rosc.directory import search
    from rosc.frontdoor.actions import pathway_keep
    from rosc.frontdoor.answers import Answers

    paths = {}
    for label, data, where in ANSWER_SETS:
        answers = dict(data)
        if where:
            origin = search.find_place(where)
            answers.update(place=where, latitude=origin.latitude, longitude=origin.longitude)
        _pathway, token = pathway_keep(answers=Answers.from_dict(answers))
        paths[label] = f"/get-help/pathway/{token}/"
    return paths


def query_count(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(path).status_code == 200, path
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def measure(client, path: str, rounds: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each request. On a busy machine the wall clock also counts
    time spent waiting for a processor; the CPU time (this process only: with PostgreSQL, not the
    database server's share) shows the work itself."""
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    timings, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    return timings, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=50000)
    parser.add_argument("--small", type=int, default=1000, help="size at which query counts are compared")
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL")
    var_dir = tempfile.mkdtemp(prefix="rosc-bench-pathway-")
    prepare_database(url, var_dir)
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from rosc.directory.models import Location, Service
    from rosc.directory.seeding import seed_essex_directory, seed_synthetic

    database = connection.vendor
    print(f"Database: {database}; building the directory...", flush=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    seed_essex_directory(StringIO())
    client = Client()
    seed_synthetic(args.small, sys.stdout)
    paths = keep_pathways()
    small_counts = {label: query_count(client, path) for label, path in paths.items()}
    started = time.perf_counter()
    seed_synthetic(args.services - args.small, sys.stdout, seed=2)
    seeded_in = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    services, locations = Service.objects.count(), Location.objects.count()
    print(f"{services:,} services and {locations:,} locations (synthetic part seeded in {seeded_in:.0f} s)", flush=True)

    rows = []
    every: list[float] = []
    every_cpu: list[float] = []
    for label, path in paths.items():
        full = query_count(client, path)
        timings, cpu = measure(client, path, args.rounds)
        every += timings
        every_cpu += cpu
        p50, p95, worst = statistics.median(timings), percentile(timings, 0.95), max(timings)
        rows.append((label, p50, p95, worst, percentile(cpu, 0.95), small_counts[label], full))

    print()
    print(f"Pathway benchmark on {database}: {services:,} services, {locations:,} locations, {args.rounds} rounds each")
    small_label = f"queries@{args.small}"
    header = (
        f"{'pathway page for':<36} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95 cpu':>8} "
        f"{small_label:>12} {'queries@full':>12}"
    )
    print(header)
    print("-" * len(header))
    for label, p50, p95, worst, cpu95, small, full in rows:
        print(f"{label:<36} {p50:>8.1f} {p95:>8.1f} {worst:>8.1f} {cpu95:>8.1f} {small:>12} {full:>12}")
    print("-" * len(header))
    together = (statistics.median(every), percentile(every, 0.95), max(every), percentile(every_cpu, 0.95))
    print(
        f"{'all answers together':<36} {together[0]:>8.1f} {together[1]:>8.1f} {together[2]:>8.1f} {together[3]:>8.1f}"
    )
    try:
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        load = "unknown"
    print(f"Load average after measuring: {load} on {os.cpu_count()} processors (p95 cpu: this process's time).")


if __name__ == "__main__":
    main()
