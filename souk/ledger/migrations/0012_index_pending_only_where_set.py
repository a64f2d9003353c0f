"""Transfer.pending indexed only where set: it is NULL on every transfer but the resolutions of
pending ones, and the full index Django gives a foreign key took an entry for each row posted
(docs/benchmarks.md, "Ledger"). The foreign-key constraint itself is left as it was (an
AlterField would drop and re-add it, scanning the table; on SQLite rebuild the table): only
the index is dropped, by its name, the same on SQLite and PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models

FULL_INDEX = "ledger_transfer_pending_id_d4b0cd6d"


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0011_hot_accounts_in_shards"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="transfer",
                    name="pending",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text=(
                            "For the transfer that posts or voids a pending one: that pending"
                            " transfer."
                        ),
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="resolutions",
                        to="ledger.transfer",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{FULL_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{FULL_INDEX}" ON "ledger_transfer" ("pending_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="transfer",
            index=models.Index(
                condition=models.Q(("pending__isnull", False)),
                fields=["pending"],
                name="ledger_transfer_pending_set",
            ),
        ),
    ]
