"""Benchmarks for the foundation (run with `make bench`).

Targets: public pages and the staff audit search answer in well under 50 ms
of server time on a laptop with SQLite, and their query counts stay the same
however much data there is.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from rosc.core.audit import audit_write
from rosc.core.models import AuditEvent, Organisation
from rosc.core.testing import sign_in


def add_organisations(count):
    Organisation.objects.bulk_create(
        Organisation(name=f"Bench organisation {n}", slug=f"bench-{n}", kind="treatment", is_illustrative=True)
        for n in range(count)
    )


def add_audit_events(actor, count):
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=actor, actor_label=actor.email, action="bench.event", object_id=str(n)) for n in range(count)
    )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_bench_home_page(benchmark, client):
    add_organisations(20)
    small = queries_for(client, "/")
    Organisation.objects.bulk_create(
        Organisation(name=f"More {n}", slug=f"more-{n}", kind="housing") for n in range(2000)
    )
    assert queries_for(client, "/") == small
    benchmark(client.get, "/")


@pytest.mark.django_db
def test_bench_organisation_list(benchmark, client):
    add_organisations(500)
    benchmark(client.get, "/organisations/")


@pytest.mark.django_db
def test_bench_audit_search_over_100k_events(benchmark, client, persona):
    admin = persona("administrator")
    sign_in(client, admin)
    add_audit_events(admin, 1000)
    client.get("/staff/audit/")  # first request of the session records it; measure steady state
    small = queries_for(client, "/staff/audit/?action=bench.&page=2")
    add_audit_events(admin, 99_000)
    assert queries_for(client, "/staff/audit/?action=bench.&page=2") == small
    benchmark(client.get, "/staff/audit/?action=bench.&page=2")


@pytest.mark.django_db
def test_bench_audit_write(benchmark, persona):
    admin = persona("administrator")

    def write():
        with transaction.atomic():
            audit_write(actor=admin, action="bench.write", object_type="core.user", object_id=admin.pk)

    benchmark(write)
