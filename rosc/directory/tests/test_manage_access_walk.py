"""Walk every listing-management URL: only managers of the service and administrators get in."""

import pytest
from django.urls import URLPattern, reverse

from conftest import organisation
from rosc.core.testing import sign_in
from rosc.directory import urls_manage
from rosc.directory.models import Service

STAFF_WITHOUT_THE_CAPABILITY = ["keyworker_a", "keyworker_b", "peer_mentor", "commissioner", "ig_lead"]
PUBLIC = ["outsider", "family_member", "person_in_recovery", "community_member"]


def urls_for(service):
    for pattern in urls_manage.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {"service_id": service.pk} if "service_id" in pattern.pattern.converters else {}
        yield reverse(f"directory_manage:{pattern.name}", kwargs=kwargs)


@pytest.fixture
def service_a(db):
    return Service.objects.create(organisation=organisation("org-a"), name="Drop-in", description="Drop-in.")


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_refused_everywhere(client, service_a, method):
    for url in urls_for(service_a):
        assert getattr(client, method)(url).status_code in (403, 405), url


@pytest.mark.parametrize("persona_name", STAFF_WITHOUT_THE_CAPABILITY + PUBLIC)
@pytest.mark.parametrize("method", ["get", "post"])
def test_people_without_the_capability_are_refused_everywhere(client, persona, service_a, persona_name, method):
    sign_in(client, persona(persona_name), with_mfa=persona_name not in PUBLIC)
    for url in urls_for(service_a):
        assert getattr(client, method)(url).status_code in (403, 405), f"{persona_name} reached {url}"


def test_a_manager_of_another_organisation_is_refused_every_service_page(client, service_manager):
    service_b = Service.objects.create(organisation=organisation("org-b"), name="Advice", description="Advice.")
    sign_in(client, service_manager)
    for url in urls_for(service_b):
        if url != reverse("directory_manage:list"):
            assert client.post(url).status_code == 403, url


@pytest.mark.parametrize("persona_name", ["service_manager", "administrator"])
def test_managers_and_administrators_reach_every_page(client, persona, service_a, persona_name):
    sign_in(client, persona(persona_name))
    for url in urls_for(service_a):
        if not url.endswith("/verify/"):
            assert client.get(url).status_code == 200, url


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, service_manager, service_a):
    sign_in(client, service_manager, with_mfa=False)
    for url in urls_for(service_a):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("core:mfa_required")
