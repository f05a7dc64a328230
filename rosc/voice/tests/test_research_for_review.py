"""The interface community research uses: sending a published finding to Community Voice for review."""

import inspect

import pytest
from django.core.exceptions import PermissionDenied

from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent, User
from rosc.voice import actions
from rosc.voice.models import Item, ItemKind, ItemStatus

FINDING = {
    "title": "What helps families stay connected after detox",
    "summary": "Twelve families told us that a named contact after discharge mattered most.",
    "link": "https://research.example.org/findings/families-after-detox",
}


def test_it_keeps_the_signature_community_research_calls():
    signature = inspect.signature(actions.submit_research_for_review)
    assert list(signature.parameters) == ["by", "title", "summary", "link"]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in signature.parameters.values())


def test_it_creates_an_item_of_kind_research_for_review(community_researcher):
    item = actions.submit_research_for_review(by=community_researcher, **FINDING)

    item.refresh_from_db()
    assert item.kind == ItemKind.RESEARCH
    assert item.status == ItemStatus.RAISED
    assert (item.title, item.detail, item.link) == (FINDING["title"], FINDING["summary"], FINDING["link"])
    assert item.author == community_researcher
    event = AuditEvent.objects.get(action="voice.research_submitted")
    assert event.object_id == str(item.pk)
    assert event.details == {"kind": "research"}


def test_it_shows_the_researchers_community_voice_name_when_they_are_a_member(community_researcher):
    actions.member_join(actor=community_researcher, display_name="Rosa R")
    item = actions.submit_research_for_review(by=community_researcher, **FINDING)
    assert item.author_name == "Rosa R"


def test_it_falls_back_to_a_neutral_name_without_a_display_name(db):
    user = User.objects.create_user("quiet.researcher@example.com", "a long password here")
    item = actions.submit_research_for_review(by=user, **FINDING)
    assert item.author_name == actions.RESEARCHER_FALLBACK_NAME


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "  ", "Enter the title of the research."),
        ("summary", "", "Enter a summary of the research."),
        ("link", "", "Enter a link to where the research can be read."),
        ("link", "javascript:alert(1)", "Enter a link that starts with https://"),
        ("link", "ftp://example.org/report", "Enter a link that starts with https://"),
        ("title", "x" * 151, "The title must be 150 characters or fewer."),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(community_researcher, field, value, message):
    with pytest.raises(ActionRefused) as refused:
        actions.submit_research_for_review(by=community_researcher, **{**FINDING, field: value})
    assert refused.value.message.startswith(message)
    assert refused.value.field == field
    assert not Item.objects.exists()
    assert not AuditEvent.objects.filter(action="voice.research_submitted").exists()


def test_it_refuses_an_account_that_is_not_signed_in_or_closed(community_researcher):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        actions.submit_research_for_review(by=AnonymousUser(), **FINDING)
    community_researcher.is_active = False
    with pytest.raises(PermissionDenied):
        actions.submit_research_for_review(by=community_researcher, **FINDING)
    assert not Item.objects.exists()
