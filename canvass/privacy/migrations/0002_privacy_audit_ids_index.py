"""A GIN index on the audit trail's object ids (PostgreSQL), so a subject-access export finds who saw a voter
or their contacts by index, whatever the trail's size. Kept here, not on the model: SQLite has no GIN."""

from django.db import migrations

INDEX = "audit_object_ids_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("canvass", "AuditEvent")._meta.db_table
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (object_ids jsonb_path_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_privacy_initial"), ("canvass", "0007_voter_without_name_index")]

    operations = [migrations.RunPython(create, drop)]
