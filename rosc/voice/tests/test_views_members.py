"""Joining, raising items, changing a display name and leaving, through the pages."""

import pytest
from django.urls import reverse

from rosc.core.testing import sign_in
from rosc.voice import actions
from rosc.voice.models import Item, Member
from rosc.voice.tests.helpers import member, raised


@pytest.fixture
def signed_in(client, person_in_recovery):
    sign_in(client, person_in_recovery, with_mfa=False)
    return client


@pytest.mark.parametrize("name", ["join", "membership", "leave", "items", "raise"])
def test_anonymous_visitors_are_asked_to_sign_in(client, db, name):
    response = client.get(reverse(f"voice:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_person_joins_with_a_display_name_and_is_taken_to_the_items(signed_in, person_in_recovery):
    assert signed_in.get(reverse("voice:join")).status_code == 200
    response = signed_in.post(reverse("voice:join"), {"display_name": "Sunrise"})
    assert response.status_code == 302
    assert response["Location"] == reverse("voice:items")
    assert Member.objects.get(user=person_in_recovery).display_name == "Sunrise"
    assert signed_in.get(reverse("voice:join"))["Location"] == reverse("voice:membership")


def test_joining_with_a_bad_name_shows_the_error_and_saves_nothing(signed_in, family_member):
    member(family_member, "Sunrise")
    for bad, message in [
        ("", "Enter the name you want other members to see."),
        ("me@example.com", "A display name cannot contain @."),
        ("sunrise", "Another member uses that name."),
    ]:
        page = signed_in.post(reverse("voice:join"), {"display_name": bad})
        assert page.status_code == 200
        html = page.content.decode()
        assert "There is a problem" in html
        assert message in html
    assert Member.objects.count() == 1


def test_the_join_page_does_not_suggest_an_email_address_as_the_name(client, db):
    from rosc.core.models import User

    user = User.objects.create_user("x@example.com", "a long password here", display_name="x@example.com")
    sign_in(client, user, with_mfa=False)
    assert 'value="x@example.com"' not in client.get(reverse("voice:join")).content.decode()


def test_a_member_raises_an_item(signed_in, person_in_recovery):
    member(person_in_recovery, "Sunrise")
    assert signed_in.get(reverse("voice:raise")).status_code == 200
    response = signed_in.post(reverse("voice:raise"), {"title": "Evening groups", "detail": "Groups end at 5pm."})
    assert response.status_code == 302
    item = Item.objects.get()
    assert (item.title, item.author_name) == ("Evening groups", "Sunrise")
    html = signed_in.get(reverse("voice:items")).content.decode()
    assert "Evening groups" in html
    assert "What you raised" in html


def test_raising_without_a_title_shows_errors_and_saves_nothing(signed_in, person_in_recovery):
    member(person_in_recovery)
    page = signed_in.post(reverse("voice:raise"), {"title": "", "detail": ""})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Enter a short title for what you are raising." in html
    assert "Say what you would like the forum to know or change." in html
    assert not Item.objects.exists()


def test_someone_who_has_not_joined_is_sent_to_join_before_raising(signed_in):
    response = signed_in.get(reverse("voice:raise"))
    assert response["Location"] == reverse("voice:join")
    assert signed_in.post(reverse("voice:raise"), {"title": "T", "detail": "D"})["Location"] == reverse("voice:join")
    assert not Item.objects.exists()


def test_a_non_member_sees_only_their_own_items(signed_in, person_in_recovery, family_member):
    raised(family_member, title="Someone else's item")
    html = signed_in.get(reverse("voice:items")).content.decode()
    assert "Someone else&#x27;s item" not in html
    assert "Someone else's item" not in html
    assert reverse("voice:join") in html


def test_the_author_sees_why_their_item_was_hidden(signed_in, person_in_recovery, commissioner):
    item = raised(person_in_recovery, title="Named a worker")
    actions.item_hide(actor=commissioner, item=item, reason="It names a member of staff.")
    html = signed_in.get(reverse("voice:items")).content.decode()
    assert "Hidden by the forum: It names a member of staff." in html


def test_a_member_changes_their_display_name(signed_in, person_in_recovery):
    member(person_in_recovery, "Sunrise")
    assert signed_in.get(reverse("voice:membership")).status_code == 200
    assert signed_in.post(reverse("voice:membership"), {"display_name": "Dawn"}).status_code == 302
    assert Member.objects.get().display_name == "Dawn"
    page = signed_in.post(reverse("voice:membership"), {"display_name": "x" * 41})
    assert "40 characters or fewer" in page.content.decode()
    assert Member.objects.get().display_name == "Dawn"


def test_a_member_leaves_after_confirming(signed_in, person_in_recovery):
    member(person_in_recovery, "Sunrise")
    assert "Are you sure you want to leave?" in signed_in.get(reverse("voice:leave")).content.decode()
    assert signed_in.post(reverse("voice:leave"))["Location"] == reverse("voice:index")
    assert not Member.objects.get().is_active
    assert signed_in.get(reverse("voice:membership"))["Location"] == reverse("voice:join")
    assert signed_in.post(reverse("voice:leave"))["Location"] == reverse("voice:join")


def test_the_account_home_links_to_community_voice(signed_in):
    html = signed_in.get(reverse("core:dashboard")).content.decode()
    assert reverse("voice:items") in html
    assert reverse("voice:log") in html
