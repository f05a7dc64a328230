"""Lists run a fixed number of SQL queries, however many referrals there are."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import organisation
from rosc.core.testing import sign_in
from rosc.record.models import Person
from rosc.referrals.models import Referral, ReferralEvent, State
from rosc.referrals.tests.helpers import service_in

pytestmark = pytest.mark.django_db


def add_referrals(count, *, service, start=0):
    """``count`` referrals to ``service`` from org-a, in a mix of states."""
    mix = [State.SENT, State.RECEIVED, State.ACCEPTED, State.WAITING_LIST, State.IN_PROGRESS]
    people = Person.objects.bulk_create([Person(full_name=f"Person {start + n}") for n in range(count)])
    today = timezone.localdate()
    referrals = Referral.objects.bulk_create(
        [
            Referral(
                person=person,
                service=service,
                receiving_organisation=service.organisation,
                sender_organisation=organisation("org-a"),
                sender_label="Keyworker",
                need="Help.",
                state=mix[n % len(mix)],
                respond_by=today + timedelta(days=(n % 5) - 2),
            )
            for n, person in enumerate(people)
        ]
    )
    ReferralEvent.objects.bulk_create(
        [ReferralEvent(referral=r, kind="sent", to_state="sent", version=1) for r in referrals]
    )


def queries_for(client, url):
    client.get(url)  # warm caches (sessions, roles)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("view", ["new", "overdue", "in_progress", "waiting"])
def test_the_inbox_costs_the_same_at_five_and_at_a_hundred_and_twenty(client, keyworker_b, view):
    service = service_in("org-b", "Housing advice")
    service_in("org-b", "Tenancy support")
    sign_in(client, keyworker_b)
    url = reverse("referrals:inbox") + f"?view={view}"
    add_referrals(5, service=service)
    small = queries_for(client, url)
    add_referrals(115, service=service, start=5)
    large = queries_for(client, url)
    assert small == large, f"{small} queries with 5 referrals, {large} with 120"
    assert large <= 25


def test_the_sent_list_costs_the_same_at_any_size(client, keyworker_a):
    service = service_in("org-b", "Housing advice")
    sign_in(client, keyworker_a)
    url = reverse("referrals:sent") + "?view=all"
    add_referrals(3, service=service)
    small = queries_for(client, url)
    add_referrals(80, service=service, start=3)
    assert queries_for(client, url) == small


def test_the_second_page_of_the_inbox_shows_the_rest(client, keyworker_b):
    service = service_in("org-b", "Housing advice")
    add_referrals(130, service=service)  # 52 of them are new: two pages
    sign_in(client, keyworker_b)
    first = client.get(reverse("referrals:inbox") + "?view=new").content.decode()
    assert "Page 1 of" in first
    second = client.get(reverse("referrals:inbox") + "?view=new&page=2")
    assert second.status_code == 200
    assert "Page 2 of" in second.content.decode()
