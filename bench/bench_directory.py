"""Directory benchmark: search, API pages and feed import at national scale.

    python bench/bench_directory.py --services 50000            # SQLite (a scratch database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rosc_bench \\
        python bench/bench_directory.py --services 50000        # PostgreSQL (database is recreated)

It builds a fresh database, loads the Essex demo directory plus N synthetic
services over every English postcode district, then times requests end to end
through Django's request cycle (test client: middleware, view, templates) and
counts their SQL queries at a small and at the full size. The requests are
timed in a fresh child process that loads the application as a web worker
does (``rosc.wsgi``), so the timings are not those of a process whose memory is
full of the objects made while seeding. Last, it exports the directory as a
data package and imports it into an empty database in a child process,
reporting time and peak memory. Prints one table.

    python bench/bench_directory.py --measure-only   # time requests against the database as it stands
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEARCHES = {
    # The target is 25 km; the form offers 5, 10, 25 and 50 miles and takes any other number of miles
    # from a link, so 15.53 miles is exactly 25 km. 10 and 25 miles show the sizes people pick most.
    "search: text + need + postcode, 10 miles": "/services/?q=opiate+treatment&where=SS14+1AB&distance=10",
    "search: text + need + postcode, 25 km": "/services/?q=opiate+treatment&where=SS14+1AB&distance=15.53",
    "search: text + need + postcode, 25 miles": "/services/?q=opiate+treatment&where=SS14+1AB&distance=25",
    "search: text only": "/services/?q=alcohol+support",
}
API = {
    "API: /services page of 50": "/api/oruk/services?per_page=50&page=3",
    "API: /services near SS14, 25 km": "/api/oruk/services?per_page=50&postcode=SS14+1AB&proximity=25000",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def machine_pace() -> float:
    """Seconds this machine takes for three million additions in pure Python, best of three.
    A shared machine's speed changes from minute to minute; this line lets two runs'
    figures be compared."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(3_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return best


def prepare_database(url: str | None, var_dir: str) -> None:
    os.environ["ROSC_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rosc.settings")
    os.environ["ROSC_API_RATE_LIMIT"] = "1000000/m"
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


def measure(client, path: str, rounds: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(path).status_code == 200, path
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = len(captured)  # read now: every request resets the query log
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return timings, queries


def measure_in_this_process(rounds: int) -> dict[str, tuple[list[float], int]]:
    """Load the application as a web worker does, then time every page."""
    from django.test import Client

    import rosc.wsgi  # noqa: F401 - sets Django up exactly as the web server does

    client = Client()
    return {label: measure(client, path, rounds) for label, path in {**SEARCHES, **API}.items()}


def measure_in_child(rounds: int) -> dict[str, tuple[list[float], int]]:
    import json

    done = subprocess.run(
        [sys.executable, __file__, "--measure-only", "--json", "--rounds", str(rounds)],
        cwd=ROOT,
        env=dict(os.environ),
        check=True,
        capture_output=True,
        text=True,
    )
    return {label: (timings, queries) for label, (timings, queries) in json.loads(done.stdout).items()}


def query_count(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=50000)
    parser.add_argument("--small", type=int, default=1000, help="size at which query counts are compared")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--measure-only", action="store_true", help="time the pages against the existing database")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure_only:
        os.environ.setdefault("ROSC_API_RATE_LIMIT", "1000000/m")
        os.environ.setdefault("ROSC_MANIFEST_STATIC", "0")
        measured = measure_in_this_process(args.rounds)
        if args.json:
            import json

            print(json.dumps(measured))
        else:
            for label, (timings, queries) in measured.items():
                print(
                    f"{label:<44} p50 {statistics.median(timings):6.1f}  p95 {percentile(timings, 0.95):6.1f}"
                    f"  max {max(timings):6.1f} ms  {queries} queries"
                )
        return

    url = os.environ.get("DATABASE_URL")
    var_dir = tempfile.mkdtemp(prefix="rosc-bench-")
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
    small_counts = {label: query_count(client, path) for label, path in {**SEARCHES, **API}.items()}
    started = time.perf_counter()
    seed_synthetic(args.services - args.small, sys.stdout, seed=2)
    seeded_in = time.perf_counter() - started
    with connection.cursor() as cursor:
        # Fresh statistics, as after autovacuum in service; on PostgreSQL VACUUM also sets the
        # visibility map, which lets index-only scans skip the table after a bulk load.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    services, locations = Service.objects.count(), Location.objects.count()
    print(f"{services:,} services and {locations:,} locations (synthetic part seeded in {seeded_in:.0f} s)", flush=True)

    connection.close()
    print("Timing the pages in a fresh process...", flush=True)
    pace_before = machine_pace()
    measured = measure_in_child(args.rounds)
    rows = []
    for label in {**SEARCHES, **API}:
        timings, queries = measured[label]
        rows.append(
            (
                label,
                statistics.median(timings),
                percentile(timings, 0.95),
                max(timings),
                small_counts[label],
                queries,
            )
        )

    import_row = None
    if not args.skip_import:
        export_dir = Path(var_dir) / "export"
        call_command("export_oruk", str(export_dir), stdout=StringIO())
        import_env = dict(os.environ)
        if url:
            import_url = url + "_import"
            prepare_database(import_url, var_dir)
            import_env["DATABASE_URL"] = import_url
        else:
            import_env["ROSC_VAR_DIR"] = str(Path(var_dir) / "import")
            Path(import_env["ROSC_VAR_DIR"]).mkdir()
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=import_env, check=True)
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(
            [python, "manage.py", "import_oruk", str(export_dir)],
            cwd=ROOT,
            env=import_env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - started
        peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        import_row = (elapsed, peak_mb)
    pace_after = machine_pace()

    print()
    print(f"Directory benchmark on {database}: {services:,} services, {locations:,} locations, {args.rounds} rounds")
    small_label = f"queries@{args.small}"
    header = f"{'operation':<40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {small_label:>12} {'queries@full':>12}"
    print(header)
    print("-" * len(header))
    for label, p50, p95, worst, small, full in rows:
        print(f"{label:<40} {p50:>8.1f} {p95:>8.1f} {worst:>8.1f} {small:>12} {full:>12}")
    if import_row:
        print(f"{'import of the exported feed':<40} {import_row[0]:>8.1f} s   peak memory {import_row[1]:.0f} MB")
    print(f"Machine pace (3 million additions in Python): {pace_before:.3f} s before, {pace_after:.3f} s after")


if __name__ == "__main__":
    main()
