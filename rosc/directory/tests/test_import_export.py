"""import_oruk and export_oruk: all-or-nothing imports, idempotent re-imports, data package round trips."""

import copy
import datetime as dt
import io
import json
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from rosc.core.models import AuditEvent, Organisation
from rosc.directory import models as directory
from rosc.directory.api import serializers
from rosc.directory.api.views import service_prefetches
from rosc.directory.models import Location, Phone, Schedule, Service, Taxonomy, TaxonomyTerm
from rosc.directory.oruk_import import check_feed, iter_json_services
from rosc.directory.tests.oruk_helpers import HSDS_EXAMPLES, build_directory

pytestmark = pytest.mark.django_db


def snapshot():
    """Every service (hidden ones too) as nested ORUK JSON, lists sorted by id."""

    def tidy(value):
        if isinstance(value, dict):
            return {key: tidy(item) for key, item in value.items()}
        if isinstance(value, list):
            items = [tidy(item) for item in value]
            return sorted(items, key=lambda item: item.get("id", "") if isinstance(item, dict) else str(item))
        return value

    services = Service.objects.select_related("organisation").prefetch_related(*service_prefetches()).order_by("id")
    return [tidy(serializers.service(service)) for service in services]


def wipe():
    Service.objects.all().delete()
    Location.objects.all().delete()
    Taxonomy.objects.all().delete()
    Organisation.objects.all().delete()


def run_import(source, *extra):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_oruk", str(source), *extra, stdout=out, stderr=err)
    except CommandError as error:
        raise CommandError(f"{error}\n{err.getvalue()}") from None
    return out.getvalue(), err.getvalue()


def json_feed(tmp_path, services, name="feed.json"):
    path = tmp_path / name
    path.write_text(json.dumps(services), encoding="utf-8")
    return path


@pytest.fixture
def feed_services():
    """The fixture directory as a JSON list of fully nested services; the database is then emptied."""
    build_directory()
    services = snapshot()
    wipe()
    return services


def test_a_good_feed_imported_twice_yields_the_same_directory(tmp_path, feed_services):
    path = json_feed(tmp_path, feed_services)
    out, err = run_import(path)
    assert "Imported 5 services" in out
    first = snapshot()
    assert first == feed_services
    run_import(path)
    assert snapshot() == first
    assert Service.objects.count() == 5
    assert Location.objects.count() == 4
    assert AuditEvent.objects.filter(action="directory.imported").count() == 2
    event = AuditEvent.objects.filter(action="directory.imported").first()
    assert event.details["services"] == 5
    assert "Checking" in err
    assert "Writing" in err


def test_imported_services_are_indexed_for_search(tmp_path, feed_services):
    run_import(json_feed(tmp_path, feed_services))
    detox = Service.objects.get(name="Alcohol detox")
    assert "withdrawal" in detox.search_text
    assert detox.has_capacity is True
    assert detox.wait_weeks == 3
    assert Location.objects.get(name="Recovery Centre").outcode == "SS14"


def test_a_page_envelope_and_a_single_service_are_read(tmp_path, feed_services):
    envelope = {"total_items": 5, "total_pages": 1, "page_number": 1, "size": 5, "contents": feed_services}
    run_import(json_feed(tmp_path, envelope))
    assert Service.objects.count() == 5
    wipe()
    peer = next(service for service in feed_services if service["name"] == "Peer mentoring")
    run_import(json_feed(tmp_path, peer, name="one.json"))
    assert Service.objects.count() == 1
    # Its term names a parent term the feed does not carry: the link is dropped, not refused.
    assert TaxonomyTerm.objects.get().parent is None


def test_streaming_reads_services_across_chunk_boundaries(feed_services, monkeypatch):
    from rosc.directory.oruk_import import JsonStream

    monkeypatch.setattr(JsonStream, "CHUNK", 7)
    text = json.dumps({"total_items": 12345, "contents": feed_services, "last_page": True})
    assert [s["id"] for s in iter_json_services(io.StringIO(text))] == [s["id"] for s in feed_services]


def test_a_malformed_feed_imports_nothing_and_names_each_bad_record(tmp_path, feed_services):
    bad = copy.deepcopy(feed_services)
    bad[0]["status"] = "open-ish"
    bad[1]["id"] = "not-a-uuid"
    del bad[2]["name"]
    bad[3]["service_at_locations"] = [{"id": str(uuid.uuid4()), "location_id": str(uuid.uuid4())}]
    bad[4]["minimum_age"] = 200
    path = json_feed(tmp_path, bad)
    with pytest.raises(CommandError, match="nothing was imported"):
        run_import(path)
    assert Service.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert TaxonomyTerm.objects.count() == 0
    assert not AuditEvent.objects.filter(action="directory.imported").exists()
    feed = check_feed(str(path))
    messages = "\n".join(feed.problems.messages)
    assert "record 1" in messages
    assert "open-ish" in messages
    assert "record 2" in messages
    assert "not-a-uuid" in messages
    assert "record 3" in messages
    assert "'name' is a required property" in messages
    assert "record 4" in messages
    assert "is not in the feed" in messages
    assert "record 5" in messages
    assert "200 is above 150" in messages
    assert len({message.split(" (")[0].split(":")[0] for message in feed.problems.messages}) == 5
    feed.spool.close()


def test_own_checks_catch_what_the_schema_allows(tmp_path, feed_services):
    bad = copy.deepcopy(feed_services)
    first = next(service for service in bad if service["name"] == "Alcohol detox")
    first["name"] = "x" * 400
    first["service_at_locations"][0]["location"]["latitude"] = 123.0
    first["schedules"][0]["byday"] = "MONDAY"
    feed = check_feed(str(json_feed(tmp_path, bad)))
    messages = "\n".join(feed.problems.messages)
    assert "at most 300 fit" in messages
    assert "latitude 123.0 is above 90" in messages
    assert "should be days like MO,WE,FR" in messages
    assert len({message.split(" (")[0] for message in feed.problems.messages}) == 1
    feed.spool.close()


def test_a_truncated_file_is_reported(tmp_path, feed_services):
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(feed_services)[:-200], encoding="utf-8")
    with pytest.raises(CommandError):
        run_import(path)
    assert Service.objects.count() == 0


def test_reimporting_removes_rows_the_feed_no_longer_lists(tmp_path, feed_services):
    run_import(json_feed(tmp_path, feed_services))
    changed = copy.deepcopy(feed_services)
    detox = next(s for s in changed if s["name"] == "Alcohol detox")
    removed_schedule = detox["schedules"].pop()["id"]
    removed_phone = detox["phones"].pop()["id"]
    detox["name"] = "Alcohol detox (renamed)"
    run_import(json_feed(tmp_path, changed, name="changed.json"))
    assert not Schedule.objects.filter(id=removed_schedule).exists()
    assert not Phone.objects.filter(id=removed_phone).exists()
    assert Service.objects.filter(name="Alcohol detox (renamed)").count() == 1
    assert Service.objects.count() == 5


def test_organisation_names_in_use_get_a_suffix(tmp_path, feed_services):
    Organisation.objects.create(name="Peer Mentors Essex", slug="pme", kind="peer_support")
    run_import(json_feed(tmp_path, feed_services))
    run_import(json_feed(tmp_path, feed_services))
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Peer Mentors Essex",
        "Peer Mentors Essex (2)",
        "Basildon Recovery Trust",
    }
    imported = Organisation.objects.get(name="Peer Mentors Essex (2)")
    assert imported.kind == "other"
    assert imported.services.count() == 2


@pytest.mark.parametrize("target", ["package", "package.zip"])
def test_an_exported_data_package_imports_back_into_an_empty_directory(tmp_path, target):
    build_directory()
    before = snapshot()
    out = io.StringIO()
    call_command("export_oruk", str(tmp_path / target), stdout=out, stderr=io.StringIO())
    assert "Wrote 5 services" in out.getvalue()
    if target == "package":
        package = json.loads((tmp_path / "package" / "datapackage.json").read_text())
        assert {r["name"] for r in package["resources"]} >= {"service", "location", "schedule", "phone"}
    wipe()
    run_import(tmp_path / target)
    assert snapshot() == before
    run_import(tmp_path / target)
    assert snapshot() == before


def test_a_bad_csv_row_is_named_by_file_and_line(tmp_path):
    build_directory()
    call_command("export_oruk", str(tmp_path / "package"), stdout=io.StringIO(), stderr=io.StringIO())
    wipe()
    services_csv = tmp_path / "package" / "services.csv"
    lines = services_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("active", "sometimes", 1)
    services_csv.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CommandError):
        run_import(tmp_path / "package")
    feed = check_feed(str(tmp_path / "package"))
    assert any(
        message.startswith("services.csv line 3") and "sometimes" in message for message in feed.problems.messages
    )
    feed.spool.close()
    assert Service.objects.count() == 0


def test_the_hsds_example_package_is_read_and_its_broken_references_named():
    feed = check_feed(str(HSDS_EXAMPLES / "csv"))
    assert feed.count("service") == 1
    assert any("locations.csv" in m or "is not in the feed" in m for m in feed.problems.messages)
    feed.spool.close()


@pytest.mark.django_db(transaction=True)
def test_an_oruk_api_base_url_is_followed_page_by_page(live_server, settings):
    settings.ROSC_API_RATE_LIMIT = "1000/m"
    build_directory()
    before = snapshot()
    out, _ = run_import(f"{live_server.url}/api/oruk/")
    # The API publishes four of the five services (the defunct one is hidden).
    assert "Imported 4 services" in out
    assert snapshot() == before


def stored_rows(model, leave_out=()):
    """Every row of ``model``'s table as the database stores it (raw SQL, not the ORM's conversions)."""
    fields = [field for field in model._meta.concrete_fields if field.name not in leave_out]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(model._meta.db_table)}")
        return sorted(cursor.fetchall(), key=repr)


def test_an_import_stores_each_value_exactly_as_the_orm_does(tmp_path):
    """The import writes rows with its own SQL; what it stores must be byte for byte what the ORM stored."""
    build_directory()
    # A feed gives times to the millisecond.
    moment = dt.datetime(2026, 3, 4, 5, 6, 7, 89000, tzinfo=dt.UTC)
    directory.Service.objects.update(last_modified=moment)
    directory.ServiceCapacity.objects.update(updated=moment)
    tables = {
        # Organisations get new keys on import; created_at is the time of the import;
        # the feed carries the date a service was verified, not who verified it or the time.
        directory.Service: ("organisation", "created_at", "last_verified_by", "last_verified_at"),
        directory.Location: (),
        directory.Address: (),
        directory.Accessibility: (),
        directory.ServiceAtLocation: (),
        directory.Contact: (),
        directory.Phone: (),
        directory.Schedule: (),
        directory.ServiceArea: (),
        directory.Language: (),
        directory.CostOption: (),
        directory.Attribute: (),
        directory.ServiceCapacity: (),
    }
    before = {model: stored_rows(model, leave_out) for model, leave_out in tables.items()}
    assert all(before[model] for model in (directory.Schedule, directory.CostOption, directory.ServiceCapacity))
    call_command("export_oruk", str(tmp_path / "package"), stdout=io.StringIO(), stderr=io.StringIO())
    wipe()
    run_import(tmp_path / "package")
    for model, leave_out in tables.items():
        after = stored_rows(model, leave_out)
        changed = [
            [(old_value, new_value) for old_value, new_value in zip(old, new, strict=True) if old_value != new_value]
            for old, new in zip(before[model], after, strict=False)
            if old != new
        ]
        assert after == before[model], f"{model.__name__}: {changed[:2]}"
    # The ORM finds imported rows by their keys (SQLite stores a UUID as 32 hex digits).
    for model in tables:
        for pk in model.objects.values_list("pk", flat=True):
            assert model.objects.filter(pk=pk).exists()
