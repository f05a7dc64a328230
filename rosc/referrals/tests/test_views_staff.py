"""The staff pages: inbox, referrals sent, one referral, changes, comments, the FHIR download."""

import json

import pytest
from django.urls import reverse

from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.record.models import Disclosure
from rosc.referrals import actions
from rosc.referrals.models import Referral, State
from rosc.referrals.tests.helpers import person_in_team, send, worker

pytestmark = pytest.mark.django_db


def detail_url(referral, name="referrals:detail"):
    return reverse(name, args=[referral.pk])


def test_the_receiving_service_sees_a_new_referral_in_its_inbox(client, keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    sign_in(client, keyworker_b)
    page = client.get(reverse("referrals:inbox"))
    assert page.status_code == 200
    assert referral.person.display_name in page.content.decode()
    assert "New (1)" in page.content.decode()
    assert AuditEvent.objects.filter(action="referral.inbox_read", actor=keyworker_b).exists()


def test_the_inbox_shows_only_the_actors_organisations(client, keyworker_a, keyworker_b):
    send(keyworker_a)
    sign_in(client, keyworker_a)
    page = client.get(reverse("referrals:inbox")).content.decode()
    assert "Robin Example" not in page
    assert "New (0)" in page


def test_the_inbox_flags_overdue_referrals_and_filters_them(client, keyworker_a, keyworker_b):
    from datetime import timedelta

    from django.utils import timezone

    late = send(keyworker_a)
    Referral.objects.filter(pk=late.pk).update(respond_by=timezone.localdate() - timedelta(days=1))
    send(keyworker_a, person=person_in_team("org-a", consent_to=["org-b"], full_name="Sam Later"))
    sign_in(client, keyworker_b)
    page = client.get(reverse("referrals:inbox") + "?view=overdue").content.decode()
    assert "Overdue (1)" in page
    assert "Robin Example" in page
    assert "Sam Later" not in page
    assert 'govuk-tag--red">Overdue' in page


def test_bad_inbox_filters_are_ignored_not_errors(client, keyworker_b):
    sign_in(client, keyworker_b)
    assert client.get(reverse("referrals:inbox") + "?view=nonsense&service=zzz&page=x").status_code == 200


@pytest.mark.parametrize("name", ["referrals:inbox", "referrals:sent", "referrals:send_person"])
@pytest.mark.parametrize("persona_name", ["peer_mentor", "commissioner", "community_researcher"])
def test_staff_without_the_capability_are_refused(client, persona, name, persona_name):
    sign_in(client, persona(persona_name))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("persona_name", ["person_in_recovery", "family_member", "outsider"])
def test_members_of_the_public_are_refused(client, persona, persona_name):
    sign_in(client, persona(persona_name), with_mfa=False)
    assert client.get(reverse("referrals:inbox")).status_code == 403
    assert client.get(reverse("referrals:sent")).status_code == 403


def test_opening_a_new_referral_receives_it_and_logs_the_disclosure(client, keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    sign_in(client, keyworker_b)
    page = client.get(detail_url(referral))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Received" in content
    assert "Accept" in content
    assert "Decline" in content
    assert Referral.objects.get(pk=referral.pk).state == State.RECEIVED
    viewed = Disclosure.objects.filter(person=referral.person, viewer=keyworker_b)
    assert viewed.count() == 1
    assert AuditEvent.objects.filter(action="referral.read", actor=keyworker_b).exists()


def test_the_sender_sees_the_same_status_and_comments_and_can_withdraw(client, keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    actions.referral_comment(actor=keyworker_b, referral_id=referral.pk, text="Can they come on Tuesday?")
    sign_in(client, keyworker_a)
    content = client.get(detail_url(referral)).content.decode()
    assert "Received" in content
    assert "Can they come on Tuesday?" in content
    assert "Withdraw" in content
    assert ">Accept<" not in content
    assert Referral.objects.get(pk=referral.pk).state == State.RECEIVED


def test_another_organisations_referral_is_not_found(client, keyworker_a):
    referral = send(keyworker_a)
    elsewhere = worker("elsewhere@example.com", "community")
    sign_in(client, elsewhere)
    for name in ("referrals:detail", "referrals:accept", "referrals:decline", "referrals:reroute", "referrals:fhir"):
        assert client.get(detail_url(referral, name)).status_code == 404, name
    assert client.post(detail_url(referral, "referrals:comment"), {"text": "Hi"}).status_code == 404
    assert not Disclosure.objects.filter(viewer=elsewhere).exists()


def test_a_care_team_member_with_consent_can_read_but_not_act(client, keyworker_a):
    reader = worker("reader@example.com", "peers")
    person = person_in_team("org-a", "peers", consent_to=["org-b"])
    referral = send(keyworker_a, person=person)
    sign_in(client, reader)
    content = client.get(detail_url(referral)).content.decode()
    assert "Only the sending and receiving services can change it." in content
    assert "Add comment" not in content
    assert client.get(detail_url(referral, "referrals:fhir")).status_code == 404
    assert Referral.objects.get(pk=referral.pk).state == State.SENT


def test_accepting_through_the_page(client, keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    version = Referral.objects.get(pk=referral.pk).version
    sign_in(client, keyworker_b)
    assert client.get(detail_url(referral, "referrals:accept")).status_code == 200
    response = client.post(detail_url(referral, "referrals:accept"), {"version": version, "note": ""})
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).state == State.ACCEPTED


def test_a_stale_page_says_who_acted_first_and_changes_nothing(client, keyworker_a, keyworker_b):
    colleague = worker("colleague.b@example.com", "org-b", display_name="Casey")
    referral = send(keyworker_a)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    version = Referral.objects.get(pk=referral.pk).version
    actions.referral_accept(actor=colleague, referral_id=referral.pk, seen_version=version)
    sign_in(client, keyworker_b)
    page = client.post(detail_url(referral, "referrals:accept"), {"version": version})
    assert page.status_code == 200
    assert "This referral was already accepted by Casey, Organisation B Housing" in page.content.decode()
    assert Referral.objects.get(pk=referral.pk).receiver == colleague


def test_declining_without_a_reason_shows_the_errors_and_changes_nothing(client, keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    version = Referral.objects.get(pk=referral.pk).version
    sign_in(client, keyworker_b)
    page = client.post(detail_url(referral, "referrals:decline"), {"version": version, "explanation": ""})
    content = page.content.decode()
    assert "There is a problem" in content
    assert "Select why you are declining the referral." in content
    assert "Explain your decision to the sender and the person." in content
    assert Referral.objects.get(pk=referral.pk).state == State.RECEIVED


def test_a_tampered_version_is_refused_plainly(client, keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    sign_in(client, keyworker_b)
    page = client.post(detail_url(referral, "referrals:accept"), {"version": "abc"})
    assert "This page is out of date." in page.content.decode()
    assert Referral.objects.get(pk=referral.pk).state == State.RECEIVED


def test_completing_through_the_page_with_other_needs_words(client, keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    actions.referral_accept(actor=keyworker_b, referral_id=referral.pk, seen_version=None)
    version = Referral.objects.get(pk=referral.pk).version
    sign_in(client, keyworker_b)
    page = client.post(detail_url(referral, "referrals:complete"), {"version": version, "outcome": "other"})
    assert "Say what happened, because the outcome is" in page.content.decode()
    response = client.post(
        detail_url(referral, "referrals:complete"), {"version": version, "outcome": "got_help", "note": ""}
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).outcome == "got_help"


def test_a_change_page_for_a_move_no_longer_possible_explains_it(client, keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    sign_in(client, keyworker_b)
    content = client.get(detail_url(referral, "referrals:complete")).content.decode()
    assert "so this cannot be done" in content
    assert '<form method="post"' not in content


def test_passing_on_through_the_page(client, keyworker_a, keyworker_b):
    from rosc.referrals.tests.helpers import service_in

    person = person_in_team("org-a", consent_to=["org-b", "peers"])
    referral = send(keyworker_a, person=person)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    other = service_in("peers", "Peer support group")
    other.search_text = "peer support group"
    other.save()
    version = Referral.objects.get(pk=referral.pk).version
    sign_in(client, keyworker_b)
    search = client.get(detail_url(referral, "referrals:reroute") + "?q=peer")
    assert "Peer support group" in search.content.decode()
    chosen = client.get(detail_url(referral, "referrals:reroute") + f"?service={other.pk}")
    assert "Why are you passing it on?" in chosen.content.decode()
    empty = client.post(detail_url(referral, "referrals:reroute"), {"service": other.pk, "version": version})
    assert "Say why you are passing the referral on." in empty.content.decode()
    response = client.post(
        detail_url(referral, "referrals:reroute"), {"service": other.pk, "version": version, "note": "Better fit."}
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).state == State.REROUTED
    assert Referral.objects.get(rerouted_from=referral).service == other


def test_comments_are_added_and_an_empty_one_is_refused(client, keyworker_a):
    referral = send(keyworker_a)
    sign_in(client, keyworker_a)
    empty = client.post(detail_url(referral, "referrals:comment"), {"text": " "})
    assert "Enter your comment." in empty.content.decode()
    response = client.post(detail_url(referral, "referrals:comment"), {"text": "They prefer mornings."})
    assert response.status_code == 302
    assert referral.events.filter(kind="comment", text="They prefer mornings.").exists()


def test_the_sender_and_receiver_download_fhir(client, keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    for user in (keyworker_a, keyworker_b):
        sign_in(client, user)
        response = client.get(detail_url(referral, "referrals:fhir"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/fhir+json")
        assert "attachment" in response["Content-Disposition"]
        bundle = json.loads(response.content)
        assert bundle["resourceType"] == "Bundle"
    assert Disclosure.objects.filter(person=referral.person, purpose="FHIR export").count() == 2


def test_the_sent_list_shows_the_organisations_referrals(client, keyworker_a, service_manager):
    referral = send(keyworker_a)
    sign_in(client, service_manager)  # a colleague at the same organisation
    content = client.get(reverse("referrals:sent")).content.decode()
    assert referral.person.display_name in content
    assert client.get(reverse("referrals:sent") + "?view=closed").content.decode().count("Robin Example") == 0


def test_staff_home_links_to_the_referral_pages(client, keyworker_b, keyworker_a):
    from datetime import timedelta

    from django.utils import timezone

    late = send(keyworker_a)
    Referral.objects.filter(pk=late.pk).update(respond_by=timezone.localdate() - timedelta(days=3))
    sign_in(client, keyworker_b)
    content = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("referrals:inbox") in content
    assert "1 overdue" in content
    assert reverse("referrals:send_person") in content
