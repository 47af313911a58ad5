"""The database cache's table, made by `migrate` itself: the admin import's progress is written to the cache,
so a fresh install that only runs `migrate` has a working import (no separate `createcachetable`)."""

from django.core.management import call_command
from django.db import migrations


def cache_tables_create(apps, schema_editor):
    # Does nothing when no cache uses the database (Redis in production), or when the table exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("canvass", "0008_register_no_change_status")]

    operations = [migrations.RunPython(cache_tables_create, migrations.RunPython.noop, elidable=True)]
