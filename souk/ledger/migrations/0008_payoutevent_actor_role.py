"""A payout event says in which role it was made (core.machine, issue #15): an operator's
when it names one, else the system's."""

from django.db import migrations, models


def name_the_roles(apps, schema_editor):
    PayoutEvent = apps.get_model("ledger", "PayoutEvent")
    PayoutEvent.objects.filter(actor__isnull=False).update(actor_role="operator")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0007_payout_send_attempted_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="payoutevent",
            name="actor_role",
            field=models.CharField(default="system", max_length=10),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="payoutevent",
            name="action",
            field=models.CharField(max_length=40),
        ),
        migrations.AlterField(
            model_name="payoutevent",
            name="from_status",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="payoutevent",
            name="to_status",
            field=models.CharField(max_length=20),
        ),
        migrations.RunPython(name_the_roles, migrations.RunPython.noop),
    ]
