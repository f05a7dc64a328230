"""Continuing-care benchmark: the daily run for 50,000 people in continuing care.

    python bench/bench_checkins.py                       # SQLite (a scratch database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rosc_bench_checkins \\
        python bench/bench_checkins.py                   # PostgreSQL (database is recreated)

It builds a fresh database: one treatment service with a duty worker, and N people (default 50,000),
each with a keyworker and a peer mentor and a continuing-care plan at a mixed stage (started between
0 and 729 days ago, so weekly, monthly and quarterly check-ins are all present). The day is made
heavier than a real one: a fifth of the plans have a check-in due today, a tenth have a check-in
whose link runs out today (half of those after one missed already, so they raise "two missed in a
row" alerts), and 1,000 alerts are waiting past their pick-up time. It then times one run of
``run_continuing_care`` (the same call as ``manage.py run_continuing_care``), and a second run on the
same day, which must create, send and escalate nothing. Target: the first run within 60 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 60.0


def prepare_database(url: str | None, var_dir: str) -> None:
    os.environ["ROSC_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rosc.settings")
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


def build(people: int, overdue_alerts: int) -> dict[str, int]:
    from django.db import transaction
    from django.utils import timezone

    from rosc.continuing import schedule
    from rosc.continuing.actions import new_token
    from rosc.continuing.models import Alert, CheckIn, CheckInLink, CheckInStatus, Plan, ServiceSettings
    from rosc.core.models import Membership, Organisation, OrganisationKind, Role, User
    from rosc.record.models import CareTeamMember, Person, TeamRole

    now = timezone.now()
    today = timezone.localdate(now)
    service = Organisation.objects.create(
        name="Bench treatment", slug="bench-treatment", kind=OrganisationKind.TREATMENT
    )
    peers = Organisation.objects.create(name="Bench peers", slug="bench-peers", kind=OrganisationKind.PEER_SUPPORT)
    keyworker = User.objects.create_user("keyworker@bench.example", "a long bench password")
    mentor = User.objects.create_user("mentor@bench.example", "a long bench password")
    duty = User.objects.create_user("duty@bench.example", "a long bench password")
    Membership.objects.create(user=keyworker, organisation=service, role=Role.PRACTITIONER)
    Membership.objects.create(user=duty, organisation=service, role=Role.PRACTITIONER)
    Membership.objects.create(user=mentor, organisation=peers, role=Role.PEER_MENTOR)
    settings = ServiceSettings.objects.create(organisation=service, duty_worker=duty)
    sched = settings.schedule()
    counts = {"due_today": 0, "expiring": 0, "after_a_miss": 0}
    chunk = 5000
    for start in range(0, people, chunk):
        size = min(chunk, people - start)
        with transaction.atomic():
            persons = Person.objects.bulk_create(
                [
                    Person(full_name=f"Bench person {start + n}", email=f"p{start + n}@bench.example")
                    for n in range(size)
                ],
                batch_size=1000,
            )
            if persons[0].pk is None:
                persons = list(
                    Person.objects.filter(full_name__startswith="Bench person").order_by("pk")[start : start + size]
                )
            CareTeamMember.objects.bulk_create(
                [
                    CareTeamMember(person=p, organisation=org, worker=w, role=role, started=today - timedelta(days=800))
                    for p in persons
                    for org, w, role in (
                        (service, keyworker, TeamRole.KEYWORKER),
                        (peers, mentor, TeamRole.PEER_MENTOR),
                    )
                ],
                batch_size=2000,
            )
            plans = []
            for n, person in enumerate(persons):
                index = start + n
                started = today - timedelta(days=index % 730)
                items = schedule.all_due(sched, started)
                past = [item for item in items if item.due_on <= today]
                future = [item for item in items if item.due_on > today]
                group = index % 10
                if group in (0, 1) and past:
                    # Due today (or overdue): the run creates and sends it.
                    nxt = past[-1]
                    counts["due_today"] += 1
                else:
                    nxt = future[0] if future else None
                plans.append(
                    Plan(
                        person=person,
                        organisation=service,
                        started_on=started,
                        discharge_reason="completed_drug_free",
                        weekly_weeks=sched.weekly_weeks,
                        monthly_until_month=sched.monthly_until_month,
                        quarterly_until_month=sched.quarterly_until_month,
                        link_days=settings.link_days,
                        channel="email",
                        next_number=nxt.number if nxt else len(items) + 1,
                        next_due_on=nxt.due_on if nxt else None,
                    )
                )
            plans = Plan.objects.bulk_create(plans, batch_size=1000)
            if plans[0].pk is None:
                plans = list(Plan.objects.filter(person__in=persons).order_by("pk"))
            check_ins = []
            for n, plan in enumerate(plans):
                index = start + n
                if index % 10 != 2 or plan.next_number < 3:
                    continue
                # A link running out today; every other one follows a check-in already missed.
                counts["expiring"] += 1
                check_ins.append(
                    CheckIn(
                        plan=plan,
                        person_id=plan.person_id,
                        number=plan.next_number - 1,
                        kind="weekly",
                        due_on=today - timedelta(days=7),
                        status=CheckInStatus.OPEN,
                        expires_at=now - timedelta(hours=1),
                        sent_at=now - timedelta(days=7),
                    )
                )
                missed_before = index % 20 == 2
                counts["after_a_miss"] += missed_before
                check_ins.append(
                    CheckIn(
                        plan=plan,
                        person_id=plan.person_id,
                        number=plan.next_number - 2,
                        kind="weekly",
                        due_on=today - timedelta(days=14),
                        status=CheckInStatus.MISSED if missed_before else CheckInStatus.ANSWERED,
                        expires_at=now - timedelta(days=7),
                        sent_at=now - timedelta(days=14),
                        answers={} if missed_before else {"cravings": 1},
                    )
                )
            CheckIn.objects.bulk_create(check_ins, batch_size=1000)
    with transaction.atomic():
        answered = list(
            CheckIn.objects.filter(status=CheckInStatus.ANSWERED).select_related("plan").order_by("pk")[:overdue_alerts]
        )
        CheckInLink.objects.bulk_create(
            [CheckInLink(check_in=c, token_hash=new_token()[1], expires_at=c.expires_at) for c in answered],
            batch_size=1000,
        )
        Alert.objects.bulk_create(
            [
                Alert(
                    person_id=c.person_id,
                    plan=c.plan,
                    check_in=c,
                    organisation=service,
                    rule_code="contact_me",
                    severity="high",
                    raised_at=now - timedelta(days=2),
                    acknowledge_by=now - timedelta(days=1),
                )
                for c in answered
            ],
            batch_size=1000,
        )
    counts["overdue_alerts"] = len(answered)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=50000)
    parser.add_argument("--overdue-alerts", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL")
    var_dir = tempfile.mkdtemp(prefix="rosc-bench-checkins-")
    prepare_database(url, var_dir)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from rosc.continuing.actions import run_continuing_care
    from rosc.continuing.models import Alert, CheckIn, CheckInStatus, Plan
    from rosc.core.models import Notification

    database = connection.vendor
    print(f"Database: {database}; building {args.people:,} people in continuing care...", flush=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = build(args.people, args.overdue_alerts)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"Built in {time.perf_counter() - started:.0f} s: {Plan.objects.count():,} plans; due today "
        f"{counts['due_today']:,}; links running out {counts['expiring']:,} ({counts['after_a_miss']:,} after a miss); "
        f"alerts past their pick-up time {counts['overdue_alerts']:,}",
        flush=True,
    )

    def progress(step: str, done: int, total: int) -> None:
        if done == total:
            print(f"  {step}: {done:,}/{total:,}", flush=True)

    # Load the URL configuration first, as any process that serves or sends links has done already.
    from django.urls import reverse

    reverse("continuing:alerts")
    now = timezone.now()
    messages_before = Notification.objects.count()
    started = time.perf_counter()
    cpu_started = time.process_time()
    first = run_continuing_care(now=now, batch_size=args.batch_size, progress=progress)
    first_wall, first_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    messages_first = Notification.objects.count() - messages_before
    started = time.perf_counter()
    second = run_continuing_care(now=now + timedelta(minutes=10), batch_size=args.batch_size)
    second_wall = time.perf_counter() - started
    messages_second = Notification.objects.count() - messages_before - messages_first

    load = os.getloadavg()[0]
    print()
    print(
        f"Continuing-care daily run on {database}: {args.people:,} people in continuing care, batches of "
        f"{args.batch_size:,}; target first run <= {TARGET_SECONDS:.0f} s; load average {load:.1f} on "
        f"{os.cpu_count()} CPUs"
    )
    header = f"{'step':<34} {'rows':>9} {'first run s':>12} {'second run rows':>16}"
    print(header)
    print("-" * len(header))
    print(f"{'mark missed check-ins':<34} {first.missed:>9,} {first.timings['missed']:>12.1f} {second.missed:>16,}")
    print(f"{'  missed-in-a-row alerts':<34} {first.missed_alerts:>9,} {'':>12} {second.missed_alerts:>16,}")
    print(
        f"{'create and send due check-ins':<34} {first.created:>9,} {first.timings['create']:>12.1f} "
        f"{second.created:>16,}"
    )
    print(
        f"{'escalate alerts to duty worker':<34} {first.escalated:>9,} {first.timings['escalate']:>12.1f} "
        f"{second.escalated:>16,}"
    )
    print(f"{'messages queued':<34} {messages_first:>9,} {'':>12} {messages_second:>16,}")
    print(f"{'whole run (wall)':<34} {'':>9} {first_wall:>12.1f} {second_wall:>15.1f}s")
    print(f"{'whole run (CPU of this process)':<34} {'':>9} {first_cpu:>12.1f}")
    ok = (
        first_wall <= TARGET_SECONDS
        and second.created == second.sent == second.escalated == second.missed == 0
        and messages_second == 0
        and first.created == counts["due_today"]
        and first.missed == counts["expiring"]
        and first.missed_alerts == counts["after_a_miss"]
        and first.escalated == counts["overdue_alerts"]
    )
    assert CheckIn.objects.filter(status=CheckInStatus.OPEN, expires_at__lte=now).count() == 0
    assert Alert.objects.filter(escalated_at__isnull=True, acknowledge_by__lte=now).count() == 0
    print(f"Meets the target and runs idempotently: {'yes' if ok else 'NO'}")
    if load > (os.cpu_count() or 1):
        print("The machine was busier than it has CPUs: wall-clock times are inflated; see the CPU line.")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
