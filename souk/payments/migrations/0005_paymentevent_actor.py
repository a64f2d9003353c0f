"""A payment event says who made the move and in which role (core.machine, issue #15).

Events written before were all the platform's or the buyer's without a name: they read as
the system's."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0004_approve_parcel_refund_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="paymentevent",
            name="actor_role",
            field=models.CharField(default="system", max_length=10),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="paymentevent",
            name="reason",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="paymentevent",
            name="action",
            field=models.CharField(max_length=40),
        ),
    ]
