from io import StringIO

from django.core.management import call_command

from rosc.core.models import Membership, Organisation, Role, User
from rosc.core.permissions import is_staff_user


def run():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_loads_the_essex_organisations_and_one_user_per_role(db):
    output = run()
    named = ["Chelmsford", "Basildon", "Colchester", "Harlow", "Rayleigh", "Thurrock"]
    for town in named:
        space = Organisation.objects.get(name=f"{town} Recovery Space")
        assert not space.is_illustrative
        assert space.kind == "recovery_community"
    assert Organisation.objects.get(name="The Crystal Centre").kind == "inpatient_detox"
    others = Organisation.objects.exclude(name__endswith="Recovery Space").exclude(name="The Crystal Centre")
    assert others.exists()
    assert all(organisation.is_illustrative for organisation in others)
    for role in Role.values:
        assert Membership.objects.filter(role=role).exists(), role
    assert User.objects.filter(public_role="person_in_recovery").exists()
    assert User.objects.filter(public_role="family_member").exists()
    assert "admin@demo.openrosc.example" in output
    assert "essex-demo-recovery" in output


def test_running_it_again_changes_nothing(db):
    run()
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    passwords = dict(User.objects.values_list("email", "password"))
    output = run()
    assert (Organisation.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert dict(User.objects.values_list("email", "password")) == passwords
    assert "0 organisation(s) and 0 user(s) added" in output


def test_the_demo_staff_are_staff_and_the_demo_public_are_not(db):
    run()
    assert is_staff_user(User.objects.get(email="admin@demo.openrosc.example"))
    assert not is_staff_user(User.objects.get(email="family@demo.openrosc.example"))
