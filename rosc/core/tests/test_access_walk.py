"""Walk every URL of the core app: staff pages refuse everyone without the capability."""

import pytest
from django.urls import URLPattern, reverse

from rosc.core import urls
from rosc.core.testing import sign_in

PUBLIC = {"home", "organisations", "accessibility", "privacy", "cookies", "contact", "healthz", "mfa_required"}
SIGNED_IN = {"dashboard", "account"}
SAMPLE_KWARGS = {"slug": "org-a", "membership_id": 1}


def all_patterns():
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: SAMPLE_KWARGS[name] for name in pattern.pattern.converters}
        yield pattern.name, reverse(f"core:{pattern.name}", kwargs=kwargs)


@pytest.mark.parametrize(("name", "url"), list(all_patterns()))
def test_anonymous_visitors_reach_only_public_pages(client, org_a, name, url):
    response = client.get(url)
    if name in PUBLIC:
        assert response.status_code == 200
    elif name in SIGNED_IN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code in (403, 405)


@pytest.mark.parametrize(("name", "url"), list(all_patterns()))
@pytest.mark.parametrize("persona_name", ["outsider", "family_member", "person_in_recovery", "keyworker_b"])
def test_people_without_the_capability_are_refused_staff_pages(client, persona, org_a, name, url, persona_name):
    sign_in(client, persona(persona_name), with_mfa=persona_name == "keyworker_b")
    response = client.get(url)
    if name in PUBLIC | SIGNED_IN:
        assert response.status_code == 200
    else:
        assert response.status_code in (403, 405), f"{persona_name} reached {url}"
