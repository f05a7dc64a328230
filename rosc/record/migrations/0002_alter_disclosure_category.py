# Kept so that migrations of other areas that name it still find it; the change it made is now in 0001.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("record", "0001_initial"),
    ]

    operations: list = []
