"""Review decisions record the card debit they made; redemptions record when the coupon was taken.

On SQLite, adding a column rebuilds the table, and the rebuilt table has lost its append-only trigger
(0002): the last operation puts the triggers back."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


TABLES = ["redemptions_redemption", "redemptions_reviewdecision"]


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL keeps its triggers through ALTER TABLE
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {table}_append_only BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: rows are never changed'); END"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('coupons', '0005_alter_custodyevent_kind'),
        ('households', '0005_card_cardentry'),
        ('markets', '0002_opening_hours'),
        ('programs', '0003_season_accept_unissued_season_card_offline_cap_cents_and_more'),
        ('redemptions', '0002_redemptions_append_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='redemption',
            name='redemption_vendor_time',
        ),
        migrations.AddField(
            model_name='redemption',
            name='taken_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='reviewdecision',
            name='card_entry',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='review_decision', to='households.cardentry'),
        ),
        migrations.AddIndex(
            model_name='redemption',
            index=models.Index(fields=['vendor', 'taken_at'], name='redemption_vendor_taken'),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
