import pytest
from django.test import Client
from django.urls import reverse

from rosc.core.models import Organisation

PUBLIC = ["core:home", "core:organisations", "core:accessibility", "core:privacy", "core:cookies", "core:contact"]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_open_without_an_account_and_offer_a_quick_exit(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b"Exit this page" in response.content
    assert b"Skip to main content" in response.content


def test_the_footer_links_to_the_statements_every_service_needs(client, db):
    html = client.get("/").content.decode()
    for name in ("core:accessibility", "core:privacy", "core:cookies", "core:contact"):
        assert f'href="{reverse(name)}"' in html


def test_illustrative_organisations_are_labelled_as_such(client, db):
    Organisation.objects.create(name="Real Place", slug="real", kind="treatment")
    Organisation.objects.create(name="Made Up Place", slug="made-up", kind="housing", is_illustrative=True)
    html = client.get(reverse("core:organisations")).content.decode()
    made_up_row = html.split("Made Up Place", 1)[1].split("</th>", 1)[0]
    real_row = html.split("Real Place", 1)[1].split("</th>", 1)[0]
    assert "Illustrative" in made_up_row
    assert "Illustrative" not in real_row


def test_the_home_page_names_the_service_from_settings(client, db, settings):
    settings.SITE_NAME = "Open ROSC Suffolk"
    assert b"Open ROSC Suffolk" in client.get("/").content


def test_a_missing_page_gets_a_helpful_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_server_error_shows_a_plain_page_without_a_stack_trace(db, settings, monkeypatch):
    settings.DEBUG = False

    def explode(request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("rosc.core.views.organisations", explode)
    from rosc.core import urls

    for pattern in urls.urlpatterns:
        if pattern.name == "organisations":
            monkeypatch.setattr(pattern, "callback", explode)
    client = Client(raise_request_exception=False)
    response = client.get(reverse("core:organisations"))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content


def test_public_pages_refuse_unexpected_methods(client, db):
    assert client.post("/").status_code == 405


def test_choice_items_match_djangos_own_ids_and_keep_what_was_ticked():
    from django import forms
    from django.template import Context, Template

    class Picks(forms.Form):
        colours = forms.MultipleChoiceField(
            choices=[("red", "Red"), ("blue", "Blue <b>")], widget=forms.CheckboxSelectMultiple
        )
        size = forms.ChoiceField(choices=[("s", "Small"), ("l", "Large")], widget=forms.RadioSelect)

    form = Picks({"colours": ["blue"], "size": "l"})
    html = Template("{% load govuk %}{% govuk_choice_items form.colours %}{% govuk_choice_items form.size %}").render(
        Context({"form": form})
    )
    for field in ("colours", "size"):
        for option in form[field].subwidgets:
            assert f'id="{option.id_for_label}"' in html
            assert f'for="{option.id_for_label}"' in html
    assert 'id="id_colours_1" name="colours" type="checkbox" value="blue" checked>' in html
    assert 'id="id_colours_0" name="colours" type="checkbox" value="red">' in html
    assert 'id="id_size_1" name="size" type="radio" value="l" checked>' in html
    assert "Blue &lt;b&gt;" in html
