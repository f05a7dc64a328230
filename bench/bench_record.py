"""Shared record and referrals benchmark: a service inbox at 10,000 referrals and a
worker's caseload of 500 people.

    python bench/bench_record.py                     # SQLite (a scratch database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rosc_bench_record \\
        python bench/bench_record.py                 # PostgreSQL (database is recreated)

It builds a fresh database: one receiving organisation whose service has N referrals
(default 10,000) in a mix of states, from people with consent, and one worker whose
organisation's care team holds M people (default 500) with live consents. It then times
the pages end to end through Django's request cycle (test client: middleware, view,
templates), signed in as the receiving worker or the caseload worker, and counts their
SQL queries at a small and at the full size: the counts must be equal (a fixed number
of queries, whatever the size). Target: p95 at or under 150 ms. Prints one table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 150.0
INBOX = {
    "inbox: new (page 1 of 50)": "/referrals/inbox/?view=new",
    "inbox: overdue": "/referrals/inbox/?view=overdue",
    "inbox: waiting list": "/referrals/inbox/?view=waiting",
    "inbox: in progress, page 3": "/referrals/inbox/?view=in_progress&page=3",
    "inbox: closed": "/referrals/inbox/?view=closed",
}
CASELOAD = {"caseload (record)": "/care/"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def prepare_database(url: str | None, var_dir: str) -> None:
    os.environ["ROSC_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rosc.settings")
    # Staff pages without typing a second-factor code, and static URLs without a collected manifest.
    os.environ["ROSC_DEMO"] = "1"
    os.environ.setdefault("ROSC_MANIFEST_STATIC", "0")
    os.environ["ROSC_TASKS_BACKEND"] = "dummy"
    if url:
        os.environ["DATABASE_URL"] = url
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')


def count_queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(path).status_code == 200, path
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def measure(client, path: str, rounds: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per request. CPU time (this process only) shows what a
    request costs when the machine is busy with other work; on SQLite it includes the database."""
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    wall, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, path
    return wall, cpu


class World:
    """The organisations, people and users the benchmark builds on."""

    def __init__(self) -> None:
        from rosc.core.models import Membership, Organisation, OrganisationKind, Role, User
        from rosc.directory.models import Service

        self.treatment = Organisation.objects.create(
            name="Bench Treatment", slug="bench-treatment", kind=OrganisationKind.TREATMENT
        )
        self.housing = Organisation.objects.create(
            name="Bench Housing", slug="bench-housing", kind=OrganisationKind.HOUSING
        )
        self.services = [
            Service.objects.create(organisation=self.housing, name=f"Bench housing service {n}", description="Help.")
            for n in range(3)
        ]
        self.receiver = User.objects.create_user(
            "receiver@bench.example", "bench password 123", display_name="Receiver"
        )
        Membership.objects.create(user=self.receiver, organisation=self.housing, role=Role.PRACTITIONER)
        self.keyworker = User.objects.create_user("keyworker@bench.example", "bench password 123", display_name="Key")
        Membership.objects.create(user=self.keyworker, organisation=self.treatment, role=Role.PRACTITIONER)
        self.made_people = 0
        self.made_referrals = 0

    def people(self, count: int, *, in_team: bool):
        """``count`` people with a live consent covering both organisations; ``in_team``: in
        the treatment organisation's care team (the keyworker's caseload)."""
        from django.utils import timezone

        from rosc.record.models import CareTeamMember, Consent, ConsentGivenHow, ConsentKind, Person, TeamRole

        start = self.made_people
        people = Person.objects.bulk_create(
            [
                Person(full_name=f"Bench Person {start + n:05d}", date_of_birth=date(1980, 1, 1) + timedelta(days=n))
                for n in range(count)
            ],
            batch_size=1000,
        )
        self.made_people += count
        now = timezone.now()
        consents = Consent.objects.bulk_create(
            [
                Consent(
                    person=person,
                    kind=ConsentKind.CARE_COORDINATION,
                    given_how=ConsentGivenHow.VERBAL,
                    given_at=now - timedelta(days=10),
                    expires_at=now + timedelta(days=300),
                    covers_contact=True,
                    covers_plan=True,
                    covers_referrals=True,
                )
                for person in people
            ],
            batch_size=1000,
        )
        through = Consent.recipient_organisations.through
        through.objects.bulk_create(
            [
                through(consent_id=c.pk, organisation_id=org.pk)
                for c in consents
                for org in (self.treatment, self.housing)
            ],
            batch_size=2000,
        )
        if in_team:
            CareTeamMember.objects.bulk_create(
                [
                    CareTeamMember(
                        person=person,
                        organisation=self.treatment,
                        role=TeamRole.KEYWORKER,
                        started=timezone.localdate() - timedelta(days=20),
                    )
                    for person in people
                ],
                batch_size=1000,
            )
        return people, consents

    def referrals(self, count: int) -> None:
        from django.utils import timezone

        from rosc.referrals.models import Referral, ReferralEvent, State

        people, consents = self.people(count, in_team=False)
        mix = [
            State.SENT,
            State.RECEIVED,
            State.ACCEPTED,
            State.WAITING_LIST,
            State.IN_PROGRESS,
            State.COMPLETED,
            State.DECLINED,
        ]
        now = timezone.now()
        today = timezone.localdate()
        rows = []
        for n, (person, consent) in enumerate(zip(people, consents, strict=True)):
            state = mix[(self.made_referrals + n) % len(mix)]
            sent = now - timedelta(hours=n % 500)
            rows.append(
                Referral(
                    person=person,
                    service=self.services[n % len(self.services)],
                    receiving_organisation=self.housing,
                    sender_organisation=self.treatment,
                    sender=self.keyworker,
                    sender_label="Key",
                    need="Somewhere safe to live.",
                    state=state,
                    version=2,
                    consent=consent,
                    sent_at=sent,
                    updated_at=sent,
                    respond_by=today + timedelta(days=(n % 7) - 3),
                    outcome="got_help" if state == State.COMPLETED else "",
                    decline_reason="no_capacity" if state == State.DECLINED else "",
                )
            )
        referrals = Referral.objects.bulk_create(rows, batch_size=1000)
        ReferralEvent.objects.bulk_create(
            [ReferralEvent(referral=r, at=r.sent_at, kind="sent", to_state="sent", version=1) for r in referrals],
            batch_size=2000,
        )
        self.made_referrals += count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--referrals", type=int, default=10000)
    parser.add_argument("--caseload", type=int, default=500)
    parser.add_argument("--small", type=int, default=200, help="size at which query counts are compared")
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL")
    var_dir = tempfile.mkdtemp(prefix="rosc-bench-record-")
    prepare_database(url, var_dir)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    database = connection.vendor
    print(f"Database: {database}; building the record and referrals...", flush=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    world = World()
    receiver, keyworker = Client(), Client()
    receiver.force_login(world.receiver)
    keyworker.force_login(world.keyworker)

    small_caseload = min(args.small, args.caseload)
    world.people(small_caseload, in_team=True)
    world.referrals(min(args.small, args.referrals))
    small_counts = {label: count_queries(receiver, path) for label, path in INBOX.items()}
    small_counts.update({label: count_queries(keyworker, path) for label, path in CASELOAD.items()})

    started = time.perf_counter()
    if args.caseload > small_caseload:
        world.people(args.caseload - small_caseload, in_team=True)
    if args.referrals > args.small:
        world.referrals(args.referrals - args.small)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{world.made_referrals:,} referrals and a caseload of {args.caseload:,} people "
        f"(built in {time.perf_counter() - started:.0f} s)",
        flush=True,
    )

    rows = []
    for label, path, client in [
        *((label, path, receiver) for label, path in INBOX.items()),
        *((label, path, keyworker) for label, path in CASELOAD.items()),
    ]:
        full = count_queries(client, path)
        wall, cpu = measure(client, path, args.rounds)
        rows.append(
            (
                label,
                statistics.median(wall),
                percentile(wall, 0.95),
                max(wall),
                percentile(cpu, 0.95),
                small_counts[label],
                full,
            )
        )

    print()
    load = os.getloadavg()[0]
    print(
        f"Record and referrals benchmark on {database}: inbox of {world.made_referrals:,} referrals, "
        f"caseload of {args.caseload:,} people, {args.rounds} rounds; target p95 <= {TARGET_P95_MS:.0f} ms; "
        f"load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    small_label = f"queries@{args.small}"
    header = (
        f"{'page':<32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p95':>8} "
        f"{small_label:>12} {'queries@full':>12} {'meets':>6}"
    )
    print(header)
    print("-" * len(header))
    failures = []
    for label, p50, p95, worst, cpu95, small, full in rows:
        ok = p95 <= TARGET_P95_MS and small == full
        if not ok:
            failures.append(label)
        print(
            f"{label:<32} {p50:>8.1f} {p95:>8.1f} {worst:>8.1f} {cpu95:>8.1f} "
            f"{small:>12} {full:>12} {'yes' if ok else 'NO':>6}"
        )
    if failures:
        print(f"Not met: {', '.join(failures)}")
    if load > (os.cpu_count() or 1):
        print("The machine was busier than it has CPUs: wall-clock times are inflated; see the CPU column.")


if __name__ == "__main__":
    main()
