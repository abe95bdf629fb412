"""The custody ledger refuses edits at the database itself: an UPDATE of an event or of its coupon ranges
fails (and a DELETE too on PostgreSQL, where test flushes use TRUNCATE, which row triggers do not see).
The hash chain still catches whoever drops the triggers first (`pcn verify_ledger`)."""

from django.db import migrations

TABLES = ["coupons_custodyevent", "coupons_custodyeventrange"]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION pcn_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'append-only table %: rows are never changed or deleted', TG_TABLE_NAME "
            "USING ERRCODE = 'integrity_constraint_violation'; END $$ LANGUAGE plpgsql",
            None,  # no parameters: the % above is PL/pgSQL's, not a placeholder
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
    dependencies = [("coupons", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
