"""Redemptions, review decisions and counts are money events: the database refuses to change them (and
to delete them on PostgreSQL), as it does for the custody ledger (coupons.0002)."""

from django.db import migrations

TABLES = ["redemptions_redemption", "redemptions_reviewdecision", "redemptions_redemptioncount"]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION pcn_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'append-only table %: rows are never changed or deleted', TG_TABLE_NAME "
            "USING ERRCODE = 'integrity_constraint_violation'; END $$ LANGUAGE plpgsql",
            None,
        )
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION pcn_append_only()"
            )
    elif connection.vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: rows are never changed'); END"
            )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    for table in TABLES:
        if connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only")


class Migration(migrations.Migration):
    dependencies = [("redemptions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
