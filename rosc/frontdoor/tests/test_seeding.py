"""The front door's demo data: a kept pathway whose link works, and a request in a demo inbox, loaded once."""

from io import StringIO

import pytest
from django.core.management import call_command

from rosc.frontdoor import seeding
from rosc.frontdoor.models import Pathway, SupportRequest
from rosc.referrals.models import Referral, Source

pytestmark = pytest.mark.django_db


def test_it_loads_a_pathway_and_a_request_for_support_once(client):
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    call_command("seed_directory", stdout=StringIO())

    out = StringIO()
    seeding.seed_demo(out)

    assert "added a kept pathway and a request for support from Dana Wood (illustrative)" in out.getvalue()
    link = out.getvalue().split("The demo pathway: ")[1].strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert "Help for your son or daughter, and for you" in page.content.decode()
    referrals = Referral.objects.filter(source=Source.SELF, receiving_organisation__name=seeding.SOUTH_ESSEX)
    assert referrals.count() == 2
    assert all(referral.person.is_illustrative for referral in referrals)

    again = StringIO()
    seeding.seed_demo(again)
    assert "already loaded" in again.getvalue()
    assert Pathway.objects.count() == 1
    assert SupportRequest.objects.count() == 1
    assert Referral.objects.count() == 2
