"""The information-governance lead reviews referrals sent without consent."""

import pytest
from django.urls import reverse

from rosc.core.testing import sign_in
from rosc.referrals.models import Basis, Referral
from rosc.referrals.tests.helpers import person_in_team, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def exception(keyworker_a):
    return send(
        keyworker_a,
        person=person_in_team("org-a"),
        basis=Basis.SAFEGUARDING,
        exception_reason="Immediate risk of harm, could not ask them.",
    )


def test_the_ig_lead_reviews_an_exception(client, ig_lead, exception):
    sign_in(client, ig_lead)
    listing = client.get(reverse("referrals:exceptions")).content.decode()
    assert exception.reference in listing
    assert exception.person.full_name not in listing
    url = reverse("referrals:exception_review", args=[exception.pk])
    page = client.get(url).content.decode()
    assert "Immediate risk of harm" in page
    assert exception.person.full_name not in page
    empty = client.post(url, {"note": ""}).content.decode()
    assert "Say what the review found." in empty
    assert client.post(url, {"note": "Justified: police involved."}).status_code == 302
    reviewed = Referral.objects.get(pk=exception.pk)
    assert reviewed.ig_reviewed_by == ig_lead
    assert exception.reference in client.get(reverse("referrals:exceptions") + "?reviewed=1").content.decode()


@pytest.mark.parametrize("persona_name", ["administrator", "keyworker_a", "service_manager"])
def test_others_cannot_review(client, persona, persona_name, exception):
    sign_in(client, persona(persona_name))
    assert client.get(reverse("referrals:exceptions")).status_code == 403
    assert client.post(reverse("referrals:exception_review", args=[exception.pk]), {"note": "x"}).status_code == 403


def test_a_consented_referral_is_not_in_the_review(client, ig_lead, keyworker_a):
    referral = send(keyworker_a)
    sign_in(client, ig_lead)
    assert client.get(reverse("referrals:exception_review", args=[referral.pk])).status_code == 404
