# Four eyes on the parcel actions that give money back (issue #13, defect 9).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_order_variants"),
        ("payments", "0003_create_refund_approval"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="refundapproval",
            name="action",
            field=models.CharField(
                blank=True,
                choices=[
                    ("force_refund", "Refund the buyer"),
                    ("receive_return", "Returned item received"),
                ],
                default="",
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AddField(
            model_name="refundapproval",
            name="parcel_status",
            field=models.CharField(
                blank=True, max_length=20, verbose_name="parcel status when asked"
            ),
        ),
        migrations.AddField(
            model_name="refundapproval",
            name="sub_order",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="refund_approvals",
                to="orders.suborder",
            ),
        ),
        migrations.AddConstraint(
            model_name="refundapproval",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("sub_order__isnull", True), ("action", "")),
                    models.Q(("sub_order__isnull", False), models.Q(("action", ""), _negated=True)),
                    _connector="OR",
                ),
                name="refund_approval_parcel_has_action",
            ),
        ),
        migrations.AddConstraint(
            model_name="refundapproval",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "awaiting"), ("sub_order__isnull", False)),
                fields=("sub_order",),
                name="refund_approval_one_awaiting_per_parcel",
            ),
        ),
    ]
