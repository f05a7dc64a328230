"""manage.py export_oruk PATH: the whole directory as an HSDS tabular data package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rosc.directory.oruk_export import export_package


class Command(BaseCommand):
    help = (
        "Write the whole service directory as an HSDS 3.0 tabular data package: datapackage.json and one CSV "
        "per table, into a folder, or into a .zip when PATH ends in .zip. import_oruk reads it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Folder to write, or a file name ending in .zip.")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["path"])
        counts = export_package(target, on_rows=lambda table, rows: self.stderr.write(f"{table}: {rows} rows"))
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {counts.get('service', 0)} services in {len(counts)} tables to {target}.")
        )
