"""manage.py import_oruk SOURCE: import an Open Referral UK / HSDS feed, all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rosc.core.models import Organisation
from rosc.directory.models import Taxonomy, TaxonomyTerm
from rosc.directory.oruk_import import check_feed
from rosc.directory.oruk_write import write_feed


class Command(BaseCommand):
    help = (
        "Import services from an Open Referral UK API base URL, a JSON file or URL (a list of services or a "
        "page of services), or an HSDS tabular data package (a folder or .zip with datapackage.json and CSV "
        "files). Every record is checked first; if any is wrong, each problem is listed and nothing is written. "
        "Importing the same feed again updates the directory rather than duplicating it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="Base URL, JSON file or URL, or data package folder or .zip.")
        parser.add_argument("--check", action="store_true", help="Only check the feed; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        source: str = options["source"]
        known = {
            "taxonomy": {str(pk) for pk in Taxonomy.objects.values_list("id", flat=True)},
            "taxonomy_term": {str(pk) for pk in TaxonomyTerm.objects.values_list("id", flat=True)},
            "organization": {str(pk) for pk in Organisation.objects.values_list("uuid", flat=True)},
        }
        feed = check_feed(source, known_ids=known, progress_stream=self.stderr._out)
        try:
            if not feed.ok:
                for message in feed.problems.messages:
                    self.stderr.write(message)
                hidden = feed.problems.count - len(feed.problems.messages)
                if hidden:
                    self.stderr.write(f"… and {hidden} more problems.")
                raise CommandError(f"{feed.problems.count} problems found in {source}; nothing was imported.")
            services = feed.count("service")
            if options["check"]:
                self.stdout.write(f"{source} is a good feed of {services} services. Nothing was written (--check).")
                return
            summary = write_feed(feed, progress_stream=self.stderr._out)
        finally:
            feed.spool.close()
        ignored = ", ".join(f"{count} {table}" for table, count in sorted(feed.ignored.items()) if count)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary.get('service', 0)} services, {summary.get('location', 0)} locations, "
                f"{summary.get('organization', 0)} organisations and {summary.get('taxonomy_term', 0)} taxonomy terms "
                f"from {source}; removed {summary.get('removed', 0)} rows the feed no longer lists."
            )
        )
        if ignored:
            self.stdout.write(f"Skipped rows Open ROSC does not hold: {ignored}.")
