"""The audit log: written in the action's transaction, append-only, no free text."""

import pytest
from django.db import connection, transaction

from rosc.core import actions, audit
from rosc.core.audit import AuditOutsideTransaction, UnsafeAuditDetail, audit_read, audit_write
from rosc.core.models import AuditEvent, AuditLogIsAppendOnly, Membership, Role


def test_an_action_writes_its_change_and_its_audit_row_together(administrator, org_a, outsider):
    membership = actions.membership_add(
        actor=administrator, organisation=org_a, email=outsider.email, role=Role.PRACTITIONER
    )
    event = AuditEvent.objects.get(action="membership.added")
    assert event.actor == administrator
    assert event.object_type == "core.membership"
    assert event.object_id == str(membership.pk)
    assert event.purpose == "team management"
    assert event.details == {"organisation_id": org_a.pk, "user_id": outsider.pk, "role": "practitioner"}


def test_a_failing_audit_write_leaves_no_change(administrator, org_a, outsider, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(actions, "audit_write", broken)
    with pytest.raises(RuntimeError):
        actions.membership_add(actor=administrator, organisation=org_a, email=outsider.email, role=Role.PRACTITIONER)
    assert not Membership.objects.filter(user=outsider).exists()
    assert not AuditEvent.objects.filter(action="membership.added").exists()


def test_an_action_failing_after_its_audit_row_leaves_neither(administrator, org_a, outsider, monkeypatch):
    def broken_notification(**kwargs):
        raise RuntimeError("could not queue the email")

    monkeypatch.setattr(actions, "notification_queue", broken_notification)
    with pytest.raises(RuntimeError):
        actions.membership_add(actor=administrator, organisation=org_a, email=outsider.email, role=Role.PRACTITIONER)
    assert not Membership.objects.filter(user=outsider).exists()
    assert not AuditEvent.objects.filter(action="membership.added").exists()


def test_audit_rows_cannot_be_changed_or_deleted_through_the_models(administrator):
    with transaction.atomic():
        event = audit_write(actor=administrator, action="test.thing", purpose="testing")
    event.purpose = "something else"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="changed")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).purpose == "testing"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers are installed on PostgreSQL only")
def test_postgresql_itself_refuses_to_change_or_delete_audit_rows(administrator):
    from django.db.utils import DatabaseError

    with transaction.atomic():
        event = audit_write(actor=administrator, action="test.thing", purpose="testing")
    for sql in (
        "UPDATE core_auditevent SET purpose = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, purpose="testing").exists()


@pytest.mark.django_db(transaction=True)
def test_audit_writes_must_be_inside_a_transaction():
    from conftest import make_persona

    administrator = make_persona("administrator")
    with pytest.raises(AuditOutsideTransaction):
        audit_write(actor=administrator, action="test.thing")


@pytest.mark.parametrize(
    "details",
    [
        {"note": "Sam told me he relapsed on heroin last week"},
        {"free_text": "a" * 200},
        {"nested": {"a": 1}},
        {"bad key!": 1},
    ],
)
def test_it_refuses_free_text_in_audit_details(administrator, details):
    with pytest.raises(UnsafeAuditDetail), transaction.atomic():
        audit_write(actor=administrator, action="test.thing", details=details)
    assert not AuditEvent.objects.filter(action="test.thing").exists()


def test_a_sensitive_read_must_give_its_purpose(administrator):
    with pytest.raises(ValueError, match="purpose"):
        audit_read(actor=administrator, action="test.read", purpose="")
    event = audit_read(actor=administrator, action="test.read", purpose="care coordination")
    assert event.purpose == "care coordination"


def test_it_records_the_address_a_request_came_from(rf, administrator):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    with transaction.atomic():
        event = audit_write(actor=administrator, action="test.thing", request=request)
    assert event.ip_address == "203.0.113.9"
    assert audit.client_ip(None) is None


def test_signing_in_and_out_is_audited(client, person_in_recovery):
    from conftest import PASSWORD

    client.post("/accounts/login/", {"login": person_in_recovery.email, "password": PASSWORD})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": person_in_recovery.email, "password": "wrong password here"})
    actions_seen = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions_seen == ["auth.signed_in", "auth.signed_out", "auth.sign_in_failed"]
    failed = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert failed.details == {}
    assert "wrong" not in str(failed.__dict__)


def test_behind_a_trusted_proxy_it_records_the_real_client_address(rf, settings):
    settings.ROSC_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert audit.client_ip(request) == "203.0.113.7"
    settings.ROSC_TRUSTED_PROXY_COUNT = 0
    assert audit.client_ip(request) == "10.0.0.2"
