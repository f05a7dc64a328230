import uuid

from django.db import migrations, models


def give_each_organisation_a_uuid(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    for organisation in Organisation.objects.filter(uuid__isnull=True).only("pk"):
        organisation.uuid = uuid.uuid4()
        organisation.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="public identifier"),
        ),
        migrations.RunPython(give_each_organisation_a_uuid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="Published as the ORUK id.",
                unique=True,
                verbose_name="public identifier",
            ),
        ),
        migrations.AddField(
            model_name="organisation", name="email", field=models.EmailField(blank=True, max_length=254)
        ),
        migrations.AlterField(
            model_name="organisation",
            name="kind",
            field=models.CharField(
                choices=[
                    ("treatment", "Treatment provider"),
                    ("inpatient_detox", "Inpatient detox"),
                    ("peer_support", "Peer-support charity"),
                    ("mental_health", "Mental health service"),
                    ("housing", "Housing"),
                    ("employment", "Employment"),
                    ("family_support", "Family support"),
                    ("recovery_community", "Recovery community"),
                    ("commissioner", "Council or ICB commissioner"),
                    ("community", "Community organisation"),
                    ("other", "Other organisation"),
                ],
                max_length=32,
            ),
        ),
    ]
