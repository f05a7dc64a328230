"""Essex demo data for Community Voice.

A past quarterly meeting with attendance, decisions and published minutes; a coming meeting with
its agenda and a paper; members (the demo public users and the demo community researcher) under
display names; items at every stage of "you said, we did"; research the forum reviewed. Everything
here is illustrative and marked so: the Community Voice forum is real (it is in the brief), these
meetings and requests are not. Runs through the actions, so the rules and the audit apply; safe to
run again (it does nothing once its meetings exist).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rosc.core.management.commands.seed_demo import demo_email
from rosc.core.models import User
from rosc.voice import actions
from rosc.voice.models import Item, ItemStatus, Meeting, MeetingMode, Member

ILLUSTRATIVE = "(Illustrative example.)"

MEMBERS = [
    ("person", "Sam from Harlow"),
    ("family", "Jo (parent)"),
    ("community", "Alex"),
    ("researcher", "Rosa"),
]


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _backdate(item: Item, *, raised: datetime, considered: datetime | None = None) -> None:
    fields: dict[str, Any] = {"raised_at": raised, "is_illustrative": True}
    if considered is not None:
        fields["considered_at"] = considered
    Item.objects.filter(pk=item.pk).update(**fields)


def seed_demo(stdout: Any) -> None:
    if Meeting.objects.filter(is_illustrative=True).exists():
        stdout.write("Community Voice demo data is already loaded.")
        return
    people = {local: User.objects.filter(email=demo_email(local)).first() for local in (*dict(MEMBERS), "commissioner")}
    missing = sorted(local for local, user in people.items() if user is None)
    if missing:
        stdout.write(f"Community Voice demo data skipped: run seed_demo first (missing {', '.join(missing)}).")
        return
    runner = people["commissioner"]
    assert runner is not None
    with transaction.atomic():
        members = {}
        for local, name in MEMBERS:
            user = people[local]
            assert user is not None
            member = Member.objects.filter(user=user).first()
            if member is None or not member.is_active:
                member = actions.member_join(actor=user, display_name=name)
            Member.objects.filter(pk=member.pk).update(is_illustrative=True, joined_at=_at(-200, 12))
            members[local] = member

        def raise_as(local: str, title: str, detail: str) -> Item:
            user = people[local]
            assert user is not None
            return actions.item_raise(actor=user, title=title, detail=f"{detail} {ILLUSTRATIVE}")

        evening = raise_as(
            "person",
            "Evening peer support in Harlow",
            "Peer support groups finish at 5pm, so people who have gone back to work cannot come.",
        )
        parents = raise_as(
            "family",
            "A parents' group at the Basildon recovery space",
            "Parents affected by a partner's drinking would like to meet other parents, with children welcome.",
        )
        buses = raise_as(
            "community",
            "Free bus travel to treatment appointments",
            "Bus fares to appointments in Chelmsford are a real barrier for people on low incomes.",
        )
        research = actions.submit_research_for_review(
            by=people["researcher"],  # type: ignore[arg-type]
            title="What students in Colchester say about drinking support",
            summary=(
                "Community researchers asked students what would make it easier to ask for help with alcohol. "
                f"Most wanted support on campus and out of term time. {ILLUSTRATIVE}"
            ),
            link="https://example.org/community-research/students-and-alcohol",
        )
        for item, days in ((evening, -110), (parents, -104), (buses, -98), (research, -95)):
            _backdate(item, raised=_at(days, 10))

        past = actions.meeting_schedule(
            actor=runner,
            title="Winter meeting",
            starts_at=_at(-80, 18, 30),
            mode=MeetingMode.HYBRID,
            place="Chelmsford Recovery Space, and online",
        )
        actions.agenda_add(actor=runner, meeting=past, title="Welcome and ground rules")
        for item in (evening, parents, buses, research):
            actions.agenda_add(actor=runner, meeting=past, item=item)
        actions.paper_add(
            actor=runner,
            meeting=past,
            title="Quarterly update from the commissioners (illustrative)",
            link="https://example.org/community-voice/winter-update",
        )
        actions.attendance_record(actor=runner, meeting=past, members=members.values())
        actions.decision_record(
            actor=runner,
            meeting=past,
            item=evening,
            text="Run a fortnightly evening peer support group at the Harlow recovery space, starting in the spring.",
            status=ItemStatus.WE_WILL,
            owner="Harlow Recovery Space",
            due_on=timezone.localdate() + timedelta(days=25),
        )
        actions.decision_record(
            actor=runner,
            meeting=past,
            item=parents,
            text="Start a parents' group on Saturday mornings at the Basildon recovery space, with a play corner.",
            status=ItemStatus.WE_WILL,
            owner="Basildon Recovery Space",
            due_on=timezone.localdate(),
        )
        actions.decision_record(
            actor=runner,
            meeting=past,
            item=buses,
            text=(
                "The recovery budget cannot pay bus fares this year. Keyworkers will point people to existing travel "
                "help, and online appointments are offered where they suit."
            ),
            status=ItemStatus.WE_CANNOT,
            owner="Essex Recovery Commissioning Partnership",
        )
        actions.decision_record(
            actor=runner,
            meeting=past,
            item=research,
            text="Share the findings with Colchester services and ask the university about term-time drop-ins.",
            status=ItemStatus.REVIEWED,
            owner="Colchester Recovery Space",
        )
        actions.decision_record(actor=runner, meeting=past, text="Hold the spring meeting in Colchester.")
        actions.minutes_save(
            actor=runner,
            meeting=past,
            text=(
                "Illustrative example: these minutes were made up for the demonstration.\n\n"
                "Present: Sam from Harlow, Jo (parent), Alex and Rosa, with the commissioner chairing.\n\n"
                "1. Welcome and ground rules. Members agreed to use display names and to keep what is shared in "
                "the room.\n\n"
                "2. Evening peer support in Harlow. Members who work said daytime groups leave them out. Agreed: a "
                "fortnightly evening group.\n\n"
                "3. A parents' group in Basildon. Agreed: Saturday mornings, with children welcome.\n\n"
                "4. Bus travel to appointments. The recovery budget cannot pay fares this year; keyworkers will "
                "signpost travel help and offer online appointments.\n\n"
                "5. Research: students and drinking support in Colchester. The forum thanked the community "
                "researchers and asked for the findings to be shared with Colchester services."
            ),
            publish=True,
        )
        Meeting.objects.filter(pk=past.pk).update(is_illustrative=True)
        for item in (evening, parents, buses, research):
            Item.objects.filter(pk=item.pk).update(
                considered_at=_at(-90, 9), answered_at=_at(-80, 20), status_changed_at=_at(-80, 20)
            )
        # Between meetings, the parents' group started ahead of its date: "we will" became "we did".
        Item.objects.filter(pk=parents.pk).update(due_on=timezone.localdate() - timedelta(days=10))
        parents.refresh_from_db()
        actions.item_answer(
            actor=runner,
            item=parents,
            status=ItemStatus.WE_DID,
            response=(
                "A parents' group now meets on Saturday mornings at the Basildon recovery space, with a play corner."
            ),
            owner="Basildon Recovery Space",
            due_on=None,
            done_on=timezone.localdate() - timedelta(days=20),
        )
        Item.objects.filter(pk=parents.pk).update(answered_at=_at(-20, 12), status_changed_at=_at(-20, 12))

        cafe = raise_as(
            "community",
            "Longer opening hours for the Thurrock recovery café",
            "The café closes at 3pm. People coming from work or the Jobcentre would use it later in the day.",
        )
        reminders = raise_as(
            "family",
            "Text reminders before appointments",
            "A text the day before would help people who find it hard to keep track of appointments.",
        )
        _backdate(cafe, raised=_at(-30, 11))
        _backdate(reminders, raised=_at(-6, 15))

        coming = actions.meeting_schedule(
            actor=runner,
            title="Spring meeting",
            starts_at=_at(21, 18, 30),
            mode=MeetingMode.HYBRID,
            place="Colchester Recovery Space, and online",
        )
        actions.agenda_add(actor=runner, meeting=coming, title="Welcome and actions from the winter meeting")
        actions.agenda_add(actor=runner, meeting=coming, item=cafe)
        actions.agenda_add(actor=runner, meeting=coming, title="Update from the Recovery Fund")
        actions.paper_add(
            actor=runner,
            meeting=coming,
            title="Thurrock recovery café: opening hours and costs (illustrative)",
            link="https://example.org/community-voice/thurrock-cafe-hours",
        )
        Meeting.objects.filter(pk=coming.pk).update(is_illustrative=True)
        Item.objects.filter(pk=cafe.pk).update(considered_at=_at(-2, 9), status_changed_at=_at(-2, 9))
    stdout.write(
        f"Community Voice demo data ready: {len(members)} members, 2 meetings, "
        f"{Item.objects.filter(is_illustrative=True).count()} items (illustrative)."
    )
